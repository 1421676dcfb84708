/*
 * gen_snapshot_seeds.c — writes seed inputs for fuzz_snapshot into a folder: valid snapshots with
 * a few sections, one with an embedded diff, and bare diffs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell/diff.h"
#include "cell/snapshot.h"

static void save(const char *dir, const char *name, const uint8_t *b, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(b, 1, n, f);
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    uint8_t base[8192] = {0}, cur[8192] = {0};
    for (int i = 0; i < 300; i += 7) cur[i * 13 % 8192] = (uint8_t)i;
    cell_diff d;
    cell_diff_compute(base, sizeof base, cur, sizeof cur, NULL, &d);
    size_t dn = cell_diff_size(&d);
    uint8_t *db = malloc(dn);
    cell_diff_write(&d, db);
    save(argv[1], "diff", db, dn);

    uint8_t hash[32] = {1, 2, 3};
    cell_snapshot s;
    cell_snapshot_init(&s, hash, 1);
    cell_snapshot_add(&s, CELL_SEC_CELL, NULL, "metadata", 8, true);
    cell_snapshot_add(&s, CELL_SEC_GLOBALS, NULL, cur, 64, true);
    cell_snapshot_add(&s, CELL_SEC_MEMORY_DIFF, NULL, db, dn, true);
    cell_snapshot_add(&s, CELL_SEC_HOST, "wasi", "fds", 3, true);
    uint64_t n = cell_snapshot_size(&s);
    uint8_t *img = malloc(n);
    cell_snapshot_serialize(&s, img, n);
    save(argv[1], "snapshot-diff", img, n);
    cell_snapshot_free(&s);
    free(img);

    cell_snapshot_init(&s, hash, 1);
    cell_snapshot_add(&s, CELL_SEC_MEMORY, NULL, cur, 4096, true);
    n = cell_snapshot_size(&s);
    img = malloc(n);
    cell_snapshot_serialize(&s, img, n);
    save(argv[1], "snapshot-memory", img, n);
    cell_snapshot_free(&s);
    free(img);
    free(db);
    cell_diff_free(&d);
    return 0;
}

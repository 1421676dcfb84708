/*
 * test_snapshot.c — the snapshot file format: round trip through a file; every truncation and a
 * corruption of any byte of the header, table or payloads is reported as an error (never a crash);
 * a snapshot of another module or engine ABI is refused; MEMORY payloads are page-aligned in the
 * file (so a restore can map them copy-on-write).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cell/snapshot.h"

int main(void) {
    uint8_t hash[32], other[32];
    for (int i = 0; i < 32; i++)
        hash[i] = (uint8_t)i, other[i] = (uint8_t)(i + 1);
    size_t memlen = 3 * 65536;
    uint8_t *mem = malloc(memlen);
    for (size_t i = 0; i < memlen; i++)
        mem[i] = (uint8_t)(i * 31 + 7);
    uint8_t globals[24] = {1, 2, 3};

    cell_snapshot s;
    cell_snapshot_init(&s, hash, 1);
    CHECK(cell_snapshot_add(&s, CELL_SEC_GLOBALS, NULL, globals, sizeof globals, true));
    CHECK(cell_snapshot_add(&s, CELL_SEC_MEMORY, NULL, mem, memlen, false));
    CHECK(cell_snapshot_add(&s, CELL_SEC_HOST, "wasi", "fdtable", 7, true));
    CHECK(!cell_snapshot_add(&s, CELL_SEC_HOST, "a-name-that-is-much-too-long-for-the-table", "", 0,
                             true));

    char path[] = "/tmp/granny-snapXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char err[512];
    CHECK(cell_snapshot_write_file(&s, path, err, sizeof err));
    uint64_t size = cell_snapshot_size(&s);

    cell_snapshot r;
    CHECK(cell_snapshot_read_file(&r, path, err, sizeof err));
    CHECK(r.nsections == 3);
    const cell_section *m = cell_snapshot_find(&r, CELL_SEC_MEMORY, NULL);
    CHECK(m && m->len == memlen && memcmp(m->data, mem, memlen) == 0);
    CHECK(m && m->file_offset % 4096 == 0);
    const cell_section *w = cell_snapshot_find(&r, CELL_SEC_HOST, "wasi");
    CHECK(w && w->len == 7 && memcmp(w->data, "fdtable", 7) == 0);
    CHECK(cell_snapshot_matches(&r, hash, 1, err, sizeof err));
    CHECK(!cell_snapshot_matches(&r, other, 1, err, sizeof err) && strstr(err, "another module"));
    CHECK(!cell_snapshot_matches(&r, hash, 2, err, sizeof err) && strstr(err, "ABI"));
    cell_snapshot_free(&r);

    /* in-memory image for the damage tests */
    uint8_t *img = malloc(size);
    CHECK(cell_snapshot_serialize(&s, img, size));
    uint8_t *copy = malloc(size);
    int truncations = 0, corruptions = 0;
    for (uint64_t cut = 0; cut < size; cut += (cut < 4096 ? 1 : 997)) {
        uint8_t *b = malloc(cut ? cut : 1);
        memcpy(b, img, cut);
        cell_snapshot t;
        if (cell_snapshot_parse(&t, b, cut, err, sizeof err)) {
            CHECK(!"truncated snapshot accepted");
            cell_snapshot_free(&t);
        } else {
            free(b);
            truncations++;
        }
    }
    /* flip one byte in the header/table and in every payload: each must be detected */
    uint64_t targets[64];
    int nt = 0;
    for (uint64_t i = 0; i < 64 + 3 * 64; i += 5)
        targets[nt++] = i;
    for (uint32_t i = 0; i < s.nsections && nt < 64; i++)
        if (s.sections[i].len) targets[nt++] = s.sections[i].file_offset + s.sections[i].len / 2;
    for (int i = 0; i < nt; i++) {
        memcpy(copy, img, size);
        copy[targets[i]] ^= 0x40;
        uint8_t *b = malloc(size);
        memcpy(b, copy, size);
        cell_snapshot t;
        if (cell_snapshot_parse(&t, b, size, err, sizeof err)) {
            fprintf(stderr, "corruption at byte %llu accepted\n", (unsigned long long)targets[i]);
            failures++;
            cell_snapshot_free(&t);
        } else {
            free(b);
            corruptions++;
        }
    }
    /* empty and non-snapshot files */
    FILE *f = fopen(path, "w");
    fputs("hello", f);
    fclose(f);
    CHECK(!cell_snapshot_read_file(&r, path, err, sizeof err) && strstr(err, "not a snapshot"));
    unlink(path);
    CHECK(!cell_snapshot_read_file(&r, path, err, sizeof err));
    printf("%d truncations and %d corruptions rejected\n", truncations, corruptions);
    cell_snapshot_free(&s);
    free(img);
    free(copy);
    free(mem);
    return failures ? 1 : 0;
}

/*
 * test_store.c — the snapshot store: a base and a chain of diffs through many rounds of random
 * changes and growth, read back byte for byte, in memory and from a directory reopened by a new
 * store (as another process would); process-semantics diffs leave excluded ranges as the parent
 * had them; unknown ids, invalid ids and damaged files give errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cell/store.h"

static uint64_t rng = 12345;
static uint64_t next(void) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

int main(void) {
    char dir[] = "/tmp/granny-storeXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char err[256];
    cell_store *st = cell_store_open(dir, err, sizeof err);
    CHECK(st != NULL);
    size_t len = 256 * 1024, cap = 4u << 20;
    uint8_t *mem = calloc(1, cap);
    for (size_t i = 0; i < len; i++)
        mem[i] = (uint8_t)next();
    CHECK(cell_store_put_base(st, "s0", mem, len, err, sizeof err));
    uint8_t *states[40];
    size_t lens[40];
    char id[32], parent[32];
    for (int r = 1; r < 40; r++) {
        for (int k = 0; k < 50; k++)
            mem[next() % len] = (uint8_t)next();
        if (r % 7 == 0) len += 65536, mem[len - 3] = 9;
        snprintf(id, sizeof id, "s%d", r);
        snprintf(parent, sizeof parent, "s%d", r - 1);
        CHECK(cell_store_put_diff(st, id, parent, mem, len, NULL, NULL, 0, err, sizeof err));
        states[r] = malloc(len);
        memcpy(states[r], mem, len);
        lens[r] = len;
    }
    CHECK(cell_store_depth(st, "s39") == 39);
    uint8_t *img;
    size_t n;
    CHECK(cell_store_get(st, "s39", &img, &n, err, sizeof err) && n == lens[39] &&
          !memcmp(img, states[39], n));
    free(img);
    cell_store_close(st);

    /* a new store over the same directory: every state materialises from the files */
    st = cell_store_open(dir, err, sizeof err);
    for (int r = 1; r < 40; r += 6) {
        snprintf(id, sizeof id, "s%d", r);
        CHECK(cell_store_get(st, id, &img, &n, err, sizeof err) && n == lens[r] &&
              !memcmp(img, states[r], n));
        free(img);
    }

    /* process semantics: changes inside the excluded ranges are not carried */
    uint8_t *child = malloc(lens[39]);
    memcpy(child, states[39], lens[39]);
    memset(child + 1000, 0xAB, 5000);  /* "stack": excluded */
    memset(child + 20000, 0xCD, 100);  /* "globals": carried */
    memset(child + 90000, 0xEF, 3000); /* "heap": excluded */
    cell_range ex[2] = {{90000, 3000}, {0, 8192}};
    CHECK(cell_store_put_diff(st, "merge", "s39", child, lens[39], NULL, ex, 2, err, sizeof err));
    CHECK(cell_store_get(st, "merge", &img, &n, err, sizeof err));
    CHECK(!memcmp(img, states[39], 8192));
    CHECK(!memcmp(img + 20000, child + 20000, 100));
    CHECK(!memcmp(img + 90000, states[39] + 90000, 3000));
    free(img);
    free(child);

    /* errors */
    CHECK(!cell_store_get(st, "nope", &img, &n, err, sizeof err) && strstr(err, "no snapshot"));
    CHECK(!cell_store_put_base(st, "../escape", mem, 10, err, sizeof err));
    CHECK(!cell_store_put_diff(st, "x", "x", mem, 10, NULL, NULL, 0, err, sizeof err));
    char path[4200];
    snprintf(path, sizeof path, "%s/s5.diff", dir);
    FILE *f = fopen(path, "wb");
    fputs("s4\ngarbage", f);
    fclose(f);
    cell_store_close(st);
    st = cell_store_open(dir, err, sizeof err);
    CHECK(!cell_store_get(st, "s9", &img, &n, err, sizeof err) && strstr(err, "s5"));
    snprintf(path, sizeof path, "%s/loop1.diff", dir);
    f = fopen(path, "wb");
    fputs("loop2\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/loop2.diff", dir);
    f = fopen(path, "wb");
    fputs("loop1\n", f);
    fclose(f);
    CHECK(!cell_store_get(st, "loop1", &img, &n, err, sizeof err) && strstr(err, "cycle"));
    cell_store_close(st);

    for (int r = 1; r < 40; r++)
        free(states[r]);
    free(mem);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) failures++;
    if (!failures) printf("store: 40-link chain, reopen, process-semantics diffs and errors ok\n");
    return failures ? 1 : 0;
}

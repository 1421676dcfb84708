/* memgrow.c — the heap grows to 200 MiB (linear memory grows under it), realloc moves data
 * intact, and it shrinks again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

int main(void) {
    enum { CHUNKS = 50, SIZE = 4 << 20 };
    unsigned char *p[CHUNKS];
    unsigned long long h = FNV_INIT;
    for (int i = 0; i < CHUNKS; i++) {
        p[i] = malloc(SIZE);
        if (!p[i]) die("malloc");
        memset(p[i], i * 7 + 1, SIZE);
        h = fnv1a(p[i] + i * 1000, 64, h);
    }
    printf("allocated %d MiB, checksum %016llx\n", CHUNKS * 4, h);
    for (int i = 0; i < CHUNKS; i += 2)
        free(p[i]);
    unsigned char *r = realloc(p[1], 3 * SIZE);
    if (!r) die("realloc");
    int ok = 1;
    for (size_t k = 0; k < SIZE; k += 4093)
        ok &= r[k] == 8;
    printf("realloc kept the data: %s\n", ok ? "yes" : "no");
    memset(r + SIZE, 0xAB, 2 * SIZE);
    free(r);
    for (int i = 3; i < CHUNKS; i += 2)
        free(p[i]);
    void *big = calloc(100, 1 << 20);
    printf("calloc 100 MiB: %s, zeroed: %s\n", big ? "ok" : "failed",
           big && ((unsigned char *)big)[99 << 20] == 0 ? "yes" : "no");
    free(big);
    return 0;
}

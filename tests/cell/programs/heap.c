/* A large heap (about 48 MiB in many blocks) built before and changed after each suspension. */
#include <granny.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCKS 3000

int main(void) {
    static unsigned char *blocks[BLOCKS];
    unsigned long long sum = 0;
    for (int i = 0; i < BLOCKS; i++) {
        size_t n = 1024 + (size_t)(i * 7919 % 31) * 1024;
        blocks[i] = malloc(n);
        if (!blocks[i]) return 1;
        memset(blocks[i], i & 0xff, n);
    }
    for (int phase = 0; phase < 4; phase++) {
        granny_checkpoint();
        for (int i = phase; i < BLOCKS; i += 4) {
            free(blocks[i]);
            size_t n = 2048 + (size_t)((i + phase) * 104729 % 29) * 1024;
            blocks[i] = malloc(n);
            if (!blocks[i]) return 1;
            for (size_t k = 0; k < n; k++) blocks[i][k] = (unsigned char)(k * 131 + i + phase);
        }
        sum = 0;
        for (int i = 0; i < BLOCKS; i++) sum = sum * 1099511628211ull + blocks[i][i % 1024];
        printf("phase %d: %llu\n", phase, sum);
    }
    return 0;
}

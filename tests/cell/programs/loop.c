/* Many control points: a checkpoint inside a hot loop with stdout output interleaved. */
#include <granny.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 200; i++) {
        for (int k = 0; k < 10000; k++) x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        granny_checkpoint();
        if (i % 20 == 0) printf("%d %llu\n", i, (unsigned long long)x);
    }
    printf("final %llu\n", (unsigned long long)x);
    return 0;
}

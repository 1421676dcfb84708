/* the guest heap from every thread at once: malloc, calloc, realloc, free, aligned_alloc. */
#include "omp_test.h"
#include <stdint.h>
#include <string.h>

int main(void) {
    long errors = 0, checksum = 0;
#pragma omp parallel reduction(+ : errors, checksum)
    {
        int t = omp_get_thread_num();
        for (int round = 0; round < 300; round++) {
            int n = 1 + (round * 37 + t * 11) % 2000;
            unsigned char *p = malloc((size_t)n);
            int *q = calloc((size_t)n, sizeof(int));
            if (!p || !q) {
                errors++;
                continue;
            }
            memset(p, (unsigned char)round, (size_t)n);
            for (int i = 0; i < n; i++)
                errors += q[i] != 0;
            p = realloc(p, (size_t)n * 2);
            for (int i = 0; i < n; i++)
                errors += p[i] != (unsigned char)round;
            void *a = aligned_alloc(64, 256);
            errors += ((uintptr_t)a & 63) != 0;
            checksum += n;
            free(a);
            free(q);
            free(p);
        }
    }
    printf("errors %ld checksum per thread %ld\n", errors, checksum / omp_get_max_threads());
    return 0;
}

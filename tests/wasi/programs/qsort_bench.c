/* qsort_bench.c — plain computation: sort a million pseudo-random integers, binary search some,
 * print a checksum. No I/O but stdout. */
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

int main(void) {
    enum { N = 1000000 };
    unsigned *v = malloc(N * sizeof *v);
    unsigned x = 2463534242u;
    for (int i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v[i] = x;
    }
    qsort(v, N, sizeof *v, cmp);
    unsigned long long sum = 0;
    int sorted = 1;
    for (int i = 0; i < N; i++) {
        sum = sum * 31 + v[i];
        if (i && v[i - 1] > v[i]) sorted = 0;
    }
    int found = 0;
    for (int i = 0; i < 1000; i++)
        found += bsearch(&v[i * 997], v, N, sizeof *v, cmp) != NULL;
    printf("sorted=%d found=%d min=%u max=%u checksum=%llu\n", sorted, found, v[0], v[N - 1], sum);
    free(v);
    return 0;
}

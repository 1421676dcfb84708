/* for schedule(guided[, chunk]): every iteration exactly once. */
#include "omp_test.h"

static int hits[20000];

int main(void) {
    for (int chunk = 1; chunk <= 100; chunk *= 10) {
        for (int i = 0; i < 20000; i++)
            hits[i] = 0;
        long long sum = 0;
#pragma omp parallel for schedule(guided, chunk) reduction(+ : sum)
        for (int i = 0; i < 20000; i++) {
            hits[i]++;
            sum += (long long)i * i;
        }
        printf("chunk %d: once %d sum %lld\n", chunk, count_eq(hits, 20000, 1), sum);
    }
    int n = 0;
#pragma omp parallel for schedule(guided) reduction(+ : n)
    for (int i = 1000; i > 0; i -= 3)
        n++;
    printf("n %d\n", n);
    return 0;
}

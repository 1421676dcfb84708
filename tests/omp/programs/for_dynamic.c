/* for schedule(dynamic[, chunk]): every iteration exactly once. */
#include "omp_test.h"

static int hits[10000];

int main(void) {
    for (int chunk = 1; chunk <= 64; chunk *= 4) {
        for (int i = 0; i < 10000; i++)
            hits[i] = 0;
        long sum = 0;
#pragma omp parallel for schedule(dynamic, chunk) reduction(+ : sum)
        for (int i = 0; i < 10000; i++) {
            hits[i]++;
            sum += i;
        }
        printf("chunk %d: once %d sum %ld\n", chunk, count_eq(hits, 10000, 1), sum);
    }
    /* monotonic: with libomp 19, a nonmonotonic dynamic loop (work stealing) after the loops
     * above sometimes reports no thread as running the last chunk, so lastprivate keeps 0
     * natively (about one run in four here); the cells do not have that problem. */
    int last = 0;
#pragma omp parallel for schedule(monotonic : dynamic) lastprivate(last)
    for (int i = 0; i < 777; i++)
        last = i;
    printf("last %d\n", last);
    return 0;
}

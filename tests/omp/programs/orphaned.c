/* orphaned work-sharing constructs: called inside and outside a parallel region. */
#include "omp_test.h"

static long shared_sum;

static long work(int n) {
#pragma omp single
    shared_sum = 0;
#pragma omp for reduction(+ : shared_sum)
    for (int i = 0; i < n; i++)
        shared_sum += i;
    return shared_sum;
}

int main(void) {
    printf("outside %ld\n", work(100));
    long res[MAXT];
    int nt = 1;
#pragma omp parallel
    {
        res[omp_get_thread_num()] = work(1000);
#pragma omp single
        nt = omp_get_num_threads();
    }
    int same = 1;
    for (int i = 0; i < nt; i++)
        same &= res[i] == 499500;
    printf("inside all %d\n", same);
    return 0;
}

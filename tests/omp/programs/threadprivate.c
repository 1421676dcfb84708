/* threadprivate data persists across regions; copyin initialises it from the master. */
#include "omp_test.h"

static int tp = 5;
static double tpd[4] = {1, 2, 3, 4};
#pragma omp threadprivate(tp, tpd)

int main(void) {
    int first[MAXT], second[MAXT], copied[MAXT];
    int nt = 1;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
        first[t] = tp;
        tp = 100 + t;
        tpd[t % 4] += t;
#pragma omp single
        nt = omp_get_num_threads();
    }
#pragma omp parallel
    second[omp_get_thread_num()] = tp;
    tp = 77;
#pragma omp parallel copyin(tp)
    copied[omp_get_thread_num()] = tp;
    print_ints("first", first, nt);
    print_ints("second", second, nt);
    print_ints("copyin", copied, nt);
    printf("master tp %d tpd %.0f %.0f\n", tp, tpd[0], tpd[1]);
    return 0;
}

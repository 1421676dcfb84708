/* single copyprivate: the values one thread computed reach every thread. */
#include "omp_test.h"

int main(void) {
    int got[MAXT], got2[MAXT];
    double dgot[MAXT];
    int nt = 1;
#pragma omp parallel
    {
        int v = -1, w = -2;
        double d = 0;
#pragma omp single copyprivate(v, w, d)
        {
            v = 42;
            w = 7;
            d = 2.5;
        }
        got[omp_get_thread_num()] = v;
        got2[omp_get_thread_num()] = w;
        dgot[omp_get_thread_num()] = d;
#pragma omp single
        nt = omp_get_num_threads();
    }
    print_ints("v", got, nt);
    print_ints("w", got2, nt);
    int ok = 1;
    for (int i = 0; i < nt; i++)
        ok &= dgot[i] == 2.5;
    printf("d ok %d\n", ok);
    for (int round = 0; round < 20; round++) {
        int bad = 0;
#pragma omp parallel reduction(+ : bad)
        {
            int r = -1;
#pragma omp single copyprivate(r)
            r = round * 3;
            bad += r != round * 3;
        }
        if (bad) printf("round %d bad %d\n", round, bad);
    }
    printf("rounds ok\n");
    return 0;
}

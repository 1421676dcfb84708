/* private, firstprivate, lastprivate. */
#include "omp_test.h"

int main(void) {
    int fp = 7, lp = -1, priv = 100;
    int check[MAXT] = {0};
    int nt = 1;
#pragma omp parallel firstprivate(fp) private(priv)
    {
        priv = omp_get_thread_num();
        fp += priv;
        check[omp_get_thread_num()] = fp;
#pragma omp single
        nt = omp_get_num_threads();
    }
    print_ints("fp", check, nt);
    printf("priv untouched %d\n", priv);
#pragma omp parallel for lastprivate(lp) firstprivate(fp)
    for (int i = 0; i < 100; i++)
        lp = i + fp;
    printf("lastprivate %d\n", lp);
    double x = 1.5;
    /* monotonic: see for_dynamic.c (libomp's nonmonotonic lastprivate problem) */
#pragma omp parallel for firstprivate(x) lastprivate(x) schedule(monotonic : dynamic)
    for (int i = 0; i < 10; i++)
        x = i * 0.5;
    printf("x %.2f\n", x);
    return 0;
}

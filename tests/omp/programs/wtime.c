/* omp_get_wtime advances; omp_get_wtick is positive and small. */
#include "omp_test.h"

int main(void) {
    double t0 = omp_get_wtime();
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++)
        x += i;
    double t1 = omp_get_wtime();
    double tick = omp_get_wtick();
    printf("advances %d tick ok %d\n", t1 >= t0, tick > 0 && tick < 0.01);
    double per[MAXT];
#pragma omp parallel
    per[omp_get_thread_num()] = omp_get_wtime();
    printf("threads ok %d\n", per[0] >= t1);
    return 0;
}

/* master and masked (filter): only the chosen thread. */
#include "omp_test.h"

int main(void) {
    int ran[MAXT] = {0}, ran2[MAXT] = {0};
    int nt = 1;
#pragma omp parallel
    {
#pragma omp master
        ran[omp_get_thread_num()]++;
#pragma omp masked filter(1)
        ran2[omp_get_thread_num()]++;
#pragma omp masked
        ran2[omp_get_thread_num()] += 10;
#pragma omp single
        nt = omp_get_num_threads();
    }
    print_ints("master", ran, nt);
    print_ints("masked", ran2, nt);
    return 0;
}

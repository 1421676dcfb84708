/* nested regions with the default max-active-levels (1): inner teams of one thread. */
#include "omp_test.h"

int main(void) {
    int sizes[MAXT] = {0}, levels[MAXT] = {0}, active[MAXT] = {0};
    int nt = 1;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
#pragma omp single
        nt = omp_get_num_threads();
#pragma omp parallel num_threads(3)
        {
            sizes[t] = omp_get_num_threads();
            levels[t] = omp_get_level();
            active[t] = omp_get_active_level();
        }
    }
    print_ints("inner sizes", sizes, nt);
    print_ints("levels", levels, nt);
    printf("max active levels %d\n", omp_get_max_active_levels());
    return 0;
}

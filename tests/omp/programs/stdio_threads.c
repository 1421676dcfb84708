/* printing from threads under a critical section; the lines are sorted by the test harness. */
#include "omp_test.h"

int main(void) {
    int nt = 1;
#pragma omp parallel
    {
#pragma omp single
        nt = omp_get_num_threads();
    }
    char lines[MAXT][64];
#pragma omp parallel
    {
        int t = omp_get_thread_num();
        snprintf(lines[t], sizeof lines[t], "hello from %d of %d", t, omp_get_num_threads());
    }
    for (int i = 0; i < nt; i++)
        puts(lines[i]);
    return 0;
}

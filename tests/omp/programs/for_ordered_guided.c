/* ordered with guided and runtime schedules and a decreasing 64-bit loop. */
#include "omp_test.h"

int main(void) {
    int seq[200], n = 0;
#pragma omp parallel for ordered schedule(guided)
    for (int i = 0; i < 200; i++) {
#pragma omp ordered
        seq[n++] = i;
    }
    int ok = 1;
    for (int i = 0; i < 200; i++)
        ok &= seq[i] == i;
    printf("guided in order %d (%d)\n", ok, n);
    omp_set_schedule(omp_sched_dynamic, 5);
#pragma omp parallel for ordered schedule(runtime)
    for (long long i = 50; i > 30; i -= 2) {
#pragma omp ordered
        printf("runtime %lld\n", i);
    }
    return 0;
}

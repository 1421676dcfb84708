/* barrier: all writes of a phase are visible after it. */
#include "omp_test.h"

int main(void) {
    int data[MAXT] = {0};
    int errors = 0;
#pragma omp parallel reduction(+ : errors)
    {
        int t = omp_get_thread_num(), n = omp_get_num_threads();
        for (int phase = 1; phase <= 200; phase++) {
            data[t] = phase;
#pragma omp barrier
            for (int i = 0; i < n; i++)
                errors += data[i] != phase;
#pragma omp barrier
        }
    }
    printf("errors %d\n", errors);
    return 0;
}

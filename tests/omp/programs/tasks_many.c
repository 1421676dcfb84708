/* many small tasks from every thread, nested tasks, taskyield. */
#include "omp_test.h"

int main(void) {
    long total = 0;
#pragma omp parallel
    {
        for (int i = 0; i < 500; i++) {
#pragma omp task
            {
#pragma omp task
                {
#pragma omp atomic
                    total += 2;
                }
#pragma omp atomic
                total += 1;
#pragma omp taskyield
            }
        }
#pragma omp barrier
    }
    printf("total per thread %ld\n", total / omp_get_max_threads());
    return 0;
}

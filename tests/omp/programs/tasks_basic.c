/* tasks from a single producer; taskwait; the closing barrier completes the rest. */
#include "omp_test.h"

int main(void) {
    int done[200] = {0};
    int after_wait = 0;
#pragma omp parallel
    {
#pragma omp single
        {
            for (int i = 0; i < 100; i++) {
#pragma omp task firstprivate(i) shared(done)
                done[i] += i + 1;
            }
#pragma omp taskwait
            for (int i = 0; i < 100; i++)
                after_wait += done[i] == i + 1;
            for (int i = 100; i < 200; i++) {
#pragma omp task
                done[i] = 1;
            }
        }
    }
    printf("after taskwait %d, total once %d\n", after_wait, count_eq(done + 100, 100, 1));
    int outside = 0;
#pragma omp task shared(outside)
    outside = 42;
#pragma omp taskwait
    printf("outside a region %d\n", outside);
    return 0;
}

/* undeferred tasks (if(0)), final, and tasks with private data. */
#include "omp_test.h"

int main(void) {
    int order[20], n = 0;
#pragma omp parallel
#pragma omp single
    {
        for (int i = 0; i < 10; i++) {
#pragma omp task if (0) firstprivate(i)
            order[n++] = i;
        }
        for (int i = 10; i < 20; i++) {
#pragma omp task final(1) firstprivate(i)
            {
#pragma omp critical
                order[n++] = i;
            }
        }
#pragma omp taskwait
    }
    int ok = 1;
    for (int i = 0; i < 10; i++)
        ok &= order[i] == i;
    int sum = 0;
    for (int i = 10; i < 20; i++)
        sum += order[i];
    printf("undeferred in order %d, others sum %d, n %d\n", ok, sum, n);
    return 0;
}

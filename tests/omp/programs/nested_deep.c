/* three levels of nesting with tasks and loops inside. */
#include "omp_test.h"

int main(void) {
    omp_set_max_active_levels(3);
    long count = 0;
#pragma omp parallel num_threads(2) reduction(+ : count)
    {
#pragma omp parallel num_threads(2) reduction(+ : count)
        {
#pragma omp parallel num_threads(2) reduction(+ : count)
            {
#pragma omp for schedule(dynamic)
                for (int i = 0; i < 100; i++)
                    count += 1;
#pragma omp single
                {
                    for (int k = 0; k < 10; k++) {
#pragma omp task
                        {
#pragma omp atomic
                            count += 1000;
                        }
                    }
                }
                count += 1000000 * (omp_get_level() == 3);
            }
        }
    }
    printf("count %ld\n", count);
    return 0;
}

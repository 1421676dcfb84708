/* single: one thread per construct; nowait; many in a row. */
#include "omp_test.h"

int main(void) {
    int count[40] = {0};
    int who = -1;
#pragma omp parallel
    {
        for (int k = 0; k < 40; k++) {
#pragma omp single nowait
            count[k]++;
        }
#pragma omp barrier
#pragma omp single
        who = omp_get_num_threads();
    }
    printf("each once %d\n", count_eq(count, 40, 1));
    printf("single saw the full team %d\n", who == omp_get_max_threads());
    return 0;
}

/* num_threads clause, omp_set_num_threads, omp_get_max_threads. */
#include "omp_test.h"

int main(void) {
    int max = omp_get_max_threads();
    int n1 = 0, n2 = 0, n3 = 0;
#pragma omp parallel num_threads(3)
#pragma omp single
    n1 = omp_get_num_threads();
    printf("num_threads(3): %d\n", n1);
    omp_set_num_threads(1);
#pragma omp parallel
#pragma omp single
    n2 = omp_get_num_threads();
    printf("after set_num_threads(1): %d, max %d\n", n2, omp_get_max_threads());
    omp_set_num_threads(max);
    int inner_max = 0;
#pragma omp parallel
#pragma omp single
    {
        n3 = omp_get_num_threads();
        inner_max = omp_get_max_threads();
    }
    printf("back: %d, inner max %d\n", n3 == max, inner_max == max);
    int counts[8] = {0};
#pragma omp parallel num_threads(5)
    counts[omp_get_thread_num()] = omp_get_num_threads();
    print_ints("5 threads", counts, 8);
    return 0;
}

/* many short parallel regions of changing sizes: the thread pool at work. */
#include "omp_test.h"

int main(void) {
    long total = 0;
    for (int r = 0; r < 2000; r++) {
        int n = r % 3 + 1;
#pragma omp parallel num_threads(n) reduction(+ : total)
        total += omp_get_num_threads() == n ? 1 : 0;
    }
    printf("total %ld\n", total);
    return 0;
}

/* for schedule(static): which thread runs which iteration is defined; it matches libomp. */
#include "omp_test.h"

int main(void) {
    int owner[103];
    for (int n = 1; n <= 103; n += 17) {
#pragma omp parallel for schedule(static)
        for (int i = 0; i < n; i++)
            owner[i] = omp_get_thread_num();
        printf("n=%d:", n);
        for (int i = 0; i < n; i++)
            printf("%d", owner[i]);
        printf("\n");
    }
    int hits[100] = {0};
#pragma omp parallel for schedule(static)
    for (int i = 97; i >= 3; i -= 7)
        hits[i]++;
#pragma omp parallel for
    for (int i = -5; i < 40; i += 3)
        hits[i + 5] += 10;
    print_ints("hits", hits, 100);
    int owner5[7];
#pragma omp parallel for schedule(static) num_threads(5)
    for (int i = 0; i < 7; i++)
        owner5[i] = omp_get_thread_num();
    print_ints("5 threads, 7 iterations", owner5, 7);
    return 0;
}

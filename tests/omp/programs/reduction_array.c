/* array-section reductions and several reduction variables over nowait loops. */
#include "omp_test.h"

int main(void) {
    int hist[8] = {0};
    double sums[3] = {0, 0, 0};
#pragma omp parallel for reduction(+ : hist [0:8])
    for (int i = 0; i < 1000; i++)
        hist[(i * 7) % 8]++;
    print_ints("hist", hist, 8);
    long a = 0, b = 0;
#pragma omp parallel
    {
#pragma omp for reduction(+ : a) nowait
        for (int i = 0; i < 500; i++)
            a += i;
#pragma omp for reduction(+ : b) reduction(+ : sums [0:3])
        for (int i = 0; i < 300; i++) {
            b += 2 * i;
            sums[i % 3] += 0.5;
        }
    }
    printf("a %ld b %ld sums %.1f %.1f %.1f\n", a, b, sums[0], sums[1], sums[2]);
    return 0;
}

/* ordered: the ordered blocks run in iteration order, whatever the schedule. */
#include "omp_test.h"

int main(void) {
#pragma omp parallel for ordered schedule(static)
    for (int i = 0; i < 12; i++) {
#pragma omp ordered
        printf("static %d\n", i);
    }
#pragma omp parallel for ordered schedule(static, 2)
    for (int i = 0; i < 9; i++) {
#pragma omp ordered
        printf("static2 %d\n", i);
    }
#pragma omp parallel for ordered schedule(dynamic, 3)
    for (int i = 0; i < 20; i++) {
        int sq = i * i;
        if (i % 4 != 1) {
#pragma omp ordered
            printf("dynamic %d %d\n", i, sq);
        }
    }
    return 0;
}

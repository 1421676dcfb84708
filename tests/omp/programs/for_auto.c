/* schedule(auto) and loops with a non-unit step. */
#include "omp_test.h"

int main(void) {
    int hits[300] = {0};
#pragma omp parallel for schedule(auto)
    for (int i = 0; i < 300; i += 2)
        hits[i]++;
    int even = 0, odd = 0;
    for (int i = 0; i < 300; i++) {
        if (i % 2)
            odd += hits[i];
        else
            even += hits[i];
    }
    printf("even %d odd %d\n", even, odd);
    return 0;
}

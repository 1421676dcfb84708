/* nowait loops back to back (more than the runtime's ring of work-sharing slots), then a barrier.
 */
#include "omp_test.h"

static int a[20][1000];

int main(void) {
#pragma omp parallel
    {
        for (int l = 0; l < 20; l++) {
#pragma omp for schedule(dynamic, 16) nowait
            for (int i = 0; i < 1000; i++)
                a[l][i] += l + i;
        }
#pragma omp barrier
#pragma omp for nowait
        for (int l = 0; l < 20; l++)
            a[l][0] += 1;
    }
    long s = 0;
    for (int l = 0; l < 20; l++)
        for (int i = 0; i < 1000; i++)
            s += a[l][i];
    printf("sum %ld\n", s);
    return 0;
}

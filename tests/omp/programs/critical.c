/* critical sections, unnamed and named, with a hint. */
#include "omp_test.h"

int main(void) {
    long a = 0, b = 0, c = 0;
#pragma omp parallel
    {
        for (int i = 0; i < 20000; i++) {
#pragma omp critical
            a++;
#pragma omp critical(bname)
            b += 2;
#pragma omp critical(cname) hint(omp_sync_hint_contended)
            c += 3;
        }
    }
    int nt = omp_get_max_threads();
    printf("a %ld b %ld c %ld\n", a / nt, b / nt, c / nt);
    return 0;
}

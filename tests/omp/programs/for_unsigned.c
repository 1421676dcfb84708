/* unsigned loop variables (the _4u entry points), decreasing loops, wide ranges. */
#include "omp_test.h"

int main(void) {
    unsigned long sum = 0;
#pragma omp parallel for reduction(+ : sum)
    for (unsigned i = 4000000000u; i < 4000001000u; i++)
        sum += i - 4000000000u;
    printf("static sum %lu\n", sum);
    sum = 0;
#pragma omp parallel for schedule(dynamic, 5) reduction(+ : sum)
    for (unsigned i = 4294967000u; i > 4294966000u; i -= 3)
        sum += 1;
    printf("dynamic count %lu\n", sum);
    sum = 0;
#pragma omp parallel for schedule(guided) reduction(+ : sum)
    for (unsigned i = 0; i < 100000u; i += 7)
        sum += i;
    printf("guided sum %lu\n", sum);
    int n = 0;
#pragma omp parallel for reduction(+ : n)
    for (int i = 10; i > -10; i--)
        n += i;
    printf("signed down %d\n", n);
    return 0;
}

/* 64-bit loop variables (the _8 and _8u entry points). */
#include "omp_test.h"

int main(void) {
    long long sum = 0;
#pragma omp parallel for reduction(+ : sum)
    for (long long i = 10000000000LL; i < 10000001000LL; i++)
        sum += i - 10000000000LL;
    printf("static sum %lld\n", sum);
    sum = 0;
#pragma omp parallel for schedule(dynamic, 9) reduction(+ : sum)
    for (long long i = -5000000000LL; i < 5000000000LL; i += 100000000LL)
        sum += 1;
    printf("dynamic count %lld\n", sum);
    unsigned long long usum = 0;
#pragma omp parallel for schedule(guided, 2) reduction(+ : usum)
    for (unsigned long long i = 18446744073709550000ull; i > 18446744073709540000ull; i -= 17)
        usum += 18446744073709550000ull - i;
    printf("unsigned sum %llu\n", usum);
    usum = 0;
#pragma omp parallel for schedule(static, 3) reduction(+ : usum)
    for (unsigned long long i = 0; i < 1000; i++)
        usum += i;
    printf("static chunk sum %llu\n", usum);
    return 0;
}

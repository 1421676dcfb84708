/* reductions on int: every operator. */
#include "omp_test.h"

int main(void) {
    int add = 0, sub = 0, mul = 1, band = -1, bor = 0, bxor = 0, land = 1, lor = 0;
    int mx = -1000, mn = 1000;
#pragma omp parallel for reduction(+ : add) reduction(- : sub) reduction(* : mul)              \
    reduction(& : band) reduction(| : bor) reduction(^ : bxor) reduction(&& : land)            \
    reduction(|| : lor) reduction(max : mx) reduction(min : mn)
    for (int i = 1; i <= 30; i++) {
        add += i;
        sub -= i;
        if (i % 10 == 0) mul *= 3;
        band &= ~(1 << (i % 8));
        bor |= 1 << (i % 20);
        bxor ^= i * 7;
        land = land && (i < 100);
        lor = lor || (i == 17);
        if (i * 3 % 31 > mx) mx = i * 3 % 31;
        if (i * 5 % 29 < mn) mn = i * 5 % 29;
    }
    printf("+ %d - %d * %d & %d | %d ^ %d && %d || %d max %d min %d\n", add, sub, mul, band, bor,
           bxor, land, lor, mx, mn);
    int r = 5;
#pragma omp parallel reduction(+ : r)
    r += 1;
    printf("region + %d\n", r - omp_get_max_threads());
    return 0;
}

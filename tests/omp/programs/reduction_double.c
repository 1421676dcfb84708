/* reductions on double: +, -, *, max, min, &&, || (values exact in any order). */
#include "omp_test.h"

int main(void) {
    double add = 0, sub = 0, mul = 1, mx = -1e300, mn = 1e300, land = 1, lor = 0;
#pragma omp parallel for schedule(dynamic, 7) reduction(+ : add) reduction(- : sub)            \
    reduction(* : mul) reduction(max : mx) reduction(min : mn) reduction(&& : land)             \
    reduction(|| : lor)
    for (int i = 0; i < 1000; i++) {
        add += 0.125 * i;
        sub -= 2.0;
        if (i % 100 == 3) mul *= 0.5;
        if ((i * 7) % 1000 * 0.5 > mx) mx = (i * 7) % 1000 * 0.5;
        if (-(i % 333) * 0.25 < mn) mn = -(i % 333) * 0.25;
        land = land && i >= 0;
        lor = lor || i < 0;
    }
    printf("+ %.3f - %.1f * %.10f max %.2f min %.2f && %.0f || %.0f\n", add, sub, mul, mx, mn, land,
           lor);
    return 0;
}

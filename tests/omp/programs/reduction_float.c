/* reductions on float: +, -, *, max, min, &&, || (values exact in any order). */
#include "omp_test.h"

int main(void) {
    float add = 0, sub = 0, mul = 1, mx = -1e30f, mn = 1e30f, land = 1, lor = 0;
#pragma omp parallel for reduction(+ : add) reduction(- : sub) reduction(* : mul)              \
    reduction(max : mx) reduction(min : mn) reduction(&& : land) reduction(|| : lor)
    for (int i = 0; i < 256; i++) {
        add += 0.5f * (float)i;
        sub -= 0.25f;
        if (i % 32 == 0) mul *= 2.0f;
        if ((float)(i % 37) * 1.5f > mx) mx = (float)(i % 37) * 1.5f;
        if ((float)(i % 41) - 20.0f < mn) mn = (float)(i % 41) - 20.0f;
        land = land && (float)i < 1000.0f;
        lor = lor || (float)i == 255.0f;
    }
    printf("+ %.2f - %.2f * %.1f max %.2f min %.2f && %.0f || %.0f\n", add, sub, mul, mx, mn, land,
           lor);
    return 0;
}

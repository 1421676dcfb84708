/* reductions on long double (128-bit in wasm32, 80-bit natively; exact values compare). */
#include "omp_test.h"

int main(void) {
    long double add = 0, mul = 1, mx = -1e30L, mn = 1e30L;
#pragma omp parallel for reduction(+ : add) reduction(* : mul) reduction(max : mx)             \
    reduction(min : mn)
    for (int i = 0; i < 500; i++) {
        add += (long double)i * 0.5L;
        if (i % 100 == 0) mul *= 4.0L;
        if ((long double)(i % 77) > mx) mx = (long double)(i % 77);
        if ((long double)(i % 55) - 3.0L < mn) mn = (long double)(i % 55) - 3.0L;
    }
    printf("+ %.2f * %.1f max %.1f min %.1f\n", (double)add, (double)mul, (double)mx, (double)mn);
    return 0;
}

/* atomic updates on float and double (compare-and-swap loops in wasm). */
#include "omp_test.h"

int main(void) {
    float f = 0;
    double d = 0, m = 1;
#pragma omp parallel
    {
        for (int k = 0; k < 5000; k++) {
#pragma omp atomic
            f += 0.5f;
#pragma omp atomic
            d += 0.25;
        }
#pragma omp atomic
        m *= 2.0;
    }
    printf("f %.2f d %.2f m %.1f\n", f, d, m);
    double captured;
#pragma omp atomic capture
    {
        captured = d;
        d -= 1.0;
    }
    printf("captured %.2f now %.2f\n", captured, d);
    return 0;
}

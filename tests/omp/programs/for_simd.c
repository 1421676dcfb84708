/* for simd and simd reductions (no runtime calls of their own). */
#include "omp_test.h"

static float a[4096], b[4096];

int main(void) {
    for (int i = 0; i < 4096; i++) {
        a[i] = (float)(i % 17);
        b[i] = 2.0f;
    }
    float dot = 0;
#pragma omp parallel for simd reduction(+ : dot)
    for (int i = 0; i < 4096; i++)
        dot += a[i] * b[i];
    printf("dot %.1f\n", dot);
    int s = 0;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < 100; i++)
        s += i;
    printf("simd %d\n", s);
    return 0;
}

/* reductions with nowait, in sections and single, and the blocking form with a barrier. */
#include "omp_test.h"

int main(void) {
    long s1 = 0, s2 = 0, s3 = 0;
    double p = 1;
#pragma omp parallel
    {
#pragma omp for reduction(+ : s1) nowait
        for (int i = 0; i < 1000; i++)
            s1 += i;
#pragma omp for reduction(* : p) schedule(guided)
        for (int i = 0; i < 40; i++)
            if (i % 10 == 0) p *= 2;
#pragma omp sections reduction(+ : s2)
        {
#pragma omp section
            s2 += 5;
#pragma omp section
            s2 += 6;
        }
#pragma omp for reduction(max : s3)
        for (int i = 0; i < 77; i++)
            if (i > s3) s3 = i;
    }
    printf("s1 %ld p %.0f s2 %ld s3 %ld\n", s1, p, s2, s3);
    return 0;
}

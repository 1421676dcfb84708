/*
 * reduce — reductions over a vector of doubles: sum and maximum (scalar reductions) and a
 * 16-bucket histogram (an array-section reduction), each iteration over the whole vector. Values
 * are multiples of 0.25 below 2^53, so every partial sum is exact in any order and the check is
 * exact.
 *
 *   reduce [iterations=40] [length=4000000]
 */
#include "kernel.h"

int main(int argc, char **argv) {
    long iters = kernel_arg(argc, argv, 1, 40);
    long n = kernel_arg(argc, argv, 2, 4000000);
    double *v = kernel_alloc(sizeof(double) * n);
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++)
        v[i] = (double)(i % 1000) * 0.25;
    double sum = 0, mx = 0, hist[16];
    double t0 = 0;
    int ok = 1;
    for (long it = 0; it <= iters; it++) {
        if (it == 1) t0 = omp_get_wtime();
        sum = 0;
        mx = -1;
        for (int b = 0; b < 16; b++)
            hist[b] = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum) reduction(max : mx)               \
    reduction(+ : hist[0:16])
        for (long i = 0; i < n; i++) {
            double x = v[i];
            sum += x;
            mx = x > mx ? x : mx;
            hist[i & 15] += x;
        }
    }
    double t = omp_get_wtime() - t0;
    double ref = 0, hsum = 0;
    for (long i = 0; i < n; i++)
        ref += (double)(i % 1000) * 0.25;
    for (int b = 0; b < 16; b++)
        hsum += hist[b];
    ok = sum == ref && hsum == ref && mx == (n >= 1000 ? 999 * 0.25 : (double)(n - 1) * 0.25);
    if (!ok) printf("sum %.17g hist %.17g max %g, expected %.17g\n", sum, hsum, mx, ref);
    double bytes = sizeof(double) * (double)n * iters;
    return kernel_report("reduce", t, bytes / t * 1e-6, "MB/s", ok);
}

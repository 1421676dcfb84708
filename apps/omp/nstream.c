/*
 * nstream — the STREAM triad A += B + s·C over vectors of doubles, split statically among the
 * threads (each thread touches the same part in every iteration, as first touch placed it).
 * Every element follows the same recurrence, so the check replays it on one scalar.
 *
 *   nstream [iterations=20] [length=4194304]
 */
#include "kernel.h"

int main(int argc, char **argv) {
    long iters = kernel_arg(argc, argv, 1, 20);
    long n = kernel_arg(argc, argv, 2, 4194304);
    double *A = kernel_alloc(sizeof(double) * n);
    double *B = kernel_alloc(sizeof(double) * n);
    double *C = kernel_alloc(sizeof(double) * n);
    const double s = 3.0;
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
        A[i] = 0;
        B[i] = 2;
        C[i] = 2;
    }
    double t0 = 0;
    for (long it = 0; it <= iters; it++) {
        if (it == 1) t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i++)
            A[i] += B[i] + s * C[i];
    }
    double t = omp_get_wtime() - t0;
    double a = 0;
    for (long it = 0; it <= iters; it++)
        a += 2 + s * 2;
    double err = 0;
#pragma omp parallel for reduction(+ : err)
    for (long i = 0; i < n; i++)
        err += fabs(A[i] - a);
    int ok = err / n < 1e-8;
    double bytes = 4.0 * sizeof(double) * n * iters;
    return kernel_report("nstream", t, bytes / t * 1e-6, "MB/s", ok);
}

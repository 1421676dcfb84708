/*
 * dgemm — C += A·B for square matrices of doubles, tiled (cache blocks of TILE×TILE), the rows of
 * tiles shared among the threads. A[i][j] = B[i][j] = j, so every element of C after `iters`
 * products is known: C[i][j] = iters · j · n(n-1)/2, and the check compares the sum of C.
 *
 *   dgemm [iterations=4] [order=640] [tile=32]
 */
#include "kernel.h"

#define IDX(i, j) ((size_t)(i)*n + (j))

static void multiply(long n, long tile, const double *restrict A, const double *restrict B,
                     double *restrict C) {
#pragma omp parallel for schedule(static)
    for (long ii = 0; ii < n; ii += tile) {
        long iend = ii + tile < n ? ii + tile : n;
        for (long kk = 0; kk < n; kk += tile) {
            long kend = kk + tile < n ? kk + tile : n;
            for (long jj = 0; jj < n; jj += tile) {
                long jend = jj + tile < n ? jj + tile : n;
                for (long i = ii; i < iend; i++) {
                    double *restrict c = C + IDX(i, 0);
                    for (long k = kk; k < kend; k++) {
                        double a = A[IDX(i, k)];
                        const double *restrict b = B + IDX(k, 0);
                        for (long j = jj; j < jend; j++)
                            c[j] += a * b[j];
                    }
                }
            }
        }
    }
}

int main(int argc, char **argv) {
    long iters = kernel_arg(argc, argv, 1, 4);
    long n = kernel_arg(argc, argv, 2, 640);
    long tile = kernel_arg(argc, argv, 3, 32);
    double *A = kernel_alloc(sizeof(double) * n * n);
    double *B = kernel_alloc(sizeof(double) * n * n);
    double *C = kernel_alloc(sizeof(double) * n * n);
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            A[IDX(i, j)] = B[IDX(i, j)] = (double)j;
            C[IDX(i, j)] = 0;
        }
    multiply(n, tile, A, B, C); /* warm-up, counted in the check */
    double t0 = omp_get_wtime();
    for (long it = 0; it < iters; it++)
        multiply(n, tile, A, B, C);
    double t = omp_get_wtime() - t0;
    double sum = 0;
#pragma omp parallel for reduction(+ : sum)
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            sum += C[IDX(i, j)];
    double ref = (double)(iters + 1) * n * (0.5 * n * (n - 1)) * (0.5 * n * (n - 1));
    int ok = fabs(sum - ref) <= 1e-8 * ref;
    if (!ok) printf("checksum %.17g, expected %.17g\n", sum, ref);
    double flops = 2.0 * n * n * n * iters;
    return kernel_report("dgemm", t, flops / t * 1e-6, "MFlop/s", ok);
}

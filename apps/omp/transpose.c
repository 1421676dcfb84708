/*
 * transpose — B += Aᵀ, then A += 1, on a square matrix of doubles, in tiles (so that both the
 * reads and the writes stay in cache), the rows of tiles shared among the threads. With
 * A[i][j] = i·n + j initially, after T+1 iterations B[j][i] = (T+1)·(i·n + j) + T(T+1)/2.
 *
 *   transpose [iterations=10] [order=2048] [tile=32]
 */
#include "kernel.h"

int main(int argc, char **argv) {
    long iters = kernel_arg(argc, argv, 1, 10);
    long n = kernel_arg(argc, argv, 2, 2048);
    long tile = kernel_arg(argc, argv, 3, 32);
    double *A = kernel_alloc(sizeof(double) * n * n);
    double *B = kernel_alloc(sizeof(double) * n * n);
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            A[i * n + j] = (double)(i * n + j);
            B[i * n + j] = 0;
        }
    double t0 = 0;
    for (long it = 0; it <= iters; it++) {
        if (it == 1) t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
        for (long it2 = 0; it2 < n; it2 += tile)
            for (long jt = 0; jt < n; jt += tile)
                for (long i = it2; i < it2 + tile && i < n; i++)
                    for (long j = jt; j < jt + tile && j < n; j++) {
                        B[j * n + i] += A[i * n + j];
                        A[i * n + j] += 1.0;
                    }
    }
    double t = omp_get_wtime() - t0;
    double err = 0, T = (double)iters;
#pragma omp parallel for reduction(+ : err)
    for (long j = 0; j < n; j++)
        for (long i = 0; i < n; i++)
            err += fabs(B[j * n + i] - ((T + 1) * (double)(i * n + j) + T * (T + 1) / 2));
    int ok = err < 1e-8 * n * n;
    double bytes = 2.0 * sizeof(double) * n * n * iters;
    return kernel_report("transpose", t, bytes / t * 1e-6, "MB/s", ok);
}

/*
 * p2p — the pipelined wavefront of the ParRes kernels: A[i][j] = A[i-1][j] + A[i][j-1] -
 * A[i-1][j-1] over an m×n grid whose first row and column hold their indices, then the corner is
 * fed back (A[0][0] = -A[m-1][n-1]). The columns are split into one block per thread; a thread
 * starts row i when its left neighbour has finished row i, which it learns from that neighbour's
 * progress flag (spin-waiting with flush), `grain` rows at a time. Each iteration is one parallel
 * region, so the team size may change between iterations (elastic scale-up): the blocks are
 * recomputed at every fork, and the flags count rows over the whole run, so they never need
 * resetting. After T+1 iterations the corner is (T+1)(m+n-2).
 *
 *   p2p [iterations=30] [m=3000] [n=3000] [grain=8]
 */
#include <sched.h>

#include "kernel.h"

#define MAXTHREADS 256
#define PAD        16 /* ints per flag: one cache line each */

static int flags[MAXTHREADS * PAD];

static void sweep(double *A, long m, long n, long grain, long it) {
#pragma omp parallel
    {
        int t = omp_get_thread_num(), nt = omp_get_num_threads();
        long cols = n - 1, lo = 1 + cols * t / nt, hi = 1 + cols * (t + 1) / nt;
        long base = it * m;
        for (long i0 = 1; i0 < m; i0 += grain) {
            long i1 = i0 + grain < m ? i0 + grain : m; /* rows [i0, i1) */
            if (t > 0) {
                volatile int *left = &flags[(t - 1) * PAD];
                for (int spins = 0; *left < base + i1 - 1; spins++) {
#pragma omp flush
                    if (spins > 2000) sched_yield(); /* the neighbour may have lost its core */
                }
#pragma omp flush
            }
            for (long i = i0; i < i1; i++) {
                double *row = A + i * n, *up = A + (i - 1) * n;
                for (long j = lo; j < hi; j++)
                    row[j] = up[j] + row[j - 1] - up[j - 1];
            }
#pragma omp flush
            flags[t * PAD] = (int)(base + i1 - 1);
#pragma omp flush
        }
    }
    A[0] = -A[(m - 1) * n + n - 1];
}

int main(int argc, char **argv) {
    long iters = kernel_arg(argc, argv, 1, 30);
    long m = kernel_arg(argc, argv, 2, 3000);
    long n = kernel_arg(argc, argv, 3, 3000);
    long grain = kernel_arg(argc, argv, 4, 8);
    if (m < 2 || n < 2 || (iters + 2) * m > 2000000000L) {
        fprintf(stderr, "p2p: m and n must be at least 2, (iterations+2)*m below 2e9\n");
        return 2;
    }
    double *A = kernel_alloc(sizeof(double) * m * n);
#pragma omp parallel for schedule(static)
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++)
            A[i * n + j] = i == 0 ? (double)j : j == 0 ? (double)i : 0;
    double t0 = 0;
    for (long it = 0; it <= iters; it++) {
        if (it == 1) t0 = omp_get_wtime();
        sweep(A, m, n, grain, it + 1);
    }
    double t = omp_get_wtime() - t0;
    double corner = -A[0], ref = (double)(iters + 1) * (double)(m + n - 2);
    int ok = fabs(corner - ref) < 1e-8 * ref;
    if (!ok) printf("corner %.17g, expected %.17g\n", corner, ref);
    double flops = 2.0 * (m - 1) * (n - 1) * iters;
    return kernel_report("p2p", t, flops / t * 1e-6, "MFlop/s", ok);
}

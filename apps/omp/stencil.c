/*
 * stencil — a star-shaped stencil of radius 2 applied to a square grid, out += S(in), then
 * in += 1, the rows shared among the threads. With in[i][j] = i + j, every interior point of out
 * grows by exactly 2 per iteration (the stencil's weights are those of a central difference), so
 * the check compares the average of |out| over the interior with 2·(iterations + 1).
 *
 *   stencil [iterations=20] [order=2000]
 */
#include "kernel.h"

#define R 2

int main(int argc, char **argv) {
    long iters = kernel_arg(argc, argv, 1, 20);
    long n = kernel_arg(argc, argv, 2, 2000);
    if (n <= 2 * R) {
        fprintf(stderr, "stencil: order must be larger than %d\n", 2 * R);
        return 2;
    }
    double *in = kernel_alloc(sizeof(double) * n * n);
    double *out = kernel_alloc(sizeof(double) * n * n);
    double w[2 * R + 1];
    for (int k = 1; k <= R; k++) {
        w[R + k] = 1.0 / (2.0 * k * R);
        w[R - k] = -1.0 / (2.0 * k * R);
    }
    w[R] = 0;
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            in[i * n + j] = (double)(i + j);
            out[i * n + j] = 0;
        }
    double t0 = 0;
    for (long it = 0; it <= iters; it++) {
        if (it == 1) t0 = omp_get_wtime();
#pragma omp parallel
        {
#pragma omp for schedule(static)
            for (long i = R; i < n - R; i++)
                for (long j = R; j < n - R; j++) {
                    double s = 0;
                    for (int k = -R; k <= R; k++) {
                        s += w[R + k] * in[i * n + j + k];
                        s += w[R + k] * in[(i + k) * n + j];
                    }
                    out[i * n + j] += s;
                }
#pragma omp for schedule(static)
            for (long i = 0; i < n; i++)
                for (long j = 0; j < n; j++)
                    in[i * n + j] += 1.0;
        }
    }
    double t = omp_get_wtime() - t0;
    double norm = 0;
#pragma omp parallel for reduction(+ : norm)
    for (long i = R; i < n - R; i++)
        for (long j = R; j < n - R; j++)
            norm += fabs(out[i * n + j]);
    norm /= (double)(n - 2 * R) * (double)(n - 2 * R);
    double ref = 2.0 * (double)(iters + 1);
    int ok = fabs(norm - ref) < 1e-8 * ref;
    if (!ok) printf("norm %.17g, expected %.17g\n", norm, ref);
    double flops = (4.0 * R + 1) * 2 * (double)(n - 2 * R) * (n - 2 * R) * iters;
    return kernel_report("stencil", t, flops / t * 1e-6, "MFlop/s", ok);
}

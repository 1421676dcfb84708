/*
 * jacobi.c — 2D five-point Jacobi relaxation of Laplace's equation on an n x n grid.
 *
 * The boundary holds u(x, y) = (x^2 - y^2) / n^2, which is harmonic for the discrete Laplacian
 * too, so it is also the exact solution in the interior; the interior starts at zero. Each sweep
 * replaces every interior point by the mean of its four neighbours (two arrays, swapped). This is
 * the typical stencil loop of HPC codes: streaming loads with three row offsets and one store.
 *
 * Checks that hold after any number of sweeps: the maximum principle (every value lies within the
 * boundary's range), the max-norm error against the exact solution never grows (one sweep is a
 * contraction), and the solution stays antisymmetric under swapping x and y (as the boundary and
 * the start are) up to rounding. The checksum hashes the bits of the final grid.
 */
#include "bench.h"

static const bench_param params[] = {
    {"n", 1024, 64, 4, 8192},
    {"iters", 600, 20, 1, 1000000},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

static double exact(size_t n, size_t i, size_t j) {
    double x = (double)i, y = (double)j, scale = (double)n * (double)n;
    return (x * x - y * y) / scale;
}

static void sweep(size_t n, const double *restrict from, double *restrict to) {
    for (size_t i = 1; i + 1 < n; i++) {
        const double *up = from + (i - 1) * n, *row = from + i * n, *down = from + (i + 1) * n;
        double *out = to + i * n;
        for (size_t j = 1; j + 1 < n; j++)
            out[j] = 0.25 * (up[j] + down[j] + row[j - 1] + row[j + 1]);
    }
}

static double max_error(size_t n, const double *u) {
    double worst = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double e = u[i * n + j] - exact(n, i, j);
            if (e < 0) e = -e;
            if (!(e <= worst)) worst = e; /* NaN propagates as the worst */
        }
    return worst;
}

static int check(size_t n, const double *u, double start_error) {
    double lo = -1.0, hi = 1.0; /* the boundary's range: (x^2 - y^2) / n^2 within [-1, 1] */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double value = u[i * n + j], mirror = u[j * n + i];
            double skew = value + mirror;
            if (!(value >= lo && value <= hi)) return 0;
            if (!(skew <= 1e-12 && skew >= -1e-12)) return 0;
        }
    double end_error = max_error(n, u);
    return end_error <= start_error;
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("jacobi", argc, argv, params, NPARAMS, v);
    size_t n = (size_t)v[0];
    long iters = v[1];

    double *u = bench_alloc("jacobi", n * n, sizeof *u);
    double *next = bench_alloc("jacobi", n * n, sizeof *next);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int edge = i == 0 || j == 0 || i == n - 1 || j == n - 1;
            u[i * n + j] = edge ? exact(n, i, j) : 0.0;
        }
    memcpy(next, u, n * n * sizeof *u);
    double start_error = max_error(n, u);

    double start = bench_now();
    for (long t = 0; t < iters; t++) {
        sweep(n, u, next);
        double *swap = u;
        u = next;
        next = swap;
    }
    double seconds = bench_now() - start;

    uint64_t sum = BENCH_FNV_INIT;
    for (size_t i = 0; i < n * n; i++)
        sum = bench_fnv_double(sum, u[i]);
    int ok = check(n, u, start_error);
    bench_print("jacobi: max error %.3g after %ld sweeps (%.3g at start)\n", max_error(n, u), iters,
                start_error);
    free(u);
    free(next);
    return bench_report("jacobi", params, NPARAMS, v, seconds, sum, ok);
}

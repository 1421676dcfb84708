/*
 * matmul.c — dense double-precision matrix multiply, C = A * B, n x n, row-major.
 *
 * The loop order is i-k-j: the innermost loop walks a row of B and a row of C with unit stride,
 * the friendliest order for caches and for a vectorising compiler, so this kernel measures how well
 * an engine lets the C compiler see plain array code (memory base in a register, no bounds checks).
 * The product is recomputed `reps` times into a zeroed C.
 *
 * Check (Freivalds): for a random vector x, C*x must equal A*(B*x) up to rounding; this costs
 * O(n^2) and catches any wrong element with high probability. The checksum hashes the bits of C.
 */
#include "bench.h"

static const bench_param params[] = {
    {"n", 512, 96, 2, 2048},
    {"reps", 8, 1, 1, 1000},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

static void multiply(size_t n, const double *a, const double *b, double *c) {
    memset(c, 0, n * n * sizeof *c);
    for (size_t i = 0; i < n; i++) {
        double *crow = c + i * n;
        for (size_t k = 0; k < n; k++) {
            double aik = a[i * n + k];
            const double *brow = b + k * n;
            for (size_t j = 0; j < n; j++)
                crow[j] += aik * brow[j];
        }
    }
}

static void matvec(size_t n, const double *m, const double *x, double *y) {
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < n; j++)
            sum += m[i * n + j] * x[j];
        y[i] = sum;
    }
}

/* Freivalds' check with one random vector; tolerance scales with n and the entries' size. */
static int check(size_t n, const double *a, const double *b, const double *c) {
    double *x = bench_alloc("matmul", n, sizeof *x);
    double *bx = bench_alloc("matmul", n, sizeof *bx);
    double *abx = bench_alloc("matmul", n, sizeof *abx);
    double *cx = bench_alloc("matmul", n, sizeof *cx);
    bench_rng rng = {42};
    for (size_t i = 0; i < n; i++)
        x[i] = bench_rand_signed(&rng);
    matvec(n, b, x, bx);
    matvec(n, a, bx, abx);
    matvec(n, c, x, cx);
    int ok = 1;
    double tolerance = 1e-11 * (double)n;
    for (size_t i = 0; i < n; i++) {
        double diff = cx[i] - abx[i];
        if (diff > tolerance || diff < -tolerance) ok = 0;
    }
    free(x);
    free(bx);
    free(abx);
    free(cx);
    return ok;
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("matmul", argc, argv, params, NPARAMS, v);
    size_t n = (size_t)v[0];
    long reps = v[1];

    double *a = bench_alloc("matmul", n * n, sizeof *a);
    double *b = bench_alloc("matmul", n * n, sizeof *b);
    double *c = bench_alloc("matmul", n * n, sizeof *c);
    bench_rng rng = {1};
    for (size_t i = 0; i < n * n; i++)
        a[i] = bench_rand_signed(&rng);
    for (size_t i = 0; i < n * n; i++)
        b[i] = bench_rand_signed(&rng);

    double start = bench_now();
    for (long r = 0; r < reps; r++)
        multiply(n, a, b, c);
    double seconds = bench_now() - start;

    uint64_t sum = BENCH_FNV_INIT;
    for (size_t i = 0; i < n * n; i++)
        sum = bench_fnv_double(sum, c[i]);
    int ok = check(n, a, b, c);
    free(a);
    free(b);
    free(c);
    return bench_report("matmul", params, NPARAMS, v, seconds, sum, ok);
}

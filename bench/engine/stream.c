/*
 * stream.c — memory bandwidth, after McCalpin's STREAM: per repetition the four vector operations
 * copy (c = a), scale (b = s*c), add (c = a + b) and triad (a = b + s*c) over arrays far larger
 * than the caches. It measures how close an engine's loads and stores come to native ones when
 * the loop is pure memory traffic.
 *
 * Every element of an array holds the same value, so the expected values follow from running the
 * four operations on three scalars; the check compares every element with them. The kernel also
 * prints the average bandwidth (bytes moved / time, counting 2+2+3+3 arrays per repetition).
 */
#include "bench.h"

static const bench_param params[] = {
    {"n", 4 * 1024 * 1024, 64 * 1024, 16, 64 * 1024 * 1024},
    {"reps", 30, 2, 1, 100000},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

/* s = sqrt(2) - 1 solves s + s*(1 + s) = 1, so one round maps a to (almost exactly) a and the
   values stay bounded however many rounds run. */
static const double scalar = 0.41421356237309503;

static void stream_round(size_t n, double *a, double *b, double *c) {
    for (size_t i = 0; i < n; i++)
        c[i] = a[i];
    for (size_t i = 0; i < n; i++)
        b[i] = scalar * c[i];
    for (size_t i = 0; i < n; i++)
        c[i] = a[i] + b[i];
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] + scalar * c[i];
}

/* Relative comparison of every element with the expected value. */
static int all_near(size_t n, const double *x, double expected) {
    for (size_t i = 0; i < n; i++) {
        double diff = x[i] - expected;
        if (diff < 0) diff = -diff;
        if (!(diff <= 1e-13 * (expected < 0 ? -expected : expected))) return 0; /* NaN fails */
    }
    return 1;
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("stream", argc, argv, params, NPARAMS, v);
    size_t n = (size_t)v[0];
    long reps = v[1];

    double *a = bench_alloc("stream", n, sizeof *a);
    double *b = bench_alloc("stream", n, sizeof *b);
    double *c = bench_alloc("stream", n, sizeof *c);
    for (size_t i = 0; i < n; i++) {
        a[i] = 1.0;
        b[i] = 2.0;
        c[i] = 0.0;
    }

    double start = bench_now();
    for (long r = 0; r < reps; r++)
        stream_round(n, a, b, c);
    double seconds = bench_now() - start;

    /* The same operations on scalars give the expected values. */
    double ea = 1.0, eb = 2.0, ec = 0.0;
    for (long r = 0; r < reps; r++) {
        ec = ea;
        eb = scalar * ec;
        ec = ea + eb;
        ea = eb + scalar * ec;
    }
    int ok = all_near(n, a, ea) && all_near(n, b, eb) && all_near(n, c, ec);

    uint64_t sum = BENCH_FNV_INIT;
    for (size_t i = 0; i < n; i++) {
        sum = bench_fnv_double(sum, a[i]);
        sum = bench_fnv_double(sum, b[i]);
        sum = bench_fnv_double(sum, c[i]);
    }
    double bytes = 10.0 * sizeof(double) * (double)n * (double)reps;
    bench_print("stream: %.2f GB/s average over %ld rounds of copy, scale, add, triad\n",
                bytes / seconds / 1e9, reps);
    free(a);
    free(b);
    free(c);
    return bench_report("stream", params, NPARAMS, v, seconds, sum, ok);
}

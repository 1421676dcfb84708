/*
 * fib.c — naive doubly recursive Fibonacci, fib(n) = fib(n-1) + fib(n-2), computed `reps` times.
 *
 * Almost nothing but calls and returns (about 1.6^n of them), so the kernel measures an engine's
 * per-call cost: its calling convention, how it checks for stack overflow and whether the C
 * compiler can still see through the recursion. `reps` calls the function through a volatile
 * argument so no compiler can fold the repetitions together.
 *
 * Check: the result equals the iterative Fibonacci number. The checksum hashes the results.
 */
#include "bench.h"

static const bench_param params[] = {
    {"n", 40, 20, 0, 45},
    {"reps", 4, 1, 1, 100000},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

static uint64_t fib(uint32_t n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t fib_iterative(uint32_t n) {
    uint64_t a = 0, b = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("fib", argc, argv, params, NPARAMS, v);
    long reps = v[1];
    volatile uint32_t n = (uint32_t)v[0];

    int ok = 1;
    uint64_t sum = BENCH_FNV_INIT;
    double start = bench_now();
    for (long r = 0; r < reps; r++) {
        uint64_t result = fib(n);
        sum = bench_fnv_u64(sum, result);
        if (result != fib_iterative(n)) ok = 0;
    }
    double seconds = bench_now() - start;

    return bench_report("fib", params, NPARAMS, v, seconds, sum, ok);
}

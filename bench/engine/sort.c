/*
 * sort.c — quicksort of n pseudo-random 32-bit integers, sorted `reps` times from the same input.
 *
 * Median-of-three pivot, Hoare-style partition, insertion sort below 16 elements, recursion on the
 * smaller side and a loop on the larger (so the depth stays O(log n)). Branchy, data-dependent
 * control flow with short loops: the opposite of the array kernels.
 *
 * Check: the output is non-decreasing and holds the same multiset as the input (compared through
 * an order-independent sum and xor of mixed values). The checksum hashes the sorted array.
 */
#include "bench.h"

static const bench_param params[] = {
    {"n", 4 * 1024 * 1024, 50000, 1, 256 * 1024 * 1024},
    {"reps", 2, 1, 1, 10000},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

enum { INSERTION_LIMIT = 16 };

static void insertion_sort(int32_t *x, size_t n) {
    for (size_t i = 1; i < n; i++) {
        int32_t v = x[i];
        size_t j = i;
        while (j > 0 && x[j - 1] > v) {
            x[j] = x[j - 1];
            j--;
        }
        x[j] = v;
    }
}

static void swap_ints(int32_t *a, int32_t *b) {
    int32_t t = *a;
    *a = *b;
    *b = t;
}

static void quicksort(int32_t *x, size_t n) {
    while (n > INSERTION_LIMIT) {
        /* Median of three into x[mid]; x[0] <= x[mid] <= x[n-1] afterwards act as sentinels. */
        size_t mid = n / 2;
        if (x[mid] < x[0]) swap_ints(&x[mid], &x[0]);
        if (x[n - 1] < x[0]) swap_ints(&x[n - 1], &x[0]);
        if (x[n - 1] < x[mid]) swap_ints(&x[n - 1], &x[mid]);
        int32_t pivot = x[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            do
                i++;
            while (x[i] < pivot);
            do
                j--;
            while (x[j] > pivot);
            if (i >= j) break;
            swap_ints(&x[i], &x[j]);
        }
        /* x[0..j] <= pivot <= x[j+1..n-1] */
        size_t left = j + 1, right = n - left;
        assert(left > 0 && right > 0);
        if (left < right) {
            quicksort(x, left);
            x += left;
            n = right;
        } else {
            quicksort(x + left, right);
            n = left;
        }
    }
    insertion_sort(x, n);
}

/* An order-independent fingerprint of a multiset of ints. */
static void fingerprint(const int32_t *x, size_t n, uint64_t *sum, uint64_t * xor) {
    *sum = 0;
    *xor = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t m = bench_mix64((uint64_t)(uint32_t)x[i]);
        *sum += m;
        *xor ^= m;
    }
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("sort", argc, argv, params, NPARAMS, v);
    size_t n = (size_t)v[0];
    long reps = v[1];

    int32_t *input = bench_alloc("sort", n, sizeof *input);
    int32_t *x = bench_alloc("sort", n, sizeof *x);
    bench_rng rng = {7};
    for (size_t i = 0; i < n; i++)
        input[i] = (int32_t)(uint32_t)bench_rand(&rng);
    uint64_t in_sum, in_xor, out_sum, out_xor;
    fingerprint(input, n, &in_sum, &in_xor);

    double seconds = 0.0;
    for (long r = 0; r < reps; r++) {
        memcpy(x, input, n * sizeof *x);
        double start = bench_now();
        quicksort(x, n);
        seconds += bench_now() - start;
    }

    int ok = 1;
    for (size_t i = 1; i < n; i++)
        if (x[i - 1] > x[i]) ok = 0;
    fingerprint(x, n, &out_sum, &out_xor);
    if (out_sum != in_sum || out_xor != in_xor) ok = 0;
    uint64_t sum = bench_fnv_bytes(BENCH_FNV_INIT, x, n * sizeof *x);
    free(input);
    free(x);
    return bench_report("sort", params, NPARAMS, v, seconds, sum, ok);
}

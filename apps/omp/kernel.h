/*
 * kernel.h — what the OpenMP kernels of apps/omp/ share. Each kernel is one C file that builds
 * natively (clang-19 -fopenmp, libomp) and as a cell (granny-cc -fopenmp); it runs a number of
 * timed iterations after one untimed warm-up iteration, checks its own result, and ends with one
 * line the benchmark (bench/omp/run.sh) parses:
 *
 *   kernel=NAME threads=N time=SECONDS rate=R unit=UNIT status=ok|FAILED
 *
 * `time` covers the timed iterations only (not start-up, allocation, the warm-up or the check).
 * Kernels query the team size inside their parallel regions (omp_get_num_threads), never cache
 * omp_get_max_threads across regions, so an elastic change of the team size between two regions
 * is always safe.
 */
#ifndef APPS_OMP_KERNEL_H
#define APPS_OMP_KERNEL_H

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* argv[i] as a positive integer, or the default when absent; exits on a malformed value. */
static inline long kernel_arg(int argc, char **argv, int i, long fallback) {
    if (i >= argc) return fallback;
    char *end;
    long v = strtol(argv[i], &end, 10);
    if (*end || v < 1) {
        fprintf(stderr, "%s: argument %d ('%s') must be a positive integer\n", argv[0], i, argv[i]);
        exit(2);
    }
    return v;
}

static inline void *kernel_alloc(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
        exit(1);
    }
    return p;
}

static inline int kernel_report(const char *name, double seconds, double rate, const char *unit,
                                int ok) {
    printf("kernel=%s threads=%d time=%.6f rate=%.2f unit=%s status=%s\n", name,
           omp_get_max_threads(), seconds, rate, unit, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

#endif

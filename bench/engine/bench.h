/*
 * bench.h — the little each engine-benchmark kernel shares: argument parsing, a clock, output,
 * a deterministic random generator and a checksum.
 *
 * Every kernel is one C file that builds both natively (gcc -O2) and to wasm32-wasi (granny-cc or
 * clang-19), so this header only uses what both have. It deliberately keeps the kernels' WASI
 * imports minimal: output goes through snprintf + write(1) (fd_write; no stdio streams, so no
 * fd_fdstat_get), time through clock_gettime (clock_time_get), arguments through main's argv
 * (args_get, args_sizes_get), and exit through proc_exit; libc's exit-time stdio flush adds
 * fd_close and fd_seek. That keeps the wasm2c peer harness (w2c_main.c) a page long.
 *
 * Arguments are a table: each kernel lists its parameters with a full-size default, a quick
 * (CI smoke) default and an allowed range. `kernel [--quick] [--cpu] [value ...]` picks the
 * defaults and then overrides them positionally; anything else is a clear error and exit status 2.
 * --cpu times the region by process CPU time instead of wall-clock time.
 *
 * Each kernel ends with one machine-readable line, which bench/engine/run.sh parses:
 *
 *   bench kernel=matmul n=512 reps=4 time=0.612345 checksum=0123456789abcdef status=ok
 *
 * `time` is the kernel's own timed region in seconds (setup and checking excluded); `checksum`
 * is a hash of the exact result bits, so native and wasm runs of one size must print the same
 * value (the only libm functions used, sqrt, fabs and fmax, are exact everywhere). The exit status
 * is 0 when the kernel's self-check passed and 1 when it did not.
 */
#ifndef GRANNY_BENCH_H
#define GRANNY_BENCH_H

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- Output ---- */

static inline void bench_write_all(int fd, const char *text, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n <= 0) return; /* nowhere to report a broken stdout; the exit status still tells */
        text += n;
        len -= (size_t)n;
    }
}

static inline void bench_vprint(int fd, const char *fmt, va_list ap) {
    char line[512];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof line) n = (int)sizeof line - 1;
    bench_write_all(fd, line, (size_t)n);
}

__attribute__((format(printf, 1, 2))) static inline void bench_print(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    bench_vprint(1, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 1, 2), noreturn)) static inline void bench_die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    bench_vprint(2, fmt, ap);
    va_end(ap);
    exit(2);
}

/* Allocates count elements of size bytes, zeroed; a kernel cannot run without its data. */
static inline void *bench_alloc(const char *kernel, size_t count, size_t size) {
    void *p = calloc(count, size);
    if (p == NULL) bench_die("%s: out of memory allocating %zu x %zu bytes\n", kernel, count, size);
    return p;
}

/* ---- Clock ---- */

/* The clock of the timed region: wall-clock time, or with --cpu the process's CPU time (less
 * sensitive to other load on a shared machine; all kernels are single-threaded). */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static inline double bench_now(void) {
    struct timespec ts;
    if (clock_gettime(bench_clock, &ts) != 0) bench_die("bench: clock_gettime failed\n");
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- Deterministic data ---- */

/* splitmix64: a bijective mix of a counter; good enough statistics for benchmark inputs. */
static inline uint64_t bench_mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

typedef struct bench_rng {
    uint64_t state;
} bench_rng;

static inline uint64_t bench_rand(bench_rng *rng) {
    rng->state += 0x9e3779b97f4a7c15ull;
    return bench_mix64(rng->state);
}

/* A double uniformly in [-1, 1), from the top 53 bits. */
static inline double bench_rand_signed(bench_rng *rng) {
    return (double)(int64_t)(bench_rand(rng) >> 11) * 0x1p-52 - 1.0;
}

/* ---- Checksums over exact bits (FNV-1a, 64-bit) ---- */

#define BENCH_FNV_INIT 0xcbf29ce484222325ull

static inline uint64_t bench_fnv_bytes(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static inline uint64_t bench_fnv_u64(uint64_t h, uint64_t v) {
    return bench_fnv_bytes(h, &v, 8);
}

static inline uint64_t bench_fnv_double(uint64_t h, double d) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bench_fnv_u64(h, bits);
}

/* ---- Arguments ---- */

typedef struct bench_param {
    const char *name;
    long full;  /* default size */
    long quick; /* size with --quick */
    long min, max;
} bench_param;

/* Fills values[i] for each of the nparams parameters; exits with status 2 on bad input. The
 * options --quick (smoke-test sizes) and --cpu (time by CPU time) come first, in any order. */
static inline void bench_parse_args(const char *kernel, int argc, char **argv,
                                    const bench_param *params, int nparams, long *values) {
    int first = 1, quick = 0;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] == '-'; first++) {
        if (strcmp(argv[first], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[first], "--cpu") == 0)
            bench_clock = CLOCK_PROCESS_CPUTIME_ID;
        else
            bench_die("%s: unknown option '%s' (options: --quick --cpu)\n", kernel, argv[first]);
    }
    for (int i = 0; i < nparams; i++)
        values[i] = quick ? params[i].quick : params[i].full;
    if (argc - first > nparams)
        bench_die("%s: too many arguments (%d given, at most %d)\n", kernel, argc - first, nparams);
    for (int i = 0; first + i < argc; i++) {
        const char *text = argv[first + i];
        char *end = NULL;
        long v = strtol(text, &end, 10);
        if (text[0] == '\0' || *end != '\0' || v < params[i].min || v > params[i].max)
            bench_die("%s: bad value '%s' for %s (expected an integer in %ld..%ld)\n"
                      "usage: %s [--quick] [--cpu] [%s ...]\n",
                      kernel, text, params[i].name, params[i].min, params[i].max, kernel,
                      params[0].name);
        values[i] = v;
    }
}

/* Prints the result line and returns the process exit status. */
static inline int bench_report(const char *kernel, const bench_param *params, int nparams,
                               const long *values, double seconds, uint64_t checksum, int ok) {
    char sizes[256];
    size_t used = 0;
    sizes[0] = '\0';
    for (int i = 0; i < nparams; i++) {
        int n = snprintf(sizes + used, sizeof sizes - used, "%s=%ld ", params[i].name, values[i]);
        assert(n > 0 && (size_t)n < sizeof sizes - used);
        used += (size_t)n;
    }
    bench_print("bench kernel=%s %stime=%.6f checksum=%016llx status=%s\n", kernel, sizes, seconds,
                (unsigned long long)checksum, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

#endif

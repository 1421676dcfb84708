/*
 * gomp_policy.c — options and the team-size policy.
 *
 * Options come from the embedder (`granny run --threads N --elastic-to M --elastic-after F`) and
 * fall back to the usual OpenMP environment of the host: OMP_NUM_THREADS (first value of the
 * list), OMP_STACKSIZE (bytes, or a number with a B/K/M/G suffix, K by default),
 * OMP_WAIT_POLICY (active: spin long, passive: do not spin), OMP_THREAD_LIMIT.
 *
 * The default policy: the program's request, unless an elastic target is set (by the elastic
 * schedule of the options, or by the planner through gomp_cell_set_target), which then decides the
 * size of outermost regions. Nested regions keep what the program asked for.
 */
#include <ctype.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "omp/gomp_internal.h"

#define GOMP_DEFAULT_STACK      (1u << 20)
#define GOMP_DEFAULT_HOST_STACK (8u << 20)
#define GOMP_DEFAULT_SPIN_US    200
#define GOMP_ACTIVE_SPIN_US     200000
#define GOMP_DEFAULT_LIMIT      256

static int env_int(const char *name, int fallback) {
    const char *v = getenv(name);
    if (!v || !isdigit((unsigned char)*v)) return fallback;
    long n = strtol(v, NULL, 10);
    return n > 0 && n < 1 << 20 ? (int)n : fallback;
}

/* OMP_STACKSIZE: "size[B|K|M|G]", kilobytes without a suffix. 0 when absent or invalid. */
static uint32_t env_stacksize(void) {
    const char *v = getenv("OMP_STACKSIZE");
    if (!v) return 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (end == v) return 0;
    while (*end == ' ')
        end++;
    unsigned long long unit = 1024;
    switch (toupper((unsigned char)*end)) {
    case 'B': unit = 1; break;
    case 'K': unit = 1024; break;
    case 'M': unit = 1024 * 1024; break;
    case 'G': unit = 1024 * 1024 * 1024; break;
    case 0: break;
    default: return 0;
    }
    n *= unit;
    return n >= 4096 && n <= (1u << 30) ? (uint32_t)n : 0;
}

void gomp_options_resolve(gomp_options *o) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (o->threads <= 0) o->threads = env_int("OMP_NUM_THREADS", cpus > 0 ? (int)cpus : 1);
    if (o->max_threads <= 0) o->max_threads = env_int("OMP_THREAD_LIMIT", GOMP_DEFAULT_LIMIT);
    if (o->threads > o->max_threads) o->threads = o->max_threads;
    if (o->stack_size == 0) o->stack_size = env_stacksize();
    if (o->stack_size == 0) o->stack_size = GOMP_DEFAULT_STACK;
    if (o->host_stack == 0) o->host_stack = GOMP_DEFAULT_HOST_STACK;
    if (o->spin_us == 0) {
        const char *wp = getenv("OMP_WAIT_POLICY");
        if (wp && !strcasecmp(wp, "active"))
            o->spin_us = GOMP_ACTIVE_SPIN_US;
        else if (wp && !strcasecmp(wp, "passive"))
            o->spin_us = -1;
        else
            o->spin_us = GOMP_DEFAULT_SPIN_US;
    }
    if (o->elastic.to > o->max_threads) o->elastic.to = o->max_threads;
}

int gomp_policy_default(void *ctx, const gomp_fork_info *info) {
    (void)ctx;
    if (info->level == 1 && info->target > 0) return info->target;
    return info->requested;
}

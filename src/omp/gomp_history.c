/*
 * gomp_history.c — run records for elastic changes after a fraction of a run.
 *
 * `granny run --threads 1 --elastic-to 2 --elastic-after 0.5 app.wasm` must know how many
 * outermost forks the run will make to find its half-way fork. The runtime cannot know that in
 * advance, so every complete run records its fork count under a key made of the module's hash and
 * its arguments, and a fractional --elastic-after is resolved against the last record (a fork
 * count, the other form of the option, needs none). A record is one line of text in
 * <cache_dir>/omp-runs/<key>, replaced atomically (write to a temporary name, rename).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "omp/gomp.h"

void gomp_history_key(const char module_hash[65], int argc, char **argv, char out[96]) {
    uint64_t h = 14695981039346656037ull; /* FNV-1a over the arguments, NUL-separated */
    for (int i = 1; i < argc; i++) {
        for (const char *p = argv[i];; p++) {
            h = (h ^ (uint8_t)*p) * 1099511628211ull;
            if (!*p) break;
        }
    }
    snprintf(out, 96, "%.64s-%016llx", module_hash, (unsigned long long)h);
}

static bool record_path(const char *cache_dir, const char *key, char *out, size_t cap) {
    if (!cache_dir || !key || strchr(key, '/')) return false;
    int n = snprintf(out, cap, "%s/omp-runs/%s", cache_dir, key);
    return n > 0 && (size_t)n < cap;
}

bool gomp_history_load(const char *cache_dir, const char *key, uint64_t *forks) {
    char path[4096];
    if (!record_path(cache_dir, key, path, sizeof path)) return false;
    FILE *f = fopen(path, "r");
    if (!f) return false;
    unsigned long long v = 0;
    bool ok = fscanf(f, "forks %llu", &v) == 1 && v > 0;
    fclose(f);
    if (ok) *forks = v;
    return ok;
}

bool gomp_history_store(const char *cache_dir, const char *key, uint64_t forks) {
    char dir[4096], path[4096], tmp[4200];
    if (!record_path(cache_dir, key, path, sizeof path)) return false;
    snprintf(dir, sizeof dir, "%s/omp-runs", cache_dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) return false;
    snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) return false;
    bool ok = fprintf(f, "forks %llu\n", (unsigned long long)forks) > 0;
    ok = fclose(f) == 0 && ok;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) unlink(tmp);
    return ok;
}

bool gomp_elastic_after_parse(const char *s, uint64_t *forks, double *fraction) {
    char *end;
    *forks = 0;
    *fraction = 0;
    if (!s || !*s || *s == '-') return false;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (!errno && *end == 0 && n >= 1) {
        *forks = n;
        return true;
    }
    errno = 0;
    double f = strtod(s, &end);
    if (errno || *end != 0 || !(f > 0 && f < 1)) return false;
    *fraction = f;
    return true;
}

bool gomp_elastic_after_resolve(const char *cache_dir, const char *key, double fraction,
                                uint64_t *forks) {
    uint64_t total;
    if (!gomp_history_load(cache_dir, key, &total)) return false;
    uint64_t at = (uint64_t)ceil(fraction * (double)total);
    *forks = at < 1 ? 1 : at;
    return true;
}

/*
 * test_aot_key.c — the AOT cache key covers the translator's sources.
 *
 * The key is BLAKE2b(module bytes, configuration string); the configuration names RT_ABI_VERSION,
 * XLAT_VERSION, the build's hash of the translator and ABI sources (AOT_SOURCE_HASH), the flags
 * and the compiler. These tests check that:
 *   - the configuration carries the source hash (64 hex digits) and the versions;
 *   - aot_cache_key is exactly the key of that configuration;
 *   - changing only the source hash (or only XLAT_VERSION, or the module bytes) changes the key;
 *   - aot_cache_config truncates safely and reports the full length;
 *   - end to end: an object planted in the cache under the key of another source hash (what a
 *     build of an older translator would have left there) is not used; aot_obtain misses, builds
 *     the object under the current key, and hits on the next call.
 * The build-side half (source_hash.cmake changes its hash when a hashed file changes) is tested by
 * test_source_hash.cmake.
 * Usage: test_aot_key SCRATCH_DIR
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/aot/aot.h"
#include "engine/rt/rt_abi.h"
#include "engine/wasm/decode.h"
#include "engine/wasm/validate.h"
#include "engine/xlat/xlat.h"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* (module (func (export "f") (result i32) (i32.const 42))) */
static const uint8_t module42[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                                   0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
                                   0x00, 0x07, 0x05, 0x01, 0x01, 'f',  0x00, 0x00, 0x0a,
                                   0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b};

static bool is_hex64(const char *s) {
    if (strlen(s) != 64) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

/* Copies config into out with the value of line `name=` (not the first line) replaced by value. */
static bool replace_line(const char *config, const char *name, const char *value, char *out,
                         size_t cap) {
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s=", name);
    const char *at = strstr(config, pat);
    if (!at) return false;
    const char *start = at + strlen(pat);
    const char *end = strchr(start, '\n');
    if (!end) return false;
    int n = snprintf(out, cap, "%.*s%s%s", (int)(start - config), config, value, end);
    return n > 0 && (size_t)n < cap;
}

static void test_config(void) {
    rt_load_options o = {0};
    char config[4096];
    size_t n = aot_cache_config(&o, config, sizeof config);
    CHECK(n == strlen(config) && n < sizeof config);

    const char *src = aot_source_hash();
    CHECK(is_hex64(src));
    char line[128];
    snprintf(line, sizeof line, "\nsrc=%s\n", src);
    CHECK(strstr(config, line) != NULL);
    snprintf(line, sizeof line, "\nxlat=%s\n", XLAT_VERSION);
    CHECK(strstr(config, line) != NULL);
    snprintf(line, sizeof line, "abi=%u\n", RT_ABI_VERSION);
    CHECK(strncmp(config, line, strlen(line)) == 0);
    CHECK(strstr(config, "\nflags=-O2 ") != NULL);
    CHECK(strstr(config, "\ncc=cc\n") != NULL || getenv("GRANNY_CC"));

    /* truncation: NUL-terminated, full length reported */
    char small[16];
    memset(small, 'x', sizeof small);
    CHECK(aot_cache_config(&o, small, sizeof small) == n);
    CHECK(small[sizeof small - 1] == '\0' && strncmp(small, config, sizeof small - 1) == 0);
}

static void test_key_follows_source_hash(void) {
    rt_load_options o = {0};
    char config[4096], other[4096];
    aot_cache_config(&o, config, sizeof config);

    char k_opts[65], k_config[65], k_other[65];
    aot_cache_key(module42, sizeof module42, &o, k_opts);
    aot_cache_key_of(module42, sizeof module42, config, k_config);
    CHECK(is_hex64(k_opts) && strcmp(k_opts, k_config) == 0);

    /* one digit of the source hash differs: another key */
    char src[65];
    snprintf(src, sizeof src, "%s", aot_source_hash());
    src[17] = src[17] == '0' ? '1' : '0';
    CHECK(replace_line(config, "src", src, other, sizeof other));
    CHECK(strcmp(other, config) != 0);
    aot_cache_key_of(module42, sizeof module42, other, k_other);
    CHECK(strcmp(k_other, k_config) != 0);

    /* the source hash unchanged but XLAT_VERSION bumped: another key too (both are kept) */
    CHECK(replace_line(config, "xlat", XLAT_VERSION "+1", other, sizeof other));
    aot_cache_key_of(module42, sizeof module42, other, k_other);
    CHECK(strcmp(k_other, k_config) != 0);

    /* the same configuration, other module bytes: another key */
    uint8_t m43[sizeof module42];
    memcpy(m43, module42, sizeof m43);
    m43[sizeof m43 - 2] = 0x2b;
    aot_cache_key_of(m43, sizeof m43, config, k_other);
    CHECK(strcmp(k_other, k_config) != 0);

    /* deterministic */
    aot_cache_key_of(module42, sizeof module42, config, k_other);
    CHECK(strcmp(k_other, k_config) == 0);
}

static void test_stale_object_not_reused(const char *scratch) {
    wasm_module m;
    char err[256];
    CHECK(wasm_decode(module42, sizeof module42, &m, err, sizeof err));
    CHECK(wasm_validate(&m, err, sizeof err));

    char cache[1024];
    snprintf(cache, sizeof cache, "%s/cache", scratch);
    mkdir(scratch, 0755);
    mkdir(cache, 0755);
    rt_load_options o = {0};
    o.cache_dir = cache;

    /* what an older translator (another source hash, same XLAT_VERSION) would have cached */
    char config[4096], stale_config[4096], stale_key[65], key[65];
    aot_cache_config(&o, config, sizeof config);
    CHECK(replace_line(config, "src",
                       "0000000000000000000000000000000000000000000000000000000000000000",
                       stale_config, sizeof stale_config));
    aot_cache_key_of(module42, sizeof module42, stale_config, stale_key);
    aot_cache_key(module42, sizeof module42, &o, key);
    CHECK(strcmp(stale_key, key) != 0);
    char stale[1200], expect[1200];
    snprintf(stale, sizeof stale, "%s/%s.so", cache, stale_key);
    snprintf(expect, sizeof expect, "%s/%s.so", cache, key);
    unlink(expect);
    FILE *f = fopen(stale, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("not an object from this translator\n", f);
        fclose(f);
    }

    char so[1200];
    bool hit = true;
    rt_load_stats st;
    rt_error e;
    CHECK(aot_obtain(&m, &o, so, sizeof so, &hit, &st, &e));
    CHECK(!hit && strcmp(so, expect) == 0 && access(so, R_OK) == 0);
    hit = false;
    CHECK(aot_obtain(&m, &o, so, sizeof so, &hit, &st, &e));
    CHECK(hit && strcmp(so, expect) == 0);
    unlink(stale);
    unlink(expect);
    rmdir(cache);
    wasm_module_free(&m);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    test_config();
    test_key_follows_source_hash();
    test_stale_object_not_reused(argv[1]);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    puts("ok");
    return 0;
}

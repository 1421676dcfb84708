/*
 * xlat_unit_test.c — the translator's output and the AOT driver, case by case:
 *   - the generated C is warning-free under gcc -Wall -Wextra -Werror for every test module;
 *   - its shape: `mb` only in functions that touch memory, loads through x_ld*, the single
 *     exported table symbol, typed wrappers only for directly called functions;
 *   - big modules: split over several files (cross-file calls), thousands of locals and
 *     parameters, deep nesting, huge br_tables, compiled and run;
 *   - AOT errors: a failing compiler (its output quoted), a missing compiler, the no-cache mode,
 *     distinct cache keys per option, concurrent loads of one module into an empty cache;
 *   - aot_code_map: every function's code maps back to its index.
 *
 *   xlat_unit_test SCRATCH_DIR     (XLAT_WAT_DIR is compiled in)
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>

#include "engine/aot/aot.h"
#include "engine/rt/runtime.h"
#include "engine/wasm/decode.h"
#include "engine/wasm/validate.h"
#include "engine/xlat/xlat.h"
#include "xlat_test.h"

static const char *scratch;

static void decode(const uint8_t *bytes, size_t len, wasm_module *m) {
    char err[256];
    if (!wasm_decode(bytes, len, m, err, sizeof err) || !wasm_validate(m, err, sizeof err)) {
        fprintf(stderr, "decode: %s\n", err);
        exit(1);
    }
}

/* Writes text to <scratch>/<name>.wat and returns the assembled module's bytes. */
static uint8_t *wat_text(const char *name, const char *text, size_t *len) {
    char path[2048];
    snprintf(path, sizeof path, "%s/%s.wat", scratch, name);
    FILE *f = fopen(path, "w");
    CHECK(f && fputs(text, f) >= 0);
    fclose(f);
    char cmd[8192], out[2048];
    snprintf(out, sizeof out, "%s/%s.wasm", scratch, name);
    snprintf(cmd, sizeof cmd, "wat2wasm --enable-threads '%s' -o '%s'", path, out);
    CHECK(system(cmd) == 0);
    return xt_read_file(out, len);
}

/* Translates and compiles every file with gcc -Wall -Wextra -Werror (no warning allowed). */
static xlat_output translate_checked(const wasm_module *m, uint32_t file_size, uint32_t max_files,
                                     const char *tag) {
    xlat_options o = {.max_files = max_files, .target_file_size = file_size};
    xlat_output out;
    char err[256];
    if (!xlat_module(m, &o, &out, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", tag, err);
        exit(1);
    }
    for (uint32_t i = 0; i < out.nfiles; i++) {
        char path[2048], cmd[4096];
        snprintf(path, sizeof path, "%s/%s-%s", scratch, tag, out.names[i]);
        FILE *f = fopen(path, "w");
        CHECK(f && fwrite(out.sources[i], 1, out.lengths[i], f) == out.lengths[i]);
        fclose(f);
        snprintf(cmd, sizeof cmd, "cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only '%s'", path);
        if (system(cmd) != 0) {
            fprintf(stderr, "%s: generated C has warnings or errors (%s)\n", tag, path);
            exit(1);
        }
    }
    return out;
}

static void test_clean_c(void) {
    static const char *const mods[] = {"numeric", "control", "memory", "table",
                                       "atomic",  "imports", "lib"};
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++) {
        size_t len;
        uint8_t *bytes = xt_wat(scratch, mods[i], &len);
        wasm_module m;
        decode(bytes, len, &m);
        xlat_output out = translate_checked(&m, 1u << 30, 1, mods[i]);
        CHECK(out.nfiles == 1);
        const char *src = out.sources[0];
        CHECK(strstr(src, "granny_module_code"));
        CHECK(strstr(src, "__attribute__((visibility(\"default\"))) const rt_module_code"));
        if (strcmp(mods[i], "memory") == 0) {
            CHECK(strstr(src, "uint8_t *const mb = I->mem_base;"));
            CHECK(strstr(src, "x_ld64(mb + (uint64_t)"));
            CHECK(strstr(src, "x_keep_i(")); /* the dropped load */
            CHECK(!strstr(src, "x_guard(")); /* no assumption reaches the C compiler */
            CHECK(!strstr(src, "__builtin_unreachable();\n  x_"));
            CHECK(strstr(src, "+ 12ull)")); /* neighbors: (uint64_t)p + 4 + offset 8 */
        }
        if (strcmp(mods[i], "control") == 0) {
            CHECK(!strstr(src, "= I->mem_base")); /* no memory: no base pointer */
            CHECK(strstr(src, "switch (si"));
            CHECK(strstr(src, "static uint64_t t")); /* fac is called directly: wrapper */
            CHECK(strstr(src, "x_res"));             /* multi-value results */
        }
        if (strcmp(mods[i], "table") == 0) {
            CHECK(strstr(src, "x_ci"));
            CHECK(!strstr(src, "static uint32_t t0(")); /* never called directly: no wrapper */
        }
        xlat_output_free(&out);
        wasm_module_free(&m);
        free(bytes);
    }
}

/* An unvalidated, invalid module gets an error from the translator, not a crash. */
static void test_invalid(void) {
    /* (func (result i32) i32.add) and (func br 5): type 0 = [] -> [i32] */
    static const uint8_t bad[][40] = {
        {0, 'a',  's', 'm', 1, 0, 0,  0, 1, 5, 1, 0x60, 0,
         1, 0x7F, 3,   2,   1, 0, 10, 5, 1, 3, 0, 0x6A, 0x0B},
        {0,    'a', 's', 'm', 1, 0,  0, 0, 1, 5, 1,    0x60, 0,   1,
         0x7F, 3,   2,   1,   0, 10, 6, 1, 4, 0, 0x0C, 5,    0x0B},
        {0,    'a', 's', 'm', 1, 0,  0, 0, 1, 5, 1,    0x60, 0,   1,
         0x7F, 3,   2,   1,   0, 10, 6, 1, 4, 0, 0x20, 9,    0x0B},
    };
    static const size_t lens[] = {26, 27, 27};
    static const char *const why[] = {"underflow", "unknown label", "unknown local"};
    for (size_t i = 0; i < 3; i++) {
        wasm_module m;
        char err[256];
        CHECK(wasm_decode(bad[i], lens[i], &m, err, sizeof err));
        CHECK(!wasm_validate(&m, err, sizeof err));
        xlat_options o = {.max_files = 1, .target_file_size = 1 << 20};
        xlat_output out;
        CHECK(!xlat_module(&m, &o, &out, err, sizeof err));
        if (!strstr(err, why[i])) fprintf(stderr, "unexpected message: %s\n", err);
        CHECK(strstr(err, why[i]));
        wasm_module_free(&m);
    }
}

/* ---- big modules ---- */

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        CHECK(t->p);
    }
    va_start(ap, fmt);
    vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static rt_module *load_bytes(const uint8_t *bytes, size_t len, rt_load_options *o,
                             rt_load_stats *st) {
    rt_error err;
    rt_load_stats local;
    rt_module *m = rt_module_load(bytes, len, o, st ? st : &local, &err);
    if (!m) fprintf(stderr, "load: %s\n", err.msg);
    CHECK(m);
    return m;
}

static uint64_t call_i64(rt_instance *in, const char *name, uint64_t arg) {
    rt_value io[4] = {{.i64 = arg}};
    rt_trap_info trap;
    rt_error err;
    if (!rt_invoke_export(in, name, io, &trap, &err)) {
        fprintf(stderr, "%s: %s %s\n", name, trap.msg, err.msg);
        exit(1);
    }
    return io[0].i64;
}

static void default_options(rt_load_options *o, const char *cache) {
    memset(o, 0, sizeof *o);
    o->cache_dir = cache;
}

static void run_big(void *arg) {
    (void)arg;
    /* 300 functions in a chain (f_i calls f_{i+1}), split into many files */
    text t = {0};
    put(&t, "(module (memory 1)\n");
    enum { NCHAIN = 300 };
    for (int i = 0; i < NCHAIN; i++) {
        put(&t, "(func $f%d (param i64) (result i64) (local i64)\n", i);
        put(&t, "  (local.set 1 (i64.add (local.get 0) (i64.const %d)))\n", i);
        put(&t, "  (i64.store (i32.const %d) (local.get 1))\n", (i % 100) * 8);
        if (i + 1 < NCHAIN)
            put(&t, "  (call $f%d (i64.load (i32.const %d))))\n", i + 1, (i % 100) * 8);
        else
            put(&t, "  (local.get 1))\n");
    }
    put(&t, "(export \"chain\" (func $f0)))\n");
    size_t len;
    uint8_t *bytes = wat_text("chain", t.p, &len);
    wasm_module m;
    decode(bytes, len, &m);
    xlat_output out = translate_checked(&m, 500, 64, "chain");
    CHECK(out.nfiles > 10);
    xlat_output_free(&out);
    wasm_module_free(&m);
    char cache[2048];
    snprintf(cache, sizeof cache, "%s/cache-big", scratch);
    rt_load_options o;
    default_options(&o, cache);
    CHECK(setenv("GRANNY_AOT_FILE_SIZE", "500", 1) == 0);
    rt_module *rm = load_bytes(bytes, len, &o, NULL);
    CHECK(unsetenv("GRANNY_AOT_FILE_SIZE") == 0);
    rt_trap_info trap;
    rt_error err;
    rt_instance *in = rt_instance_new(rm, NULL, &trap, &err);
    CHECK(in);
    CHECK(call_i64(in, "chain", 1000) == 1000 + (uint64_t)NCHAIN * (NCHAIN - 1) / 2);
    rt_instance_free(in);
    rt_module_free(rm);
    free(bytes);

    /* one function with 1000 parameters (the decoder's limit), 20000 locals, 2000 nested blocks and
     * a br_table with 10000 targets: translated, compiled at -O2 and run */
    t.len = 0;
    enum { NPARAM = 1000, NLOCAL = 20000, NEST = 2000, NTARGET = 10000 };
    put(&t, "(module (func $big (param");
    for (int i = 0; i < NPARAM; i++)
        put(&t, " i64");
    put(&t, ") (result i64) (local");
    for (int i = 0; i < NLOCAL; i++)
        put(&t, " i32");
    put(&t, ")\n");
    put(&t, "(local.set %d (i32.wrap_i64 (local.get 0)))\n", NPARAM + NLOCAL - 1);
    for (int i = 0; i < NEST; i++)
        put(&t, "(block $b%d\n", i);
    put(&t, "(br_table");
    for (int i = 0; i < NTARGET; i++)
        put(&t, " $b%d", (i * 7) % NEST);
    put(&t, " $b0 (local.get %d))", NPARAM + NLOCAL - 1);
    for (int i = 0; i < NEST; i++)
        put(&t, ")\n(local.set %d (i32.add (local.get %d) (i32.const 1)))\n", NPARAM + NLOCAL - 1,
            NPARAM + NLOCAL - 1);
    put(&t, "(i64.add (i64.extend_i32_u (local.get %d)) (local.get %d)))\n", NPARAM + NLOCAL - 1,
        NPARAM - 1);
    put(&t, "(func (export \"run\") (param i64) (result i64) (call $big (local.get 0)");
    for (int i = 1; i < NPARAM; i++)
        put(&t, " (i64.const %d)", i);
    put(&t, ")))\n");
    bytes = wat_text("huge", t.p, &len);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    rm = load_bytes(bytes, len, &o, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("huge function: translated and compiled in %.1f s\n",
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9);
    in = rt_instance_new(rm, NULL, &trap, &err);
    CHECK(in);
    /* index k leaves block $b(k*7 % NEST): the increments after it and its outer blocks run */
    for (uint64_t k = 0; k < 5; k++) {
        uint64_t x = (k * 7) % NEST;
        CHECK(call_i64(in, "run", k) == k + x + 1 + (NPARAM - 1));
    }
    CHECK(call_i64(in, "run", 123456) == 123456 + 1 + (NPARAM - 1)); /* default: $b0 */
    rt_instance_free(in);
    rt_module_free(rm);
    free(bytes);
    free(t.p);
}

/* ---- AOT driver ---- */

static uint8_t *small_module(size_t *len) {
    return wat_text("small",
                    "(module (func (export \"f\") (param i64) (result i64)\n"
                    "  (i64.mul (local.get 0) (i64.const 3))))\n",
                    len);
}

static void test_aot_errors(void) {
    size_t len;
    uint8_t *bytes = small_module(&len);
    wasm_module m;
    decode(bytes, len, &m);
    char cache[2048];
    snprintf(cache, sizeof cache, "%s/cache-err", scratch);
    rt_load_options o;
    default_options(&o, cache);
    char so[1024];
    bool hit;
    rt_load_stats st;
    rt_error err;

    /* a compiler that fails: its output is quoted */
    char fake[2048];
    snprintf(fake, sizeof fake, "%s/fakecc", scratch);
    FILE *f = fopen(fake, "w");
    CHECK(f);
    fputs("#!/bin/sh\nfor a; do [ \"$a\" = --version ] && { echo fakecc 1.0; exit 0; }; done\n"
          "echo 'fakecc: something is wrong' >&2\nexit 1\n",
          f);
    fclose(f);
    CHECK(chmod(fake, 0755) == 0);
    o.cc = fake;
    CHECK(!aot_obtain(&m, &o, so, sizeof so, &hit, &st, &err));
    CHECK(strstr(err.msg, "something is wrong") && strstr(err.msg, "failed"));

    /* a compiler that does not exist */
    o.cc = "/nonexistent/granny-cc-xyz";
    CHECK(!aot_obtain(&m, &o, so, sizeof so, &hit, &st, &err));
    CHECK(strstr(err.msg, "cannot run C compiler"));

    /* a cache directory that cannot be created */
    char blocker[2048];
    snprintf(blocker, sizeof blocker, "%s/blocker", scratch);
    f = fopen(blocker, "w");
    CHECK(f);
    fclose(f);
    default_options(&o, blocker);
    CHECK(!aot_obtain(&m, &o, so, sizeof so, &hit, &st, &err));
    CHECK(strstr(err.msg, "cache directory"));

    /* keys differ by option; stay equal otherwise */
    char k1[65], k2[65], k3[65];
    default_options(&o, cache);
    aot_cache_key(bytes, len, &o, k1);
    o.opt_level = 3;
    aot_cache_key(bytes, len, &o, k2);
    o.opt_level = 0;
    o.cc = "gcc";
    aot_cache_key(bytes, len, &o, k3);
    CHECK(strlen(k1) == 64 && strcmp(k1, k2) != 0 && strcmp(k1, k3) != 0);
    o.cc = NULL;
    aot_cache_key(bytes, len, &o, k2);
    CHECK(strcmp(k1, k2) == 0);

    /* no_cache: nothing is left in the cache; aot_discard removes the object */
    char empty[2048];
    snprintf(empty, sizeof empty, "%s/cache-none", scratch);
    default_options(&o, empty);
    o.no_cache = true;
    CHECK(aot_obtain(&m, &o, so, sizeof so, &hit, &st, &err));
    CHECK(!hit && access(so, R_OK) == 0 && access(empty, F_OK) != 0);
    aot_discard(so, &o);
    CHECK(access(so, F_OK) != 0);
    wasm_module_free(&m);
    free(bytes);
}

typedef struct loader {
    const uint8_t *bytes;
    size_t len;
    const char *cache;
    bool ok;
} loader;

static void *load_thread(void *p) {
    loader *l = p;
    rt_load_options o;
    default_options(&o, l->cache);
    rt_error err;
    rt_load_stats st;
    rt_module *m = rt_module_load(l->bytes, l->len, &o, &st, &err);
    l->ok = m != NULL;
    if (m) rt_module_free(m);
    return NULL;
}

static void test_concurrent_loads(void) {
    size_t len;
    uint8_t *bytes = small_module(&len);
    char cache[2048];
    snprintf(cache, sizeof cache, "%s/cache-conc", scratch);
    enum { N = 4 };
    pthread_t th[N];
    loader l[N];
    for (int i = 0; i < N; i++) {
        l[i] = (loader){bytes, len, cache, false};
        CHECK(pthread_create(&th[i], NULL, load_thread, &l[i]) == 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        CHECK(l[i].ok);
    }
    /* exactly one object, no temporary directory left */
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 1 && ls '%s' | grep -q '\\.so$'", cache,
             cache);
    CHECK(system(cmd) == 0);
    free(bytes);
}

static void test_code_map(void) {
    size_t len;
    uint8_t *bytes = xt_wat(scratch, "control", &len);
    char cache[2048];
    snprintf(cache, sizeof cache, "%s/cache-map", scratch);
    rt_load_options o;
    default_options(&o, cache);
    rt_load_stats st;
    rt_module *m = load_bytes(bytes, len, &o, &st);
    void *dl = dlopen(st.so_path, RTLD_NOW | RTLD_NOLOAD);
    CHECK(dl);
    const rt_module_code *code = dlsym(dl, RT_MODULE_SYMBOL);
    CHECK(code);
    Dl_info info;
    CHECK(dladdr(code, &info) && info.dli_fbase);
    aot_code_range *ranges;
    size_t n;
    char err[256];
    CHECK(aot_code_map(st.so_path, (uintptr_t)info.dli_fbase, &ranges, &n, err, sizeof err));
    CHECK(n >= code->nfuncs);
    for (uint32_t j = 0; j < code->nfuncs; j++) {
        const aot_code_range *r = aot_code_lookup(ranges, n, (uintptr_t)code->typed[j]);
        if (!r || r->func != j)
            fprintf(stderr, "function %u: typed entry %p maps to %d\n", j, code->typed[j],
                    r ? (int)r->func : -1);
        CHECK(r && r->func == j);
        r = aot_code_lookup(ranges, n, (uintptr_t)code->generic[j]);
        if (!r || r->func != j)
            fprintf(stderr, "function %u: generic entry %p maps to %d\n", j,
                    (void *)code->generic[j], r ? (int)r->func : -1);
        CHECK(r && r->func == j);
    }
    CHECK(aot_code_lookup(ranges, n, 0) == NULL);
    free(ranges);
    CHECK(!aot_code_map("/nonexistent.so", 0, &ranges, &n, err, sizeof err));
    CHECK(!aot_code_map(XLAT_WAT_DIR "/control.wat", 0, &ranges, &n, err, sizeof err));
    dlclose(dl);
    rt_module_free(m);
    free(bytes);
}

/* The obviously cold functions of wasi-libc (recognised by name) go into files of their own,
 * marked cold (the AOT driver compiles them at -O1); without the library's printf core nothing
 * is cold, and modules without names have no cold functions. */
static void test_cold_files(void) {
    static const char *const wat[2] = {
        "(module (memory 1)\n"
        "  (func $printf_core (param i32) (result i32) (i32.load (local.get 0)))\n"
        "  (func $main (param i32) (result i32) (i32.add (call $printf_core (local.get 0))\n"
        "    (call $strtod (local.get 0))))\n"
        "  (func $strtod (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))\n"
        "  (func $_start (export \"_start\") (drop (call $main (i32.const 4)))))\n",
        "(module (memory 1)\n" /* an application's own `exit`: not wasi-libc */
        "  (func $exit (param i32) (result i32) (i32.load (local.get 0)))\n"
        "  (func $main (export \"main\") (param i32) (result i32) (call $exit (local.get 0))))\n",
    };
    for (int k = 0; k < 2; k++) {
        char path[2048], cmd[8192];
        snprintf(path, sizeof path, "%s/cold%d.wat", scratch, k);
        FILE *f = fopen(path, "w");
        CHECK(f && fputs(wat[k], f) >= 0);
        fclose(f);
        for (int names = 0; names < 2; names++) {
            snprintf(cmd, sizeof cmd, "wat2wasm %s '%s' -o '%s/cold.wasm'",
                     names ? "--debug-names" : "", path, scratch);
            CHECK(system(cmd) == 0);
            snprintf(path, sizeof path, "%s/cold.wasm", scratch);
            size_t len;
            uint8_t *bytes = xt_read_file(path, &len);
            snprintf(path, sizeof path, "%s/cold%d.wat", scratch, k);
            wasm_module m;
            decode(bytes, len, &m);
            for (uint32_t max_files = 1; max_files <= 8; max_files *= 8) {
                xlat_output out = translate_checked(&m, 1u << 20, max_files, "cold");
                bool cold = k == 0 && names;
                CHECK(out.nfiles == (cold ? 2u : 1u) && out.cold[0] == 0);
                if (cold) { /* printf_core, strtod, _start in file 1; main in file 0 */
                    CHECK(out.cold[1] == 1 && strstr(out.sources[1], "/* printf_core") &&
                          strstr(out.sources[1], "/* strtod") &&
                          strstr(out.sources[1], "/* _start"));
                    CHECK(strstr(out.sources[0], "/* main") &&
                          !strstr(out.sources[0], "/* strtod"));
                }
                xlat_output_free(&out);
            }
            /* and it runs (the cold file through the -O1 path of the AOT driver) */
            char cache[2048];
            snprintf(cache, sizeof cache, "%s/cache-cold", scratch);
            rt_load_options o;
            default_options(&o, cache);
            rt_module *rm = load_bytes(bytes, len, &o, NULL);
            rt_trap_info trap;
            rt_error err;
            rt_instance *in = rt_instance_new(rm, NULL, &trap, &err);
            CHECK(in);
            rt_value io[1] = {{.i32 = 0}};
            CHECK(rt_invoke_export(in, k == 0 ? "_start" : "main", io, &trap, &err));
            rt_instance_free(in);
            rt_module_free(rm);
            wasm_module_free(&m);
            free(bytes);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: xlat_unit_test SCRATCH_DIR\n");
        return 2;
    }
    scratch = argv[1];
    xt_scratch(scratch);
    test_clean_c();
    test_invalid();
    test_aot_errors();
    test_concurrent_loads();
    test_code_map();
    test_cold_files();
    CHECK(rt_run_on_thread(0, run_big, NULL) == 0);
    printf("xlat_unit: all passed\n");
    return 0;
}

/*
 * rt_test.h — the runtime tests' helpers: CHECK (print the failed condition and exit non-zero),
 * reading a file, and loading one of the hand-translated test modules (NAME.wasm from wat2wasm and
 * NAME.so built from NAME.c, both in RT_TEST_DIR) through the internal rt_module_from_so hook.
 */
#ifndef GRANNY_TESTS_RT_TEST_H
#define GRANNY_TESTS_RT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rt/internal.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static inline uint8_t *test_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    CHECK(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static inline rt_module *test_load_module(const char *name) {
    char wasm[1024], so[1024];
    snprintf(wasm, sizeof wasm, "%s/%s.wasm", RT_TEST_DIR, name);
    snprintf(so, sizeof so, "%s/%s.so", RT_TEST_DIR, name);
    size_t len;
    uint8_t *bytes = test_read_file(wasm, &len);
    rt_error err = {{0}};
    rt_module *m = rt_module_from_so(bytes, len, so, &err);
    free(bytes);
    if (!m) fprintf(stderr, "loading %s: %s\n", name, err.msg);
    CHECK(m);
    return m;
}

/* Runs fn under a trap frame and returns the trap kind (RT_TRAP_NONE when it returned). */
static inline rt_trap_kind test_catch(void (*fn)(void *), void *arg) {
    rt_trap_info trap;
    if (rt_catch(fn, arg, &trap)) return RT_TRAP_NONE;
    return trap.kind;
}

#define RUN(test)                                                                                  \
    do {                                                                                           \
        test();                                                                                    \
        printf("ok %s\n", #test);                                                                  \
        fflush(stdout);                                                                            \
    } while (0)

#endif

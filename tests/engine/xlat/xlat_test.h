/*
 * xlat_test.h — helpers shared by the translator tests: CHECK, assembling a .wat file with
 * Debian's wat2wasm into the test's scratch directory, and reading files.
 */
#ifndef GRANNY_TESTS_XLAT_TEST_H
#define GRANNY_TESTS_XLAT_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static inline uint8_t *xt_read_file(const char *path, size_t *len) {
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

/* Assembles XLAT_WAT_DIR/<name>.wat into <scratch>/<name>.wasm and returns its bytes. */
static inline uint8_t *xt_wat(const char *scratch, const char *name, size_t *len) {
    char cmd[8192], out[2048];
    snprintf(out, sizeof out, "%s/%s.wasm", scratch, name);
    snprintf(cmd, sizeof cmd, "wat2wasm --enable-threads '%s/%s.wat' -o '%s'", XLAT_WAT_DIR, name,
             out);
    int rc = system(cmd);
    if (rc != 0) {
        fprintf(stderr, "wat2wasm failed: %s\n", cmd);
        exit(1);
    }
    return xt_read_file(out, len);
}

/* A fresh scratch directory under the build tree (removed first). */
static inline void xt_scratch(const char *dir) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    CHECK(system(cmd) == 0);
}

#endif

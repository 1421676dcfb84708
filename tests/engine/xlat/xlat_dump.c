/*
 * xlat_dump.c — test tool: decode + validate a .wasm file and write the translator's C files
 * into a directory (xlat_dump module.wasm outdir [target_file_size max_files]). Tests compile
 * the output with `cc -Wall -Werror` to check that the generated C is clean, and developers use
 * it to read what the translator makes of a module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/wasm/decode.h"
#include "engine/wasm/validate.h"
#include "engine/xlat/xlat.h"

static unsigned char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(n > 0 ? (size_t)n : 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: xlat_dump module.wasm outdir [target_file_size max_files]\n");
        return 2;
    }
    size_t len;
    unsigned char *bytes = read_all(argv[1], &len);
    if (!bytes) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    wasm_module m;
    char err[512];
    if (!wasm_decode(bytes, len, &m, err, sizeof err) || !wasm_validate(&m, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    xlat_options o = {.max_files = argc > 4 ? (uint32_t)atoi(argv[4]) : 1,
                      .target_file_size = argc > 3 ? (uint32_t)atoi(argv[3]) : 1u << 30};
    xlat_output out;
    if (!xlat_module(&m, &o, &out, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    for (uint32_t i = 0; i < out.nfiles; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[2], out.names[i]);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(out.sources[i], 1, out.lengths[i], f) != out.lengths[i]) {
            fprintf(stderr, "cannot write %s\n", path);
            return 1;
        }
        fclose(f);
        printf("%s\n", path);
    }
    xlat_output_free(&out);
    wasm_module_free(&m);
    free(bytes);
    return 0;
}

/*
 * xlat.h — wasm -> C. Turns a validated wasm_module into a set of C source files that,
 * compiled and linked into one shared object, export RT_MODULE_SYMBOL (an rt_module_code) per
 * rt_abi.h. Functions are spread over several files so the C compiler can run in parallel, and
 * the obviously cold ones (xlat_cold.c) into files of their own that deserve cheaper flags.
 */
#ifndef GRANNY_ENGINE_XLAT_H
#define GRANNY_ENGINE_XLAT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/wasm/module.h"

/* Part of the AOT cache key: bump whenever the generated C changes for the same module. */
#define XLAT_VERSION "22"

typedef struct xlat_output {
    uint32_t nfiles;
    char **names;   /* e.g. "m0.c", "m1.c" ... */
    char **sources; /* NUL-terminated C text */
    size_t *lengths;
    uint8_t *cold; /* [nfiles] 1: the file holds only cold functions, compile it at -O1 */
} xlat_output;

typedef struct xlat_options {
    uint32_t max_files;        /* upper bound on the number of C files (>= 1) */
    uint32_t target_file_size; /* split functions into files of about this many wasm code bytes */
} xlat_options;

/* Returns false with a message in err (size errlen) on failure (e.g. out of memory). */
bool xlat_module(const wasm_module *m, const xlat_options *opts, xlat_output *out, char *err,
                 size_t errlen);
void xlat_output_free(xlat_output *out);

#endif

/*
 * xlat_cold.c — which functions are compiled with cheaper flags (-O1 instead of -O2).
 *
 * The C compiler spends most of a typical program's compile time on the C library that clang
 * linked into it, and most of that on a few big functions that are obviously cold in the programs
 * Granny runs: formatted output and input (printf_core alone is 40% of a hello world's C code),
 * number parsing, and the code that runs once at start-up and exit. They go into files of their
 * own, compiled at -O1, which costs about half the compiler time of -O2 and leaves the program's
 * own code (and the library's memcpy, malloc, string functions) at full optimisation.
 *
 * The functions are recognised by their names in the module's name section, which granny-cc keeps
 * (wasi-libc is musl, so these are musl's internal names; a module without names has no cold
 * functions). The names are specific enough not to collide with an application's functions in
 * practice, and a collision costs only speed: the semantics of -O1 code are the same.
 */
#include <string.h>

#include "xlat_internal.h"

static const char *const cold_names[] = {
    /* formatted output */
    "printf_core",
    "pop_arg",
    "fmt_fp",
    "vfprintf",
    "vfiprintf",
    "vsnprintf",
    "vsprintf",
    "vdprintf",
    "vprintf",
    "printf",
    "fprintf",
    "sprintf",
    "snprintf",
    "dprintf",
    "sn_write",
    /* formatted input and number parsing */
    "vfscanf",
    "vsscanf",
    "vscanf",
    "scanf",
    "fscanf",
    "sscanf",
    "string_read",
    "__floatscan",
    "__intscan",
    "hexfloat",
    "decfloat",
    "scanexp",
    "__shlim",
    "__shgetc",
    "strtod",
    "strtof",
    "strtold",
    "strtol",
    "strtoul",
    "strtoll",
    "strtoull",
    "strtoimax",
    "strtoumax",
    /* messages */
    "strerror",
    "__strerror_l",
    "perror",
    "__lctrans",
    "__lctrans_cur",
    /* start-up and exit, run once */
    "_start",
    "__wasm_call_ctors",
    "__wasm_call_dtors",
    "__main_void",
    "__main_argc_argv",
    "__wasilibc_populate_preopens",
    "internal_register_preopened_fd",
    "__wasilibc_register_preopened_fd",
    "__wasilibc_initialize_environ",
    "__wasilibc_ensure_environ",
    "__wasilibc_initialize_environ_eagerly",
    "exit",
    "_Exit",
    "abort",
    "__funcs_on_exit",
    "__libc_exit_fini",
    "__stdio_exit",
    "__stdio_exit_needed",
};

/* The cold list is only consulted for modules that contain musl's printf or scanf core, which
 * identifies wasi-libc (an application of its own is free to name a function `exit`). */
static bool name_is(const wasm_name *n, const char *s) {
    return n->bytes && n->len == strlen(s) && memcmp(n->bytes, s, n->len) == 0;
}

static bool has_libc(const wasm_module *m) {
    for (uint32_t f = m->nfuncs_imported; f < m->nfuncs_imported + m->nfuncs; f++)
        if (name_is(&m->func_names[f], "printf_core") || name_is(&m->func_names[f], "vfscanf"))
            return true;
    return false;
}

static bool is_cold_name(const wasm_name *n) {
    for (size_t i = 0; i < sizeof cold_names / sizeof cold_names[0]; i++)
        if (name_is(n, cold_names[i])) return true;
    return false;
}

uint32_t xlat_cold_functions(const wasm_module *m, uint8_t *cold) {
    memset(cold, 0, m->nfuncs);
    if (!m->func_names || !has_libc(m)) return 0;
    uint32_t n = 0;
    for (uint32_t j = 0; j < m->nfuncs; j++) {
        cold[j] = is_cold_name(&m->func_names[m->nfuncs_imported + j]);
        n += cold[j];
    }
    return n;
}

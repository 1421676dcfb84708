/*
 * aot.h — ahead-of-time compilation of translated C into a shared object, and the content-addressed
 * cache that makes the second load of a module cost a dlopen. The cache key hashes the module
 * bytes, RT_ABI_VERSION, the translator version, the C compiler's identity (its --version text) and
 * the flags; the object is written to a temporary name and renamed, so concurrent loads are safe.
 */
#ifndef GRANNY_ENGINE_AOT_H
#define GRANNY_ENGINE_AOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt/runtime.h"

/* Finds or builds the shared object of module `m` (bytes in m->bytes); on success writes its path
 * to so_path and sets *cache_hit. The module is split into C files of about 48 KiB of wasm code
 * each (one compiler per file, `jobs` at a time), the obviously cold functions (xlat_cold.c) into
 * files of their own that are compiled at -O1 at most; $GRANNY_AOT_FILE_SIZE overrides the size
 * (for tuning and tests; the generated code is equivalent, so it is not part of the cache key). */
bool aot_obtain(const wasm_module *m, const rt_load_options *opts, char *so_path, size_t so_len,
                bool *cache_hit, rt_load_stats *stats, rt_error *err);

/* With opts->no_cache the object is built in a private temporary directory instead of the cache:
 * call aot_discard right after dlopen to delete it (a no-op for cached objects); whatever is not
 * discarded is deleted when the process exits. */
void aot_discard(const char *so_path, const rt_load_options *opts);

/* The cache key (hex, 64 chars + NUL) for module bytes under the given options. */
void aot_cache_key(const uint8_t *bytes, size_t len, const rt_load_options *opts, char out[65]);

/* ---- Mapping code addresses to wasm functions (for trap reports) ----
 * The typed entries in rt_module_code are not the functions' code: a function that is also called
 * directly is reached through a small wrapper, and gcc moves code into clones (f3.isra.0). The
 * exact map comes from the shared object's symbol table: aot_code_map reads it and returns every
 * function's code range (address = load_base + symbol value; load_base is dladdr's dli_fbase for
 * the object), sorted by start; free *out with free(). func is the defined-function index (add the
 * imported-function count for the module's function index). */
typedef struct aot_code_range {
    uintptr_t start, end; /* [start, end) */
    uint32_t func;
} aot_code_range;

bool aot_code_map(const char *so_path, uintptr_t load_base, aot_code_range **out, size_t *n,
                  char *err, size_t errlen);
/* The range containing pc, or NULL (binary search; async-signal-safe). */
const aot_code_range *aot_code_lookup(const aot_code_range *ranges, size_t n, uintptr_t pc);

/* The cache directory for these options (created if missing): opts->cache_dir, else $GRANNY_CACHE,
 * else $XDG_CACHE_HOME/granny, else ~/.cache/granny. Other caches of derived modules (e.g. the
 * asyncify transformation of cells) live there too. */
bool aot_cache_dir(const rt_load_options *opts, char *out, size_t cap);

#endif

/*
 * aot.h — ahead-of-time compilation of translated C into a shared object, and the content-addressed
 * cache that makes the second load of a module cost a dlopen. The cache key hashes the module bytes,
 * RT_ABI_VERSION, the translator version, the C compiler's identity (its --version text) and the
 * flags; the object is written to a temporary name and renamed, so concurrent loads are safe.
 */
#ifndef GRANNY_ENGINE_AOT_H
#define GRANNY_ENGINE_AOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt/runtime.h"

/* Finds or builds the shared object of module `m` (bytes in m->bytes); on success writes its path
 * to so_path and sets *cache_hit. */
bool aot_obtain(const wasm_module *m, const rt_load_options *opts, char *so_path, size_t so_len,
                bool *cache_hit, rt_load_stats *stats, rt_error *err);

/* With opts->no_cache the object is built in a private temporary directory instead of the cache:
 * call aot_discard after dlopen to delete it (a no-op for cached objects). */
void aot_discard(const char *so_path, const rt_load_options *opts);

/* The cache key (hex, 64 chars + NUL) for module bytes under the given options. */
void aot_cache_key(const uint8_t *bytes, size_t len, const rt_load_options *opts, char out[65]);

#endif

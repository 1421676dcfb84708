/*
 * arena.h — the bump allocator that holds every array of a decoded wasm_module.
 *
 * The decoder allocates many small arrays whose lifetime is the module's; an arena makes
 * freeing trivial (one list walk in wasm_module_free) and failure paths simple (drop the arena).
 * Memory is zeroed and aligned for any scalar type. Internal to src/engine/wasm.
 */
#ifndef GRANNY_ENGINE_WASM_ARENA_H
#define GRANNY_ENGINE_WASM_ARENA_H

#include <stddef.h>

#include "engine/wasm/module.h"

/* Returns `size` zeroed bytes that live until wasm_arena_free(*arena), or NULL when out of memory.
 * size 0 returns a valid non-NULL pointer. */
void *wasm_arena_alloc(wasm_arena_block **arena, size_t size);
/* Frees every block and sets *arena to NULL. */
void wasm_arena_free(wasm_arena_block **arena);

#endif

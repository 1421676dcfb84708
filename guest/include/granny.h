/*
 * granny.h — Granny's own guest API: the few host functions a C-Cell may call beyond WASI, MPI
 * and OpenMP.
 *
 * Every function here is an import from the wasm module `env`, provided by the runtime as a host
 * function; nothing is linked into the guest. Programs normally need none of them: migration,
 * scaling and checkpoints happen at MPI and OpenMP barrier control points without the
 * application's help. They exist for programs that want to mark an explicit safe point or to
 * know which cell they run in (for logging).
 *
 * `__GRANNY__` is defined by granny-cc, so portable programs can write
 *     #ifdef __GRANNY__
 *     granny_checkpoint();
 *     #endif
 */
#ifndef GRANNY_GUEST_GRANNY_H
#define GRANNY_GUEST_GRANNY_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__wasm__)
#define GRANNY_IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#else
#define GRANNY_IMPORT(name)
#endif

/* A barrier control point: the runtime may checkpoint (or migrate) the cell here. The cell must
 * have no MPI messages in flight. Returns when the cell continues, possibly on another host. */
GRANNY_IMPORT("granny_checkpoint") void granny_checkpoint(void);

/* The id of the calling cell, unique within its job (0 for a single cell). */
GRANNY_IMPORT("granny_cell_id") int granny_cell_id(void);

#ifdef __cplusplus
}
#endif

#endif

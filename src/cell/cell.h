/*
 * cell.h — the C-Cell (seed §4.2): one wasm instance plus the host state that belongs to it.
 *
 * A *process* cell owns its linear memory. A *thread* cell shares its parent's memory (heap and
 * static data) through a second instance of the same module created with `use_memory`; it has its
 * own globals, and its own stack region inside linear memory (its `__stack_pointer` is set to the
 * top of a region the parent allocated for it).
 *
 * Control points: every host-interface call is a regular control point; a few (granny_checkpoint,
 * MPI_Barrier, OpenMP fork/join) are *barrier* control points, where the cell may be suspended.
 * Suspension is transparent to the program: at load time the module is transformed with Binaryen's
 * asyncify (cell_module_prepare), restricted to the control-point imports; when a control point
 * decides to suspend, it starts an asyncify unwind and returns, the instrumented code saves its
 * call stack into a buffer inside linear memory and returns all the way out of `_start`, and the
 * cell is then just memory + globals + tables + host state: a snapshot. Resuming (in this process
 * or another one, on this host or another) restores that state into a fresh instance, starts an
 * asyncify rewind and calls `_start` again; the code re-enters the interrupted call, whose control
 * point sees the rewind, stops it, and returns as if nothing had happened.
 *
 * Host modules (WASI, MPI, OpenMP) keep their per-cell state behind the pointers at the top of the
 * struct and register snapshot sections with cell_register_section.
 */
#ifndef GRANNY_CELL_CELL_H
#define GRANNY_CELL_CELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cell/snapshot.h"
#include "engine/rt/runtime.h"

struct wasi_ctx;

typedef enum cell_kind { CELL_PROCESS = 0, CELL_THREAD = 1 } cell_kind;

typedef enum cell_state {
    CELL_READY = 0, /* created, not started */
    CELL_RUNNING,   /* inside _start */
    CELL_UNWINDING, /* a control point started a suspension; _start is returning */
    CELL_SUSPENDED, /* stack saved in linear memory; may be snapshotted, resumed or dropped */
    CELL_REWINDING, /* resuming: _start re-enters the interrupted call */
    CELL_EXITED,    /* _start returned or proc_exit */
    CELL_TRAPPED,
} cell_state;

typedef struct cell {
    struct wasi_ctx *wasi; /* FIRST member: WASI finds its context here (wasi_ctx_of) */
    void *mpi;             /* MPI per-rank state (src/mpi), or NULL */
    void *omp;             /* OpenMP per-thread state, or NULL */
    cell_kind kind;
    cell_state state;
    uint32_t id;
    struct cell *parent; /* thread cells: the process cell whose memory they share */
    rt_module *module;
    rt_instance *inst;

    /* control points */
    uint64_t control_points; /* barrier control points passed so far */
    uint64_t suspend_at;     /* suspend when control_points reaches this (0: never) */
    bool suspend_requested;  /* suspend at the next barrier control point */

    /* asyncify */
    bool suspendable;    /* the module exports the asyncify interface */
    uint32_t unwind_buf; /* guest address of the unwind buffer, 0 until first used */
    uint32_t unwind_size;
    rt_funcref *fn_start_unwind, *fn_stop_unwind, *fn_start_rewind, *fn_stop_rewind;
    rt_funcref *fn_start;

    int exit_code;
    rt_trap_info trap;
} cell;

/* ---- Preparing a module ---- */

/* The imports that are barrier control points, in the asyncify-imports notation
 * ("env.granny_checkpoint,env.MPI_Barrier,..."). */
const char *cell_control_point_imports(void);

/* Makes a module suspendable: runs `wasm-opt --asyncify` restricted to the control-point imports
 * when the module imports any of them, caching the result (keyed by the input's hash) in the
 * engine's cache directory. *out is malloc'ed (free it); when the module imports no control point,
 * *out is a copy of the input. */
bool cell_module_prepare(const uint8_t *bytes, size_t len, const char *cache_dir, uint8_t **out,
                         size_t *out_len, rt_error *err);

/* Registers the granny.h host functions (granny_checkpoint, granny_cell_id) in `r`. */
bool cell_register_host(rt_host_registry *r, rt_error *err);

/* ---- Lifecycle ---- */

typedef struct cell_options {
    rt_resolver_fn resolve; /* imports (WASI, MPI, granny, ...) */
    void *resolve_ctx;
    struct wasi_ctx *wasi;
    uint64_t max_memory_pages;
    uint32_t unwind_size; /* bytes of the asyncify buffer; 0: 1 MiB */
    uint32_t id;
} cell_options;

/* A process cell: instantiates the module (start function included). */
cell *cell_new_process(rt_module *m, const cell_options *o, rt_error *err);
void cell_free(cell *c);

typedef enum cell_outcome { CELL_OUT_EXITED, CELL_OUT_SUSPENDED, CELL_OUT_TRAPPED } cell_outcome;

/* Runs `_start` (READY), or resumes a restored cell (REWINDING), on the calling thread, until it
 * exits, traps or suspends. Exit code in c->exit_code, trap in c->trap. */
cell_outcome cell_run(cell *c);

/* Called by host functions that are barrier control points, on entry. Returns true when the host
 * function must return at once without doing its work, because the cell just started to unwind
 * (it will be called again, with the same arguments, when the cell resumes). */
bool cell_control_point(rt_instance *caller);
/* The cell of an instance (instance->user), or NULL for an instance that belongs to no cell. */
cell *cell_of(rt_instance *inst);

/* ---- Snapshots ---- */

/* Host state of other modules: a section is saved by `save` (append bytes to the snapshot with
 * cell_snapshot_add) and restored by `restore`. */
typedef struct cell_section_ops {
    const char *name; /* section name, at most 24 bytes */
    bool (*save)(cell *c, cell_snapshot *s, rt_error *err);
    bool (*restore)(cell *c, const cell_section *sec, rt_error *err);
} cell_section_ops;
bool cell_register_section(const cell_section_ops *ops);

/* Snapshot of a SUSPENDED (or not yet started) process cell: module bytes, memory, globals, tables,
 * cell metadata and the registered host sections. Memory is borrowed from the instance unless
 * copy_memory; write or serialise the snapshot before the cell runs again in that case. */
bool cell_snapshot_take(cell *c, cell_snapshot *s, bool copy_memory, rt_error *err);

/* A new process cell from a snapshot, ready to resume with cell_run. The module must be the one
 * the snapshot names (checked). */
cell *cell_restore(rt_module *m, const cell_snapshot *s, const cell_options *o, rt_error *err);

#endif

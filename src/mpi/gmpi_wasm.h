/*
 * gmpi_wasm.h — MPI for C-Cells: the MPI functions of guest/include/mpi.h as host imports from
 * the wasm module `env`, and the launcher that runs a world of process cells (`granny run -n N`).
 *
 * Finding the rank: a host function reaches its per-rank state through the calling instance,
 * `caller->user`, which points to the cell struct: first member the wasi_ctx *, second member a
 * `void *mpi` that points to the rank's gmpi_guest (see src/cell/cell.h). An instance without one
 * traps with a message naming the MPI function ("not part of an MPI world").
 *
 * Safety: every guest (pointer, count, datatype) span, array, string and output location is
 * checked against the caller's linear memory before the core sees a host pointer; an invalid one
 * is MPI_ERR_BUFFER or MPI_ERR_ARG through the communicator's error handler, never a host fault.
 * Errors under MPI_ERRORS_ARE_FATAL (the default) and MPI_Abort end the world: every rank's MPI
 * call then ends its cell with the abort code (a proc_exit), and the launcher returns that code.
 */
#ifndef GRANNY_MPI_GMPI_WASM_H
#define GRANNY_MPI_GMPI_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt/runtime.h"
#include "mpi/gmpi.h"

/* Per-rank binding state (the cell's `mpi` pointer). */
typedef struct gmpi_guest gmpi_guest;

/* The first two members of the struct an MPI cell's instance->user points to. */
typedef struct gmpi_cell_view {
    void *wasi;
    gmpi_guest *mpi;
} gmpi_cell_view;

/* Registers every MPI_* function of mpi.h (built or not) in module "env". */
bool gmpi_wasm_register(rt_host_registry *r, rt_error *err);
/* True when the module imports any function from mpi.h (it must then run in an MPI world). */
bool gmpi_module_uses_mpi(const rt_module *m);
/* The same for module bytes not loaded yet (false when they do not decode). */
bool gmpi_wasm_bytes_use_mpi(const uint8_t *bytes, size_t len);

/* Binding state of one rank. `is_cell`: instance->user is a src/cell `cell`, so MPI_Barrier is
 * a barrier control point (cell_control_point). */
gmpi_guest *gmpi_guest_new(gmpi_rank *rank, bool is_cell);
void gmpi_guest_free(gmpi_guest *g);
/* The instance of the rank (user operations are called in it; its memory backs attribute values).
 * Call before the guest runs. */
void gmpi_guest_bind(gmpi_guest *g, rt_instance *inst);
/* Number of MPI calls the rank made (every MPI call is a regular control point). */
uint64_t gmpi_guest_calls(const gmpi_guest *g);

/* ---- The launcher ---- */

typedef struct gmpi_run_config {
    int nranks;
    int argc;
    char **argv; /* guest argv, argv[0] included; every rank gets the same */
    int nenv;
    char **env; /* "KEY=VALUE" */
    int ndirs;
    char **dir_host; /* preopened directories, shared by all ranks */
    char **dir_guest;
    uint64_t mem_max_pages; /* per rank; 0: no cap */
    int verbose;
    bool no_cache;
    /* After an abort, ranks still computing (never calling MPI again) get this long to finish
     * before the process exits with the abort code (0: 2 s). */
    double abort_grace_s;
} gmpi_run_config;

/* Runs a wasm module as a world of `nranks` process cells on this machine, like `mpirun -n N`:
 * each rank an instance with its own memory, `_start` on its own thread (guarded stack), stdout
 * and stderr of every rank merged on the process's, stdin for rank 0 only. Returns the exit
 * status: 0 when every rank exited 0; the abort code after MPI_Abort or a fatal MPI error; else
 * the first failing rank's status (134 after a trap, whose message names the rank); 1 when the
 * module cannot be loaded or linked. */
int gmpi_run_world(const uint8_t *bytes, size_t len, const char *name, const gmpi_run_config *c);

#endif

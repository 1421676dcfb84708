/*
 * gomp.h — OpenMP for C-Cells: the public face of the runtime behind `granny-cc -fopenmp` programs.
 *
 * clang lowers OpenMP directives into calls to LLVM's OpenMP runtime ABI (`__kmpc_*`) plus the
 * `omp_*` API; in a wasm32 module those calls are imports from `env`. This module provides them as
 * host functions (gomp_register). A process cell that runs OpenMP code gets a gomp process state
 * (gomp_cell_attach): a pool of worker threads, each running a *thread cell* — a second instance of
 * the same module that shares the process cell's linear memory and has its own globals and its own
 * C stack region inside that memory. A parallel region runs its outlined microtask on a team taken
 * from the pool; the threads stay in the pool between regions.
 *
 * Team size. Each parallel region's team size is decided at its fork, a barrier control point, by a
 * policy: by default what the program asked for (num_threads clause, omp_set_num_threads, or the
 * `threads` option). An elastic target (gomp_cell_set_target, or the elastic schedule of the
 * options: `granny run --threads N --elastic-to M --elastic-after F`) replaces the team size of
 * outermost regions from then on; the planner uses the same entry point to raise a job's threads
 * when cores are idle.
 *
 * See docs/openmp.md for the supported constructs and entry points.
 */
#ifndef GRANNY_OMP_GOMP_H
#define GRANNY_OMP_GOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt/runtime.h"

struct cell;

/* How team sizes change during a run (elastic scale-up). */
typedef struct gomp_elastic {
    int to; /* team size of outermost regions once active; 0: no elastic change */
    uint64_t
        after_forks; /* becomes active at this outermost fork (1-based); 0 with to>0: at once */
} gomp_elastic;

typedef struct gomp_options {
    int threads;     /* initial nthreads-var; 0: $OMP_NUM_THREADS, else the number of CPUs */
    int max_threads; /* thread limit of the pool; 0: 256 */
    uint32_t
        stack_size; /* guest C stack of each worker thread (bytes); 0: $OMP_STACKSIZE or 1 MiB */
    uint32_t host_stack; /* host stack of each worker (bytes); 0: 8 MiB */
    int spin_us;         /* busy-wait before blocking (µs); 0: $OMP_WAIT_POLICY (active: 200 ms,
                            passive: none) or 200 µs; negative: never spin */
    gomp_elastic elastic;
} gomp_options;

/* The options with every field resolved from the environment and defaults. */
void gomp_options_resolve(gomp_options *o);

/* Decision hook: the team size of a region about to fork. `requested` is what the program asked
 * for; return a size >= 1 (clamped to the thread limit). Called by the forking thread. */
typedef struct gomp_fork_info {
    int level; /* nesting level of the new region (1 = outermost) */
    int requested;
    uint64_t fork_index; /* outermost forks so far in this cell, this one included */
    int target;          /* current elastic target (0 none) */
} gomp_fork_info;
typedef int (*gomp_policy_fn)(void *ctx, const gomp_fork_info *info);

/* Registers the `__kmpc_*`, `omp_*`, `__atomic_*` and `__granny_omp_*` host functions (module
 * "env"). `opts` (may be NULL) are the defaults of cells that are not attached explicitly, which
 * link their thread cells against `r`: it must then outlive them. */
bool gomp_register(rt_host_registry *r, const gomp_options *opts, rt_error *err);

/* Registers, for every import of `m` from env named `__kmpc_*` or `omp_*` that gomp does not
 * provide, a host function of the import's exact type that traps with a message naming the entry
 * point when called (instead of failing instantiation). */
bool gomp_register_unsupported(rt_host_registry *r, const rt_module *m, rt_error *err);

/* Gives a process cell its OpenMP state. `resolve`/`resolve_ctx` link the thread cells' instances
 * (NULL: the registry given to gomp_register). Cells that call OpenMP without it are attached on
 * first use with the registered defaults. */
bool gomp_cell_attach(struct cell *c, const gomp_options *opts, rt_resolver_fn resolve,
                      void *resolve_ctx, rt_error *err);
/* Stops the pool's threads and frees the thread cells (call after the cell stopped running). */
void gomp_cell_detach(struct cell *c);

/* Elastic control (thread-safe, from any thread): the team size of the next outermost regions;
 * 0 returns to what the program asks. */
void gomp_cell_set_target(struct cell *c, int threads);
void gomp_cell_set_policy(struct cell *c, gomp_policy_fn fn, void *ctx);

/* Counters of a cell, for `granny run -v` and tests. */
typedef struct gomp_stats {
    uint64_t forks;        /* outermost forks */
    uint64_t nested_forks; /* forks inside a parallel region */
    int pool_threads;      /* worker threads created */
    int last_team;         /* size of the last outermost team */
    int max_team;          /* largest team */
} gomp_stats;
void gomp_cell_stats(struct cell *c, gomp_stats *out);

/* Run records, for an elastic change after a fraction of the run (`--elastic-after 0.5`): the
 * number of outermost forks of the last complete run of a program, under a key naming the module
 * and its arguments (gomp_history_key), kept in <cache_dir>/omp-runs/. */
void gomp_history_key(const char module_hash[65], int argc, char **argv, char out[96]);
bool gomp_history_load(const char *cache_dir, const char *key, uint64_t *forks);
bool gomp_history_store(const char *cache_dir, const char *key, uint64_t forks);
/* Parses the F of --elastic-after: a fork count (an integer >= 1, *fraction = 0) or a fraction of
 * the run (0 < F < 1, *forks = 0). False when malformed. */
bool gomp_elastic_after_parse(const char *s, uint64_t *forks, double *fraction);
/* The fork a fraction of the run falls on, from the record (false when there is none). */
bool gomp_elastic_after_resolve(const char *cache_dir, const char *key, double fraction,
                                uint64_t *forks);

/* ---- For runners (gomp_run.c): `--threads N --elastic-to M --elastic-after F` ---- */

typedef struct gomp_run {
    int threads;               /* --threads N (0: the default) */
    int elastic_to;            /* --elastic-to M (0: none) */
    const char *elastic_after; /* --elastic-after F: a fork count or a fraction of the run */
    int verbose;               /* print OpenMP statistics on stderr at the end */
    /* set by gomp_run_prepare */
    bool active; /* the module imports OpenMP entry points */
    gomp_options opts;
    char key[96];
    char cache[4096];
    bool have_cache;
} gomp_run;

/* Checks the options (before loading anything); false with a usage message. */
bool gomp_run_check(const gomp_run *r, char *msg, size_t len);
/* After loading the module: registers the OpenMP host functions in `reg` when the module imports
 * any, and resolves a fractional --elastic-after. argv[0..argc) are the guest's arguments.
 * Returns 0, or an exit status with err: 2 for a usage error, 1 otherwise. */
int gomp_run_prepare(gomp_run *r, rt_host_registry *reg, const rt_module *m, int argc, char **argv,
                     rt_error *err);
/* After creating the process cell (before running it). */
bool gomp_run_attach(gomp_run *r, struct cell *c, rt_host_registry *reg, rt_error *err);
/* After the cell ran (`completed`: it exited with status 0): statistics, run record, detach. */
void gomp_run_finish(gomp_run *r, struct cell *c, bool completed);

/* The fork/join control-point hook (cell_control_point of cell.h when linked with it): called on
 * entry of __kmpc_fork_call by the forking thread; true means "return at once". */
typedef bool (*gomp_control_point_fn)(rt_instance *caller);
void gomp_set_control_point(gomp_control_point_fn fn);

#endif

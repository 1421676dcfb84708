/*
 * gomp_wasm.h — what the wasm glue files share: per-cell and per-thread glue state, guest memory
 * access, calls into the guest, and trap propagation.
 *
 * From a host call to the runtime: caller (the calling instance) -> caller->user (its cell) ->
 * cell->omp (the gomp_thread of that instance) -> thread->user (gomp_tcell: instance, stack
 * pointer global, guest allocator) and thread->proc->hooks.ctx (gomp_wproc: the process cell's
 * memory, module, first trap).
 *
 * Traps. A guest trap in any thread of a cell is fatal to the whole cell, as a crash in a thread is
 * to a native process: the first one is recorded (gomp_wasm_record_trap) and the process state is
 * put in "aborting" mode, which makes every waiting thread give up and trap out of its guest code;
 * the outermost fork then re-raises the recorded trap (gomp_wasm_reraise) in the initial thread,
 * so the cell ends with it (proc_exit in a thread ends the cell with its exit code).
 */
#ifndef GRANNY_OMP_GOMP_WASM_H
#define GRANNY_OMP_GOMP_WASM_H

#include "cell/cell.h"
#include "omp/gomp_internal.h"

#define GOMP_ATOMIC_STRIPES 64

/* The first value of a threadprivate variable seen by a worker: later copies start from it. */
typedef struct gomp_tp_image {
    uint32_t data, size;
    uint8_t *bytes;
} gomp_tp_image;

typedef struct gomp_wproc {
    gomp_proc *proc;
    cell *pcell; /* the process cell */
    rt_module *module;
    rt_memory *memory;
    rt_resolver_fn resolve;
    void *resolve_ctx;
    uint32_t sp_slot; /* index of __stack_pointer in rt_instance.globals */
    uint32_t heap_lock;
    uint32_t atomic_locks[GOMP_ATOMIC_STRIPES];
    pthread_mutex_t lock; /* trap record, threadprivate images */
    bool trapped;
    rt_trap_info trap;
    int trap_gtid; /* the thread that trapped */
    gomp_tp_image *images;
    uint32_t nimages, cap_images;
} gomp_wproc;

/* A task allocated by __kmpc_omp_task_alloc, waiting for __kmpc_omp_task. */
typedef struct gomp_wtask {
    gomp_task task; /* first member */
    struct gomp_wtask *next_alloc;
} gomp_wtask;

typedef struct gomp_tp_entry {
    uint32_t data, copy;
} gomp_tp_entry;

typedef struct gomp_tcell {
    gomp_wproc *wp;
    cell *cell; /* the process cell for the initial thread, else `own` */
    cell own;   /* workers: their thread cell */
    rt_instance *inst;
    rt_value *sp; /* this instance's __stack_pointer */
    rt_funcref *fn_malloc, *fn_free;
    bool looked_up;
    gomp_wtask *allocated; /* tasks allocated, not yet submitted */
    gomp_tp_entry *tp;     /* threadprivate copies */
    uint32_t ntp, cap_tp;
} gomp_tcell;

/* ---- gomp_cell.c ---- */

/* The calling thread's state (traps with a message when the caller is not an OpenMP-capable cell;
 * attaches a process cell on first use). */
gomp_thread *gomp_wasm_thread(rt_instance *caller);
static inline gomp_tcell *gomp_wasm_tcell(gomp_thread *t) {
    return (gomp_tcell *)t->user;
}
static inline gomp_wproc *gomp_wasm_proc(gomp_thread *t) {
    return (gomp_wproc *)t->proc->hooks.ctx;
}

/* Guest memory [addr, addr+len) as a host pointer; traps naming `what` when out of bounds. */
uint8_t *gomp_wasm_mem(rt_instance *inst, uint32_t addr, uint64_t len, const char *what);
/* A 4-byte aligned word of guest memory (locks); traps when out of bounds or misaligned. */
uint32_t *gomp_wasm_word(rt_instance *inst, uint32_t addr, uint32_t len, const char *what);

/* The function at `index` of the instance's table 0, checked against the type
 * (nparams i32 parameters, nresults i32 results); traps naming `what` otherwise. The lookup
 * variant returns NULL with a message instead (for code that runs outside a host call, or inside
 * the core, where a trap must not unwind). */
rt_funcref *gomp_wasm_table_func(rt_instance *inst, uint32_t index, uint32_t nparams,
                                 uint32_t nresults, const char *what);
rt_funcref *gomp_wasm_table_lookup(rt_instance *inst, uint32_t index, uint32_t nparams,
                                   uint32_t nresults, char *msg, size_t msglen);
/* Records a failure of the runtime itself as the cell's trap (RT_TRAP_HOST "what: msg"). */
void gomp_wasm_fail(gomp_thread *t, const char *what, const char *msg);

/* Calls f on thread t's instance; on a trap records it and returns false. */
bool gomp_wasm_call(gomp_thread *t, rt_funcref *f, rt_value *io);
void gomp_wasm_record_trap(gomp_thread *t, const rt_trap_info *trap);
/* Raises the recorded trap, or a host trap with `what` and msg (never returns). */
__attribute__((noreturn)) void gomp_wasm_reraise(gomp_thread *t, const char *what, const char *msg);

/* Guest heap through the guest runtime library's exports (0 when out of memory). */
uint32_t gomp_wasm_malloc(gomp_thread *t, uint32_t size, uint32_t align);
void gomp_wasm_free(gomp_thread *t, uint32_t addr);

/* Pushes 16 bytes on the thread's guest stack (returns their address); pop restores. */
uint32_t gomp_wasm_push(gomp_thread *t, uint32_t *saved_sp);
void gomp_wasm_pop(gomp_thread *t, uint32_t saved_sp);

/* The registered defaults and the fork control-point hook. */
void gomp_wasm_set_defaults(rt_host_registry *r, const gomp_options *opts);
gomp_control_point_fn gomp_wasm_control_point(void);

/* ---- Registration tables (gomp_kmpc.c, gomp_api.c) ---- */

typedef struct gomp_entry {
    const char *name;
    const char *sig;
    rt_host_fn fn;
} gomp_entry;

extern const gomp_entry gomp_kmpc_entries[];
extern const size_t gomp_kmpc_count;
extern const gomp_entry gomp_api_entries[];
extern const size_t gomp_api_count;

#endif

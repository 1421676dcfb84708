/*
 * gomp_cell.c — OpenMP state of cells: attaching a process cell, creating thread cells for pool
 * workers, and the services the entry points share (guest memory, table calls, guest heap, the
 * guest stack, trap propagation).
 *
 * A thread cell is a second instance of the process cell's module created with `use_memory` (it
 * shares the linear memory; its data segments are not applied again, its table is initialised the
 * same way, so table indices — function pointers — mean the same function in every thread), with
 * its own globals. Its C stack is a region of linear memory of `stack_size` bytes obtained by
 * growing the memory once when the worker is created (wasi-libc's allocator copes with memory it
 * did not grow itself: it starts a new segment), and its `__stack_pointer` global — exported by
 * granny-cc, else the module's first mutable i32 global — is set to the top of that region. The
 * thread cell's `cell` struct shares the process cell's WASI context (threads share descriptors)
 * and MPI state.
 *
 * The microtask of a region receives pointers to the global and bound thread numbers: the glue
 * pushes 16 bytes on the calling thread's guest stack for them (gomp_wasm_push), as a C caller
 * would, so nested regions never overwrite an outer region's numbers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omp/gomp_wasm.h"

/* ---- Registered defaults ---- */

static pthread_mutex_t defaults_lock = PTHREAD_MUTEX_INITIALIZER;
static gomp_options defaults_opts;
static rt_host_registry *defaults_registry;
static gomp_control_point_fn control_point_fn;

void gomp_wasm_set_defaults(rt_host_registry *r, const gomp_options *opts) {
    pthread_mutex_lock(&defaults_lock);
    defaults_registry = r;
    memset(&defaults_opts, 0, sizeof defaults_opts);
    if (opts) defaults_opts = *opts;
    pthread_mutex_unlock(&defaults_lock);
}

void gomp_set_control_point(gomp_control_point_fn fn) {
    __atomic_store_n(&control_point_fn, fn, __ATOMIC_RELEASE);
}

gomp_control_point_fn gomp_wasm_control_point(void) {
    return __atomic_load_n(&control_point_fn, __ATOMIC_ACQUIRE);
}

/* ---- Thread cells ---- */

static bool find_stack_pointer(const rt_module *m, uint32_t *slot) {
    const rt_descriptor *d = rt_module_descriptor(m);
    for (uint32_t g = 0; g < d->nglobals; g++) {
        const rt_global_desc *gd = &d->globals[g];
        if (!gd->imported && gd->mutable_ && gd->valtype == WASM_I32 && gd->export_name &&
            !strcmp(gd->export_name, "__stack_pointer")) {
            *slot = gd->slot;
            return true;
        }
    }
    for (uint32_t g = 0; g < d->nglobals; g++) {
        const rt_global_desc *gd = &d->globals[g];
        if (!gd->imported && gd->mutable_ && gd->valtype == WASM_I32) {
            *slot = gd->slot;
            return true;
        }
    }
    return false;
}

static bool worker_new(gomp_proc *p, gomp_thread *t, void *ctx, char *msg, size_t msglen) {
    (void)p;
    gomp_wproc *wp = ctx;
    gomp_tcell *tc = calloc(1, sizeof *tc);
    if (!tc) {
        snprintf(msg, msglen, "out of memory for a thread cell");
        return false;
    }
    tc->wp = wp;
    tc->cell = &tc->own;
    cell *c = &tc->own;
    c->wasi = wp->pcell->wasi;
    c->mpi = wp->pcell->mpi;
    c->omp = t;
    c->kind = CELL_THREAD;
    c->state = CELL_RUNNING;
    c->id = wp->pcell->id;
    c->parent = wp->pcell;
    c->module = wp->module;

    uint32_t pages = (p->opts.stack_size + RT_PAGE_SIZE - 1) / RT_PAGE_SIZE;
    uint32_t old = rt_memory_grow(wp->memory, pages);
    if (old == UINT32_MAX) {
        snprintf(msg, msglen, "out of linear memory for a thread stack of %u bytes",
                 p->opts.stack_size);
        free(tc);
        return false;
    }
    uint64_t top = ((uint64_t)old + pages) * RT_PAGE_SIZE;
    if (top > 0xFFFFFFF0u) top = 0xFFFFFFF0u;

    rt_instance_options o;
    memset(&o, 0, sizeof o);
    o.resolve = wp->resolve;
    o.resolve_ctx = wp->resolve_ctx;
    o.user = c;
    o.use_memory = wp->memory;
    o.skip_start = true;
    rt_trap_info trap;
    rt_error err;
    memset(&trap, 0, sizeof trap);
    err.msg[0] = 0;
    tc->inst = rt_instance_new(wp->module, &o, &trap, &err);
    if (!tc->inst) {
        snprintf(msg, msglen, "cannot create a thread cell: %s", err.msg[0] ? err.msg : trap.msg);
        free(tc);
        return false;
    }
    c->inst = tc->inst;
    tc->sp = &tc->inst->globals[wp->sp_slot];
    tc->sp->i32 = (uint32_t)top;
    t->user = tc;
    return true;
}

static void tcell_release(gomp_tcell *tc) {
    while (tc->allocated) {
        gomp_wtask *w = tc->allocated;
        tc->allocated = w->next_alloc;
        free(w);
    }
    free(tc->tp);
}

static void worker_free(gomp_proc *p, gomp_thread *t, void *ctx) {
    (void)p, (void)ctx;
    gomp_tcell *tc = t->user;
    if (!tc) return;
    tcell_release(tc);
    if (tc->inst) rt_instance_free(tc->inst);
    free(tc);
    t->user = NULL;
}

/* ---- Attaching process cells ---- */

bool gomp_cell_attach(cell *c, const gomp_options *opts, rt_resolver_fn resolve, void *resolve_ctx,
                      rt_error *err) {
    if (c->omp) return true;
    if (!c->inst || !c->inst->memory) {
        snprintf(err->msg, sizeof err->msg, "OpenMP needs a module with a linear memory");
        return false;
    }
    gomp_options o;
    pthread_mutex_lock(&defaults_lock);
    o = opts ? *opts : defaults_opts;
    if (!resolve && defaults_registry) {
        resolve = rt_host_resolve;
        resolve_ctx = defaults_registry;
    }
    pthread_mutex_unlock(&defaults_lock);
    if (!resolve) {
        snprintf(err->msg, sizeof err->msg, "OpenMP: no resolver for thread cells");
        return false;
    }
    gomp_options_resolve(&o);
    gomp_wproc *wp = calloc(1, sizeof *wp);
    gomp_tcell *tc = calloc(1, sizeof *tc);
    if (!wp || !tc) {
        free(wp);
        free(tc);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return false;
    }
    wp->pcell = c;
    wp->module = rt_instance_module(c->inst);
    wp->memory = c->inst->memory;
    wp->resolve = resolve;
    wp->resolve_ctx = resolve_ctx;
    pthread_mutex_init(&wp->lock, NULL);
    if (!find_stack_pointer(wp->module, &wp->sp_slot)) {
        snprintf(err->msg, sizeof err->msg,
                 "OpenMP: the module has no __stack_pointer global (build it with granny-cc)");
        pthread_mutex_destroy(&wp->lock);
        free(wp);
        free(tc);
        return false;
    }
    gomp_hooks hooks = {worker_new, worker_free, wp};
    wp->proc = gomp_proc_new(&o, &hooks);
    if (!wp->proc) {
        pthread_mutex_destroy(&wp->lock);
        free(wp);
        free(tc);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return false;
    }
    tc->wp = wp;
    tc->cell = c;
    tc->inst = c->inst;
    tc->sp = &c->inst->globals[wp->sp_slot];
    wp->proc->initial.user = tc;
    c->omp = &wp->proc->initial;
    return true;
}

void gomp_cell_detach(cell *c) {
    if (!c || !c->omp) return;
    gomp_thread *t = c->omp;
    gomp_wproc *wp = gomp_wasm_proc(t);
    gomp_tcell *tc = gomp_wasm_tcell(t);
    c->omp = NULL;
    if (!gomp_proc_free(wp->proc)) return; /* a worker is still running guest code: leak */
    tcell_release(tc);
    free(tc);
    for (uint32_t i = 0; i < wp->nimages; i++)
        free(wp->images[i].bytes);
    free(wp->images);
    pthread_mutex_destroy(&wp->lock);
    free(wp);
}

void gomp_cell_set_target(cell *c, int threads) {
    if (!c || !c->omp) return;
    gomp_proc *p = ((gomp_thread *)c->omp)->proc;
    if (threads < 0) threads = 0;
    if (threads > p->opts.max_threads) threads = p->opts.max_threads;
    __atomic_store_n(&p->target, threads, __ATOMIC_RELEASE);
}

void gomp_cell_set_policy(cell *c, gomp_policy_fn fn, void *ctx) {
    if (!c || !c->omp) return;
    gomp_proc *p = ((gomp_thread *)c->omp)->proc;
    p->policy_ctx = ctx;
    p->policy = fn ? fn : gomp_policy_default;
}

void gomp_cell_stats(cell *c, gomp_stats *out) {
    memset(out, 0, sizeof *out);
    if (!c || !c->omp) return;
    gomp_proc *p = ((gomp_thread *)c->omp)->proc;
    out->forks = __atomic_load_n(&p->forks, __ATOMIC_RELAXED);
    out->nested_forks = __atomic_load_n(&p->nested_forks, __ATOMIC_RELAXED);
    out->pool_threads = gomp_pool_size(p);
    out->last_team = __atomic_load_n(&p->last_team, __ATOMIC_RELAXED);
    out->max_team = __atomic_load_n(&p->max_team, __ATOMIC_RELAXED);
}

/* ---- Services of the entry points ---- */

gomp_thread *gomp_wasm_thread(rt_instance *caller) {
    cell *c = caller ? caller->user : NULL;
    if (!c) rt_trap_host("OpenMP: the calling instance is not a cell");
    if (!c->omp) {
        rt_error err;
        if (c->kind != CELL_PROCESS || !gomp_cell_attach(c, NULL, NULL, NULL, &err))
            rt_trap_host("OpenMP: cannot initialise the runtime: %s",
                         c->kind != CELL_PROCESS ? "not a process cell" : err.msg);
    }
    return c->omp;
}

uint8_t *gomp_wasm_mem(rt_instance *inst, uint32_t addr, uint64_t len, const char *what) {
    rt_memory *m = inst->memory;
    uint64_t size = m ? __atomic_load_n(&m->size, __ATOMIC_ACQUIRE) : 0;
    if ((uint64_t)addr + len > size)
        rt_trap_host("%s: address %u (+%llu bytes) is out of bounds of linear memory", what, addr,
                     (unsigned long long)len);
    return m->base + addr;
}

uint32_t *gomp_wasm_word(rt_instance *inst, uint32_t addr, uint32_t len, const char *what) {
    if (addr % 4 != 0) rt_trap_host("%s: address %u is not 4-byte aligned", what, addr);
    return (uint32_t *)gomp_wasm_mem(inst, addr, len, what);
}

rt_funcref *gomp_wasm_table_lookup(rt_instance *inst, uint32_t index, uint32_t nparams,
                                   uint32_t nresults, char *msg, size_t msglen) {
    rt_table *t = inst->tables ? inst->tables[0] : NULL;
    if (!t || index >= t->size || t->elemtype != WASM_FUNCREF) {
        snprintf(msg, msglen, "function pointer %u is not in the table", index);
        return NULL;
    }
    rt_funcref *f = t->elems[index];
    if (!f) {
        snprintf(msg, msglen, "function pointer %u is null", index);
        return NULL;
    }
    const wasm_functype *ft = rt_funcref_type(f);
    bool ok = ft && ft->nparams == nparams && ft->nresults == nresults;
    for (uint32_t i = 0; ok && i < nparams; i++)
        ok = ft->params[i] == WASM_I32;
    for (uint32_t i = 0; ok && i < nresults; i++)
        ok = ft->results[i] == WASM_I32;
    if (!ok) {
        snprintf(msg, msglen,
                 "function %u does not have the expected type (%u i32 parameters, %u results)",
                 index, nparams, nresults);
        return NULL;
    }
    return f;
}

rt_funcref *gomp_wasm_table_func(rt_instance *inst, uint32_t index, uint32_t nparams,
                                 uint32_t nresults, const char *what) {
    char msg[200];
    rt_funcref *f = gomp_wasm_table_lookup(inst, index, nparams, nresults, msg, sizeof msg);
    if (!f) rt_trap_host("%s: %s", what, msg);
    return f;
}

void gomp_wasm_fail(gomp_thread *t, const char *what, const char *msg) {
    rt_trap_info trap;
    memset(&trap, 0, sizeof trap);
    trap.kind = RT_TRAP_HOST;
    trap.func_index = UINT32_MAX;
    snprintf(trap.msg, sizeof trap.msg, "%s: %s", what, msg);
    gomp_wasm_record_trap(t, &trap);
}

void gomp_wasm_record_trap(gomp_thread *t, const rt_trap_info *trap) {
    gomp_wproc *wp = gomp_wasm_proc(t);
    pthread_mutex_lock(&wp->lock);
    if (!wp->trapped) {
        wp->trapped = true;
        wp->trap = *trap;
        wp->trap_gtid = t->gtid;
    }
    pthread_mutex_unlock(&wp->lock);
    gomp_proc_abort(t->proc);
}

bool gomp_wasm_call(gomp_thread *t, rt_funcref *f, rt_value *io) {
    rt_trap_info trap;
    if (rt_invoke(gomp_wasm_tcell(t)->inst, f, io, &trap)) return true;
    gomp_wasm_record_trap(t, &trap);
    return false;
}

void gomp_wasm_reraise(gomp_thread *t, const char *what, const char *msg) {
    gomp_wproc *wp = gomp_wasm_proc(t);
    rt_trap_info trap;
    bool have;
    int gtid = 0;
    pthread_mutex_lock(&wp->lock);
    have = wp->trapped;
    if (have) {
        trap = wp->trap;
        gtid = wp->trap_gtid;
    }
    pthread_mutex_unlock(&wp->lock);
    if (!have) {
        gomp_proc_abort(t->proc);
        rt_trap_host("%s: %s", what, msg);
    }
    if (trap.kind == RT_TRAP_EXIT) rt_trap_exit(trap.exit_code);
    /* Re-raised in this thread as a host trap: keep the message, the function and the thread. */
    const char *text = trap.msg[0] ? trap.msg : rt_trap_kind_message(trap.kind);
    const char *fn = trap.func_index != UINT32_MAX && trap.module
                         ? rt_module_func_name(trap.module, trap.func_index)
                         : NULL;
    if (fn) rt_trap_host("%s in function %s (OpenMP thread %d)", text, fn, gtid);
    if (trap.kind == RT_TRAP_HOST) rt_trap_host("%s", text);
    rt_trap_host("%s (OpenMP thread %d)", text, gtid);
}

/* The guest library's allocator: __granny_omp_hooks (exported address) holds a version and the
 * table indices of its malloc and free. */
static void lookup_allocator(gomp_tcell *tc) {
    if (tc->looked_up) return;
    tc->looked_up = true;
    rt_extern ext;
    if (!rt_instance_export(tc->inst, "__granny_omp_hooks", &ext) ||
        ext.kind != WASM_EXTERN_GLOBAL || ext.global_valtype != WASM_I32)
        return;
    uint32_t addr = ext.u.global->i32;
    uint64_t size = __atomic_load_n(&tc->inst->memory->size, __ATOMIC_ACQUIRE);
    if ((uint64_t)addr + 12 > size) return;
    uint32_t hooks[3];
    memcpy(hooks, tc->inst->memory->base + addr, sizeof hooks);
    if (hooks[0] != 1) return;
    char msg[200];
    tc->fn_malloc = gomp_wasm_table_lookup(tc->inst, hooks[1], 2, 1, msg, sizeof msg);
    tc->fn_free = gomp_wasm_table_lookup(tc->inst, hooks[2], 1, 0, msg, sizeof msg);
    if (!tc->fn_free) tc->fn_malloc = NULL;
}

uint32_t gomp_wasm_malloc(gomp_thread *t, uint32_t size, uint32_t align) {
    gomp_tcell *tc = gomp_wasm_tcell(t);
    lookup_allocator(tc);
    if (!tc->fn_malloc)
        rt_trap_host("OpenMP tasks and threadprivate data need Granny's guest OpenMP library "
                     "(link with granny-cc -fopenmp)");
    rt_value io[2];
    io[0].i32 = size;
    io[1].i32 = align;
    if (!gomp_wasm_call(t, tc->fn_malloc, io)) return 0;
    return io[0].i32;
}

void gomp_wasm_free(gomp_thread *t, uint32_t addr) {
    gomp_tcell *tc = gomp_wasm_tcell(t);
    lookup_allocator(tc);
    if (!tc->fn_free || addr == 0 || gomp_aborting(t->proc)) return;
    rt_value io[1];
    io[0].i32 = addr;
    gomp_wasm_call(t, tc->fn_free, io);
}

uint32_t gomp_wasm_push(gomp_thread *t, uint32_t *saved_sp) {
    gomp_tcell *tc = gomp_wasm_tcell(t);
    uint32_t sp = tc->sp->i32;
    if (sp < 64) rt_trap_host("OpenMP: guest stack exhausted");
    uint32_t frame = (sp - 16) & ~15u;
    gomp_wasm_mem(tc->inst, frame, 16, "OpenMP stack frame");
    *saved_sp = sp;
    tc->sp->i32 = frame;
    return frame;
}

void gomp_wasm_pop(gomp_thread *t, uint32_t saved_sp) {
    gomp_wasm_tcell(t)->sp->i32 = saved_sp;
}

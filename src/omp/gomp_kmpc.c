/*
 * gomp_kmpc.c — the `__kmpc_*` entry points clang emits for OpenMP directives, as host functions.
 *
 * Every entry point follows one pattern: find the calling thread (gomp_wasm_thread), read its
 * arguments (guest pointers are checked against linear memory), call the core, write results
 * back, and raise a trap only after the core returned (core code never unwinds). A core call that
 * fails because the process is aborting re-raises the cell's first trap.
 *
 * Argument conventions of wasm32 (clang's lowering): pointers and kmp_int32 are i32, kmp_int64 is
 * i64; `__kmpc_fork_call` is variadic, so its fourth parameter is the address of the argument
 * buffer (argc 4-byte values: clang passes each captured variable as a pointer, or a value cast
 * to a pointer-sized integer). The microtask is a table index; its type is
 * void(i32 *gtid, i32 *btid, i32 args...).
 *
 * Loops: the bounds of static and dispatch loops are in the loop variable's type (signed or
 * unsigned, 32 or 64 bits); they are widened to 64 bits, turned into a trip count of normalised
 * iterations for the core, and mapped back with modular arithmetic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omp/gomp_wasm.h"

#define GOMP_MAX_FORK_ARGS 4096

/* ---- Guest memory helpers ---- */

static uint32_t rd32(rt_instance *inst, uint32_t addr, const char *what) {
    uint32_t v;
    memcpy(&v, gomp_wasm_mem(inst, addr, 4, what), 4);
    return v;
}

static void wr32(rt_instance *inst, uint32_t addr, uint32_t v, const char *what) {
    memcpy(gomp_wasm_mem(inst, addr, 4, what), &v, 4);
}

static uint64_t rd64(rt_instance *inst, uint32_t addr, const char *what) {
    uint64_t v;
    memcpy(&v, gomp_wasm_mem(inst, addr, 8, what), 8);
    return v;
}

static void wr64(rt_instance *inst, uint32_t addr, uint64_t v, const char *what) {
    memcpy(gomp_wasm_mem(inst, addr, 8, what), &v, 8);
}

__attribute__((noreturn)) static void aborting(gomp_thread *t, const char *what) {
    gomp_wasm_reraise(t, what, "another thread of the cell failed");
}

/* ---- Loop types ---- */

typedef struct loop_type {
    int width; /* 4 or 8 bytes */
    bool is_signed;
} loop_type;

static const loop_type LOOP_I32 = {4, true}, LOOP_U32 = {4, false}, LOOP_I64 = {8, true},
                       LOOP_U64 = {8, false};

static uint64_t widen(uint64_t v, loop_type lt) {
    if (lt.width == 8) return v;
    return lt.is_signed ? (uint64_t)(int64_t)(int32_t)(uint32_t)v : (uint64_t)(uint32_t)v;
}

static bool less(uint64_t a, uint64_t b, loop_type lt) {
    return lt.is_signed ? (int64_t)a < (int64_t)b : a < b;
}

static uint64_t rd_loop(rt_instance *inst, uint32_t addr, loop_type lt, const char *what) {
    return widen(lt.width == 4 ? rd32(inst, addr, what) : rd64(inst, addr, what), lt);
}

static void wr_loop(rt_instance *inst, uint32_t addr, uint64_t v, loop_type lt, const char *what) {
    if (lt.width == 4)
        wr32(inst, addr, (uint32_t)v, what);
    else
        wr64(inst, addr, v, what);
}

/* Iterations of for (i = lb; i <= ub (or >= for a negative step); i += incr). */
static uint64_t trip_count(uint64_t lb, uint64_t ub, int64_t incr, loop_type lt) {
    if (incr > 0) {
        if (less(ub, lb, lt)) return 0;
        return (ub - lb) / (uint64_t)incr + 1;
    }
    if (less(lb, ub, lt)) return 0;
    return (lb - ub) / (0 - (uint64_t)incr) + 1;
}

static int64_t arg_int(const rt_value *v, loop_type lt) {
    return lt.width == 4 ? (int64_t)(int32_t)v->i32 : (int64_t)v->i64;
}

/* ---- Parallel regions ---- */

typedef struct fork_job {
    uint32_t micro; /* table index of the outlined function */
    uint32_t argc;
    const uint32_t *args;
} fork_job;

/* Runs the microtask on thread t (called by the core on every thread of the team: never traps). */
static void run_microtask(gomp_thread *t, void *arg) {
    const fork_job *job = arg;
    gomp_tcell *tc = gomp_wasm_tcell(t);
    char msg[200];
    rt_funcref *f = gomp_wasm_table_lookup(tc->inst, job->micro, job->argc + 2, 0, msg, sizeof msg);
    if (!f) {
        gomp_wasm_fail(t, "__kmpc_fork_call", msg);
        return;
    }
    uint32_t sp = tc->sp->i32;
    uint32_t frame = (sp - 16) & ~15u;
    uint64_t size = __atomic_load_n(&tc->inst->memory->size, __ATOMIC_ACQUIRE);
    if (sp < 64 || (uint64_t)frame + 16 > size) {
        gomp_wasm_fail(t, "__kmpc_fork_call", "guest stack pointer out of bounds");
        return;
    }
    uint32_t ids[2] = {(uint32_t)t->gtid, (uint32_t)t->ctx.tid};
    memcpy(tc->inst->memory->base + frame, ids, sizeof ids);
    rt_value small[16];
    rt_value *io = job->argc + 2 <= 16 ? small : malloc((job->argc + 2) * sizeof *io);
    if (!io) {
        gomp_wasm_fail(t, "__kmpc_fork_call", "out of memory");
        return;
    }
    io[0].i32 = frame;
    io[1].i32 = frame + 4;
    for (uint32_t i = 0; i < job->argc; i++)
        io[2 + i].i32 = job->args[i];
    tc->sp->i32 = frame;
    gomp_wasm_call(t, f, io);
    tc->sp->i32 = sp;
    if (io != small) free(io);
}

static void fork_common(rt_instance *caller, int32_t argc, uint32_t micro, uint32_t argv, bool cond,
                        const char *what) {
    gomp_thread *self = gomp_wasm_thread(caller);
    /* An outermost fork is a barrier control point: only the initial thread runs. */
    gomp_control_point_fn cp = gomp_wasm_control_point();
    if (cp && self->ctx.team->level == 0 && cp(caller)) return;
    if (argc < 0 || argc > GOMP_MAX_FORK_ARGS)
        rt_trap_host("%s: invalid argument count %d", what, argc);
    gomp_wasm_table_func(caller, micro, (uint32_t)argc + 2, 0, what);
    const uint8_t *src = gomp_wasm_mem(caller, argv, (uint64_t)argc * 4, what);
    uint32_t small[32];
    uint32_t *args = argc <= 32 ? small : malloc((size_t)argc * 4);
    if (!args) rt_trap_host("%s: out of memory", what);
    memcpy(args, src, (size_t)argc * 4);
    fork_job job = {micro, (uint32_t)argc, args};
    int n = cond ? gomp_team_size(self, 0) : 1;
    if (!cond) self->pushed_nthreads = 0;
    char msg[256] = "";
    bool ok = gomp_parallel(self, n, run_microtask, &job, msg, sizeof msg);
    if (args != small) free(args);
    if (!ok || gomp_aborting(self->proc)) gomp_wasm_reraise(self, what, msg);
}

static void h_fork_call(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    fork_common(caller, (int32_t)io[1].i32, io[2].i32, io[3].i32, true, "__kmpc_fork_call");
}

/* __kmpc_fork_call_if(loc, argc, microtask, cond, args): args is an array of argc pointers. */
static void h_fork_call_if(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    fork_common(caller, (int32_t)io[1].i32, io[2].i32, io[4].i32, io[3].i32 != 0,
                "__kmpc_fork_call_if");
}

static void h_push_num_threads(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    gomp_thread *self = gomp_wasm_thread(caller);
    int32_t n = (int32_t)io[2].i32;
    if (n > 0) self->pushed_nthreads = n;
}

static void h_push_proc_bind(rt_instance *caller, void *data, rt_value *io) {
    (void)caller, (void)data, (void)io;
}

static void h_serialized_parallel(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    gomp_thread *self = gomp_wasm_thread(caller);
    if (!gomp_serialized_begin(self)) rt_trap_host("__kmpc_serialized_parallel: out of memory");
}

static void h_end_serialized_parallel(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    gomp_thread *self = gomp_wasm_thread(caller);
    if (!gomp_serialized_end(self))
        rt_trap_host("__kmpc_end_serialized_parallel without a matching "
                     "__kmpc_serialized_parallel");
    if (gomp_aborting(self->proc)) aborting(self, "__kmpc_end_serialized_parallel");
}

static void h_global_thread_num(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    io[0].i32 = (uint32_t)gomp_wasm_thread(caller)->gtid;
}

static void h_global_num_threads(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    gomp_thread *self = gomp_wasm_thread(caller);
    io[0].i32 = (uint32_t)(gomp_pool_size(self->proc) + 1);
}

static void h_bound_thread_num(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    io[0].i32 = (uint32_t)gomp_wasm_thread(caller)->ctx.tid;
}

static void h_bound_num_threads(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    io[0].i32 = (uint32_t)gomp_wasm_thread(caller)->ctx.team->nthreads;
}

static void h_in_parallel(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    io[0].i32 = gomp_active_level(gomp_wasm_thread(caller)) > 0;
}

static void h_ok_to_fork(rt_instance *caller, void *data, rt_value *io) {
    (void)caller, (void)data;
    io[0].i32 = 1;
}

static void h_nop(rt_instance *caller, void *data, rt_value *io) {
    (void)caller, (void)data, (void)io;
}

/* ---- Synchronisation ---- */

static void h_barrier(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    gomp_thread *self = gomp_wasm_thread(caller);
    if (!gomp_barrier(self)) aborting(self, "__kmpc_barrier");
}

/* A full fence; a sequentially consistent read-modify-write is one (and ThreadSanitizer, which
 * rejects bare fences, understands it). */
static uint32_t flush_word;

static void h_flush(rt_instance *caller, void *data, rt_value *io) {
    (void)caller, (void)data, (void)io;
    __atomic_fetch_add(&flush_word, 0, __ATOMIC_SEQ_CST);
}

static void critical_enter(rt_instance *caller, uint32_t name, const char *what) {
    gomp_thread *self = gomp_wasm_thread(caller);
    uint32_t *word = gomp_wasm_word(caller, name, 32, what);
    if (!gomp_word_lock(word, self->proc->opts.spin_us, &self->proc->aborting))
        aborting(self, what);
}

static void h_critical(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    critical_enter(caller, io[2].i32, "__kmpc_critical");
}

static void h_critical_with_hint(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    critical_enter(caller, io[2].i32, "__kmpc_critical_with_hint");
}

static void h_end_critical(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    gomp_wasm_thread(caller);
    gomp_word_unlock(gomp_wasm_word(caller, io[2].i32, 32, "__kmpc_end_critical"));
}

static void h_master(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    io[0].i32 = gomp_wasm_thread(caller)->ctx.tid == 0;
}

static void h_masked(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    io[0].i32 = gomp_wasm_thread(caller)->ctx.tid == (int32_t)io[2].i32;
}

static void h_single(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    gomp_thread *self = gomp_wasm_thread(caller);
    bool ok;
    bool mine = gomp_single(self, &ok);
    if (!ok) aborting(self, "__kmpc_single");
    io[0].i32 = mine;
}

static void h_ordered(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    gomp_thread *self = gomp_wasm_thread(caller);
    if (!gomp_ordered_begin(self)) aborting(self, "__kmpc_ordered");
}

static void h_end_ordered(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    gomp_ordered_end(gomp_wasm_thread(caller));
}

/* __kmpc_copyprivate(loc, gtid, cpy_size, cpy_data, cpy_func, didit) */
static void h_copyprivate(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    const char *what = "__kmpc_copyprivate";
    gomp_thread *self = gomp_wasm_thread(caller);
    uint32_t cpy_data = io[3].i32, cpy_func = io[4].i32;
    bool didit = io[5].i32 != 0;
    rt_funcref *f = NULL;
    if (!didit && self->ctx.team->nthreads > 1)
        f = gomp_wasm_table_func(caller, cpy_func, 2, 0, what);
    uint64_t src;
    if (!gomp_copyprivate_begin(self, didit, cpy_data, &src)) aborting(self, what);
    bool ok = true;
    if (f) {
        rt_value args[2];
        args[0].i32 = cpy_data;
        args[1].i32 = (uint32_t)src;
        ok = gomp_wasm_call(self, f, args);
    }
    if (!gomp_copyprivate_end(self) || !ok) aborting(self, what);
}

/* ---- Reductions ---- */

static void h_reduce(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    gomp_thread *self = gomp_wasm_thread(caller);
    bool ok;
    int method = gomp_reduce_begin(self, &ok);
    if (!ok) aborting(self, "__kmpc_reduce");
    io[0].i32 = (uint32_t)method;
}

static void h_end_reduce_nowait(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    gomp_reduce_end(gomp_wasm_thread(caller));
}

static void h_end_reduce(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    gomp_thread *self = gomp_wasm_thread(caller);
    gomp_reduce_end(self);
    if (!gomp_barrier(self)) aborting(self, "__kmpc_end_reduce");
}

/* ---- Static loops ---- */

/* __kmpc_for_static_init_*(loc, gtid, schedtype, plastiter, plower, pupper, pstride, incr, chunk)
 */
static void static_init(rt_instance *caller, rt_value *io, loop_type lt, const char *what) {
    gomp_thread *self = gomp_wasm_thread(caller);
    int32_t sched = (int32_t)io[2].i32;
    uint32_t plast = io[3].i32, plower = io[4].i32, pupper = io[5].i32, pstride = io[6].i32;
    int64_t incr = arg_int(&io[7], lt), chunk = arg_int(&io[8], lt);
    if (incr == 0) rt_trap_host("%s: loop increment is zero", what);
    uint64_t lb = rd_loop(caller, plower, lt, what), ub = rd_loop(caller, pupper, lt, what);
    uint64_t trip = trip_count(lb, ub, incr, lt);
    if (trip == 0) {
        if (plast) wr32(caller, plast, 0, what);
        wr_loop(caller, pstride, (uint64_t)incr, lt, what);
        return;
    }
    gomp_static_out so;
    gomp_static_bounds(sched, trip, chunk > 0 ? (uint64_t)chunk : 0, self->ctx.team->nthreads,
                       self->ctx.tid, &so);
    uint64_t lo, hi, stride;
    uint64_t step = (uint64_t)incr;
    if (so.chunk) {
        lo = lb + so.first * step;
        hi = lo + (so.chunk - 1) * step;
        stride = so.stride * step;
    } else if (so.count) {
        lo = lb + so.first * step;
        hi = lo + (so.count - 1) * step;
        stride = trip * step;
    } else {
        lo = ub + step; /* empty: lower beyond upper */
        hi = ub;
        stride = trip * step;
    }
    if (plast) wr32(caller, plast, so.last, what);
    wr_loop(caller, plower, lo, lt, what);
    wr_loop(caller, pupper, hi, lt, what);
    wr_loop(caller, pstride, stride, lt, what);
}

static void h_static_init_4(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    static_init(c, io, LOOP_I32, "__kmpc_for_static_init_4");
}
static void h_static_init_4u(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    static_init(c, io, LOOP_U32, "__kmpc_for_static_init_4u");
}
static void h_static_init_8(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    static_init(c, io, LOOP_I64, "__kmpc_for_static_init_8");
}
static void h_static_init_8u(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    static_init(c, io, LOOP_U64, "__kmpc_for_static_init_8u");
}

/* ---- Dispatch loops ---- */

/* __kmpc_dispatch_init_*(loc, gtid, schedule, lb, ub, st, chunk) */
static void dispatch_init(rt_instance *caller, rt_value *io, loop_type lt, const char *what) {
    gomp_thread *self = gomp_wasm_thread(caller);
    int32_t sched = (int32_t)io[2].i32;
    uint64_t lb = widen(lt.width == 4 ? io[3].i32 : io[3].i64, lt);
    uint64_t ub = widen(lt.width == 4 ? io[4].i32 : io[4].i64, lt);
    int64_t st = arg_int(&io[5], lt), chunk = arg_int(&io[6], lt);
    if (st == 0) rt_trap_host("%s: loop increment is zero", what);
    uint64_t trip = trip_count(lb, ub, st, lt);
    if (!gomp_dispatch_init(self, sched, trip, chunk > 0 ? (uint64_t)chunk : 0))
        aborting(self, what);
    self->ctx.loop.user_lb = lb;
    self->ctx.loop.user_st = st;
}

/* __kmpc_dispatch_next_*(loc, gtid, p_last, p_lb, p_ub, p_st) -> 1 with a chunk, 0 at the end */
static void dispatch_next(rt_instance *caller, rt_value *io, loop_type lt, const char *what) {
    gomp_thread *self = gomp_wasm_thread(caller);
    uint32_t plast = io[2].i32, plb = io[3].i32, pub = io[4].i32, pst = io[5].i32;
    uint64_t first, count;
    bool last;
    if (!gomp_dispatch_next(self, &first, &count, &last)) {
        if (gomp_aborting(self->proc)) aborting(self, what);
        io[0].i32 = 0;
        return;
    }
    uint64_t lb = self->ctx.loop.user_lb, st = (uint64_t)self->ctx.loop.user_st;
    wr_loop(caller, plb, lb + first * st, lt, what);
    wr_loop(caller, pub, lb + (first + count - 1) * st, lt, what);
    if (pst) wr_loop(caller, pst, st, lt, what);
    if (plast) wr32(caller, plast, last, what);
    io[0].i32 = 1;
}

static void dispatch_fini(rt_instance *caller, const char *what) {
    gomp_thread *self = gomp_wasm_thread(caller);
    if (!gomp_dispatch_fini_iter(self)) aborting(self, what);
}

static void h_dispatch_init_4(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_init(c, io, LOOP_I32, "__kmpc_dispatch_init_4");
}
static void h_dispatch_init_4u(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_init(c, io, LOOP_U32, "__kmpc_dispatch_init_4u");
}
static void h_dispatch_init_8(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_init(c, io, LOOP_I64, "__kmpc_dispatch_init_8");
}
static void h_dispatch_init_8u(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_init(c, io, LOOP_U64, "__kmpc_dispatch_init_8u");
}
static void h_dispatch_next_4(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_next(c, io, LOOP_I32, "__kmpc_dispatch_next_4");
}
static void h_dispatch_next_4u(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_next(c, io, LOOP_U32, "__kmpc_dispatch_next_4u");
}
static void h_dispatch_next_8(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_next(c, io, LOOP_I64, "__kmpc_dispatch_next_8");
}
static void h_dispatch_next_8u(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    dispatch_next(c, io, LOOP_U64, "__kmpc_dispatch_next_8u");
}
static void h_dispatch_fini(rt_instance *c, void *d, rt_value *io) {
    (void)d, (void)io;
    dispatch_fini(c, "__kmpc_dispatch_fini");
}

/* ---- Threadprivate ---- */

/* The copy of threadprivate `data` for thread t: the initial thread uses the original; other
 * threads get a copy on first use, initialised from the value the original had when any thread
 * first used it (libomp's behaviour: the master may have changed the original since). */
static void h_threadprivate_cached(rt_instance *caller, void *d, rt_value *io) {
    (void)d;
    const char *what = "__kmpc_threadprivate_cached";
    gomp_thread *self = gomp_wasm_thread(caller);
    uint32_t data = io[2].i32, size = io[3].i32;
    gomp_wasm_mem(caller, data, size, what);
    gomp_tcell *tc = gomp_wasm_tcell(self);
    for (uint32_t i = 0; i < tc->ntp; i++) {
        if (tc->tp[i].data == data) {
            io[0].i32 = tc->tp[i].copy;
            return;
        }
    }
    gomp_wproc *wp = gomp_wasm_proc(self);
    uint8_t *image = NULL;
    pthread_mutex_lock(&wp->lock);
    for (uint32_t i = 0; i < wp->nimages; i++) {
        if (wp->images[i].data == data && wp->images[i].size == size) image = wp->images[i].bytes;
    }
    if (!image && wp->nimages == wp->cap_images) {
        uint32_t cap = wp->cap_images ? 2 * wp->cap_images : 8;
        gomp_tp_image *im = realloc(wp->images, cap * sizeof *im);
        if (im) {
            wp->images = im;
            wp->cap_images = cap;
        }
    }
    if (!image && wp->nimages < wp->cap_images && (image = malloc(size ? size : 1))) {
        memcpy(image, caller->memory->base + data, size);
        wp->images[wp->nimages++] = (gomp_tp_image){data, size, image};
    }
    pthread_mutex_unlock(&wp->lock);
    if (!image) rt_trap_host("%s: out of memory", what);
    if (tc->ntp == tc->cap_tp) {
        uint32_t cap = tc->cap_tp ? 2 * tc->cap_tp : 8;
        gomp_tp_entry *e = realloc(tc->tp, cap * sizeof *e);
        if (!e) rt_trap_host("%s: out of memory", what);
        tc->tp = e;
        tc->cap_tp = cap;
    }
    uint32_t copy = data;
    if (self->is_worker) {
        copy = gomp_wasm_malloc(self, size ? size : 1, 16);
        if (!copy) {
            if (gomp_aborting(self->proc)) aborting(self, what);
            rt_trap_host("%s: out of guest memory", what);
        }
        memcpy(gomp_wasm_mem(caller, copy, size, what), image, size);
    }
    tc->tp[tc->ntp++] = (gomp_tp_entry){data, copy};
    io[0].i32 = copy;
}

/* ---- Tasks ---- */

/* kmp_task_t on wasm32: shareds (i32), routine (i32), part_id (i32), data1, data2. */
#define TASK_HEADER 20u

static bool wasm_task_run(gomp_thread *self, gomp_task *t) {
    gomp_tcell *tc = gomp_wasm_tcell(self);
    char msg[200];
    rt_funcref *f = gomp_wasm_table_lookup(tc->inst, t->entry, 2, 1, msg, sizeof msg);
    if (!f) {
        gomp_wasm_fail(self, "__kmpc_omp_task", msg);
        return false;
    }
    rt_value io[2];
    io[0].i32 = (uint32_t)self->gtid;
    io[1].i32 = t->guest;
    return gomp_wasm_call(self, f, io);
}

static void wasm_task_release(gomp_thread *self, gomp_task *t) {
    gomp_wasm_free(self, t->guest);
    free(t);
}

/* __kmpc_omp_task_alloc(loc, gtid, flags, sizeof_kmp_task_t, sizeof_shareds, task_entry) */
static void h_task_alloc(rt_instance *caller, void *d, rt_value *io) {
    (void)d;
    const char *what = "__kmpc_omp_task_alloc";
    gomp_thread *self = gomp_wasm_thread(caller);
    uint32_t flags = io[2].i32, size_task = io[3].i32, size_shareds = io[4].i32, entry = io[5].i32;
    gomp_wasm_table_func(caller, entry, 2, 1, what);
    if (size_task < TASK_HEADER || size_task > (1u << 30) || size_shareds > (1u << 30))
        rt_trap_host("%s: invalid task sizes %u and %u", what, size_task, size_shareds);
    uint32_t shareds_at = (size_task + 7) & ~7u;
    gomp_wtask *w = calloc(1, sizeof *w);
    if (!w) rt_trap_host("%s: out of memory", what);
    uint32_t guest = gomp_wasm_malloc(self, shareds_at + size_shareds, 8);
    if (!guest) {
        free(w);
        if (gomp_aborting(self->proc)) aborting(self, what);
        rt_trap_host("%s: out of guest memory", what);
    }
    uint8_t *p = gomp_wasm_mem(caller, guest, shareds_at + size_shareds, what);
    memset(p, 0, shareds_at + size_shareds);
    uint32_t header[3] = {size_shareds ? guest + shareds_at : 0, entry, 0};
    memcpy(p, header, sizeof header);
    w->task.guest = guest;
    w->task.entry = entry;
    w->task.flags = (int32_t)flags;
    w->task.run = wasm_task_run;
    w->task.release = wasm_task_release;
    gomp_tcell *tc = gomp_wasm_tcell(self);
    w->next_alloc = tc->allocated;
    tc->allocated = w;
    io[0].i32 = guest;
}

/* Removes the task at guest address `task` from the allocated list of the calling thread. */
static gomp_task *take_allocated(gomp_thread *self, uint32_t task, const char *what) {
    gomp_tcell *tc = gomp_wasm_tcell(self);
    for (gomp_wtask **pp = &tc->allocated; *pp; pp = &(*pp)->next_alloc) {
        if ((*pp)->task.guest == task) {
            gomp_wtask *w = *pp;
            *pp = w->next_alloc;
            return &w->task;
        }
    }
    rt_trap_host("%s: %u is not a task allocated by this thread", what, task);
}

static void h_task(rt_instance *caller, void *d, rt_value *io) {
    (void)d;
    gomp_thread *self = gomp_wasm_thread(caller);
    gomp_task *t = take_allocated(self, io[2].i32, "__kmpc_omp_task");
    if (!gomp_task_submit(self, t)) aborting(self, "__kmpc_omp_task");
    io[0].i32 = 0;
}

static void h_task_begin_if0(rt_instance *caller, void *d, rt_value *io) {
    (void)d;
    gomp_thread *self = gomp_wasm_thread(caller);
    gomp_task_begin_if0(self, take_allocated(self, io[2].i32, "__kmpc_omp_task_begin_if0"));
}

static void h_task_complete_if0(rt_instance *caller, void *d, rt_value *io) {
    (void)d;
    gomp_thread *self = gomp_wasm_thread(caller);
    gomp_task *t = self->ctx.task;
    if (!t->explicit_ || t->guest != io[2].i32 || !gomp_task_complete_if0(self, t))
        rt_trap_host("__kmpc_omp_task_complete_if0: task %u was not begun on this thread",
                     io[2].i32);
    if (gomp_aborting(self->proc)) aborting(self, "__kmpc_omp_task_complete_if0");
}

static void h_taskwait(rt_instance *caller, void *d, rt_value *io) {
    (void)d;
    gomp_thread *self = gomp_wasm_thread(caller);
    if (!gomp_taskwait(self)) aborting(self, "__kmpc_omp_taskwait");
    io[0].i32 = 0;
}

static void h_taskyield(rt_instance *caller, void *d, rt_value *io) {
    (void)d;
    gomp_thread *self = gomp_wasm_thread(caller);
    gomp_task_run_one(self);
    if (gomp_aborting(self->proc)) aborting(self, "__kmpc_omp_taskyield");
    io[0].i32 = 0;
}

/* ---- The table ---- */

const gomp_entry gomp_kmpc_entries[] = {
    {"__kmpc_fork_call", "iiii:", h_fork_call},
    {"__kmpc_fork_call_if", "iiiii:", h_fork_call_if},
    {"__kmpc_push_num_threads", "iii:", h_push_num_threads},
    {"__kmpc_push_proc_bind", "iii:", h_push_proc_bind},
    {"__kmpc_serialized_parallel", "ii:", h_serialized_parallel},
    {"__kmpc_end_serialized_parallel", "ii:", h_end_serialized_parallel},
    {"__kmpc_global_thread_num", "i:i", h_global_thread_num},
    {"__kmpc_global_num_threads", "i:i", h_global_num_threads},
    {"__kmpc_bound_thread_num", "i:i", h_bound_thread_num},
    {"__kmpc_bound_num_threads", "i:i", h_bound_num_threads},
    {"__kmpc_in_parallel", "i:i", h_in_parallel},
    {"__kmpc_ok_to_fork", "i:i", h_ok_to_fork},
    {"__kmpc_begin", "ii:", h_nop},
    {"__kmpc_end", "i:", h_nop},
    {"__kmpc_barrier", "ii:", h_barrier},
    {"__kmpc_flush", "i:", h_flush},
    {"__kmpc_critical", "iii:", h_critical},
    {"__kmpc_critical_with_hint", "iiii:", h_critical_with_hint},
    {"__kmpc_end_critical", "iii:", h_end_critical},
    {"__kmpc_master", "ii:i", h_master},
    {"__kmpc_end_master", "ii:", h_nop},
    {"__kmpc_masked", "iii:i", h_masked},
    {"__kmpc_end_masked", "ii:", h_nop},
    {"__kmpc_single", "ii:i", h_single},
    {"__kmpc_end_single", "ii:", h_nop},
    {"__kmpc_ordered", "ii:", h_ordered},
    {"__kmpc_end_ordered", "ii:", h_end_ordered},
    {"__kmpc_copyprivate", "iiiiii:", h_copyprivate},
    {"__kmpc_reduce_nowait", "iiiiiii:i", h_reduce},
    {"__kmpc_end_reduce_nowait", "iii:", h_end_reduce_nowait},
    {"__kmpc_reduce", "iiiiiii:i", h_reduce},
    {"__kmpc_end_reduce", "iii:", h_end_reduce},
    {"__kmpc_for_static_init_4", "iiiiiiiii:", h_static_init_4},
    {"__kmpc_for_static_init_4u", "iiiiiiiii:", h_static_init_4u},
    {"__kmpc_for_static_init_8", "iiiiiiiII:", h_static_init_8},
    {"__kmpc_for_static_init_8u", "iiiiiiiII:", h_static_init_8u},
    {"__kmpc_for_static_fini", "ii:", h_nop},
    {"__kmpc_dispatch_init_4", "iiiiiii:", h_dispatch_init_4},
    {"__kmpc_dispatch_init_4u", "iiiiiii:", h_dispatch_init_4u},
    {"__kmpc_dispatch_init_8", "iiiIIII:", h_dispatch_init_8},
    {"__kmpc_dispatch_init_8u", "iiiIIII:", h_dispatch_init_8u},
    {"__kmpc_dispatch_next_4", "iiiiii:i", h_dispatch_next_4},
    {"__kmpc_dispatch_next_4u", "iiiiii:i", h_dispatch_next_4u},
    {"__kmpc_dispatch_next_8", "iiiiii:i", h_dispatch_next_8},
    {"__kmpc_dispatch_next_8u", "iiiiii:i", h_dispatch_next_8u},
    {"__kmpc_dispatch_fini_4", "ii:", h_dispatch_fini},
    {"__kmpc_dispatch_fini_4u", "ii:", h_dispatch_fini},
    {"__kmpc_dispatch_fini_8", "ii:", h_dispatch_fini},
    {"__kmpc_dispatch_fini_8u", "ii:", h_dispatch_fini},
    {"__kmpc_dispatch_deinit", "ii:", h_nop},
    {"__kmpc_threadprivate_cached", "iiiii:i", h_threadprivate_cached},
    {"__kmpc_threadprivate_register", "iiiii:", h_nop},
    {"__kmpc_omp_task_alloc", "iiiiii:i", h_task_alloc},
    {"__kmpc_omp_task", "iii:i", h_task},
    {"__kmpc_omp_task_begin_if0", "iii:", h_task_begin_if0},
    {"__kmpc_omp_task_complete_if0", "iii:", h_task_complete_if0},
    {"__kmpc_omp_taskwait", "ii:i", h_taskwait},
    {"__kmpc_omp_taskyield", "iii:i", h_taskyield},
};
const size_t gomp_kmpc_count = sizeof gomp_kmpc_entries / sizeof gomp_kmpc_entries[0];

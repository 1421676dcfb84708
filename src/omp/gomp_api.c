/*
 * gomp_api.c — the `omp_*` API, locks, the `__atomic_*` library calls and the guest heap lock as
 * host functions; registration of every entry point.
 *
 * Locks live in guest memory (omp_lock_t and omp_nest_lock_t are 16 bytes in guest/include/omp.h):
 * word 0 is a gomp word lock (gomp_sync.c); a nest lock adds its owner (global thread number + 1)
 * in word 1 and its depth in word 2. Nothing about a lock is kept on the host, so a corrupted lock
 * can only mislead the guest itself.
 *
 * `__atomic_load/store/exchange/compare_exchange` are what clang calls for atomic operations it
 * cannot do with wasm instructions (e.g. `#pragma omp atomic` on a long double, 16 bytes on
 * wasm32). They are serialised by one of GOMP_ATOMIC_STRIPES word locks chosen by address.
 *
 * The guest heap lock: granny-cc -fopenmp links guest/omp/ (a wrapper around wasi-libc's malloc
 * family, which is not thread-safe), which brackets every allocator call with
 * __granny_omp_heap_lock / __granny_omp_heap_unlock.
 *
 * Entry points that are not provided: gomp_register_unsupported gives each such import of a module
 * a host function of the import's own type that traps naming it, so a program using, say,
 * `#pragma omp task depend(...)` fails with "OpenMP entry point __kmpc_omp_task_with_deps is not
 * supported by Granny" when it gets there.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "omp/gomp_wasm.h"

#define GOMP_LOCK_BYTES 16

static gomp_thread *thr(rt_instance *caller) {
    return gomp_wasm_thread(caller);
}

/* ---- Threads and teams ---- */

static void h_set_num_threads(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    gomp_thread *t = thr(c);
    int32_t n = (int32_t)io[0].i32;
    if (n > t->proc->opts.max_threads) n = t->proc->opts.max_threads;
    if (n > 0) t->ctx.icv.nthreads = n;
}

static void h_get_num_threads(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)thr(c)->ctx.team->nthreads;
}

static void h_get_max_threads(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)thr(c)->ctx.icv.nthreads;
}

static void h_get_thread_num(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)thr(c)->ctx.tid;
}

static void h_get_num_procs(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)d;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    io[0].i32 = n > 0 ? (uint32_t)n : 1;
}

static void h_in_parallel(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = gomp_active_level(thr(c)) > 0;
}

static void h_set_dynamic(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    thr(c)->ctx.icv.dynamic = io[0].i32 != 0;
}

static void h_get_dynamic(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)thr(c)->ctx.icv.dynamic;
}

static void h_set_nested(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    gomp_thread *t = thr(c);
    t->ctx.icv.max_active_levels = io[0].i32 ? t->proc->opts.max_threads : 1;
}

static void h_get_nested(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = thr(c)->ctx.icv.max_active_levels > 1;
}

static void h_set_schedule(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    gomp_thread *t = thr(c);
    int32_t kind = (int32_t)io[0].i32, chunk = (int32_t)io[1].i32;
    int base = kind & 0x7fffffff;
    if (base < GOMP_OMP_STATIC || base > GOMP_OMP_AUTO) return; /* invalid: ignored */
    t->ctx.icv.run_sched = kind;
    t->ctx.icv.run_chunk = chunk > 0 ? chunk : 0;
}

static void h_get_schedule(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    gomp_thread *t = thr(c);
    uint32_t pk = io[0].i32, pc = io[1].i32;
    uint32_t kind = (uint32_t)t->ctx.icv.run_sched, chunk = (uint32_t)t->ctx.icv.run_chunk;
    memcpy(gomp_wasm_mem(c, pk, 4, "omp_get_schedule"), &kind, 4);
    memcpy(gomp_wasm_mem(c, pc, 4, "omp_get_schedule"), &chunk, 4);
}

static void h_get_thread_limit(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)thr(c)->proc->opts.max_threads;
}

static void h_set_max_active_levels(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    int32_t n = (int32_t)io[0].i32;
    if (n >= 0) thr(c)->ctx.icv.max_active_levels = n;
}

static void h_get_max_active_levels(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)thr(c)->ctx.icv.max_active_levels;
}

static void h_get_level(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)gomp_level(thr(c));
}

static void h_get_active_level(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)gomp_active_level(thr(c));
}

static void h_get_ancestor_thread_num(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)gomp_ancestor_tid(thr(c), (int32_t)io[0].i32);
}

static void h_get_team_size(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    io[0].i32 = (uint32_t)gomp_team_size_at(thr(c), (int32_t)io[0].i32);
}

static void h_zero(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)d;
    io[0].i32 = 0;
}

static void h_one(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)d;
    io[0].i32 = 1;
}

static void h_minus_one(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)d;
    io[0].i32 = UINT32_MAX;
}

static void h_ignore(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)d, (void)io;
}

static void h_get_wtime(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)d;
    io[0].f64 = (double)gomp_now_ns() * 1e-9;
}

static void h_get_wtick(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)d;
    io[0].f64 = 1e-9;
}

/* ---- Locks ---- */

static uint32_t *lock_words(rt_instance *c, uint32_t lock, const char *what) {
    return gomp_wasm_word(c, lock, GOMP_LOCK_BYTES, what);
}

static void h_init_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    thr(c);
    memset(lock_words(c, io[0].i32, "omp_init_lock"), 0, GOMP_LOCK_BYTES);
}

static void lock_acquire(rt_instance *c, uint32_t *w, const char *what) {
    gomp_thread *t = thr(c);
    if (!gomp_word_lock(&w[0], t->proc->opts.spin_us, &t->proc->aborting))
        gomp_wasm_reraise(t, what, "another thread of the cell failed");
}

static void h_set_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    lock_acquire(c, lock_words(c, io[0].i32, "omp_set_lock"), "omp_set_lock");
}

static void h_unset_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    thr(c);
    gomp_word_unlock(&lock_words(c, io[0].i32, "omp_unset_lock")[0]);
}

static void h_test_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    thr(c);
    io[0].i32 = gomp_word_trylock(&lock_words(c, io[0].i32, "omp_test_lock")[0]);
}

static void h_set_nest_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    gomp_thread *t = thr(c);
    uint32_t *w = lock_words(c, io[0].i32, "omp_set_nest_lock");
    uint32_t me = (uint32_t)t->gtid + 1;
    if (__atomic_load_n(&w[1], __ATOMIC_RELAXED) == me) {
        w[2]++;
        return;
    }
    lock_acquire(c, w, "omp_set_nest_lock");
    __atomic_store_n(&w[1], me, __ATOMIC_RELAXED);
    w[2] = 1;
}

static void h_unset_nest_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    gomp_thread *t = thr(c);
    uint32_t *w = lock_words(c, io[0].i32, "omp_unset_nest_lock");
    if (__atomic_load_n(&w[1], __ATOMIC_RELAXED) != (uint32_t)t->gtid + 1 || w[2] == 0)
        return; /* not the owner: undefined behaviour in OpenMP, ignored here */
    if (--w[2] == 0) {
        __atomic_store_n(&w[1], 0, __ATOMIC_RELAXED);
        gomp_word_unlock(&w[0]);
    }
}

static void h_test_nest_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    gomp_thread *t = thr(c);
    uint32_t *w = lock_words(c, io[0].i32, "omp_test_nest_lock");
    uint32_t me = (uint32_t)t->gtid + 1;
    if (__atomic_load_n(&w[1], __ATOMIC_RELAXED) == me) {
        io[0].i32 = ++w[2];
        return;
    }
    if (!gomp_word_trylock(&w[0])) {
        io[0].i32 = 0;
        return;
    }
    __atomic_store_n(&w[1], me, __ATOMIC_RELAXED);
    w[2] = 1;
    io[0].i32 = 1;
}

/* ---- Generic atomics ---- */

static uint32_t *stripe(gomp_thread *t, uint32_t addr) {
    return &gomp_wasm_proc(t)->atomic_locks[(addr >> 4) % GOMP_ATOMIC_STRIPES];
}

static void stripe_lock(gomp_thread *t, uint32_t addr, const char *what) {
    if (!gomp_word_lock(stripe(t, addr), t->proc->opts.spin_us, &t->proc->aborting))
        gomp_wasm_reraise(t, what, "another thread of the cell failed");
}

/* __atomic_load(size, src, dest, order) */
static void h_atomic_load(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    const char *what = "__atomic_load";
    gomp_thread *t = thr(c);
    uint32_t size = io[0].i32, src = io[1].i32, dst = io[2].i32;
    uint8_t *ps = gomp_wasm_mem(c, src, size, what), *pd = gomp_wasm_mem(c, dst, size, what);
    stripe_lock(t, src, what);
    memmove(pd, ps, size);
    gomp_word_unlock(stripe(t, src));
}

/* __atomic_store(size, dest, src, order) */
static void h_atomic_store(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    const char *what = "__atomic_store";
    gomp_thread *t = thr(c);
    uint32_t size = io[0].i32, dst = io[1].i32, src = io[2].i32;
    uint8_t *pd = gomp_wasm_mem(c, dst, size, what), *ps = gomp_wasm_mem(c, src, size, what);
    stripe_lock(t, dst, what);
    memmove(pd, ps, size);
    gomp_word_unlock(stripe(t, dst));
}

/* __atomic_exchange(size, ptr, val, ret, order) */
static void h_atomic_exchange(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    const char *what = "__atomic_exchange";
    gomp_thread *t = thr(c);
    uint32_t size = io[0].i32, ptr = io[1].i32, val = io[2].i32, ret = io[3].i32;
    uint8_t *pp = gomp_wasm_mem(c, ptr, size, what), *pv = gomp_wasm_mem(c, val, size, what);
    uint8_t *pr = gomp_wasm_mem(c, ret, size, what);
    stripe_lock(t, ptr, what);
    memmove(pr, pp, size);
    if (pv != pr) memmove(pp, pv, size);
    gomp_word_unlock(stripe(t, ptr));
}

/* __atomic_compare_exchange(size, ptr, expected, desired, success, failure) -> bool */
static void h_atomic_compare_exchange(rt_instance *c, void *d, rt_value *io) {
    (void)d;
    const char *what = "__atomic_compare_exchange";
    gomp_thread *t = thr(c);
    uint32_t size = io[0].i32, ptr = io[1].i32, exp = io[2].i32, des = io[3].i32;
    uint8_t *pp = gomp_wasm_mem(c, ptr, size, what), *pe = gomp_wasm_mem(c, exp, size, what);
    uint8_t *pd = gomp_wasm_mem(c, des, size, what);
    stripe_lock(t, ptr, what);
    bool equal = memcmp(pp, pe, size) == 0;
    if (equal)
        memmove(pp, pd, size);
    else
        memmove(pe, pp, size);
    gomp_word_unlock(stripe(t, ptr));
    io[0].i32 = equal;
}

/* ---- Guest heap lock ---- */

static void h_heap_lock(rt_instance *c, void *d, rt_value *io) {
    (void)d, (void)io;
    gomp_thread *t = thr(c);
    if (!gomp_word_lock(&gomp_wasm_proc(t)->heap_lock, t->proc->opts.spin_us, &t->proc->aborting))
        gomp_wasm_reraise(t, "malloc", "another thread of the cell failed");
}

static void h_heap_unlock(rt_instance *c, void *d, rt_value *io) {
    (void)d, (void)io;
    gomp_word_unlock(&gomp_wasm_proc(thr(c))->heap_lock);
}

/* ---- The table ---- */

const gomp_entry gomp_api_entries[] = {
    {"omp_set_num_threads", "i:", h_set_num_threads},
    {"omp_get_num_threads", ":i", h_get_num_threads},
    {"omp_get_max_threads", ":i", h_get_max_threads},
    {"omp_get_thread_num", ":i", h_get_thread_num},
    {"omp_get_num_procs", ":i", h_get_num_procs},
    {"omp_in_parallel", ":i", h_in_parallel},
    {"omp_set_dynamic", "i:", h_set_dynamic},
    {"omp_get_dynamic", ":i", h_get_dynamic},
    {"omp_set_nested", "i:", h_set_nested},
    {"omp_get_nested", ":i", h_get_nested},
    {"omp_get_cancellation", ":i", h_zero},
    {"omp_set_schedule", "ii:", h_set_schedule},
    {"omp_get_schedule", "ii:", h_get_schedule},
    {"omp_get_thread_limit", ":i", h_get_thread_limit},
    {"omp_set_max_active_levels", "i:", h_set_max_active_levels},
    {"omp_get_max_active_levels", ":i", h_get_max_active_levels},
    {"omp_get_level", ":i", h_get_level},
    {"omp_get_ancestor_thread_num", "i:i", h_get_ancestor_thread_num},
    {"omp_get_team_size", "i:i", h_get_team_size},
    {"omp_get_active_level", ":i", h_get_active_level},
    {"omp_in_final", ":i", h_zero},
    {"omp_get_proc_bind", ":i", h_zero},
    {"omp_get_num_places", ":i", h_zero},
    {"omp_get_place_num", ":i", h_minus_one},
    {"omp_get_num_teams", ":i", h_one},
    {"omp_get_team_num", ":i", h_zero},
    {"omp_get_default_device", ":i", h_zero},
    {"omp_set_default_device", "i:", h_ignore},
    {"omp_get_num_devices", ":i", h_zero},
    {"omp_get_device_num", ":i", h_zero},
    {"omp_is_initial_device", ":i", h_one},
    {"omp_get_initial_device", ":i", h_zero},
    {"omp_get_max_task_priority", ":i", h_zero},
    {"omp_get_wtime", ":F", h_get_wtime},
    {"omp_get_wtick", ":F", h_get_wtick},
    {"omp_init_lock", "i:", h_init_lock},
    {"omp_init_lock_with_hint", "ii:", h_init_lock},
    {"omp_destroy_lock", "i:", h_init_lock},
    {"omp_set_lock", "i:", h_set_lock},
    {"omp_unset_lock", "i:", h_unset_lock},
    {"omp_test_lock", "i:i", h_test_lock},
    {"omp_init_nest_lock", "i:", h_init_lock},
    {"omp_init_nest_lock_with_hint", "ii:", h_init_lock},
    {"omp_destroy_nest_lock", "i:", h_init_lock},
    {"omp_set_nest_lock", "i:", h_set_nest_lock},
    {"omp_unset_nest_lock", "i:", h_unset_nest_lock},
    {"omp_test_nest_lock", "i:i", h_test_nest_lock},
    {"__atomic_load", "iiii:", h_atomic_load},
    {"__atomic_store", "iiii:", h_atomic_store},
    {"__atomic_exchange", "iiiii:", h_atomic_exchange},
    {"__atomic_compare_exchange", "iiiiii:i", h_atomic_compare_exchange},
    {"__granny_omp_heap_lock", ":", h_heap_lock},
    {"__granny_omp_heap_unlock", ":", h_heap_unlock},
};
const size_t gomp_api_count = sizeof gomp_api_entries / sizeof gomp_api_entries[0];

/* ---- Registration ---- */

bool gomp_register(rt_host_registry *r, const gomp_options *opts, rt_error *err) {
    const gomp_entry *tables[2] = {gomp_kmpc_entries, gomp_api_entries};
    size_t counts[2] = {gomp_kmpc_count, gomp_api_count};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < counts[k]; i++) {
            const gomp_entry *e = &tables[k][i];
            if (!rt_host_register(r, "env", e->name, e->sig, e->fn, NULL)) {
                snprintf(err->msg, sizeof err->msg, "cannot register env.%s", e->name);
                return false;
            }
        }
    }
    gomp_wasm_set_defaults(r, opts);
    return true;
}

static bool provided(const char *name) {
    for (size_t i = 0; i < gomp_kmpc_count; i++)
        if (!strcmp(gomp_kmpc_entries[i].name, name)) return true;
    for (size_t i = 0; i < gomp_api_count; i++)
        if (!strcmp(gomp_api_entries[i].name, name)) return true;
    return false;
}

static void h_unsupported(rt_instance *c, void *d, rt_value *io) {
    (void)c, (void)io;
    rt_trap_host("OpenMP entry point %s is not supported by Granny", (const char *)d);
}

static char sig_char(uint8_t t) {
    switch (t) {
    case WASM_I32: return 'i';
    case WASM_I64: return 'I';
    case WASM_F32: return 'f';
    case WASM_F64: return 'F';
    case WASM_EXTERNREF: return 'r';
    case WASM_FUNCREF: return 'R';
    default: return '?';
    }
}

bool gomp_register_unsupported(rt_host_registry *r, const rt_module *m, rt_error *err) {
    const wasm_module *ir = rt_module_ir(m);
    uint32_t f = 0;
    for (uint32_t i = 0; i < ir->nimports; i++) {
        const wasm_import *imp = &ir->imports[i];
        if (imp->kind != WASM_EXTERN_FUNC) continue;
        uint32_t type = ir->import_func_types[f++];
        const char *name = imp->name.bytes;
        if (strcmp(imp->module.bytes, "env") != 0 || strlen(name) != imp->name.len) continue;
        if (strncmp(name, "__kmpc_", 7) && strncmp(name, "omp_", 4) &&
            strncmp(name, "__atomic_", 9))
            continue;
        if (provided(name)) continue;
        const wasm_functype *ft = &ir->types[type];
        char sig[64];
        size_t n = 0;
        for (uint32_t p = 0; p < ft->nparams && n < sizeof sig - 2; p++)
            sig[n++] = sig_char(ft->params[p]);
        sig[n++] = ':';
        for (uint32_t p = 0; p < ft->nresults && n < sizeof sig - 1; p++)
            sig[n++] = sig_char(ft->results[p]);
        sig[n] = 0;
        if (strchr(sig, '?') || ft->nparams + ft->nresults > 60) continue;
        /* Fails only for a name someone else registered already: theirs stays. */
        rt_host_register(r, "env", name, sig, h_unsupported, (void *)name);
    }
    (void)err;
    return true;
}

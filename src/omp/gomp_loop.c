/*
 * gomp_loop.c — work-sharing slots and loop scheduling: static partitions, dynamic and guided
 * chunks, ordered iterations.
 *
 * Loops are handled in normalised iterations 0..trip-1; the wasm glue converts from and to the
 * program's (lower, upper, stride) in the loop's own integer type.
 *
 * Static (`__kmpc_for_static_init`, no shared state): without a chunk, LLVM's "balanced" split —
 * trip/n iterations each and the first trip%n threads one more (thread i starts at
 * i*(trip/n) + min(i, trip%n)); with a chunk, round-robin chunks. These match libomp exactly, so a
 * program that records which thread ran which iteration prints the same natively and as a cell.
 *
 * Dispatch (`__kmpc_dispatch_*`, a work-sharing slot shared by the team): dynamic hands out chunks
 * with one fetch-and-add; guided hands out max(chunk, remaining / 2n) with a compare-and-swap;
 * static kinds and `auto` go through the same interface with per-thread chunk numbers.
 *
 * Ordered: iterations enter their ordered region in sequence. `ord_next` is the iteration allowed
 * in; a thread waits for it to equal its current iteration, and releases the next one at the end
 * of its ordered region or, if the iteration had none, at the end of the iteration
 * (__kmpc_dispatch_fini).
 *
 * Work-sharing slots: construct k of a team (each thread counts the constructs it meets) uses slot
 * k % GOMP_WS_RING. The first thread to arrive claims the slot with a compare-and-swap once all
 * threads are done with construct k - GOMP_WS_RING, fills it in, and publishes it; the others
 * wait for the publication. So `nowait` constructs may run up to GOMP_WS_RING - 1 apart.
 */
#include <sched.h>

#include "omp/gomp_internal.h"

/* ---- Slots ---- */

gomp_ws *gomp_ws_enter(gomp_thread *self, bool *first) {
    gomp_team *team = self->ctx.team;
    uint64_t k = self->ctx.ws_count++;
    gomp_ws *ws = &team->ws[k % GOMP_WS_RING];
    uint64_t want = k + 1;
    uint64_t prev = k >= GOMP_WS_RING ? k + 1 - GOMP_WS_RING : 0;
    for (unsigned spins = 0;; spins++) {
        uint64_t owner = __atomic_load_n(&ws->owner, __ATOMIC_ACQUIRE);
        if (owner == want) {
            *first = false;
            return ws;
        }
        if (owner == prev && (prev == 0 || __atomic_load_n(&ws->done, __ATOMIC_ACQUIRE) ==
                                               (uint32_t)team->nthreads)) {
            if (__atomic_compare_exchange_n(&ws->owner, &owner, want | GOMP_WS_INIT_BIT, false,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                __atomic_store_n(&ws->done, 0, __ATOMIC_RELAXED);
                __atomic_store_n(&ws->next, 0, __ATOMIC_RELAXED);
                __atomic_store_n(&ws->ord_next, 0, __ATOMIC_RELAXED);
                *first = true;
                return ws;
            }
            continue;
        }
        /* Being filled in (short), or still used by a construct GOMP_WS_RING back (rare). */
        if (gomp_aborting(self->proc)) return NULL;
        if (spins < 1000)
            gomp_cpu_relax();
        else
            sched_yield();
    }
}

void gomp_ws_publish(gomp_ws *ws, uint64_t k1) {
    assert(__atomic_load_n(&ws->owner, __ATOMIC_RELAXED) == (k1 | GOMP_WS_INIT_BIT));
    __atomic_store_n(&ws->owner, k1, __ATOMIC_RELEASE);
}

void gomp_ws_done(gomp_thread *self, gomp_ws *ws) {
    (void)self;
    __atomic_add_fetch(&ws->done, 1, __ATOMIC_ACQ_REL);
}

/* ---- Static partitions ---- */

static int base_kind(int kind) {
    kind &= ~GOMP_SCH_MODIFIER_MASK;
    if (kind > GOMP_ORD_LOWER && kind < GOMP_ORD_UPPER) kind -= GOMP_ORD_LOWER - GOMP_SCH_LOWER;
    return kind;
}

void gomp_static_bounds(int kind, uint64_t trip, uint64_t chunk, int nth, int tid,
                        gomp_static_out *out) {
    uint64_t n = (uint64_t)nth, t = (uint64_t)tid;
    kind = base_kind(kind);
    out->first = 0;
    out->count = 0;
    out->stride = trip;
    out->last = false;
    out->chunk = 0;
    if (trip == 0) return;
    bool chunked = kind == GOMP_SCH_STATIC_CHUNKED || kind == GOMP_DISTRIBUTE_STATIC_CHUNKED ||
                   kind == GOMP_SCH_STATIC_BALANCED_CHUNKED;
    if (nth == 1) {
        out->count = trip;
        out->last = true;
        out->chunk = chunked ? trip : 0;
        return;
    }
    if (chunked) {
        if (chunk < 1) chunk = 1;
        if (kind == GOMP_SCH_STATIC_BALANCED_CHUNKED) {
            /* ceil(trip/n) rounded up to a multiple of chunk, one block per thread */
            uint64_t span = (trip + n - 1) / n;
            span = (span + chunk - 1) / chunk * chunk;
            chunk = span;
        }
        out->first = t * chunk;
        out->count =
            out->first < trip ? (trip - out->first < chunk ? trip - out->first : chunk) : 0;
        out->stride = chunk * n;
        out->chunk = chunk;
        out->last = t == ((trip - 1) / chunk) % n;
        return;
    }
    if (trip < n) {
        if (t < trip) {
            out->first = t;
            out->count = 1;
        }
        out->last = t == trip - 1;
        return;
    }
    uint64_t small = trip / n, extras = trip % n;
    out->first = t * small + (t < extras ? t : extras);
    out->count = small + (t < extras ? 1 : 0);
    out->last = t == n - 1;
}

/* ---- Dispatch ---- */

static bool is_static_kind(int kind) {
    return kind == GOMP_SCH_STATIC || kind == GOMP_SCH_STATIC_CHUNKED ||
           kind == GOMP_SCH_STATIC_GREEDY || kind == GOMP_SCH_STATIC_BALANCED ||
           kind == GOMP_SCH_STATIC_STEAL || kind == GOMP_SCH_STATIC_BALANCED_CHUNKED ||
           kind == GOMP_SCH_AUTO || kind == GOMP_DISTRIBUTE_STATIC ||
           kind == GOMP_DISTRIBUTE_STATIC_CHUNKED;
}

/* Resolves `runtime` through run-sched-var. */
static int resolve_runtime(gomp_thread *self, int kind, uint64_t *chunk) {
    if (kind != GOMP_SCH_RUNTIME && kind != GOMP_SCH_RUNTIME_SIMD) return kind;
    int sched = self->ctx.icv.run_sched & ~(int)0x80000000;
    *chunk = self->ctx.icv.run_chunk > 0 ? (uint64_t)self->ctx.icv.run_chunk : 0;
    switch (sched) {
    case GOMP_OMP_DYNAMIC: return GOMP_SCH_DYNAMIC_CHUNKED;
    case GOMP_OMP_GUIDED: return GOMP_SCH_GUIDED_CHUNKED;
    case GOMP_OMP_STATIC: return *chunk ? GOMP_SCH_STATIC_CHUNKED : GOMP_SCH_STATIC;
    default: return GOMP_SCH_STATIC;
    }
}

bool gomp_dispatch_init(gomp_thread *self, int kind, uint64_t trip, uint64_t chunk) {
    bool ordered = ((kind & ~GOMP_SCH_MODIFIER_MASK) > GOMP_ORD_LOWER &&
                    (kind & ~GOMP_SCH_MODIFIER_MASK) < GOMP_ORD_UPPER);
    kind = resolve_runtime(self, base_kind(kind), &chunk);
    if (kind == GOMP_SCH_STATIC && chunk > 0) kind = GOMP_SCH_STATIC_CHUNKED;
    if (!is_static_kind(kind) && kind != GOMP_SCH_GUIDED_CHUNKED &&
        kind != GOMP_SCH_GUIDED_ITERATIVE && kind != GOMP_SCH_GUIDED_ANALYTICAL &&
        kind != GOMP_SCH_GUIDED_SIMD && kind != GOMP_SCH_TRAPEZOIDAL)
        kind = GOMP_SCH_DYNAMIC_CHUNKED;
    if (chunk < 1 && !is_static_kind(kind)) chunk = 1;
    bool first;
    gomp_ws *ws = gomp_ws_enter(self, &first);
    if (!ws) return false;
    if (first) {
        ws->kind = kind;
        ws->ordered = ordered;
        ws->trip = trip;
        ws->chunk = chunk;
        gomp_ws_publish(ws, self->ctx.ws_count);
    }
    gomp_loop_pos *pos = &self->ctx.loop;
    pos->ws = ws;
    pos->static_chunk = 0;
    pos->static_done = false;
    pos->ord_released = false;
    pos->cur_first = pos->cur_count = 0;
    return true;
}

/* The next chunk of this thread, or false at the end. */
static bool next_chunk(gomp_thread *self, gomp_ws *ws, uint64_t *first, uint64_t *count) {
    gomp_loop_pos *pos = &self->ctx.loop;
    int nth = self->ctx.team->nthreads, tid = self->ctx.tid;
    uint64_t trip = ws->trip, chunk = ws->chunk;
    if (is_static_kind(ws->kind)) {
        if (pos->static_done) return false;
        if (ws->kind == GOMP_SCH_STATIC_CHUNKED || ws->kind == GOMP_DISTRIBUTE_STATIC_CHUNKED) {
            /* round-robin chunks: this thread's k-th chunk is chunk number tid + k*nth */
            uint64_t c = chunk < 1 ? 1 : chunk;
            uint64_t idx = (uint64_t)tid + pos->static_chunk * (uint64_t)nth;
            pos->static_chunk++;
            if (idx >= trip / c + (trip % c != 0)) {
                pos->static_done = true;
                return false;
            }
            *first = idx * c;
            *count = trip - *first < c ? trip - *first : c;
            return true;
        }
        gomp_static_out so;
        gomp_static_bounds(ws->kind, trip, chunk, nth, tid, &so);
        pos->static_done = true;
        if (so.count == 0) return false;
        *first = so.first;
        *count = so.count;
        return true;
    }
    if (ws->kind == GOMP_SCH_DYNAMIC_CHUNKED) {
        uint64_t start = __atomic_fetch_add(&ws->next, chunk, __ATOMIC_RELAXED);
        if (start >= trip) return false;
        *first = start;
        *count = trip - start < chunk ? trip - start : chunk;
        return true;
    }
    /* guided */
    uint64_t cur = __atomic_load_n(&ws->next, __ATOMIC_RELAXED);
    for (;;) {
        if (cur >= trip) return false;
        uint64_t rem = trip - cur;
        uint64_t c = (rem + 2 * (uint64_t)nth - 1) / (2 * (uint64_t)nth);
        if (c < chunk) c = chunk;
        if (c > rem) c = rem;
        if (__atomic_compare_exchange_n(&ws->next, &cur, cur + c, true, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
            *first = cur;
            *count = c;
            return true;
        }
    }
}

bool gomp_dispatch_next(gomp_thread *self, uint64_t *first, uint64_t *count, bool *last) {
    gomp_loop_pos *pos = &self->ctx.loop;
    gomp_ws *ws = pos->ws;
    if (!ws) return false;
    if (!next_chunk(self, ws, first, count)) {
        pos->ws = NULL;
        gomp_ws_done(self, ws);
        return false;
    }
    *last = *first + *count == ws->trip;
    pos->cur_first = *first;
    pos->cur_count = *count;
    pos->ord_iter = *first;
    pos->ord_released = false;
    return true;
}

/* ---- Ordered ---- */

static void ordered_release(gomp_ws *ws, uint64_t iter) {
    __atomic_store_n(&ws->ord_next, iter + 1, __ATOMIC_RELEASE);
    __atomic_add_fetch(&ws->ord_seq, 1, __ATOMIC_RELEASE);
    gomp_futex_wake(&ws->ord_seq, 0x7fffffff);
}

static bool ordered_wait(gomp_thread *self, gomp_ws *ws, uint64_t iter) {
    uint64_t spin_end = 0;
    for (;;) {
        uint32_t seq = __atomic_load_n(&ws->ord_seq, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&ws->ord_next, __ATOMIC_ACQUIRE) == iter) return true;
        if (gomp_aborting(self->proc)) return false;
        int spin = gomp_spin_left(self->proc, &spin_end);
        if (spin > 0)
            gomp_cpu_relax();
        else
            gomp_futex_wait(&ws->ord_seq, seq, 50);
    }
}

bool gomp_ordered_begin(gomp_thread *self) {
    gomp_loop_pos *pos = &self->ctx.loop;
    if (!pos->ws || !pos->ws->ordered) return true; /* orphaned or not an ordered loop: no-op */
    return ordered_wait(self, pos->ws, pos->ord_iter);
}

void gomp_ordered_end(gomp_thread *self) {
    gomp_loop_pos *pos = &self->ctx.loop;
    if (!pos->ws || !pos->ws->ordered || pos->ord_released) return;
    pos->ord_released = true;
    ordered_release(pos->ws, pos->ord_iter);
}

bool gomp_dispatch_fini_iter(gomp_thread *self) {
    gomp_loop_pos *pos = &self->ctx.loop;
    gomp_ws *ws = pos->ws;
    if (!ws || !ws->ordered) return true;
    if (!pos->ord_released) {
        /* The iteration had no ordered region: keep the sequence moving. */
        if (!ordered_wait(self, ws, pos->ord_iter)) return false;
        ordered_release(ws, pos->ord_iter);
    }
    pos->ord_iter++;
    pos->ord_released = false;
    return true;
}

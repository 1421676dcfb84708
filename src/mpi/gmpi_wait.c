/*
 * gmpi_wait.c — how a rank waits: spin briefly, then sleep on its doorbell.
 *
 * Every rank has a doorbell: a 32-bit sequence number used as a futex word, and a count of
 * sleepers. Whoever makes progress that a rank may be waiting for (delivers a message into its
 * mailbox, completes one of its requests, aborts the world) first publishes the progress, then
 * rings: after a full fence it reads the sleeper count and, only if someone sleeps, increments the
 * sequence and calls FUTEX_WAKE. The waiter counts itself as a sleeper, reads the sequence,
 * re-checks its condition and only then sleeps on that sequence value. Either the ringer sees the
 * sleeper (and bumps the sequence, so the sleep returns at once or is woken), or the waiter sees
 * the progress: no wake-up is lost, and the path where the waiter spins makes no system call and
 * writes no shared line.
 *
 * Deadlocks: a sleeper whose 100 ms sleep times out checks whether every rank that has not exited
 * is asleep too with no wake-up pending (its sequence unchanged since it fell asleep). A rank that
 * computes, spins or has just been rung makes the check fail, so two such observations in a row
 * mean no rank can ever make progress: the world is aborted with a message saying where each rank
 * is blocked.
 *
 * Spinning: a waiter spins for up to spin_ns before sleeping (50 µs when every rank can have a
 * core, 20 µs when the world oversubscribes the machine), which keeps same-worker latency in the
 * sub-microsecond range. In an oversubscribed world each spin after the first microsecond also
 * yields the core, so a rank that shares it — often the one being waited for — runs instead of
 * being starved. Sleeps use a 100
 * ms timeout as a safety net; an aborted world interrupts every wait. A condition may have an
 * effect when it holds (taking a message out of the mailbox), so it is never evaluated again once
 * it returned true.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "mpi/gmpi_internal.h"

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

void gmpi_ring(gmpi_rank *r) {
    /* The progress was published before this call; the fence orders it before the read of the
     * sleeper count (the waiter does the mirror image: count itself, then re-check). A rank that
     * is only spinning is not disturbed at all: not even the sequence's cache line moves. */
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load(&r->bell.sleepers) > 0) {
        atomic_fetch_add(&r->bell.seq, 1);
        syscall(SYS_futex, &r->bell.seq, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0);
    }
}

/* True when every other rank that has not exited sleeps in a wait with no wake-up pending (the
 * caller itself has just slept through a timeout). */
static bool world_stuck(gmpi_world *w, const gmpi_rank *self) {
    for (int i = 0; i < w->size; i++) {
        gmpi_rank *o = w->ranks[i];
        if (o == self) continue;
        if (!o) return false; /* lives on another worker: cannot tell */
        int st = atomic_load(&o->state);
        if (st == GMPI_EXITED) continue;
        if (st != GMPI_SLEEPING) return false;
        if (atomic_load(&o->bell.seq) != atomic_load(&o->slept_at)) return false;
    }
    return true;
}

static void report_deadlock(gmpi_rank *r) {
    gmpi_world *w = r->world;
    char text[900];
    int n = snprintf(text, sizeof text, "deadlock: every rank is blocked in MPI (");
    for (int i = 0; i < w->size && n < (int)sizeof text - 60; i++) {
        gmpi_rank *o = w->ranks[i];
        bool exited = atomic_load(&o->state) == GMPI_EXITED;
        n += snprintf(text + n, sizeof text - (size_t)n, "%srank %d %s%s", i ? ", " : "", i,
                      exited ? "exited" : "in ",
                      exited ? "" : (o->current_call ? o->current_call : "MPI"));
    }
    snprintf(text + n, sizeof text - (size_t)n, "): aborting the world");
    gmpi_rank_log(r, "%s", text);
    gmpi_world_abort(w, 1);
}

/* Called by a sleeper whose sleep timed out: two stuck observations in a row are a deadlock. */
static void check_deadlock(gmpi_rank *r) {
    if (!r->world->detect_deadlocks) return;
    if (!world_stuck(r->world, r)) {
        r->deadlock_strikes = 0;
        return;
    }
    if (++r->deadlock_strikes >= 2 && !atomic_load(&r->world->aborted)) report_deadlock(r);
}

static bool aborted(gmpi_rank *r) {
    return atomic_load_explicit(&r->world->aborted, memory_order_relaxed);
}

int gmpi_wait_cond(gmpi_rank *r, gmpi_cond_fn cond, void *arg) {
    if (cond(arg)) return GMPI_SUCCESS;
    /* Spin phase: check often, read the clock rarely. In an oversubscribed world every check
     * after the first microsecond also yields, so that a rank sharing this core can run —
     * usually the very rank we are waiting for. */
    long spin_ns = r->world->spin_ns;
    if (spin_ns > 0) {
        double start = gmpi_now(), until = start + (double)spin_ns * 1e-9,
               yield_from = start + 1e-6;
        bool may_yield = r->world->oversubscribed, yielding = false;
        for (unsigned i = 1;; i++) {
            if (cond(arg)) return GMPI_SUCCESS;
            if (aborted(r)) return GMPI_ABORTED;
            if (yielding)
                sched_yield();
            else
                cpu_relax();
            if ((i & 31) == 0) {
                double now = gmpi_now();
                if (now > until) break;
                yielding = may_yield && now > yield_from;
            }
        }
    }
    for (;;) {
        if (cond(arg)) return GMPI_SUCCESS;
        if (aborted(r)) return GMPI_ABORTED;
        atomic_fetch_add(&r->bell.sleepers, 1);
        unsigned seq = atomic_load(&r->bell.seq);
        if (cond(arg)) { /* conditions may have effects (taking a message): never re-evaluate */
            atomic_fetch_sub(&r->bell.sleepers, 1);
            return GMPI_SUCCESS;
        }
        if (aborted(r)) {
            atomic_fetch_sub(&r->bell.sleepers, 1);
            return GMPI_ABORTED;
        }
        atomic_store(&r->slept_at, seq);
        atomic_store(&r->state, GMPI_SLEEPING);
        struct timespec timeout = {0, 100 * 1000 * 1000};
        long rc = syscall(SYS_futex, &r->bell.seq, FUTEX_WAIT_PRIVATE, seq, &timeout, NULL, 0);
        bool timed_out = rc != 0 && errno == ETIMEDOUT;
        atomic_store(&r->state, GMPI_RUNNING);
        atomic_fetch_sub(&r->bell.sleepers, 1);
        if (timed_out) check_deadlock(r);
        else r->deadlock_strikes = 0;
    }
}

static bool req_is_done(void *arg) {
    gmpi_req *q = arg;
    return atomic_load_explicit(&q->done, memory_order_acquire) != 0;
}

int gmpi_wait_req(gmpi_rank *r, gmpi_req *q) {
    return gmpi_wait_cond(r, req_is_done, q);
}

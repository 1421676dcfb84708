/*
 * gmpi_wait.c — how a rank waits: spin briefly, then sleep on its doorbell.
 *
 * Every rank has a doorbell: a 32-bit sequence number used as a futex word, and a count of
 * sleepers. Whoever makes progress that a rank may be waiting for (delivers a message into its
 * mailbox, completes one of its requests, aborts the world) first publishes the progress, then
 * rings: it reads the sleeper count and, only if someone sleeps, increments the sequence and calls
 * FUTEX_WAKE. The waiter counts itself as a sleeper, reads the sequence, re-checks its condition
 * and only then sleeps on that sequence value. Either the ringer sees the sleeper (and bumps the
 * sequence, so the sleep returns at once or is woken), or the waiter sees the progress: no wake-up
 * is lost, and the path where the waiter spins makes no system call and writes no shared line.
 * That handshake needs a full barrier on both sides between the write and the read; the ringer,
 * which rings at every message, only has a compiler barrier, and the sleeper pays for both with
 * membarrier(2) (gmpi_heavy_barrier), which costs a few microseconds on a path that is about to
 * make a futex call anyway. (Without that system call both sides use full fences.)
 *
 * Deadlocks: a sleeper whose 100 ms sleep times out checks whether every rank that has not exited
 * is asleep too with no wake-up pending (its sequence unchanged since it fell asleep). A rank that
 * computes, spins or has just been rung makes the check fail, so two such observations in a row
 * mean no rank can ever make progress: the world is aborted with a message saying where each rank
 * is blocked.
 *
 * Spinning: a waiter spins for up to spin_ns before sleeping (50 µs when every rank can have a
 * core, 20 µs when the world oversubscribes the machine), which keeps same-worker latency in the
 * sub-microsecond range; both times count from the last message that arrived, so a waiter fed by
 * a stream keeps polling. After 2 µs (1 µs when oversubscribed) each spin also yields the core,
 * so a rank that shares it — often the one being waited for — runs instead of being starved; and
 * when another running rank last waited on this very CPU (the scheduler put both here, e.g.
 * because other work holds the other cores) the waiter yields from the first spin. Sleeps use a 100
 * ms timeout as a safety net; an aborted world interrupts every wait. A condition may have an
 * effect when it holds (taking a message out of the mailbox), so it is never evaluated again once
 * it returned true.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "mpi/gmpi_internal.h"

bool gmpi_membarrier_ok;
static pthread_once_t barriers_once = PTHREAD_ONCE_INIT;

static void barriers_setup(void) {
    long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    gmpi_membarrier_ok =
        cmds > 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 &&
        getenv("GRANNY_MPI_NO_MEMBARRIER") == NULL;
}

void gmpi_barriers_init(void) {
    pthread_once(&barriers_once, barriers_setup);
}

#if defined(__SANITIZE_THREAD__)
atomic_int gmpi_fence_word;
#endif

void gmpi_heavy_barrier(void) {
    gmpi_full_fence();
    if (gmpi_membarrier_ok && syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
        abort(); /* registered at world creation: cannot fail */
}

void gmpi_ring(gmpi_rank *r) {
    /* The progress was published before this call; the barrier orders it before the read of the
     * sleeper count (the waiter does the mirror image: count itself, heavy barrier, re-check). A
     * rank that is only spinning is not disturbed at all: not even the sequence's line moves. */
    gmpi_light_barrier();
    if (atomic_load_explicit(&r->bell.sleepers, memory_order_relaxed) > 0) {
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

/* Every check first drains the incoming queue: waiting is where progress happens. */
static inline bool check(gmpi_rank *r, gmpi_cond_fn cond, void *arg) {
    gmpi_progress(r);
    return cond(arg);
}

/* True when another rank that is running (not sleeping, not exited) last waited on this CPU: it
 * can only make progress if we give the core up. */
static bool sharing_cpu(gmpi_rank *r, int cpu) {
    gmpi_world *w = r->world;
    for (int i = 0; i < w->size; i++) {
        gmpi_rank *o = w->ranks[i];
        if (!o || o == r) continue;
        if (atomic_load_explicit(&o->cpu, memory_order_relaxed) == cpu &&
            atomic_load_explicit(&o->state, memory_order_relaxed) == GMPI_RUNNING)
            return true;
    }
    return false;
}

int gmpi_wait_cond(gmpi_rank *r, gmpi_cond_fn cond, void *arg) {
    if (check(r, cond, arg)) return GMPI_SUCCESS;
    int cpu = sched_getcpu();
    atomic_store_explicit(&r->cpu, cpu, memory_order_relaxed);
    /* Spin phase: check often, read the clock rarely. After a first stretch of pure spinning
     * (2 µs, enough for a peer on another core to answer; 1 µs in an oversubscribed world) every
     * check also yields, so that a rank sharing this core — usually the very rank we are waiting
     * for, put there by the scheduler or by other load — can run. Both stretches count from the
     * last message that arrived: a waiter fed by a stream (a window of receives) keeps polling
     * flat out rather than spending a system call per check while its peer is sending. */
    long spin_ns = r->world->spin_ns;
    if (spin_ns > 0) {
        double spin = (double)spin_ns * 1e-9, patience = r->world->oversubscribed ? 1e-6 : 2e-6;
        double start = gmpi_now(), until = start + spin, yield_from = start + patience;
        bool yielding = sharing_cpu(r, cpu), fresh = false;
        for (unsigned i = 1;; i++) {
            bool moved = gmpi_progress(r);
            if (cond(arg)) return GMPI_SUCCESS;
            if (aborted(r)) return GMPI_ABORTED;
            fresh |= moved;
            if (yielding && !moved)
                sched_yield();
            else if (i > 256)
                gmpi_pause(); /* the first checks poll flat out: a pause costs ~40 ns */
            if ((i & 31) == 0 || (yielding && moved)) {
                double now = gmpi_now();
                if (fresh) { /* something arrived: the wait starts over */
                    until = now + spin;
                    yield_from = now + patience;
                    fresh = false;
                }
                if (now > until) break;
                yielding = now > yield_from || sharing_cpu(r, cpu);
            }
        }
    }
    for (;;) {
        if (check(r, cond, arg)) return GMPI_SUCCESS;
        if (aborted(r)) return GMPI_ABORTED;
        atomic_fetch_add(&r->bell.sleepers, 1);
        gmpi_heavy_barrier(); /* pairs with the ringers' light barrier */
        unsigned seq = atomic_load(&r->bell.seq);
        if (check(r, cond,
                  arg)) { /* conditions may have effects (taking a message): never re-evaluate */
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
        if (timed_out)
            check_deadlock(r);
        else
            r->deadlock_strikes = 0;
    }
}

static bool req_is_done(void *arg) {
    gmpi_req *q = arg;
    return atomic_load_explicit(&q->done, memory_order_acquire) != 0;
}

int gmpi_wait_req(gmpi_rank *r, gmpi_req *q) {
    return gmpi_wait_cond(r, req_is_done, q);
}

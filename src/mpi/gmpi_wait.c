/*
 * gmpi_wait.c — how a rank waits: spin briefly, then sleep on its doorbell.
 *
 * Every rank has a doorbell: a 32-bit sequence number used as a futex word, and a count of
 * sleepers. Whoever makes progress that a rank may be waiting for (delivers a message into its
 * mailbox, completes one of its requests, aborts the world) first publishes the progress (a
 * sequentially consistent store), then rings: increments the sequence and, only if someone sleeps,
 * calls FUTEX_WAKE. The waiter announces itself as a sleeper, reads the sequence, re-checks its
 * condition and only then sleeps on that sequence value. Either the ringer sees the sleeper (and
 * wakes it), or the waiter sees the progress: no wake-up is lost, and the uncontended path makes
 * no system call at all.
 *
 * Spinning: ranks that each have a core spin for up to spin_ns (50 µs) before sleeping, which
 * keeps same-worker latency in the sub-microsecond range; oversubscribed worlds spin ~2 µs so that
 * waiting ranks give their core to the ranks that compute. Sleeps use a 100 ms timeout as a safety
 * net; an aborted world interrupts every wait. A condition may have an effect when it holds
 * (taking a message out of the mailbox), so it is never evaluated again once it returned true.
 */
#define _GNU_SOURCE
#include <errno.h>
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
    atomic_fetch_add(&r->bell.seq, 1);
    if (atomic_load(&r->bell.sleepers) > 0)
        syscall(SYS_futex, &r->bell.seq, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0);
}

static bool aborted(gmpi_rank *r) { return atomic_load_explicit(&r->world->aborted, memory_order_relaxed); }

int gmpi_wait_cond(gmpi_rank *r, gmpi_cond_fn cond, void *arg) {
    if (cond(arg)) return GMPI_SUCCESS;
    /* Spin phase: check often, read the clock rarely. */
    long spin_ns = r->world->spin_ns;
    if (spin_ns > 0) {
        double until = gmpi_now() + (double)spin_ns * 1e-9;
        for (unsigned i = 1;; i++) {
            if (cond(arg)) return GMPI_SUCCESS;
            if (aborted(r)) return GMPI_ABORTED;
            cpu_relax();
            if ((i & 63) == 0 && gmpi_now() > until) break;
        }
    }
    sched_yield();
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
        struct timespec timeout = {0, 100 * 1000 * 1000};
        syscall(SYS_futex, &r->bell.seq, FUTEX_WAIT_PRIVATE, seq, &timeout, NULL, 0);
        atomic_fetch_sub(&r->bell.sleepers, 1);
    }
}

static bool req_is_done(void *arg) {
    gmpi_req *q = arg;
    return atomic_load_explicit(&q->done, memory_order_acquire) != 0;
}

int gmpi_wait_req(gmpi_rank *r, gmpi_req *q) { return gmpi_wait_cond(r, req_is_done, q); }

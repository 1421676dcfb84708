/*
 * gomp_barrier.c — the team barrier (explicit barriers, the implied ones, and the join of a
 * region), which also completes the team's tasks.
 *
 * A centralised counter barrier with a generation number: a thread reads the generation, counts
 * itself in, and waits for the generation to change. The barrier is complete when every thread
 * arrived *and* no task of the team is pending (queued or running), as OpenMP requires; waiting
 * threads run queued tasks meanwhile. The thread that observes completion first claims the
 * release by resetting the counter (compare-and-swap n -> 0), then publishes the next generation.
 * Arrivals of the next barrier cannot mix with this one: no thread leaves before the new
 * generation is visible, and the counter was reset before it.
 *
 * All waiting goes through the team's event counter (gomp_sync.c): the last arrival, a new task, a
 * completed task and the release each bump it, so a waiter that checked its conditions against
 * the value it read first cannot miss a change.
 */
#include "omp/gomp_internal.h"

bool gomp_barrier(gomp_thread *self) {
    gomp_team *team = self->ctx.team;
    gomp_proc *p = self->proc;
    uint32_t n = (uint32_t)team->nthreads;
    if (n == 1) {
        /* Tasks of a one-thread team run at once; only nested leftovers could be queued. */
        while (gomp_task_run_one(self)) {
        }
        return !gomp_aborting(p);
    }
    uint32_t gen = __atomic_load_n(&team->bar_gen, __ATOMIC_ACQUIRE);
    if (__atomic_add_fetch(&team->bar_arrived, 1, __ATOMIC_ACQ_REL) == n)
        gomp_event_bump(&team->event);
    uint64_t spin_end = 0;
    for (;;) {
        uint32_t seen = gomp_event_read(&team->event);
        if (__atomic_load_n(&team->bar_gen, __ATOMIC_ACQUIRE) != gen) return true;
        if (gomp_aborting(p)) return false;
        if (__atomic_load_n(&team->task_queued, __ATOMIC_ACQUIRE) && gomp_task_run_one(self))
            continue;
        if (__atomic_load_n(&team->bar_arrived, __ATOMIC_ACQUIRE) == n &&
            __atomic_load_n(&team->task_pending, __ATOMIC_ACQUIRE) == 0) {
            uint32_t expected = n;
            if (__atomic_compare_exchange_n(&team->bar_arrived, &expected, 0, false,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                __atomic_store_n(&team->bar_gen, gen + 1, __ATOMIC_RELEASE);
                gomp_event_bump(&team->event);
                return true;
            }
            continue;
        }
        gomp_event_wait(&team->event, seen, gomp_spin_left(p, &spin_end));
    }
}

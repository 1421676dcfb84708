/*
 * gomp_work.c — the small work-sharing constructs: single, copyprivate, reductions.
 *
 * single: the first thread of the team to reach the construct (the one that claims its
 * work-sharing slot) runs the block; the others skip it. A team of one needs no slot.
 *
 * copyprivate: the thread that ran the single block publishes the address of its list of
 * variables in the team; after a barrier every other thread copies from it (the guest's copy
 * function, called by the glue); a second barrier keeps the source alive until all copied.
 *
 * Reductions use the "critical" method of the kmp ABI: every thread gets 1 from
 * __kmpc_reduce(_nowait), combines its private copies into the shared variables under the team's
 * reduction lock, and releases it in __kmpc_end_reduce(_nowait) (the blocking form adds a barrier
 * there). A team of one combines without locking.
 */
#include "omp/gomp_internal.h"

bool gomp_single(gomp_thread *self, bool *ok) {
    *ok = true;
    if (self->ctx.team->nthreads == 1) return true;
    bool first;
    gomp_ws *ws = gomp_ws_enter(self, &first);
    if (!ws) {
        *ok = false;
        return false;
    }
    if (first) gomp_ws_publish(ws, self->ctx.ws_count);
    gomp_ws_done(self, ws);
    return first;
}

bool gomp_copyprivate_begin(gomp_thread *self, bool didit, uint64_t data, uint64_t *src) {
    gomp_team *team = self->ctx.team;
    if (team->nthreads == 1) {
        *src = data;
        return true;
    }
    if (didit) team->copy_data = data;
    if (!gomp_barrier(self)) return false;
    *src = team->copy_data;
    return true;
}

bool gomp_copyprivate_end(gomp_thread *self) {
    if (self->ctx.team->nthreads == 1) return true;
    return gomp_barrier(self);
}

int gomp_reduce_begin(gomp_thread *self, bool *ok) {
    gomp_team *team = self->ctx.team;
    *ok = true;
    if (team->nthreads == 1) return 1;
    if (!gomp_word_lock(&team->reduce_lock, self->proc->opts.spin_us, &self->proc->aborting)) {
        *ok = false;
        return 0;
    }
    return 1;
}

void gomp_reduce_end(gomp_thread *self) {
    gomp_team *team = self->ctx.team;
    if (team->nthreads == 1) return;
    gomp_word_unlock(&team->reduce_lock);
}

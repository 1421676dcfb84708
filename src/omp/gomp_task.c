/*
 * gomp_task.c — explicit tasks (`#pragma omp task`, `taskwait`).
 *
 * A task created in a team of several threads goes to the team's queue (FIFO, one mutex); any
 * thread of the team runs queued tasks when it waits in a barrier or a taskwait. In a team of one
 * thread — and when the queue is long (GOMP_TASK_QUEUE_MAX per thread) — a task runs at once on
 * the creating thread, which OpenMP allows (an undeferred task).
 *
 * Counting. Each task counts its incomplete children (what taskwait waits for), and each team its
 * pending tasks (what the barrier waits for). A task's memory must outlive its children (they
 * decrement its counter; their shared variables may live in its private data), so explicit tasks
 * are reference counted: one reference for themselves until they complete, one per incomplete
 * child; the last one releases the task. Implicit tasks live in their region's frame, which the
 * region's closing barrier keeps alive until every task of the team completed.
 *
 * Completion order matters: parent counters first, then the team's pending count (the barrier may
 * then finish and the region's frames go away), then the event that wakes waiters.
 */
#include "omp/gomp_internal.h"

#define GOMP_TASK_QUEUE_MAX 64

static void task_unref(gomp_thread *self, gomp_task *t) {
    if (!t->explicit_) return;
    if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0 && t->release) t->release(self, t);
}

/* Accounts for a new child `t` of the current task. */
static void task_adopt(gomp_thread *self, gomp_task *t) {
    gomp_task *parent = self->ctx.task;
    t->parent = parent;
    t->explicit_ = true;
    t->children = 0;
    t->refs = 1;
    __atomic_add_fetch(&parent->children, 1, __ATOMIC_ACQ_REL);
    if (parent->explicit_) __atomic_add_fetch(&parent->refs, 1, __ATOMIC_ACQ_REL);
    __atomic_add_fetch(&self->ctx.team->task_pending, 1, __ATOMIC_ACQ_REL);
}

static void task_complete(gomp_thread *self, gomp_team *team, gomp_task *t) {
    gomp_task *parent = t->parent;
    __atomic_sub_fetch(&parent->children, 1, __ATOMIC_ACQ_REL);
    task_unref(self, parent);
    task_unref(self, t);
    __atomic_sub_fetch(&team->task_pending, 1, __ATOMIC_ACQ_REL);
    gomp_event_bump(&team->event);
}

/* Runs t on this thread with t as the current task; false when it failed (trap). */
static bool task_execute(gomp_thread *self, gomp_task *t) {
    gomp_team *team = self->ctx.team;
    gomp_task *saved = self->ctx.task;
    self->ctx.task = t;
    bool ok = !gomp_aborting(self->proc) && t->run(self, t);
    self->ctx.task = saved;
    task_complete(self, team, t);
    return ok;
}

bool gomp_task_run_now(gomp_thread *self, gomp_task *t) {
    task_adopt(self, t);
    return task_execute(self, t);
}

bool gomp_task_submit(gomp_thread *self, gomp_task *t) {
    gomp_team *team = self->ctx.team;
    if (team->nthreads == 1 || __atomic_load_n(&team->task_queued, __ATOMIC_RELAXED) >=
                                   (uint32_t)(GOMP_TASK_QUEUE_MAX * team->nthreads))
        return gomp_task_run_now(self, t);
    task_adopt(self, t);
    t->next = NULL;
    pthread_mutex_lock(&team->task_lock);
    if (team->task_tail)
        team->task_tail->next = t;
    else
        team->task_head = t;
    team->task_tail = t;
    __atomic_add_fetch(&team->task_queued, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&team->task_lock);
    gomp_event_bump(&team->event);
    return !gomp_aborting(self->proc);
}

bool gomp_task_run_one(gomp_thread *self) {
    gomp_team *team = self->ctx.team;
    if (!__atomic_load_n(&team->task_queued, __ATOMIC_ACQUIRE)) return false;
    pthread_mutex_lock(&team->task_lock);
    gomp_task *t = team->task_head;
    if (t) {
        team->task_head = t->next;
        if (!team->task_head) team->task_tail = NULL;
        __atomic_sub_fetch(&team->task_queued, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&team->task_lock);
    if (!t) return false;
    task_execute(self, t);
    return true;
}

bool gomp_taskwait(gomp_thread *self) {
    gomp_task *cur = self->ctx.task;
    gomp_team *team = self->ctx.team;
    uint64_t spin_end = 0;
    while (__atomic_load_n(&cur->children, __ATOMIC_ACQUIRE) != 0) {
        uint32_t seen = gomp_event_read(&team->event);
        if (__atomic_load_n(&cur->children, __ATOMIC_ACQUIRE) == 0) break;
        if (gomp_aborting(self->proc)) return false;
        if (gomp_task_run_one(self)) continue;
        gomp_event_wait(&team->event, seen, gomp_spin_left(self->proc, &spin_end));
    }
    return !gomp_aborting(self->proc);
}

void gomp_task_begin_if0(gomp_thread *self, gomp_task *t) {
    task_adopt(self, t);
    self->ctx.task = t;
}

bool gomp_task_complete_if0(gomp_thread *self, gomp_task *t) {
    if (self->ctx.task != t || !t->explicit_) return false;
    self->ctx.task = t->parent;
    task_complete(self, self->ctx.team, t);
    return true;
}

/*
 * gomp_team.c — process state, fork/join of parallel regions, serialized regions, nesting levels.
 *
 * Fork (gomp_parallel): the team size was decided by gomp_team_size (program request, elastic
 * policy, nesting limit, thread limit). The forking thread allocates a team, takes nthreads - 1
 * idle workers from the pool, saves its own context on the C stack, becomes thread 0, hands each
 * worker its thread number, runs its own share, and joins with the team's barrier (which also
 * drains the task queue). Workers then return themselves to the pool and drop their reference to
 * the team; the forking thread waits for the last reference before it frees the team and restores
 * its context. A region inside a region is the same code on a worker: nesting needs nothing else.
 *
 * The implicit task of each thread lives in the C frame that runs its share (this file), not in
 * the saved context, so that children of an outer implicit task still running on other threads
 * keep a valid parent while the thread is busy in a nested region.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omp/gomp_internal.h"

static void ctx_enter(gomp_thread *self, gomp_team *team, int tid, gomp_task *implicit) {
    memset(implicit, 0, sizeof *implicit);
    memset(&self->ctx, 0, sizeof self->ctx);
    self->ctx.team = team;
    self->ctx.tid = tid;
    self->ctx.icv = team->icv;
    self->ctx.task = implicit;
}

static void team_init(gomp_team *team, gomp_proc *p, gomp_team *parent, int parent_tid, int n) {
    memset(team, 0, sizeof *team);
    team->proc = p;
    team->parent = parent;
    team->parent_tid = parent_tid;
    team->nthreads = n;
    team->level = parent ? parent->level + 1 : 0;
    team->active_level = (parent ? parent->active_level : 0) + (n > 1);
    pthread_mutex_init(&team->task_lock, NULL);
}

gomp_proc *gomp_proc_new(const gomp_options *opts, const gomp_hooks *hooks) {
    gomp_proc *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->opts = *opts;
    if (hooks) p->hooks = *hooks;
    pthread_mutex_init(&p->pool_lock, NULL);
    p->policy = gomp_policy_default;
    team_init(&p->initial_team, p, NULL, 0, 1);
    p->initial_team.threads = p->initial_members;
    p->initial_members[0] = &p->initial;
    p->initial_team.icv.nthreads = opts->threads;
    p->initial_team.icv.dynamic = 0;
    p->initial_team.icv.max_active_levels = 1;
    const char *levels = getenv("OMP_MAX_ACTIVE_LEVELS");
    if (levels && atoi(levels) >= 0) p->initial_team.icv.max_active_levels = atoi(levels);
    p->initial_team.icv.run_sched = GOMP_OMP_STATIC;
    p->initial_team.icv.run_chunk = 0;
    p->initial.proc = p;
    p->initial.gtid = 0;
    ctx_enter(&p->initial, &p->initial_team, 0, &p->initial_task);
    return p;
}

bool gomp_proc_free(gomp_proc *p) {
    if (!p) return true;
    if (!gomp_pool_stop(p)) return false; /* a thread still runs: leak rather than crash */
    free(p->workers);
    pthread_mutex_destroy(&p->initial_team.task_lock);
    pthread_mutex_destroy(&p->pool_lock);
    free(p);
    return true;
}

void gomp_proc_abort(gomp_proc *p) {
    __atomic_store_n(&p->aborting, 1, __ATOMIC_RELEASE);
}

int gomp_team_size(gomp_thread *self, int requested) {
    gomp_proc *p = self->proc;
    gomp_team *team = self->ctx.team;
    int n = requested > 0 ? requested : self->pushed_nthreads;
    if (n <= 0) n = self->ctx.icv.nthreads;
    self->pushed_nthreads = 0;
    int level = team->level + 1;
    if (level == 1) {
        uint64_t fork = __atomic_add_fetch(&p->forks, 1, __ATOMIC_RELAXED);
        const gomp_elastic *e = &p->opts.elastic;
        if (e->to > 0 && fork == (e->after_forks ? e->after_forks : 1))
            __atomic_store_n(&p->target, e->to, __ATOMIC_RELEASE);
        gomp_fork_info info = {level, n, fork, __atomic_load_n(&p->target, __ATOMIC_ACQUIRE)};
        int decided = p->policy(p->policy_ctx, &info);
        if (decided >= 1 && decided != n) {
            n = decided;
            self->ctx.icv.nthreads = n; /* later queries (omp_get_max_threads) agree */
        }
    } else {
        __atomic_add_fetch(&p->nested_forks, 1, __ATOMIC_RELAXED);
    }
    if (team->active_level >= self->ctx.icv.max_active_levels) n = 1;
    if (n > p->opts.max_threads) n = p->opts.max_threads;
    if (n < 1) n = 1;
    return n;
}

/* Waits until every worker dropped its reference to `team`; false when it gave up (abort). */
static bool wait_refs(gomp_proc *p, gomp_team *team) {
    uint64_t start = 0;
    for (unsigned i = 0; __atomic_load_n(&team->refs, __ATOMIC_ACQUIRE) != 0; i++) {
        if (i < 2048) {
            gomp_cpu_relax();
            continue;
        }
        uint64_t now = gomp_now_ns();
        if (!start) start = now;
        if (gomp_aborting(p) && now - start > 1000000000u) return false;
        if (now - start < 10000000u) {
            sched_yield();
        } else {
            struct timespec ts = {0, 100000};
            nanosleep(&ts, NULL);
        }
    }
    return true;
}

bool gomp_parallel(gomp_thread *self, int nthreads, void (*fn)(gomp_thread *, void *), void *arg,
                   char *msg, size_t msglen) {
    gomp_proc *p = self->proc;
    assert(nthreads >= 1);
    if (gomp_aborting(p)) {
        snprintf(msg, msglen, "the process is aborting");
        return false;
    }
    gomp_team *team = malloc(sizeof *team + (size_t)nthreads * sizeof(gomp_thread *));
    if (!team) {
        snprintf(msg, msglen, "out of memory for an OpenMP team");
        return false;
    }
    team_init(team, p, self->ctx.team, self->ctx.tid, nthreads);
    team->threads = (gomp_thread **)(team + 1);
    team->threads[0] = self;
    if (nthreads > 1) {
        int got = gomp_pool_acquire(p, nthreads - 1, team->threads + 1, msg, msglen);
        if (got < 0) {
            pthread_mutex_destroy(&team->task_lock);
            free(team);
            return false;
        }
        team->nthreads = got + 1;
        team->active_level = team->parent->active_level + (team->nthreads > 1);
    }
    team->fn = fn;
    team->arg = arg;
    team->icv = self->ctx.icv;
    team->refs = (uint32_t)(team->nthreads - 1);
    if (team->level == 1) {
        __atomic_store_n(&p->last_team, team->nthreads, __ATOMIC_RELAXED);
        int max = __atomic_load_n(&p->max_team, __ATOMIC_RELAXED);
        while (team->nthreads > max &&
               !__atomic_compare_exchange_n(&p->max_team, &max, team->nthreads, false,
                                            __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        }
    }

    gomp_ctx saved = self->ctx;
    gomp_task implicit;
    ctx_enter(self, team, 0, &implicit);
    for (int i = 1; i < team->nthreads; i++)
        gomp_pool_start(team->threads[i], team, i);
    if (!gomp_aborting(p)) fn(self, arg);
    gomp_barrier(self);
    bool freed = wait_refs(p, team);
    self->ctx = saved;
    if (!freed) {
        snprintf(msg, msglen, "the process is aborting");
        return false; /* a worker may still hold the team: leak it */
    }
    pthread_mutex_destroy(&team->task_lock);
    free(team);
    if (gomp_aborting(p)) {
        snprintf(msg, msglen, "the process is aborting");
        return false;
    }
    return true;
}

void gomp_team_member(gomp_thread *self, gomp_team *team, int tid) {
    gomp_task implicit;
    ctx_enter(self, team, tid, &implicit);
    if (!gomp_aborting(self->proc)) team->fn(self, team->arg);
    gomp_barrier(self);
    memset(&self->ctx, 0, sizeof self->ctx);
    gomp_pool_release(self);
    __atomic_sub_fetch(&team->refs, 1, __ATOMIC_RELEASE); /* last touch of the team */
}

/* ---- Serialized regions ---- */

typedef struct serial_team {
    gomp_team team;
    gomp_thread *member;
    gomp_task implicit;
} serial_team;

bool gomp_serialized_begin(gomp_thread *self) {
    serial_team *st = malloc(sizeof *st);
    if (!st) return false;
    team_init(&st->team, self->proc, self->ctx.team, self->ctx.tid, 1);
    st->member = self;
    st->team.threads = &st->member;
    st->team.icv = self->ctx.icv;
    st->team.serial = true;
    st->team.serial_saved = self->ctx;
    self->pushed_nthreads = 0;
    __atomic_add_fetch(st->team.level == 1 ? &self->proc->forks : &self->proc->nested_forks, 1,
                       __ATOMIC_RELAXED);
    ctx_enter(self, &st->team, 0, &st->implicit);
    return true;
}

bool gomp_serialized_end(gomp_thread *self) {
    gomp_team *team = self->ctx.team;
    if (!team->serial || team->threads[0] != self) return false;
    gomp_barrier(self); /* runs the tasks the region left */
    self->ctx = team->serial_saved;
    pthread_mutex_destroy(&team->task_lock);
    free((serial_team *)team);
    return true;
}

/* ---- Levels ---- */

int gomp_level(gomp_thread *self) {
    return self->ctx.team->level;
}

int gomp_active_level(gomp_thread *self) {
    return self->ctx.team->active_level;
}

int gomp_ancestor_tid(gomp_thread *self, int level) {
    gomp_team *t = self->ctx.team;
    int tid = self->ctx.tid;
    if (level < 0 || level > t->level) return -1;
    while (t->level > level) {
        tid = t->parent_tid;
        t = t->parent;
    }
    return tid;
}

int gomp_team_size_at(gomp_thread *self, int level) {
    gomp_team *t = self->ctx.team;
    if (level < 0 || level > t->level) return -1;
    while (t->level > level)
        t = t->parent;
    return t->nthreads;
}

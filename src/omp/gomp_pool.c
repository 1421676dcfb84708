/*
 * gomp_pool.c — the worker threads of a process: created on demand, kept between parallel regions.
 *
 * A worker is an OS thread with a gomp_thread (and, through the embedder's worker_new hook, a
 * thread cell). It sleeps until it is handed a team: the forking thread stores the team and the
 * thread number in the worker, then bumps its job_seq; the worker runs its share of the region
 * (gomp_team_member) and marks itself free again before it lets go of the team, so that the
 * forking thread, once its join completes, finds every worker of the team back in the pool.
 *
 * Workers are taken lowest index first: consecutive regions of the same size get the same OS
 * threads in the same order, which keeps threadprivate data with its thread (OpenMP requires it
 * when the team size does not change) and caches warm.
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omp/gomp_internal.h"

static void *worker_main(void *arg) {
    gomp_thread *t = arg;
    gomp_proc *p = t->proc;
    uint32_t seen = 0;
    for (;;) {
        /* Idle: wait for a job (spin briefly, then sleep; never give up: the pool owns us). The
         * `sleeping` flag spares the forking thread a wake-up call while we still spin. */
        if (!gomp_spin_change(&t->job_seq, seen, p->opts.spin_us)) {
            __atomic_store_n(&t->sleeping, 1, __ATOMIC_SEQ_CST);
            while (__atomic_load_n(&t->job_seq, __ATOMIC_SEQ_CST) == seen)
                gomp_futex_wait(&t->job_seq, seen, 1000);
            __atomic_store_n(&t->sleeping, 0, __ATOMIC_RELAXED);
        }
        seen = __atomic_load_n(&t->job_seq, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) break;
        gomp_team_member(t, t->job_team, t->job_tid);
    }
    return NULL;
}

static gomp_thread *worker_create(gomp_proc *p, char *msg, size_t msglen) {
    gomp_thread *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(msg, msglen, "out of memory for an OpenMP thread");
        return NULL;
    }
    t->proc = p;
    t->is_worker = true;
    t->gtid = ++p->next_gtid;
    if (p->hooks.worker_new && !p->hooks.worker_new(p, t, p->hooks.ctx, msg, msglen)) {
        free(t);
        return NULL;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, p->opts.host_stack);
    int rc = pthread_create(&t->os_thread, &attr, worker_main, t);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        snprintf(msg, msglen, "cannot start an OpenMP thread: %s", strerror(rc));
        if (p->hooks.worker_free) p->hooks.worker_free(p, t, p->hooks.ctx);
        free(t);
        return NULL;
    }
    return t;
}

int gomp_pool_acquire(gomp_proc *p, int want, gomp_thread **out, char *msg, size_t msglen) {
    int got = 0;
    pthread_mutex_lock(&p->pool_lock);
    for (int i = 0; i < p->nworkers && got < want; i++) {
        if (!p->workers[i]->busy) {
            p->workers[i]->busy = true;
            out[got++] = p->workers[i];
        }
    }
    while (got < want) {
        if (p->nworkers >= p->opts.max_threads - 1) break; /* thread limit: a smaller team */
        if (p->nworkers == p->cap_workers) {
            int cap = p->cap_workers ? 2 * p->cap_workers : 8;
            gomp_thread **w = realloc(p->workers, (size_t)cap * sizeof *w);
            if (!w) {
                snprintf(msg, msglen, "out of memory for the OpenMP thread pool");
                break;
            }
            p->workers = w;
            p->cap_workers = cap;
        }
        gomp_thread *t = worker_create(p, msg, msglen);
        if (!t) {
            /* Give back what we took: the fork fails as a whole. */
            for (int i = 0; i < got; i++)
                out[i]->busy = false;
            pthread_mutex_unlock(&p->pool_lock);
            return -1;
        }
        t->busy = true;
        p->workers[p->nworkers++] = t;
        out[got++] = t;
    }
    pthread_mutex_unlock(&p->pool_lock);
    return got;
}

void gomp_pool_release(gomp_thread *t) {
    gomp_proc *p = t->proc;
    pthread_mutex_lock(&p->pool_lock);
    t->busy = false;
    pthread_mutex_unlock(&p->pool_lock);
}

void gomp_pool_start(gomp_thread *t, gomp_team *team, int tid) {
    t->job_team = team;
    t->job_tid = tid;
    __atomic_fetch_add(&t->job_seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&t->sleeping, __ATOMIC_SEQ_CST)) gomp_futex_wake(&t->job_seq, 1);
}

int gomp_pool_size(gomp_proc *p) {
    pthread_mutex_lock(&p->pool_lock);
    int n = p->nworkers;
    pthread_mutex_unlock(&p->pool_lock);
    return n;
}

bool gomp_pool_stop(gomp_proc *p) {
    bool all = true;
    pthread_mutex_lock(&p->pool_lock);
    int n = p->nworkers;
    pthread_mutex_unlock(&p->pool_lock);
    for (int i = 0; i < n; i++) {
        gomp_thread *t = p->workers[i];
        __atomic_store_n(&t->stop, true, __ATOMIC_RELEASE);
        __atomic_fetch_add(&t->job_seq, 1, __ATOMIC_SEQ_CST);
        gomp_futex_wake(&t->job_seq, 1);
    }
    for (int i = 0; i < n; i++) {
        gomp_thread *t = p->workers[i];
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += 2;
        if (pthread_timedjoin_np(t->os_thread, NULL, &deadline) != 0) {
            /* Still running guest code that never reaches the runtime: leave it be. */
            pthread_detach(t->os_thread);
            all = false;
            p->workers[i] = NULL;
            continue;
        }
        if (p->hooks.worker_free) p->hooks.worker_free(p, t, p->hooks.ctx);
        free(t);
        p->workers[i] = NULL;
    }
    return all;
}

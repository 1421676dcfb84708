/*
 * test_gomp_core.c — unit tests of the OpenMP runtime core, natively with pthreads (no wasm):
 * fork/join and pool reuse, nesting levels, barriers, static partitions (against libomp's
 * figures), dynamic/guided/static dispatch coverage over many consecutive nowait loops, ordered
 * sequencing, single, copyprivate, reductions, tasks (nested, taskwait, barrier completion), word
 * locks, the elastic policy, and aborts that must wake every waiter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omp/gomp_internal.h"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);                                    \
        }                                                                                          \
    } while (0)

static gomp_proc *new_proc(int threads) {
    gomp_options o;
    memset(&o, 0, sizeof o);
    o.threads = threads;
    o.max_threads = 16;
    o.spin_us = 50;
    gomp_options_resolve(&o);
    gomp_proc *p = gomp_proc_new(&o, NULL);
    CHECK(p != NULL);
    return p;
}

static bool run(gomp_proc *p, int n, void (*fn)(gomp_thread *, void *), void *arg) {
    char msg[200];
    gomp_thread *self = &p->initial;
    int size = gomp_team_size(self, n);
    return gomp_parallel(self, size, fn, arg, msg, sizeof msg);
}

/* ---- fork/join, pool ---- */

typedef struct counts {
    int hits[16];
    int nthreads[16];
} counts;

static void fn_count(gomp_thread *t, void *arg) {
    counts *c = arg;
    __atomic_add_fetch(&c->hits[t->ctx.tid], 1, __ATOMIC_RELAXED);
    c->nthreads[t->ctx.tid] = t->ctx.team->nthreads;
}

static void test_fork_join(void) {
    gomp_proc *p = new_proc(4);
    for (int round = 0; round < 200; round++) {
        counts c;
        memset(&c, 0, sizeof c);
        CHECK(run(p, round % 4 + 1, fn_count, &c));
        for (int i = 0; i < 16; i++)
            CHECK(c.hits[i] == (i < round % 4 + 1));
        for (int i = 0; i < round % 4 + 1; i++)
            CHECK(c.nthreads[i] == round % 4 + 1);
    }
    CHECK(gomp_pool_size(p) == 3); /* reused, never more than the largest team needs */
    CHECK(p->initial.ctx.team == &p->initial_team && p->initial.ctx.tid == 0);
    CHECK(gomp_proc_free(p));
}

/* ---- nesting ---- */

typedef struct nest_info {
    int inner_size[4][4];
    int level[4][4];
    int active[4][4];
    int ancestor[4][4];
} nest_info;

static void fn_inner(gomp_thread *t, void *arg) {
    nest_info *ni = arg;
    int outer = gomp_ancestor_tid(t, 1);
    ni->inner_size[outer][t->ctx.tid] = t->ctx.team->nthreads;
    ni->level[outer][t->ctx.tid] = gomp_level(t);
    ni->active[outer][t->ctx.tid] = gomp_active_level(t);
    ni->ancestor[outer][t->ctx.tid] = gomp_team_size_at(t, 1);
}

static void fn_outer(gomp_thread *t, void *arg) {
    char msg[200];
    int n = gomp_team_size(t, 2);
    CHECK(gomp_parallel(t, n, fn_inner, arg, msg, sizeof msg));
    CHECK(gomp_level(t) == 1);
}

static void test_nesting(void) {
    gomp_proc *p = new_proc(2);
    nest_info ni;
    memset(&ni, 0, sizeof ni);
    CHECK(run(p, 2, fn_outer, &ni)); /* max-active-levels 1: inner teams of one */
    for (int o = 0; o < 2; o++) {
        CHECK(ni.inner_size[o][0] == 1);
        CHECK(ni.level[o][0] == 2);
        CHECK(ni.active[o][0] == 1);
        CHECK(ni.ancestor[o][0] == 2);
    }
    p->initial.ctx.icv.max_active_levels = 2;
    memset(&ni, 0, sizeof ni);
    CHECK(run(p, 2, fn_outer, &ni));
    for (int o = 0; o < 2; o++) {
        for (int i = 0; i < 2; i++) {
            CHECK(ni.inner_size[o][i] == 2);
            CHECK(ni.active[o][i] == 2);
        }
    }
    /* 3 workers when both inner teams overlap in time, 2 when one finished before the other */
    CHECK(gomp_pool_size(p) >= 2 && gomp_pool_size(p) <= 3);
    CHECK(gomp_proc_free(p));
}

/* ---- barriers ---- */

typedef struct bar_state {
    int phase[16];
    int errors;
} bar_state;

static void fn_barrier(gomp_thread *t, void *arg) {
    bar_state *b = arg;
    int n = t->ctx.team->nthreads;
    for (int round = 0; round < 500; round++) {
        __atomic_store_n(&b->phase[t->ctx.tid], round, __ATOMIC_RELEASE);
        CHECK(gomp_barrier(t));
        for (int i = 0; i < n; i++)
            if (__atomic_load_n(&b->phase[i], __ATOMIC_ACQUIRE) < round)
                __atomic_add_fetch(&b->errors, 1, __ATOMIC_RELAXED);
        CHECK(gomp_barrier(t));
    }
}

static void test_barrier(void) {
    gomp_proc *p = new_proc(3);
    bar_state b;
    memset(&b, 0, sizeof b);
    CHECK(run(p, 3, fn_barrier, &b));
    CHECK(b.errors == 0);
    CHECK(gomp_proc_free(p));
}

/* ---- static partitions ---- */

static void test_static_bounds(void) {
    /* 10 iterations, 4 threads: libomp's balanced split 3,3,2,2 */
    int expect_first[4] = {0, 3, 6, 8}, expect_count[4] = {3, 3, 2, 2};
    for (int t = 0; t < 4; t++) {
        gomp_static_out so;
        gomp_static_bounds(GOMP_SCH_STATIC, 10, 0, 4, t, &so);
        CHECK(so.first == (uint64_t)expect_first[t] && so.count == (uint64_t)expect_count[t]);
        CHECK(so.last == (t == 3));
    }
    /* fewer iterations than threads */
    gomp_static_out so;
    gomp_static_bounds(GOMP_SCH_STATIC, 2, 0, 4, 3, &so);
    CHECK(so.count == 0 && !so.last);
    gomp_static_bounds(GOMP_SCH_STATIC, 2, 0, 4, 1, &so);
    CHECK(so.first == 1 && so.count == 1 && so.last);
    /* chunked: 7 iterations, chunk 2, 3 threads -> 0011220 */
    gomp_static_bounds(GOMP_SCH_STATIC_CHUNKED, 7, 2, 3, 1, &so);
    CHECK(so.first == 2 && so.count == 2 && so.stride == 6 && so.chunk == 2 && !so.last);
    gomp_static_bounds(GOMP_SCH_STATIC_CHUNKED, 7, 2, 3, 0, &so);
    CHECK(so.last); /* the last chunk (iteration 6) is chunk 3, thread 0 */
    gomp_static_bounds(GOMP_SCH_STATIC, 0, 0, 4, 0, &so);
    CHECK(so.count == 0);
    gomp_static_bounds(GOMP_SCH_STATIC, 5, 0, 1, 0, &so);
    CHECK(so.count == 5 && so.last);
}

/* ---- dispatch ---- */

#define LOOP_TRIP 1000
#define LOOPS     40

typedef struct loop_state {
    int kind;
    uint64_t chunk;
    int seen[LOOPS][LOOP_TRIP];
    int lasts[LOOPS];
} loop_state;

static void fn_loops(gomp_thread *t, void *arg) {
    loop_state *ls = arg;
    for (int l = 0; l < LOOPS; l++) { /* nowait loops back to back: exercises the slot ring */
        uint64_t trip = LOOP_TRIP - (uint64_t)l;
        CHECK(gomp_dispatch_init(t, ls->kind, trip, ls->chunk));
        uint64_t first, count;
        bool last;
        while (gomp_dispatch_next(t, &first, &count, &last)) {
            CHECK(count >= 1 && first + count <= trip);
            for (uint64_t i = first; i < first + count; i++)
                __atomic_add_fetch(&ls->seen[l][i], 1, __ATOMIC_RELAXED);
            if (last) __atomic_add_fetch(&ls->lasts[l], 1, __ATOMIC_RELAXED);
        }
    }
}

static void test_dispatch(void) {
    gomp_proc *p = new_proc(4);
    int kinds[] = {GOMP_SCH_DYNAMIC_CHUNKED,
                   GOMP_SCH_GUIDED_CHUNKED,
                   GOMP_SCH_STATIC,
                   GOMP_SCH_STATIC_CHUNKED,
                   GOMP_SCH_AUTO,
                   GOMP_SCH_RUNTIME,
                   GOMP_SCH_DYNAMIC_CHUNKED | (1 << 30)};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (uint64_t chunk = 0; chunk < 8; chunk += 3) {
            loop_state *ls = calloc(1, sizeof *ls);
            ls->kind = kinds[k];
            ls->chunk = chunk;
            CHECK(run(p, 4, fn_loops, ls));
            for (int l = 0; l < LOOPS; l++) {
                for (int i = 0; i < LOOP_TRIP - l; i++)
                    CHECK(ls->seen[l][i] == 1);
                CHECK(ls->lasts[l] == 1);
            }
            free(ls);
        }
    }
    CHECK(gomp_proc_free(p));
}

/* ---- ordered ---- */

typedef struct ordered_state {
    int order[200];
    int n;
} ordered_state;

static void fn_ordered(gomp_thread *t, void *arg) {
    ordered_state *os = arg;
    CHECK(gomp_dispatch_init(t, GOMP_ORD_LOWER + (GOMP_SCH_DYNAMIC_CHUNKED - GOMP_SCH_LOWER), 200,
                             3));
    uint64_t first, count;
    bool last;
    while (gomp_dispatch_next(t, &first, &count, &last)) {
        for (uint64_t i = first; i < first + count; i++) {
            if (i % 7 != 3) { /* some iterations have no ordered region */
                CHECK(gomp_ordered_begin(t));
                os->order[os->n++] = (int)i;
                gomp_ordered_end(t);
            }
            CHECK(gomp_dispatch_fini_iter(t));
        }
    }
}

static void test_ordered(void) {
    gomp_proc *p = new_proc(3);
    ordered_state os;
    memset(&os, 0, sizeof os);
    CHECK(run(p, 3, fn_ordered, &os));
    int expect = 0;
    for (int i = 0; i < os.n; i++) {
        while (expect % 7 == 3)
            expect++;
        CHECK(os.order[i] == expect);
        expect++;
    }
    CHECK(os.n == 200 - 29);
    CHECK(gomp_proc_free(p));
}

/* ---- single, copyprivate, reductions ---- */

typedef struct work_state {
    int singles[100];
    int copied[4];
    long sum;
    uint32_t lock;
    long locked_sum;
} work_state;

static void fn_work(gomp_thread *t, void *arg) {
    work_state *ws = arg;
    bool ok;
    for (int i = 0; i < 100; i++)
        if (gomp_single(t, &ok)) __atomic_add_fetch(&ws->singles[i], 1, __ATOMIC_RELAXED);
    CHECK(ok);
    /* copyprivate: the single thread's value 42 reaches everyone */
    bool didit = gomp_single(t, &ok);
    int mine = didit ? 42 : -1;
    uint64_t src;
    CHECK(gomp_copyprivate_begin(t, didit, (uint64_t)(uintptr_t)&mine, &src));
    if (!didit) mine = *(int *)(uintptr_t)src;
    CHECK(gomp_copyprivate_end(t));
    ws->copied[t->ctx.tid] = mine;
    /* reduction, critical method */
    long part = 0;
    for (int i = t->ctx.tid; i < 1000; i += t->ctx.team->nthreads)
        part += i;
    if (gomp_reduce_begin(t, &ok) == 1) {
        ws->sum += part;
        gomp_reduce_end(t);
    }
    CHECK(gomp_barrier(t));
    for (int i = 0; i < 1000; i++) {
        CHECK(gomp_word_lock(&ws->lock, 10, NULL));
        ws->locked_sum++;
        gomp_word_unlock(&ws->lock);
    }
}

static void test_work(void) {
    gomp_proc *p = new_proc(4);
    work_state ws;
    memset(&ws, 0, sizeof ws);
    CHECK(run(p, 4, fn_work, &ws));
    for (int i = 0; i < 100; i++)
        CHECK(ws.singles[i] == 1);
    for (int i = 0; i < 4; i++)
        CHECK(ws.copied[i] == 42);
    CHECK(ws.sum == 999 * 1000 / 2);
    CHECK(ws.locked_sum == 4000);
    CHECK(gomp_proc_free(p));
}

/* ---- tasks ---- */

typedef struct task_state {
    long done;
    int max_depth;
} task_state;

typedef struct ctask {
    gomp_task task;
    task_state *ts;
    int depth;
} ctask;

static bool ctask_run(gomp_thread *self, gomp_task *t);

static void ctask_release(gomp_thread *self, gomp_task *t) {
    (void)self;
    free(t);
}

static void spawn(gomp_thread *self, task_state *ts, int depth) {
    ctask *c = calloc(1, sizeof *c);
    c->task.run = ctask_run;
    c->task.release = ctask_release;
    c->ts = ts;
    c->depth = depth;
    CHECK(gomp_task_submit(self, &c->task));
}

static bool ctask_run(gomp_thread *self, gomp_task *t) {
    ctask *c = (ctask *)t;
    __atomic_add_fetch(&c->ts->done, 1, __ATOMIC_RELAXED);
    if (c->depth < c->ts->max_depth) { /* a binary tree of tasks, half of them awaited */
        spawn(self, c->ts, c->depth + 1);
        spawn(self, c->ts, c->depth + 1);
        if (c->depth % 2) CHECK(gomp_taskwait(self));
    }
    return true;
}

static void fn_tasks(gomp_thread *t, void *arg) {
    task_state *ts = arg;
    bool ok;
    if (gomp_single(t, &ok)) {
        for (int i = 0; i < 50; i++)
            spawn(t, ts, 0);
        CHECK(gomp_taskwait(t));
    }
    /* the closing barrier completes the rest */
}

static void test_tasks(void) {
    for (int n = 1; n <= 4; n += 3) {
        gomp_proc *p = new_proc(n);
        task_state ts = {0, 6};
        CHECK(run(p, n, fn_tasks, &ts));
        CHECK(ts.done == 50 * 127);
        CHECK(gomp_proc_free(p));
    }
}

/* ---- elastic policy ---- */

static void fn_size(gomp_thread *t, void *arg) {
    if (t->ctx.tid == 0) *(int *)arg = t->ctx.team->nthreads;
}

static void test_elastic(void) {
    gomp_options o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    o.max_threads = 8;
    o.elastic.to = 3;
    o.elastic.after_forks = 5;
    gomp_options_resolve(&o);
    gomp_proc *p = gomp_proc_new(&o, NULL);
    char msg[100];
    for (int i = 1; i <= 8; i++) {
        int size = 0;
        int n = gomp_team_size(&p->initial, 0);
        CHECK(gomp_parallel(&p->initial, n, fn_size, &size, msg, sizeof msg));
        CHECK(size == (i < 5 ? 1 : 3));
    }
    CHECK(p->initial.ctx.icv.nthreads == 3);
    __atomic_store_n(&p->target, 2, __ATOMIC_RELEASE); /* the planner lowers it again */
    int size = 0;
    CHECK(gomp_parallel(&p->initial, gomp_team_size(&p->initial, 0), fn_size, &size, msg,
                        sizeof msg));
    CHECK(size == 2);
    CHECK(p->forks == 9 && p->max_team == 3);
    CHECK(gomp_proc_free(p));
}

/* ---- aborts ---- */

static void fn_abort(gomp_thread *t, void *arg) {
    (void)arg;
    if (t->ctx.tid == 1) {
        gomp_proc_abort(t->proc); /* as a trap in thread 1 would */
        return;
    }
    /* everyone else waits for something that will never happen without thread 1 */
    CHECK(!gomp_barrier(t));
}

static void test_abort(void) {
    gomp_proc *p = new_proc(3);
    uint64_t start = gomp_now_ns();
    CHECK(!run(p, 3, fn_abort, NULL));
    CHECK(gomp_now_ns() - start < 2000000000u);
    /* a lock held forever is given up too */
    uint32_t word = 1;
    CHECK(!gomp_word_lock(&word, 10, &p->aborting));
    CHECK(gomp_proc_free(p));
}

/* ---- elastic options and run records ---- */

static void test_history(void) {
    uint64_t forks;
    double fraction;
    CHECK(gomp_elastic_after_parse("3", &forks, &fraction) && forks == 3 && fraction == 0);
    CHECK(gomp_elastic_after_parse("0.5", &forks, &fraction) && forks == 0 && fraction == 0.5);
    const char *bad[] = {"0", "1.5", "-1", "abc", "", "2x", "1.0", "0.0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!gomp_elastic_after_parse(bad[i], &forks, &fraction));
    char dir[] = "/tmp/gomp-history-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char key[96], key2[96], hash[65];
    memset(hash, 'a', 64);
    hash[64] = 0;
    char *argv1[] = {"app.wasm", "10", "20"}, *argv2[] = {"app.wasm", "10", "21"};
    gomp_history_key(hash, 3, argv1, key);
    gomp_history_key(hash, 3, argv2, key2);
    CHECK(strcmp(key, key2) != 0);
    CHECK(!gomp_history_load(dir, key, &forks));
    CHECK(!gomp_elastic_after_resolve(dir, key, 0.5, &forks));
    CHECK(gomp_history_store(dir, key, 61));
    CHECK(gomp_history_load(dir, key, &forks) && forks == 61);
    CHECK(gomp_elastic_after_resolve(dir, key, 0.5, &forks) && forks == 31);
    CHECK(gomp_elastic_after_resolve(dir, key, 0.001, &forks) && forks == 1);
    CHECK(!gomp_history_store(dir, "a/b", 5)); /* keys never name other files */
    char path[200];
    snprintf(path, sizeof path, "%s/omp-runs/%s", dir, key);
    unlink(path);
    snprintf(path, sizeof path, "%s/omp-runs", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void) {
    test_history();
    test_fork_join();
    test_nesting();
    test_barrier();
    test_static_bounds();
    test_dispatch();
    test_ordered();
    test_work();
    test_tasks();
    test_elastic();
    test_abort();
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    else
        printf("gomp core: all tests passed\n");
    return failures != 0;
}

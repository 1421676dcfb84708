/*
 * gomp_internal.h — the OpenMP runtime core, shared by the files of src/omp/ and its unit tests.
 *
 * The core knows nothing of WebAssembly: it is a small fork-join runtime over pthreads whose unit
 * of work is a C callback, so it is tested natively. The wasm glue (gomp_wasm*.c) turns each
 * `__kmpc_*` host call into a core call on the calling thread's gomp_thread, found through the
 * calling instance's cell.
 *
 * Objects
 * - gomp_proc: one per process cell — options, the pool of worker threads, the elastic policy, the
 *   abort flag. Its initial thread (the one that runs `_start`) belongs to a team of one.
 * - gomp_thread: one per OS thread that runs OpenMP code of that process (the initial thread and
 *   each pool worker). Its `ctx` says where it is: innermost team, thread number, ICVs, the
 *   work-sharing cursor, the current task. A fork saves ctx on the C stack and restores it at join,
 *   so nested regions need no other bookkeeping.
 * - gomp_team: the threads of one parallel region, with its barrier, a ring of work-sharing slots
 *   (single, dynamic loops, ordered), the task queue, and the copyprivate/reduction state.
 *
 * Blocking. Every wait spins for at most `spin_us` microseconds (checking the condition), then
 * sleeps on a futex with a short timeout so that an abort (a trap in any thread of the process)
 * is noticed by every waiter: nothing in the core blocks forever once the process is aborting.
 * Core functions never unwind: blocking ones return false when the process is aborting, and the
 * caller (the wasm glue) then raises a trap.
 */
#ifndef GRANNY_OMP_GOMP_INTERNAL_H
#define GRANNY_OMP_GOMP_INTERNAL_H

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "omp/gomp.h"

typedef struct gomp_proc gomp_proc;
typedef struct gomp_team gomp_team;
typedef struct gomp_thread gomp_thread;
typedef struct gomp_task gomp_task;

/* ---- Synchronisation primitives (gomp_sync.c) ---- */

void gomp_cpu_relax(void);
uint64_t gomp_now_ns(void);
/* Sleeps while *word == val, at most timeout_ms (spurious returns allowed). */
void gomp_futex_wait(uint32_t *word, uint32_t val, int timeout_ms);
void gomp_futex_wake(uint32_t *word, int count);

/* Spins until *word != val, for at most spin_us; true when it changed. */
bool gomp_spin_change(uint32_t *word, uint32_t val, int spin_us);
/* Waits until *word != val: spins for spin_us, then sleeps. Returns false when *abort became
 * non-zero first (abort may be NULL). */
bool gomp_wait_change(uint32_t *word, uint32_t val, int spin_us, const uint32_t *abort);

/* A lock in one 32-bit word, usable on any memory (guest locks and critical names live in linear
 * memory): 0 free, 1 held, 2 held with sleepers. */
bool gomp_word_lock(uint32_t *word, int spin_us, const uint32_t *abort);
bool gomp_word_trylock(uint32_t *word);
void gomp_word_unlock(uint32_t *word);

/* An event counter threads wait on for "something changed" (barriers, tasks): waiters read the
 * value, check their condition, then wait for the value to change; every state change bumps it. */
typedef struct gomp_event {
    uint32_t seq;
    uint32_t sleepers;
} gomp_event;
uint32_t gomp_event_read(gomp_event *e);
void gomp_event_bump(gomp_event *e);
/* One wait step: spin for spin_us, then sleep until seq != seen (or a timeout). */
void gomp_event_wait(gomp_event *e, uint32_t seen, int spin_us);
/* The spin budget left of a wait that started at its first call (*end starts at 0). */
int gomp_spin_left(gomp_proc *p, uint64_t *end);

/* ---- Internal control variables ---- */

/* Loop schedule kinds of the kmp ABI (kmp_sched_t), modifiers masked off. */
enum {
    GOMP_SCH_LOWER = 32,
    GOMP_SCH_STATIC_CHUNKED = 33,
    GOMP_SCH_STATIC = 34,
    GOMP_SCH_DYNAMIC_CHUNKED = 35,
    GOMP_SCH_GUIDED_CHUNKED = 36,
    GOMP_SCH_RUNTIME = 37,
    GOMP_SCH_AUTO = 38,
    GOMP_SCH_TRAPEZOIDAL = 39,
    GOMP_SCH_STATIC_GREEDY = 40,
    GOMP_SCH_STATIC_BALANCED = 41,
    GOMP_SCH_GUIDED_ITERATIVE = 42,
    GOMP_SCH_GUIDED_ANALYTICAL = 43,
    GOMP_SCH_STATIC_STEAL = 44,
    GOMP_SCH_STATIC_BALANCED_CHUNKED = 45,
    GOMP_SCH_GUIDED_SIMD = 46,
    GOMP_SCH_RUNTIME_SIMD = 47,
    GOMP_SCH_UPPER = 48,
    GOMP_ORD_LOWER = 64,
    GOMP_ORD_UPPER = 72,
    GOMP_DISTRIBUTE_STATIC_CHUNKED = 91,
    GOMP_DISTRIBUTE_STATIC = 92,
    GOMP_SCH_MODIFIER_MASK = (1 << 29) | (1 << 30) | (1 << 31),
};

/* omp_sched_t values of the omp_* API. */
enum { GOMP_OMP_STATIC = 1, GOMP_OMP_DYNAMIC = 2, GOMP_OMP_GUIDED = 3, GOMP_OMP_AUTO = 4 };

typedef struct gomp_icv {
    int nthreads;          /* nthreads-var */
    int dynamic;           /* dyn-var */
    int max_active_levels; /* max-active-levels-var */
    int run_sched;         /* run-sched-var, an omp_sched_t value */
    int run_chunk;
} gomp_icv;

/* ---- Tasks (gomp_task.c) ---- */

/* A task: the implicit task of a thread in a region (embedded in its context), or an explicit one
 * created by `#pragma omp task`, queued in its team until some thread runs it. */
struct gomp_task {
    gomp_task *next;   /* team queue link */
    gomp_task *parent; /* the task that created it (its children counter) */
    uint32_t children; /* atomic: incomplete child tasks (what taskwait waits for) */
    uint32_t refs;     /* atomic, explicit tasks: 1 until it completes + 1 per incomplete child;
                          released (freed) at 0, so a parent outlives its children */
    bool explicit_;
    /* how to run it: the glue runs a guest task entry; unit tests a C function */
    bool (*run)(gomp_thread *self, gomp_task *t);
    void (*release)(gomp_thread *self, gomp_task *t); /* after it ran (frees it) */
    void *arg;
    uint32_t guest; /* glue: guest address of the kmp_task_t */
    uint32_t entry; /* glue: table index of the task entry */
    int32_t flags;
};

/* ---- Work-sharing slots ---- */

#define GOMP_WS_RING     8
#define GOMP_WS_INIT_BIT ((uint64_t)1 << 63)

/* One work-sharing construct of a team, reused round-robin: construct number k of a team uses
 * slot k % GOMP_WS_RING once every thread is done with construct k - GOMP_WS_RING. */
typedef struct gomp_ws {
    uint64_t owner; /* atomic: k + 1 of the construct using it (0 never used), INIT bit
                       while the first thread fills it in */
    uint32_t done;  /* atomic: threads finished with it */
    /* loops, in normalised iterations 0..trip-1 */
    int kind; /* schedule kind (GOMP_SCH_*, ordered ones mapped to their base) */
    bool ordered;
    uint64_t trip;
    uint64_t chunk;
    uint64_t next;     /* atomic: first iteration not yet handed out */
    uint64_t ord_next; /* atomic: iteration whose ordered region may run */
    uint32_t ord_seq;  /* futex word bumped whenever ord_next moves */
} gomp_ws;

/* A thread's position in the current work-sharing loop (dispatch). */
typedef struct gomp_loop_pos {
    gomp_ws *ws;           /* NULL outside a dispatch loop */
    uint64_t static_chunk; /* static kinds: the next chunk number of this thread */
    bool static_done;
    uint64_t ord_iter;             /* ordered: the iteration being executed */
    bool ord_released;             /* its ordered region already released the next iteration */
    uint64_t cur_first, cur_count; /* the chunk handed out last */
    uint64_t user_lb; /* glue: the loop's lower bound and stride in the program's terms */
    int64_t user_st;
} gomp_loop_pos;

/* ---- Teams (gomp_team.c) ---- */

typedef struct gomp_ctx {
    gomp_team *team;
    int tid;
    gomp_icv icv;
    uint64_t ws_count; /* work-sharing constructs met in this team */
    gomp_loop_pos loop;
    gomp_task *task; /* current task: the implicit one (which lives in the frame that runs
                        the region: its children are counted while nested regions run) or
                        the explicit task being executed */
} gomp_ctx;

struct gomp_team {
    gomp_proc *proc;
    gomp_team *parent; /* the team of the forking thread */
    int parent_tid;    /* the forking thread's number in parent */
    int nthreads;
    int level;             /* nesting level (the initial team is level 0) */
    int active_level;      /* active (more than one thread) levels, this one included */
    gomp_thread **threads; /* [nthreads] */
    void (*fn)(gomp_thread *self, void *arg);
    void *arg;
    gomp_icv icv; /* ICVs the implicit tasks start with */

    /* barrier */
    uint32_t bar_arrived; /* atomic */
    uint32_t bar_gen;     /* atomic */
    gomp_event event;     /* barrier progress, task queue changes */

    /* work sharing */
    gomp_ws ws[GOMP_WS_RING];

    /* tasks */
    pthread_mutex_t task_lock;
    gomp_task *task_head, *task_tail;
    uint32_t task_queued;  /* atomic: tasks in the queue */
    uint32_t task_pending; /* atomic: created and not yet completed */

    /* copyprivate, reductions */
    uint64_t copy_data;
    uint32_t reduce_lock;

    uint32_t refs;         /* atomic: workers that may still touch the team */
    bool serial;           /* a serialized region (gomp_serialized_begin) */
    gomp_ctx serial_saved; /* serial: the context to restore at its end */
};

/* ---- Threads ---- */

struct gomp_thread {
    gomp_proc *proc;
    int gtid; /* global thread number in the process (0: initial thread) */
    gomp_ctx ctx;
    int pushed_nthreads; /* from __kmpc_push_num_threads, used by the next fork */
    void *user;          /* the wasm glue's per-thread state (thread cell) */

    /* pool workers */
    bool is_worker;
    bool busy; /* under the pool lock */
    bool stop;
    pthread_t os_thread;
    uint32_t job_seq;  /* atomic: bumped to hand it a team */
    uint32_t sleeping; /* atomic: asleep on job_seq (the forking thread must wake it) */
    gomp_team *job_team;
    int job_tid;
};

/* Hooks of the embedder (the wasm glue): creating the per-thread state of a new worker (called
 * on the forking thread; false fails the fork with msg), and releasing it. */
typedef struct gomp_hooks {
    bool (*worker_new)(gomp_proc *p, gomp_thread *t, void *ctx, char *msg, size_t msglen);
    void (*worker_free)(gomp_proc *p, gomp_thread *t, void *ctx);
    void *ctx;
} gomp_hooks;

struct gomp_proc {
    gomp_options opts;
    gomp_hooks hooks;
    gomp_team initial_team;
    gomp_thread initial;
    gomp_thread *initial_members[1];
    gomp_task initial_task;

    pthread_mutex_t pool_lock;
    gomp_thread **workers;
    int nworkers, cap_workers;
    int next_gtid;

    uint32_t aborting; /* atomic: a thread trapped; every wait gives up */

    /* team size policy */
    gomp_policy_fn policy;
    void *policy_ctx;
    int target; /* atomic: elastic target, 0 none */

    /* statistics (atomic) */
    uint64_t forks, nested_forks;
    int last_team, max_team;
};

/* Process state: `opts` resolved by the caller (gomp_options_resolve). */
gomp_proc *gomp_proc_new(const gomp_options *opts, const gomp_hooks *hooks);
/* Stops and joins the workers (they must be idle) and frees everything. Returns false when some
 * worker did not stop (it is then leaked with the process state). */
bool gomp_proc_free(gomp_proc *p);
void gomp_proc_abort(gomp_proc *p);
static inline bool gomp_aborting(gomp_proc *p) {
    return __atomic_load_n(&p->aborting, __ATOMIC_ACQUIRE) != 0;
}

/* The team size a fork would get (policy, nesting and limits applied); consumes pushed_nthreads.
 * `counts` makes it count as a fork for the statistics and the elastic schedule. */
int gomp_team_size(gomp_thread *self, int requested);
/* Runs fn(thread, arg) on a team of `nthreads` (as decided by gomp_team_size) and joins it.
 * Returns false when the process is aborting (or a worker could not be created: msg). */
bool gomp_parallel(gomp_thread *self, int nthreads, void (*fn)(gomp_thread *, void *), void *arg,
                   char *msg, size_t msglen);
/* A serialized region (`if(0)`): a team of one around code the caller runs itself. The end
 * returns false when the current team is not a serialized region of this thread. */
bool gomp_serialized_begin(gomp_thread *self);
bool gomp_serialized_end(gomp_thread *self);

/* Barrier of the current team; runs queued tasks while waiting. */
bool gomp_barrier(gomp_thread *self);

/* A worker's share of a region: runs team->fn as thread `tid`, joins, returns to the pool. */
void gomp_team_member(gomp_thread *self, gomp_team *team, int tid);

/* ---- Pool (gomp_pool.c) ---- */

/* Takes up to `want` idle workers (creating threads as needed, within the thread limit) into
 * out[]; returns how many, or -1 with msg when a thread could not be created. */
int gomp_pool_acquire(gomp_proc *p, int want, gomp_thread **out, char *msg, size_t msglen);
void gomp_pool_release(gomp_thread *t);
/* Hands team/tid to an acquired worker. */
void gomp_pool_start(gomp_thread *t, gomp_team *team, int tid);
int gomp_pool_size(gomp_proc *p);
/* Stops and joins every worker; false when some did not stop in time (left running). */
bool gomp_pool_stop(gomp_proc *p);

/* Query functions (omp_* API). */
int gomp_level(gomp_thread *self);
int gomp_active_level(gomp_thread *self);
int gomp_ancestor_tid(gomp_thread *self, int level);
int gomp_team_size_at(gomp_thread *self, int level);

/* ---- Work sharing (gomp_loop.c, gomp_work.c) ---- */

/* Enters the next work-sharing construct; *first is true for the thread that must initialise it
 * (then call gomp_ws_publish). NULL when aborting. */
gomp_ws *gomp_ws_enter(gomp_thread *self, bool *first);
void gomp_ws_publish(gomp_ws *ws, uint64_t k1);
void gomp_ws_done(gomp_thread *self, gomp_ws *ws);

/* Static schedule: bounds of this thread, in normalised iterations. */
typedef struct gomp_static_out {
    uint64_t first, count; /* first chunk of this thread (count 0: none) */
    uint64_t stride;       /* iterations between its chunks (chunked), or trip */
    uint64_t chunk;        /* chunk size of a chunked schedule, 0 for a block split */
    bool last;             /* this thread runs the last iteration */
} gomp_static_out;
void gomp_static_bounds(int kind, uint64_t trip, uint64_t chunk, int nth, int tid,
                        gomp_static_out *out);

/* Dispatch (dynamic, guided, runtime, ordered and static chunks through __kmpc_dispatch_*). */
bool gomp_dispatch_init(gomp_thread *self, int kind, uint64_t trip, uint64_t chunk);
/* Next chunk: true with [*first, *first + *count); false when the loop is over for this thread. */
bool gomp_dispatch_next(gomp_thread *self, uint64_t *first, uint64_t *count, bool *last);
/* Ordered loops: end of one iteration. */
bool gomp_dispatch_fini_iter(gomp_thread *self);
bool gomp_ordered_begin(gomp_thread *self);
void gomp_ordered_end(gomp_thread *self);

/* Single: true for the one thread that runs the block. */
bool gomp_single(gomp_thread *self, bool *ok);
/* copyprivate: the thread that ran single publishes `data`; the others get it back in *src.
 * Returns false when aborting. The caller copies, then calls gomp_copyprivate_end. */
bool gomp_copyprivate_begin(gomp_thread *self, bool didit, uint64_t data, uint64_t *src);
bool gomp_copyprivate_end(gomp_thread *self);

/* Reductions (critical method): 1 = combine into the shared variables and call the end. */
int gomp_reduce_begin(gomp_thread *self, bool *ok);
void gomp_reduce_end(gomp_thread *self);

/* ---- Tasks (gomp_task.c) ---- */

/* Queues `t` (run later by some thread of the team), or runs it at once when the team has one
 * thread. t->parent is set to the current task. Returns false when aborting. */
bool gomp_task_submit(gomp_thread *self, gomp_task *t);
/* Runs one queued task of the current team, if any (true when it ran one). */
bool gomp_task_run_one(gomp_thread *self);
/* Waits until the children of the current task completed, running queued tasks meanwhile. */
bool gomp_taskwait(gomp_thread *self);
/* Runs `t` on this thread now as a child of the current task (undeferred tasks). */
bool gomp_task_run_now(gomp_thread *self, gomp_task *t);
/* if(0) tasks: the guest runs the task entry itself between these two calls. The end returns
 * false when `t` is not the task begun last on this thread. */
void gomp_task_begin_if0(gomp_thread *self, gomp_task *t);
bool gomp_task_complete_if0(gomp_thread *self, gomp_task *t);

/* ---- Policy (gomp_elastic.c) ---- */

int gomp_policy_default(void *ctx, const gomp_fork_info *info);

#endif

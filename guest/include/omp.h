/*
 * omp.h — the OpenMP 5 runtime API as Granny guests see it.
 *
 * With -fopenmp, clang lowers the directives (#pragma omp parallel, for, reduction, critical ...)
 * into calls to the `__kmpc_*` entry points of LLVM's OpenMP runtime; in a wasm32 module those and
 * the `omp_*` functions below stay imports from the wasm module `env` and the Granny runtime
 * provides them as host functions (thread cells sharing the cell's memory). Nothing of libomp is
 * linked into the guest.
 *
 * ABI notes for the host side (src/omp/gomp_api.c): omp_lock_t and omp_nest_lock_t are 16 bytes of
 * guest memory owned by the runtime (zeroed by omp_init_*lock): word 0 is a futex lock (0 free,
 * 1 held, 2 held with sleepers), a nest lock adds its owner (global thread number + 1) in word 1
 * and its depth in word 2; enumerations are 32-bit ints; omp_get_wtime returns a double in
 * seconds. `granny-cc -fopenmp` also links Granny's guest runtime library (guest/omp/: a
 * thread-safe malloc family) and compiles with -fnoopenmp-use-tls. See docs/openmp.md.
 */
#ifndef GRANNY_GUEST_OMP_H
#define GRANNY_GUEST_OMP_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct omp_lock_t {
    unsigned int _opaque[4];
} omp_lock_t;

typedef struct omp_nest_lock_t {
    unsigned int _opaque[4];
} omp_nest_lock_t;

typedef enum omp_sched_t {
    omp_sched_static = 1,
    omp_sched_dynamic = 2,
    omp_sched_guided = 3,
    omp_sched_auto = 4,
    omp_sched_monotonic = (int)0x80000000
} omp_sched_t;

typedef enum omp_proc_bind_t {
    omp_proc_bind_false = 0,
    omp_proc_bind_true = 1,
    omp_proc_bind_master = 2,
    omp_proc_bind_close = 3,
    omp_proc_bind_spread = 4
} omp_proc_bind_t;

typedef enum omp_sync_hint_t {
    omp_sync_hint_none = 0,
    omp_sync_hint_uncontended = 1,
    omp_sync_hint_contended = 2,
    omp_sync_hint_nonspeculative = 4,
    omp_sync_hint_speculative = 8
} omp_sync_hint_t;
typedef omp_sync_hint_t omp_lock_hint_t;

/* ---- Threads and teams ---- */
void omp_set_num_threads(int num_threads);
int omp_get_num_threads(void);
int omp_get_max_threads(void);
int omp_get_thread_num(void);
int omp_get_num_procs(void);
int omp_in_parallel(void);
void omp_set_dynamic(int dynamic_threads);
int omp_get_dynamic(void);
void omp_set_nested(int nested);
int omp_get_nested(void);
int omp_get_cancellation(void);
void omp_set_schedule(omp_sched_t kind, int chunk_size);
void omp_get_schedule(omp_sched_t *kind, int *chunk_size);
int omp_get_thread_limit(void);
void omp_set_max_active_levels(int max_levels);
int omp_get_max_active_levels(void);
int omp_get_level(void);
int omp_get_ancestor_thread_num(int level);
int omp_get_team_size(int level);
int omp_get_active_level(void);
int omp_in_final(void);
omp_proc_bind_t omp_get_proc_bind(void);
int omp_get_num_places(void);
int omp_get_place_num(void);
int omp_get_num_teams(void);
int omp_get_team_num(void);
int omp_get_default_device(void);
void omp_set_default_device(int device_num);
int omp_get_num_devices(void);
int omp_get_device_num(void);
int omp_is_initial_device(void);
int omp_get_initial_device(void);
int omp_get_max_task_priority(void);

/* ---- Locks ---- */
void omp_init_lock(omp_lock_t *lock);
void omp_init_lock_with_hint(omp_lock_t *lock, omp_sync_hint_t hint);
void omp_destroy_lock(omp_lock_t *lock);
void omp_set_lock(omp_lock_t *lock);
void omp_unset_lock(omp_lock_t *lock);
int omp_test_lock(omp_lock_t *lock);
void omp_init_nest_lock(omp_nest_lock_t *lock);
void omp_init_nest_lock_with_hint(omp_nest_lock_t *lock, omp_sync_hint_t hint);
void omp_destroy_nest_lock(omp_nest_lock_t *lock);
void omp_set_nest_lock(omp_nest_lock_t *lock);
void omp_unset_nest_lock(omp_nest_lock_t *lock);
int omp_test_nest_lock(omp_nest_lock_t *lock);

/* ---- Timing ---- */
double omp_get_wtime(void);
double omp_get_wtick(void);

#ifdef __cplusplus
}
#endif

#endif

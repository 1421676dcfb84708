/*
 * gmpi_launch.c — `granny run -n N`: a world of N process cells on this machine, like
 * `mpirun -n N`.
 *
 * The module is made suspendable (cell_module_prepare: asyncify restricted to the barrier control
 * points, cached) and loaded once; every rank is then a process cell of it — its own instance and
 * linear memory, its own WASI context (same arguments, environment and preopens; stdin only for
 * rank 0), its gmpi_guest in the cell's `mpi` slot — run by its own thread. Instantiation is
 * serialised (it is short); the ranks then run concurrently.
 *
 * Ending: a rank that traps, exits with a non-zero status, or returns without MPI_Finalize after
 * MPI_Init aborts the world (as mpirun kills the job), so no other rank waits forever for it. After
 * an abort, ranks blocked in MPI end at once; a rank still computing gets abort_grace_s to reach
 * its next MPI call or finish, after which the process exits with the abort code (a thread cannot
 * be stopped from outside). Cells are freed only when every rank has ended: a peer may still be
 * copying from a finished rank's memory (rendezvous).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cell/cell.h"
#include "engine/aot/aot.h"
#include "mpi/gmpi_wasm_internal.h"
#include "wasi/wasi.h"

enum { EXIT_LOAD = 1, EXIT_TRAP = 134 };

typedef struct launch launch;

typedef struct rank_job {
    launch *L;
    int rank;
    pthread_t thread;
    bool started;
    atomic_bool finished;
    wasi_ctx *wasi;
    gmpi_guest *guest;
    cell *cell;
    int status;
    bool link_error; /* could not instantiate: message in msg */
    char msg[600];
} rank_job;

struct launch {
    const gmpi_run_config *cfg;
    rt_module *module;
    rt_host_registry *reg;
    gmpi_world *world;
    pthread_mutex_t inst_lock;
    int devnull;
    rank_job *jobs;
};

static bool build_wasi(rank_job *j, rt_error *err) {
    const gmpi_run_config *c = j->L->cfg;
    j->wasi = wasi_ctx_new();
    if (!j->wasi) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return false;
    }
    if (!wasi_ctx_set_args(j->wasi, c->argc, (const char *const *)c->argv, err)) return false;
    for (int i = 0; i < c->nenv; i++)
        if (!wasi_ctx_add_env(j->wasi, c->env[i], err)) return false;
    for (int i = 0; i < c->ndirs; i++)
        if (!wasi_ctx_add_preopen(j->wasi, c->dir_host[i], c->dir_guest[i], err)) return false;
    /* like mpirun: standard input goes to rank 0 only */
    if (j->rank != 0 && j->L->devnull >= 0 && !wasi_ctx_set_stdio(j->wasi, 0, j->L->devnull, err))
        return false;
    return true;
}

static const char *trap_text(const rt_trap_info *t) {
    return t->msg[0] ? t->msg : rt_trap_kind_message(t->kind);
}

static void rank_main(void *arg) {
    rank_job *j = arg;
    launch *L = j->L;
    gmpi_rank *r = gmpi_world_rank(L->world, j->rank);
    rt_error err;
    memset(&err, 0, sizeof err);
    j->status = EXIT_LOAD;
    if (!build_wasi(j, &err)) {
        snprintf(j->msg, sizeof j->msg, "%s", err.msg);
        j->link_error = true;
        gmpi_world_abort(L->world, EXIT_LOAD);
        return;
    }
    cell_options co = {.resolve = rt_host_resolve,
                       .resolve_ctx = L->reg,
                       .wasi = j->wasi,
                       .max_memory_pages = L->cfg->mem_max_pages,
                       .id = (uint32_t)j->rank};
    pthread_mutex_lock(&L->inst_lock);
    j->cell = gmpi_world_aborted(L->world, NULL) ? NULL : cell_new_process(L->module, &co, &err);
    pthread_mutex_unlock(&L->inst_lock);
    if (!j->cell) {
        if (err.msg[0]) {
            snprintf(j->msg, sizeof j->msg, "%s", err.msg);
            j->link_error = true;
        }
        gmpi_world_abort(L->world, EXIT_LOAD);
        return;
    }
    j->cell->mpi = j->guest;
    gmpi_guest_bind(j->guest, j->cell->inst);
    switch (cell_run(j->cell)) {
    case CELL_OUT_EXITED:
        j->status = j->cell->exit_code & 0xff;
        if (j->status != 0) {
            if (!gmpi_world_aborted(L->world, NULL)) gmpi_world_abort(L->world, j->status);
        } else if (gmpi_initialized(r) && !gmpi_finalized(r) &&
                   !gmpi_world_aborted(L->world, NULL)) {
            snprintf(j->msg, sizeof j->msg,
                     "rank %d exited without calling MPI_Finalize: aborting the world", j->rank);
            j->status = 1;
            gmpi_world_abort(L->world, 1);
        }
        break;
    case CELL_OUT_TRAPPED: {
        const rt_trap_info *t = &j->cell->trap;
        const rt_module *m = t->module ? t->module : L->module;
        const char *name =
            t->func_index != UINT32_MAX ? rt_module_func_name(m, t->func_index) : NULL;
        if (name)
            snprintf(j->msg, sizeof j->msg, "rank %d: trap: %s in function %s", j->rank,
                     trap_text(t), name);
        else if (t->func_index != UINT32_MAX)
            snprintf(j->msg, sizeof j->msg, "rank %d: trap: %s in function %u", j->rank,
                     trap_text(t), t->func_index);
        else
            snprintf(j->msg, sizeof j->msg, "rank %d: trap: %s", j->rank, trap_text(t));
        j->status = EXIT_TRAP;
        gmpi_world_abort(L->world, EXIT_TRAP);
        break;
    }
    case CELL_OUT_SUSPENDED:
        snprintf(j->msg, sizeof j->msg, "rank %d suspended, which an MPI world cannot do yet",
                 j->rank);
        j->status = 1;
        gmpi_world_abort(L->world, 1);
        break;
    }
}

static void *rank_thread(void *arg) {
    rank_job *j = arg;
    int rc = rt_run_on_thread(0, rank_main, j);
    gmpi_rank_exited(gmpi_world_rank(j->L->world, j->rank));
    if (rc != 0) {
        snprintf(j->msg, sizeof j->msg, "rank %d: cannot start its thread: %s", j->rank,
                 strerror(rc));
        j->status = EXIT_LOAD;
        gmpi_world_abort(j->L->world, EXIT_LOAD);
    }
    atomic_store(&j->finished, true);
    return NULL;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Joins every rank; after an abort, gives the others abort_grace_s before exiting the process. */
static void join_all(launch *L) {
    int n = L->cfg->nranks;
    double grace = L->cfg->abort_grace_s > 0 ? L->cfg->abort_grace_s : 2.0;
    double aborted_at = 0;
    for (;;) {
        int running = 0;
        for (int i = 0; i < n; i++)
            if (L->jobs[i].started && !atomic_load(&L->jobs[i].finished)) running++;
        if (running == 0) break;
        int code;
        if (gmpi_world_aborted(L->world, &code)) {
            if (aborted_at == 0)
                aborted_at = now_s();
            else if (now_s() - aborted_at > grace) {
                fflush(stdout);
                fprintf(stderr,
                        "granny: the MPI world was aborted (code %d) and %d rank(s) did not "
                        "stop within %.0f s: exiting\n",
                        code, running, grace);
                fflush(stderr);
                _exit(code & 0xff ? code & 0xff : 1);
            }
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    for (int i = 0; i < n; i++)
        if (L->jobs[i].started) pthread_join(L->jobs[i].thread, NULL);
}

static rt_module *load_module(const uint8_t *bytes, size_t len, const char *name,
                              const gmpi_run_config *c) {
    rt_error err;
    memset(&err, 0, sizeof err);
    uint8_t *prepared;
    size_t plen;
    char cache[4096];
    bool have_cache = !c->no_cache && aot_cache_dir(NULL, cache, sizeof cache);
    if (getenv("GRANNY_MPI_NO_ASYNCIFY")) { /* for measuring what asyncify costs */
        prepared = malloc(len ? len : 1);
        if (!prepared) return NULL;
        memcpy(prepared, bytes, len);
        plen = len;
    } else if (!cell_module_prepare(bytes, len, have_cache ? cache : NULL, &prepared, &plen,
                                    &err)) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return NULL;
    }
    rt_load_options lo;
    memset(&lo, 0, sizeof lo);
    lo.no_cache = c->no_cache;
    lo.verbose = c->verbose > 1;
    rt_load_stats st;
    memset(&st, 0, sizeof st);
    rt_module *m = rt_module_load(prepared, plen, &lo, &st, &err);
    free(prepared);
    if (!m) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return NULL;
    }
    if (c->verbose)
        fprintf(stderr, "granny: %s: %s, %.1f ms to load; %d ranks\n", name,
                st.cache_hit ? "cache hit" : "compiled",
                st.decode_ms + st.validate_ms + st.translate_ms + st.compile_ms + st.dlopen_ms,
                c->nranks);
    return m;
}

int gmpi_run_world(const uint8_t *bytes, size_t len, const char *name, const gmpi_run_config *c) {
    if (c->nranks < 1) {
        fprintf(stderr, "granny: -n: the world needs at least one rank\n");
        return 2;
    }
    launch L;
    memset(&L, 0, sizeof L);
    L.cfg = c;
    L.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pthread_mutex_init(&L.inst_lock, NULL);
    int status = EXIT_LOAD;
    rt_error err;
    memset(&err, 0, sizeof err);
    L.module = load_module(bytes, len, name, c);
    if (!L.module) goto done;
    L.reg = rt_host_registry_new();
    if (!L.reg || !wasi_register(L.reg, &err) || !cell_register_host(L.reg, &err) ||
        !gmpi_wasm_register(L.reg, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg[0] ? err.msg : "out of memory");
        goto done;
    }
    L.world = gmpi_world_new(c->nranks, GMPI_ABI_WASM32);
    L.jobs = calloc((size_t)c->nranks, sizeof *L.jobs);
    if (!L.world || !L.jobs) {
        fprintf(stderr, "granny: out of memory for a world of %d ranks\n", c->nranks);
        goto done;
    }
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < c->nranks; i++) {
        rank_job *j = &L.jobs[i];
        j->L = &L;
        j->rank = i;
        j->guest = gmpi_guest_new(gmpi_world_rank(L.world, i), true);
        if (!j->guest) {
            gmpi_world_abort(L.world, EXIT_LOAD);
            break;
        }
        int rc = pthread_create(&j->thread, NULL, rank_thread, j);
        if (rc != 0) {
            fprintf(stderr, "granny: cannot start rank %d: %s\n", i, strerror(rc));
            gmpi_world_abort(L.world, EXIT_LOAD);
            break;
        }
        j->started = true;
    }
    join_all(&L);

    /* Report: the first link error once, then every rank's own message. */
    bool link_reported = false;
    for (int i = 0; i < c->nranks; i++) {
        rank_job *j = &L.jobs[i];
        if (!j->msg[0]) continue;
        if (j->link_error) {
            if (!link_reported) fprintf(stderr, "granny: %s\n", j->msg);
            link_reported = true;
        } else {
            fprintf(stderr, "granny: %s\n", j->msg);
        }
    }
    int code;
    if (link_reported)
        status = EXIT_LOAD;
    else if (gmpi_world_aborted(L.world, &code))
        status = code & 0xff ? code & 0xff : 1;
    else {
        status = 0;
        for (int i = 0; i < c->nranks && status == 0; i++)
            status = L.jobs[i].status;
    }
done:
    if (L.jobs) {
        for (int i = 0; i < c->nranks; i++) {
            if (L.jobs[i].cell) cell_free(L.jobs[i].cell);
            if (L.jobs[i].wasi) wasi_ctx_free(L.jobs[i].wasi);
            if (L.jobs[i].guest) gmpi_guest_free(L.jobs[i].guest);
        }
        free(L.jobs);
    }
    if (L.world) gmpi_world_free(L.world);
    if (L.reg) rt_host_registry_free(L.reg);
    if (L.module) rt_module_free(L.module);
    if (L.devnull >= 0) close(L.devnull);
    pthread_mutex_destroy(&L.inst_lock);
    fflush(stdout);
    return status;
}

/*
 * gmpi_world.c — the world and its ranks: creation, the placement table, abort, the environment
 * functions (init, finalize, wtime, processor name, version), error classes and handlers, and the
 * per-rank handle tables.
 *
 * A world is created for N ranks of one guest ABI; every rank gets MPI_COMM_WORLD (context 0) and
 * MPI_COMM_SELF (context 2) when it initializes. Other communicators get context ids from
 * gmpi_ctx_alloc: (world rank of the allocating rank + 1) << 33 | counter << 1, unique in the world
 * without any shared state, so ranks on several workers can allocate them independently.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mpi/gmpi_internal.h"

/* ---- Handle tables ---- */

int gmpi_table_add(gmpi_table *t, void *p) {
    int idx;
    if (t->nfree > 0) {
        idx = t->free_idx[--t->nfree];
    } else {
        if (t->live == t->cap) {
            int ncap = t->cap ? t->cap * 2 : 16;
            void **ns = realloc(t->slots, (size_t)ncap * sizeof *ns);
            if (!ns) return -1;
            t->slots = ns;
            int *nf = realloc(t->free_idx, (size_t)ncap * sizeof *nf);
            if (!nf) return -1;
            t->free_idx = nf;
            for (int i = t->cap; i < ncap; i++)
                t->slots[i] = NULL;
            t->cap = ncap;
        }
        idx = t->live; /* no free slot: slots [0, live) are all used */
    }
    assert(idx < t->cap && t->slots[idx] == NULL);
    t->slots[idx] = p;
    t->live++;
    return t->first + idx;
}

void *gmpi_table_get(const gmpi_table *t, int handle) {
    long idx = (long)handle - t->first;
    if (idx < 0 || idx >= t->cap) return NULL;
    return t->slots[idx];
}

void gmpi_table_del(gmpi_table *t, int handle) {
    int idx = handle - t->first;
    assert(idx >= 0 && idx < t->cap && t->slots[idx]);
    t->slots[idx] = NULL;
    t->free_idx[t->nfree++] = idx;
    t->live--;
}

void gmpi_table_free(gmpi_table *t) {
    free(t->slots);
    free(t->free_idx);
    memset(t, 0, sizeof *t);
}

/* ---- World ---- */

double gmpi_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void rank_init(gmpi_world *w, gmpi_rank *r, int id) {
    memset(r, 0, sizeof *r);
    r->world = w;
    r->rank = id;
    atomic_init(&r->state, GMPI_RUNNING);
    atomic_init(&r->cpu, -1);
    atomic_init(&r->slept_at, 0);
    atomic_init(&r->bell.seq, 0);
    atomic_init(&r->bell.sleepers, 0);
    r->comms.first = GMPI_COMM_WORLD;
    r->groups.first = GMPI_GROUP_FIRST_USER;
    r->types.first = GMPI_TYPE_FIRST_USER;
    r->ops.first = GMPI_OP_FIRST_USER;
    r->reqs.first = 1;
    r->msgs.first = 2;
    r->sent_req.kind = GMPI_REQ_SEND;
    r->sent_req.owner = r;
    atomic_init(&r->sent_req.done, 1);
}

gmpi_world *gmpi_world_new(int nranks, gmpi_abi abi) {
    gmpi_barriers_init();
    if (nranks < 1 || nranks > (1 << 20)) return NULL;
    gmpi_world *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->size = nranks;
    w->abi = abi;
    w->ranks = calloc((size_t)nranks, sizeof *w->ranks);
    w->worker_of = calloc((size_t)nranks, sizeof *w->worker_of);
    if (!w->ranks || !w->worker_of) {
        free(w->ranks);
        free(w->worker_of);
        free(w);
        return NULL;
    }
    for (int i = 0; i < nranks; i++) {
        w->ranks[i] = aligned_alloc(64, (sizeof(gmpi_rank) + 63) / 64 * 64);
        if (!w->ranks[i]) {
            gmpi_world_free(w);
            return NULL;
        }
        rank_init(w, w->ranks[i], i);
        if (!gmpi_box_init(w->ranks[i])) {
            free(w->ranks[i]);
            w->ranks[i] = NULL;
            gmpi_world_free(w);
            return NULL;
        }
    }
    gmpi_types_init_predefined(w->predef, abi);
    for (int i = 0; i < GMPI_OP_PREDEF_COUNT; i++)
        w->predef_ops[i] = (gmpi_op){.predefined = true, .commute = true, .code = i};
    /* Larger messages go by rendezvous (one copy, straight from the sender's buffer), which beats
     * two copies through an envelope from about 4 KiB on; OpenMPI's shared-memory eager limit is
     * 4 KiB too, so programs that (unsafely) rely on buffering behave the same. */
    w->eager_limit = 4096;
    const char *eager = getenv("GRANNY_MPI_EAGER_LIMIT");
    if (eager) w->eager_limit = (size_t)atol(eager);
    /* Spin before sleeping only when every rank can have a core of its own. */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    w->oversubscribed = ncpu > 0 && nranks > ncpu;
    w->spin_ns = w->oversubscribed ? 20000 : 50000;
    const char *spin = getenv("GRANNY_MPI_SPIN_NS");
    if (spin) w->spin_ns = atol(spin);
    w->t0 = gmpi_now();
    w->detect_deadlocks = true;
    pthread_mutex_init(&w->log_lock, NULL);
    pthread_mutex_init(&w->sync_lock, NULL);
    return w;
}

static void rank_destroy(gmpi_rank *r) {
    gmpi_req_reap_detached(r);
    for (int i = 0; i < r->reqs.cap; i++)
        if (r->reqs.slots[i]) gmpi_req_free(r, r->reqs.slots[i]);
    for (int i = 0; i < r->comms.cap; i++)
        if (r->comms.slots[i]) gmpi_comm_release(r->comms.slots[i]);
    for (int i = 0; i < r->groups.cap; i++) {
        gmpi_group *g = r->groups.slots[i];
        if (g) {
            free(g->world);
            free(g);
        }
    }
    for (int i = 0; i < r->types.cap; i++)
        if (r->types.slots[i]) gmpi_type_release(r->types.slots[i]);
    for (int i = 0; i < r->ops.cap; i++)
        free(r->ops.slots[i]);
    for (int i = 0; i < r->msgs.cap; i++)
        free(r->msgs.slots[i]); /* matched, never received */
    gmpi_table_free(&r->comms);
    gmpi_table_free(&r->groups);
    gmpi_table_free(&r->types);
    gmpi_table_free(&r->ops);
    gmpi_table_free(&r->reqs);
    gmpi_table_free(&r->msgs);
    gmpi_box_destroy(r);
    for (gmpi_req *q = r->req_cache, *n; q; q = n) {
        n = q->next;
        free(q);
    }
    free(r);
}

void gmpi_world_free(gmpi_world *w) {
    if (!w) return;
    for (int i = 0; i < w->size; i++)
        if (w->ranks[i]) rank_destroy(w->ranks[i]);
    pthread_mutex_destroy(&w->log_lock);
    pthread_mutex_destroy(&w->sync_lock);
    for (gmpi_node_sync *n = w->syncs, *next; n; n = next) {
        next = n->next;
        free(n);
    }
    free(w->ranks);
    free(w->worker_of);
    free(w);
}

gmpi_node_sync *gmpi_node_sync_get(gmpi_world *w, uint64_t ctx, int leader, unsigned epoch,
                                   int members) {
    pthread_mutex_lock(&w->sync_lock);
    gmpi_node_sync *n = w->syncs;
    while (n && !(n->ctx == ctx && n->leader == leader && n->epoch == epoch))
        n = n->next;
    if (!n) {
        n = aligned_alloc(64, sizeof *n);
        if (n) {
            memset(n, 0, sizeof *n);
            n->ctx = ctx;
            n->leader = leader;
            n->epoch = epoch;
            n->members = members;
            n->next = w->syncs;
            w->syncs = n;
        }
    }
    pthread_mutex_unlock(&w->sync_lock);
    return n;
}

int gmpi_world_size(const gmpi_world *w) {
    return w->size;
}
gmpi_rank *gmpi_world_rank(gmpi_world *w, int rank) {
    return rank >= 0 && rank < w->size ? w->ranks[rank] : NULL;
}
gmpi_world *gmpi_rank_world(const gmpi_rank *r) {
    return r->world;
}
int gmpi_rank_id(const gmpi_rank *r) {
    return r->rank;
}

int gmpi_world_set_worker(gmpi_world *w, int rank, int worker) {
    if (rank < 0 || rank >= w->size || worker < 0) return GMPI_ERR_ARG;
    w->worker_of[rank] = worker;
    atomic_fetch_add(&w->placement_epoch, 1);
    return GMPI_SUCCESS;
}

int gmpi_world_worker_of(const gmpi_world *w, int rank) {
    return rank >= 0 && rank < w->size ? w->worker_of[rank] : -1;
}

void gmpi_world_abort(gmpi_world *w, int code) {
    int expected = 0;
    if (atomic_compare_exchange_strong(&w->aborted, &expected, 1))
        atomic_store(&w->abort_code, code);
    for (int i = 0; i < w->size; i++)
        if (w->ranks[i]) gmpi_ring(w->ranks[i]);
}

bool gmpi_world_aborted(const gmpi_world *w, int *code) {
    if (!atomic_load(&w->aborted)) return false;
    if (code) *code = atomic_load(&w->abort_code);
    return true;
}

void gmpi_world_set_quiesce_hook(gmpi_world *w, gmpi_quiesce_fn fn, void *ud) {
    w->quiesce = fn;
    w->quiesce_ud = ud;
}

uint64_t gmpi_world_barriers(const gmpi_world *w) {
    return atomic_load(&w->barriers);
}
long gmpi_world_in_flight(const gmpi_world *w) {
    long n = 0;
    for (int i = 0; i < w->size; i++)
        if (w->ranks[i])
            n += atomic_load(&w->ranks[i]->user_sent) - atomic_load(&w->ranks[i]->user_received);
    return n;
}
void gmpi_world_set_eager_limit(gmpi_world *w, size_t bytes) {
    w->eager_limit = bytes;
}

void gmpi_world_set_ring_cells(gmpi_world *w, unsigned cells) {
    bool valid =
        cells >= GMPI_RING_MIN_CELLS && cells <= GMPI_RING_MAX_CELLS && (cells & (cells - 1)) == 0;
    assert(cells == 0 || valid);
    w->ring_cells = valid ? cells : 0; /* anything else: sized by the world */
}

void gmpi_world_set_deadlock_detection(gmpi_world *w, bool on) {
    w->detect_deadlocks = on;
}

void gmpi_rank_exited(gmpi_rank *r) {
    atomic_store(&r->state, GMPI_EXITED);
    /* the others may be waiting for it: let them re-check */
    for (int i = 0; i < r->world->size; i++)
        if (r->world->ranks[i] && i != r->rank) gmpi_ring(r->world->ranks[i]);
}

void gmpi_rank_set_call(gmpi_rank *r, const char *fn) {
    r->current_call = fn;
}

void gmpi_rank_set_user_op_call(gmpi_rank *r, gmpi_user_op_call call, void *ud) {
    r->user_op_call = call;
    r->user_op_ud = ud;
}

void gmpi_rank_log(gmpi_rank *r, const char *fmt, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&r->world->log_lock);
    fprintf(stderr, "granny: rank %d: %s\n", r->rank, line);
    fflush(stderr);
    pthread_mutex_unlock(&r->world->log_lock);
}

/* ---- Environment ---- */

bool gmpi_ready(gmpi_rank *r) {
    return r->initialized && !r->finalized;
}

int gmpi_init(gmpi_rank *r, int required, int *provided) {
    if (r->initialized) return GMPI_ERR_OTHER; /* MPI_Init twice */
    gmpi_world *w = r->world;
    int *ranks = malloc((size_t)w->size * sizeof(int));
    if (!ranks) return GMPI_ERR_NO_MEM;
    for (int i = 0; i < w->size; i++)
        ranks[i] = i;
    gmpi_comm *world = gmpi_comm_make(r, w->size, ranks, 0);
    free(ranks);
    int self_rank = r->rank;
    gmpi_comm *self = gmpi_comm_make(r, 1, &self_rank, 2);
    if (!world || !self) return GMPI_ERR_NO_MEM;
    snprintf(world->name, sizeof world->name, "MPI_COMM_WORLD");
    snprintf(self->name, sizeof self->name, "MPI_COMM_SELF");
    int h1 = gmpi_comm_add(r, world), h2 = gmpi_comm_add(r, self);
    assert(h1 == GMPI_COMM_WORLD && h2 == GMPI_COMM_SELF);
    (void)h1, (void)h2;
    /* One thread drives a rank at a time; THREAD_MULTIPLE is not offered. */
    r->thread_level = required < GMPI_THREAD_SINGLE       ? GMPI_THREAD_SINGLE
                      : required > GMPI_THREAD_SERIALIZED ? GMPI_THREAD_SERIALIZED
                                                          : required;
    if (provided) *provided = r->thread_level;
    r->initialized = true;
    return GMPI_SUCCESS;
}

int gmpi_finalize(gmpi_rank *r) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    /* Everyone's messages are delivered before anyone leaves (pending sends of this rank may still
     * be read by their receivers: the buffers outlive the rank, see docs/mpi.md). */
    int err = gmpi_barrier(r, GMPI_COMM_WORLD);
    if (err == GMPI_ABORTED) return err;
    gmpi_req_reap_detached(r);
    r->finalized = true;
    return GMPI_SUCCESS;
}

bool gmpi_initialized(const gmpi_rank *r) {
    return r->initialized;
}
bool gmpi_finalized(const gmpi_rank *r) {
    return r->finalized;
}

int gmpi_query_thread(gmpi_rank *r, int *provided) {
    *provided = r->thread_level;
    return GMPI_SUCCESS;
}

double gmpi_wtime(gmpi_rank *r) {
    return gmpi_now() - r->world->t0;
}
double gmpi_wtick(void) {
    struct timespec ts;
    clock_getres(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int gmpi_get_processor_name(gmpi_rank *r, char *name, int *len) {
    char host[GMPI_MAX_PROCESSOR_NAME];
    if (gethostname(host, sizeof host) != 0) snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = 0;
    (void)r;
    snprintf(name, GMPI_MAX_PROCESSOR_NAME, "%s", host);
    *len = (int)strlen(name);
    return GMPI_SUCCESS;
}

const char *gmpi_library_version(void) {
    return "Granny MPI 0.1 (MPI 3.1 subset for C-Cells; in-memory queues, one leader per worker)";
}

/* ---- Errors ---- */

static const char *const error_text[] = {
    [GMPI_SUCCESS] = "MPI_SUCCESS: no errors",
    [GMPI_ERR_BUFFER] = "MPI_ERR_BUFFER: invalid buffer pointer",
    [GMPI_ERR_COUNT] = "MPI_ERR_COUNT: invalid count argument",
    [GMPI_ERR_TYPE] = "MPI_ERR_TYPE: invalid datatype",
    [GMPI_ERR_TAG] = "MPI_ERR_TAG: invalid tag",
    [GMPI_ERR_COMM] = "MPI_ERR_COMM: invalid communicator",
    [GMPI_ERR_RANK] = "MPI_ERR_RANK: invalid rank",
    [GMPI_ERR_REQUEST] = "MPI_ERR_REQUEST: invalid request",
    [GMPI_ERR_ROOT] = "MPI_ERR_ROOT: invalid root",
    [GMPI_ERR_GROUP] = "MPI_ERR_GROUP: invalid group",
    [GMPI_ERR_OP] = "MPI_ERR_OP: invalid reduce operation",
    [GMPI_ERR_TOPOLOGY] = "MPI_ERR_TOPOLOGY: invalid communicator topology",
    [GMPI_ERR_DIMS] = "MPI_ERR_DIMS: invalid topology dimension",
    [GMPI_ERR_ARG] = "MPI_ERR_ARG: invalid argument of some other kind",
    [GMPI_ERR_UNKNOWN] = "MPI_ERR_UNKNOWN: unknown error",
    [GMPI_ERR_TRUNCATE] = "MPI_ERR_TRUNCATE: message truncated",
    [GMPI_ERR_OTHER] = "MPI_ERR_OTHER: known error not in this list",
    [GMPI_ERR_INTERN] = "MPI_ERR_INTERN: internal error",
    [GMPI_ERR_IN_STATUS] = "MPI_ERR_IN_STATUS: error code is in status",
    [GMPI_ERR_PENDING] = "MPI_ERR_PENDING: pending request",
    [GMPI_ERR_KEYVAL] = "MPI_ERR_KEYVAL: invalid key value",
    [GMPI_ERR_NO_MEM] = "MPI_ERR_NO_MEM: out of memory",
};

int gmpi_error_string(int code, char *out, int *len) {
    const char *s = NULL;
    if (code >= 0 && code < (int)(sizeof error_text / sizeof error_text[0])) s = error_text[code];
    if (s)
        snprintf(out, GMPI_MAX_ERROR_STRING, "%s", s);
    else if (code > 0 && code <= GMPI_ERR_LASTCODE)
        snprintf(out, GMPI_MAX_ERROR_STRING, "MPI error class %d", code);
    else {
        snprintf(out, GMPI_MAX_ERROR_STRING, "invalid error code %d", code);
        *len = (int)strlen(out);
        return GMPI_ERR_ARG;
    }
    *len = (int)strlen(out);
    return GMPI_SUCCESS;
}

int gmpi_error_class(int code, int *cls) {
    if (code < 0 || code > GMPI_ERR_LASTCODE) return GMPI_ERR_ARG;
    *cls = code;
    return GMPI_SUCCESS;
}

int gmpi_error(gmpi_rank *r, int comm, int code, const char *fn) {
    if (code == GMPI_SUCCESS || code == GMPI_ABORTED) return code;
    int eh = GMPI_ERRORS_ARE_FATAL;
    gmpi_comm *c = r->initialized ? gmpi_comm_get(r, comm) : NULL;
    if (!c && r->initialized) c = gmpi_comm_get(r, GMPI_COMM_WORLD);
    if (c) eh = c->errhandler;
    if (eh == GMPI_ERRORS_RETURN) return code;
    char text[GMPI_MAX_ERROR_STRING];
    int len;
    gmpi_error_string(code, text, &len);
    gmpi_rank_log(r, "MPI error in %s: %s (MPI_ERRORS_ARE_FATAL: aborting the world)", fn, text);
    gmpi_world_abort(r->world, code);
    return GMPI_ABORTED;
}

int gmpi_unsupported(gmpi_rank *r, const char *fn) {
    gmpi_rank_log(r, "%s is not supported by Granny's MPI (returns MPI_ERR_OTHER)", fn);
    return gmpi_error(r, GMPI_COMM_WORLD, GMPI_ERR_OTHER, fn);
}

int gmpi_abort(gmpi_rank *r, int comm, int code) {
    (void)comm; /* MPI allows aborting the whole world for any communicator; we always do */
    gmpi_rank_log(r, "MPI_Abort(code %d): aborting the world", code);
    gmpi_world_abort(r->world, code);
    return GMPI_ABORTED;
}

int gmpi_comm_set_errhandler(gmpi_rank *r, int comm, int eh) {
    gmpi_comm *c = gmpi_comm_get(r, comm);
    if (!c) return GMPI_ERR_COMM;
    if (eh != GMPI_ERRORS_ARE_FATAL && eh != GMPI_ERRORS_RETURN) return GMPI_ERR_ARG;
    c->errhandler = eh;
    return GMPI_SUCCESS;
}

int gmpi_comm_get_errhandler(gmpi_rank *r, int comm, int *eh) {
    gmpi_comm *c = gmpi_comm_get(r, comm);
    if (!c) return GMPI_ERR_COMM;
    *eh = c->errhandler;
    return GMPI_SUCCESS;
}

int gmpi_comm_get_attr(gmpi_rank *r, int comm, int key, int64_t *value, int *flag) {
    if (!gmpi_comm_get(r, comm)) return GMPI_ERR_COMM;
    *flag = 1;
    switch (key) {
    case GMPI_KEY_TAG_UB: *value = GMPI_TAG_UB; break;
    case GMPI_KEY_HOST: *value = GMPI_PROC_NULL; break;
    case GMPI_KEY_IO: *value = GMPI_ANY_SOURCE; break;
    case GMPI_KEY_WTIME_IS_GLOBAL: *value = 1; break;
    case GMPI_KEY_UNIVERSE_SIZE: *value = r->world->size; break;
    case GMPI_KEY_APPNUM: *value = 0; break;
    default: *flag = 0; return GMPI_ERR_KEYVAL;
    }
    return GMPI_SUCCESS;
}

int gmpi_rank_live_requests(const gmpi_rank *r) {
    int n = r->reqs.live;
    for (gmpi_req *q = r->detached; q; q = q->next)
        n++;
    return n;
}
int gmpi_rank_live_comms(const gmpi_rank *r) {
    return r->comms.live;
}

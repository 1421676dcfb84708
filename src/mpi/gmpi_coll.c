/*
 * gmpi_coll.c — the data-movement collectives: Barrier, Bcast, Gather(v), Scatter(v),
 * Allgather(v), Alltoall(v). Reductions are in gmpi_coll_reduce.c.
 *
 * Structure: one leader per worker. Barrier and Bcast are two-level: members talk to their node's
 * leader, leaders talk to the top (comm rank 0's node, or the root's). With a single worker this
 * is the flat algorithm; with ranks spread over workers only leaders cross workers. The barrier
 * over a world-spanning communicator is the barrier control point: the top leader holds every rank
 * in it, counts the user messages still in flight and calls the world's quiesce hook before
 * releasing anyone.
 *
 * Gather/scatter-type collectives move personalised data, where a relay through a leader only adds
 * a copy inside a worker: they send straight between the ranks concerned (nonblocking, so the
 * rendezvous copies of all receivers run in parallel). The remote transport will batch what
 * crosses workers.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_coll.h"

int gmpi_node_root(const gmpi_comm *c, int node, int root) {
    return c->node_of[root] == node ? root : c->node_leader[node];
}

static gmpi_type *byte_type(gmpi_rank *r) {
    return &r->world->predef[GMPI_BYTE];
}

static int get_comm(gmpi_rank *r, int comm, gmpi_comm **c) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    *c = gmpi_comm_get(r, comm);
    return *c ? GMPI_SUCCESS : GMPI_ERR_COMM;
}

static int check_root(const gmpi_comm *c, int root) {
    return root >= 0 && root < c->size ? GMPI_SUCCESS : GMPI_ERR_ROOT;
}

/* Waits for a dynamic list of internal requests. */
typedef struct req_list {
    gmpi_req **q;
    int n, cap;
    gmpi_req *stack[16];
} req_list;

static void rl_init(req_list *l) {
    l->q = l->stack;
    l->n = 0;
    l->cap = 16;
}

static int rl_add(gmpi_rank *r, req_list *l, gmpi_req *q) {
    if (!q) return GMPI_ERR_NO_MEM;
    if (l->n == l->cap) {
        int ncap = l->cap * 2;
        gmpi_req **nq = malloc((size_t)ncap * sizeof *nq);
        if (!nq) {
            gmpi_cwaitall(r, 1, &q); /* it is started: finish it before giving up */
            return GMPI_ERR_NO_MEM;
        }
        memcpy(nq, l->q, (size_t)l->n * sizeof *nq);
        if (l->q != l->stack) free(l->q);
        l->q = nq;
        l->cap = ncap;
    }
    l->q[l->n++] = q;
    return GMPI_SUCCESS;
}

static int rl_wait(gmpi_rank *r, req_list *l, int err) {
    int e = gmpi_cwaitall(r, l->n, l->q);
    if (l->q != l->stack) free(l->q);
    l->q = l->stack;
    l->n = 0;
    return err ? err : e;
}

/* ---- Barrier ---- */

typedef struct sync_wait {
    gmpi_node_sync *ns;
    int arrived;      /* leader: wait until this many members arrived */
    unsigned release; /* member: wait until the leader released this barrier */
} sync_wait;

static bool all_arrived(void *arg) {
    sync_wait *s = arg;
    return atomic_load_explicit(&s->ns->arrived, memory_order_acquire) == s->arrived;
}

static bool released(void *arg) {
    sync_wait *s = arg;
    return atomic_load_explicit(&s->ns->release, memory_order_acquire) == s->release;
}

/* The world barrier control point: every rank of the world is held in the barrier. */
static void control_point(gmpi_world *w) {
    if (w->quiesce) w->quiesce(w, w->quiesce_ud, gmpi_world_in_flight(w));
    atomic_fetch_add(&w->barriers, 1);
}

/* Two levels: the ranks of a worker meet in shared memory (a counter and a release number in
 * the node's gmpi_node_sync), the leaders meet with zero-byte messages at the top leader, which
 * holds the world's control point, then every leader releases its worker. */
int gmpi_coll_barrier(gmpi_rank *r, gmpi_comm *c) {
    gmpi_comm_hier(r, c);
    gmpi_node_sync *ns = c->node_sync;
    if (!ns) return GMPI_ERR_NO_MEM;
    unsigned gen = ++c->barriers;
    int me = c->rank, node = c->node_of[me], leader = c->node_leader[node];
    if (me != leader) {
        atomic_fetch_add_explicit(&ns->arrived, 1, memory_order_acq_rel);
        gmpi_ring(r->world->ranks[c->world[leader]]);
        sync_wait s = {ns, 0, gen};
        return gmpi_wait_cond(r, released, &s);
    }
    sync_wait s = {ns, ns->members - 1, gen};
    int err = gmpi_wait_cond(r, all_arrived, &s);
    if (err) return err;
    atomic_store_explicit(&ns->arrived, 0, memory_order_relaxed); /* nobody adds before release */
    gmpi_type *b = byte_type(r);
    int top = c->node_leader[0];
    req_list l;
    rl_init(&l);
    if (me != top) {
        if ((err = gmpi_csend(r, c, NULL, 0, b, top, GMPI_TAG_BARRIER_UP))) return err;
        if ((err = gmpi_crecv(r, c, NULL, 0, b, top, GMPI_TAG_BARRIER_DOWN))) return err;
    } else {
        for (int n = 1; n < c->nnodes && !err; n++)
            err = rl_add(r, &l,
                         gmpi_cirecv(r, c, NULL, 0, b, c->node_leader[n], GMPI_TAG_BARRIER_UP));
        if ((err = rl_wait(r, &l, err))) return err;
        if (c->spans_world) control_point(r->world); /* every rank is inside the barrier now */
        for (int n = 1; n < c->nnodes && !err; n++)
            err = rl_add(r, &l,
                         gmpi_cisend(r, c, NULL, 0, b, c->node_leader[n], GMPI_TAG_BARRIER_DOWN));
        if ((err = rl_wait(r, &l, err))) return err;
    }
    atomic_store_explicit(&ns->release, gen, memory_order_release);
    for (int i = 0; i < c->size; i++)
        if (i != me && c->node_of[i] == node) gmpi_ring(r->world->ranks[c->world[i]]);
    return GMPI_SUCCESS;
}

int gmpi_barrier(gmpi_rank *r, int comm) {
    gmpi_comm *c;
    int err = get_comm(r, comm, &c);
    if (err) return err;
    gmpi_req_reap_detached(r);
    return gmpi_coll_barrier(r, c);
}

/* ---- Bcast ---- */

int gmpi_coll_bcast(gmpi_rank *r, gmpi_comm *c, void *buf, int64_t count, gmpi_type *t, int root) {
    if (c->size == 1) return GMPI_SUCCESS;
    gmpi_comm_hier(r, c);
    int me = c->rank, node = c->node_of[me];
    int my_root = gmpi_node_root(c, node, root);
    int err = GMPI_SUCCESS;
    req_list l;
    rl_init(&l);
    if (me == root) {
        for (int n = 0; n < c->nnodes && !err; n++)
            if (n != node)
                err = rl_add(
                    r, &l,
                    gmpi_cisend(r, c, buf, count, t, gmpi_node_root(c, n, root), GMPI_TAG_BCAST));
    } else {
        int from = me == my_root ? root : my_root;
        if ((err = gmpi_crecv(r, c, buf, count, t, from, GMPI_TAG_BCAST))) return err;
    }
    if (me == my_root)
        for (int i = 0; i < c->size && !err; i++)
            if (i != me && c->node_of[i] == node)
                err = rl_add(r, &l, gmpi_cisend(r, c, buf, count, t, i, GMPI_TAG_BCAST));
    return rl_wait(r, &l, err);
}

int gmpi_bcast(gmpi_rank *r, void *buf, int count, int type, int root, int comm) {
    gmpi_comm *c;
    gmpi_type *t;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, buf, count, type, &t)) ||
        (err = check_root(c, root)))
        return err;
    return gmpi_coll_bcast(r, c, buf, count, t, root);
}

/* ---- Gather / Scatter ---- */

static uint8_t *slot(void *base, int64_t index, const gmpi_type *t) {
    return (uint8_t *)base + index * t->extent;
}

/* Root side of a gather: receive every other rank's block into its slot. `own` (NULL: in place)
 * is copied into the root's slot. counts/displs NULL means `count` each at i * count. */
static int gather_root(gmpi_rank *r, gmpi_comm *c, const void *own, int64_t own_count,
                       gmpi_type *own_t, void *rbuf, int64_t count, const int *counts,
                       const int *displs, gmpi_type *rt, int tag) {
    int err = GMPI_SUCCESS;
    req_list l;
    rl_init(&l);
    for (int i = 0; i < c->size && !err; i++) {
        int64_t n = counts ? counts[i] : count;
        int64_t at = displs ? displs[i] : (int64_t)i * count;
        if (i == c->rank) {
            if (own) {
                int64_t bytes = own_count * own_t->size, cap = n * rt->size;
                if (bytes > cap)
                    err = GMPI_ERR_TRUNCATE;
                else
                    gmpi_type_copy(own, own_count, own_t, slot(rbuf, at, rt), n, rt, bytes);
            }
            continue;
        }
        err = rl_add(r, &l, gmpi_cirecv(r, c, slot(rbuf, at, rt), n, rt, i, tag));
    }
    return rl_wait(r, &l, err);
}

static int check_counts(const gmpi_comm *c, const int *counts) {
    for (int i = 0; i < c->size; i++)
        if (counts[i] < 0) return GMPI_ERR_COUNT;
    return GMPI_SUCCESS;
}

int gmpi_gather(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                int rtype, int root, int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt = NULL;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = check_root(c, root))) return err;
    bool in_place = sbuf == GMPI_IN_PLACE && c->rank == root;
    if (!in_place && (err = gmpi_check_buffer(r, sbuf, scount, stype, &st))) return err;
    if (c->rank != root) return gmpi_csend(r, c, sbuf, scount, st, root, GMPI_TAG_GATHER);
    if ((err = gmpi_check_buffer(r, rbuf, rcount, rtype, &rt))) return err;
    return gather_root(r, c, in_place ? NULL : sbuf, scount, st, rbuf, rcount, NULL, NULL, rt,
                       GMPI_TAG_GATHER);
}

int gmpi_gatherv(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf,
                 const int *rcounts, const int *displs, int rtype, int root, int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt = NULL;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = check_root(c, root))) return err;
    bool in_place = sbuf == GMPI_IN_PLACE && c->rank == root;
    if (!in_place && (err = gmpi_check_buffer(r, sbuf, scount, stype, &st))) return err;
    if (c->rank != root) return gmpi_csend(r, c, sbuf, scount, st, root, GMPI_TAG_GATHER);
    if ((err = gmpi_check_buffer(r, rbuf, 0, rtype, &rt)) || (err = check_counts(c, rcounts)))
        return err;
    return gather_root(r, c, in_place ? NULL : sbuf, scount, st, rbuf, 0, rcounts, displs, rt,
                       GMPI_TAG_GATHER);
}

/* Root side of a scatter: send each rank its block; `own` (NULL: in place) receives the root's. */
static int scatter_root(gmpi_rank *r, gmpi_comm *c, const void *sbuf, int64_t count,
                        const int *counts, const int *displs, gmpi_type *st, void *own,
                        int64_t own_count, gmpi_type *own_t) {
    int err = GMPI_SUCCESS;
    req_list l;
    rl_init(&l);
    for (int i = 0; i < c->size && !err; i++) {
        int64_t n = counts ? counts[i] : count;
        int64_t at = displs ? displs[i] : (int64_t)i * count;
        const uint8_t *src = (const uint8_t *)sbuf + at * st->extent;
        if (i == c->rank) {
            if (own) {
                int64_t bytes = n * st->size, cap = own_count * own_t->size;
                if (bytes > cap)
                    err = GMPI_ERR_TRUNCATE;
                else
                    gmpi_type_copy(src, n, st, own, own_count, own_t, bytes);
            }
            continue;
        }
        err = rl_add(r, &l, gmpi_cisend(r, c, src, n, st, i, GMPI_TAG_SCATTER));
    }
    return rl_wait(r, &l, err);
}

int gmpi_scatter(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                 int rtype, int root, int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt = NULL;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = check_root(c, root))) return err;
    bool in_place = rbuf == GMPI_IN_PLACE && c->rank == root;
    if (!in_place && (err = gmpi_check_buffer(r, rbuf, rcount, rtype, &rt))) return err;
    if (c->rank != root) return gmpi_crecv(r, c, rbuf, rcount, rt, root, GMPI_TAG_SCATTER);
    if ((err = gmpi_check_buffer(r, sbuf, scount, stype, &st))) return err;
    return scatter_root(r, c, sbuf, scount, NULL, NULL, st, in_place ? NULL : rbuf, rcount, rt);
}

int gmpi_scatterv(gmpi_rank *r, const void *sbuf, const int *scounts, const int *displs, int stype,
                  void *rbuf, int rcount, int rtype, int root, int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt = NULL;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = check_root(c, root))) return err;
    bool in_place = rbuf == GMPI_IN_PLACE && c->rank == root;
    if (!in_place && (err = gmpi_check_buffer(r, rbuf, rcount, rtype, &rt))) return err;
    if (c->rank != root) return gmpi_crecv(r, c, rbuf, rcount, rt, root, GMPI_TAG_SCATTER);
    if ((err = gmpi_check_buffer(r, sbuf, 0, stype, &st)) || (err = check_counts(c, scounts)))
        return err;
    return scatter_root(r, c, sbuf, 0, scounts, displs, st, in_place ? NULL : rbuf, rcount, rt);
}

/* ---- Allgather: every rank sends its block to every other rank ---- */

static int allgather_direct(gmpi_rank *r, gmpi_comm *c, const void *sbuf, int64_t scount,
                            gmpi_type *st, void *rbuf, int64_t rcount, const int *rcounts,
                            const int *displs, gmpi_type *rt) {
    int me = c->rank, err = GMPI_SUCCESS;
    int64_t my_n = rcounts ? rcounts[me] : rcount;
    int64_t my_at = displs ? displs[me] : (int64_t)me * rcount;
    if (sbuf == GMPI_IN_PLACE) { /* my block is already in place */
        sbuf = slot(rbuf, my_at, rt);
        scount = my_n;
        st = rt;
    } else {
        int64_t bytes = scount * st->size;
        if (bytes > my_n * rt->size) return GMPI_ERR_TRUNCATE;
        gmpi_type_copy(sbuf, scount, st, slot(rbuf, my_at, rt), my_n, rt, bytes);
    }
    req_list l;
    rl_init(&l);
    for (int k = 1; k < c->size && !err; k++) {
        int i = (me + k) % c->size; /* start with the next rank: spreads the load */
        int64_t n = rcounts ? rcounts[i] : rcount;
        int64_t at = displs ? displs[i] : (int64_t)i * rcount;
        err = rl_add(r, &l, gmpi_cirecv(r, c, slot(rbuf, at, rt), n, rt, i, GMPI_TAG_ALLGATHER));
    }
    for (int k = 1; k < c->size && !err; k++) {
        int i = (me + c->size - k) % c->size;
        err = rl_add(r, &l, gmpi_cisend(r, c, sbuf, scount, st, i, GMPI_TAG_ALLGATHER));
    }
    return rl_wait(r, &l, err);
}

int gmpi_coll_allgather(gmpi_rank *r, gmpi_comm *c, const void *sbuf, int64_t scount, gmpi_type *st,
                        void *rbuf, int64_t rcount, gmpi_type *rt) {
    return allgather_direct(r, c, sbuf, scount, st, rbuf, rcount, NULL, NULL, rt);
}

int gmpi_allgather(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                   int rtype, int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, rbuf, rcount, rtype, &rt)))
        return err;
    if (sbuf != GMPI_IN_PLACE && (err = gmpi_check_buffer(r, sbuf, scount, stype, &st))) return err;
    return allgather_direct(r, c, sbuf, scount, st, rbuf, rcount, NULL, NULL, rt);
}

int gmpi_allgatherv(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf,
                    const int *rcounts, const int *displs, int rtype, int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, rbuf, 0, rtype, &rt)) ||
        (err = check_counts(c, rcounts)))
        return err;
    if (sbuf != GMPI_IN_PLACE && (err = gmpi_check_buffer(r, sbuf, scount, stype, &st))) return err;
    return allgather_direct(r, c, sbuf, scount, st, rbuf, 0, rcounts, displs, rt);
}

/* ---- Alltoall(v) ---- */

static int alltoall_direct(gmpi_rank *r, gmpi_comm *c, const void *sbuf, int64_t scount,
                           const int *scounts, const int *sdispls, gmpi_type *st, void *rbuf,
                           int64_t rcount, const int *rcounts, const int *rdispls, gmpi_type *rt) {
    int me = c->rank, err = GMPI_SUCCESS;
    uint8_t *copy = NULL;
    int *copy_displs = NULL;
    if (sbuf == GMPI_IN_PLACE) {
        /* Send from a packed copy of the receive buffer, laid out block after block. */
        int64_t total = 0;
        for (int i = 0; i < c->size; i++)
            total += (rcounts ? rcounts[i] : rcount) * rt->size;
        copy = malloc((size_t)total + 1);
        copy_displs = malloc((size_t)c->size * sizeof(int));
        if (!copy || !copy_displs) {
            free(copy);
            free(copy_displs);
            return GMPI_ERR_NO_MEM;
        }
        int64_t off = 0;
        for (int i = 0; i < c->size; i++) {
            int64_t n = rcounts ? rcounts[i] : rcount;
            int64_t at = rdispls ? rdispls[i] : (int64_t)i * rcount;
            gmpi_type_pack(slot(rbuf, at, rt), n, rt, copy + off, 0, n * rt->size);
            copy_displs[i] = (int)off;
            off += n * rt->size;
        }
    }
    req_list l;
    rl_init(&l);
    for (int k = 0; k < c->size && !err; k++) {
        int i = (me + k) % c->size;
        int64_t n = rcounts ? rcounts[i] : rcount;
        int64_t at = rdispls ? rdispls[i] : (int64_t)i * rcount;
        if (i == me) {
            if (copy) continue; /* in place: my block stays */
            int64_t sn = scounts ? scounts[me] : scount;
            int64_t sat = sdispls ? sdispls[me] : (int64_t)me * scount;
            int64_t bytes = sn * st->size;
            if (bytes > n * rt->size)
                err = GMPI_ERR_TRUNCATE;
            else
                gmpi_type_copy(slot((void *)(uintptr_t)sbuf, sat, st), sn, st, slot(rbuf, at, rt),
                               n, rt, bytes);
            continue;
        }
        err = rl_add(r, &l, gmpi_cirecv(r, c, slot(rbuf, at, rt), n, rt, i, GMPI_TAG_ALLTOALL));
    }
    for (int k = 1; k < c->size && !err; k++) {
        int i = (me + c->size - k) % c->size;
        if (copy) {
            int64_t n = (rcounts ? rcounts[i] : rcount) * rt->size;
            err = rl_add(r, &l,
                         gmpi_cisend(r, c, copy + copy_displs[i], n, &r->world->predef[GMPI_BYTE],
                                     i, GMPI_TAG_ALLTOALL));
        } else {
            int64_t sn = scounts ? scounts[i] : scount;
            int64_t sat = sdispls ? sdispls[i] : (int64_t)i * scount;
            err = rl_add(r, &l,
                         gmpi_cisend(r, c, slot((void *)(uintptr_t)sbuf, sat, st), sn, st, i,
                                     GMPI_TAG_ALLTOALL));
        }
    }
    err = rl_wait(r, &l, err);
    free(copy);
    free(copy_displs);
    return err;
}

int gmpi_alltoall(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                  int rtype, int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, rbuf, rcount, rtype, &rt)))
        return err;
    if (sbuf != GMPI_IN_PLACE && (err = gmpi_check_buffer(r, sbuf, scount, stype, &st))) return err;
    return alltoall_direct(r, c, sbuf, scount, NULL, NULL, st, rbuf, rcount, NULL, NULL, rt);
}

int gmpi_alltoallv(gmpi_rank *r, const void *sbuf, const int *scounts, const int *sdispls,
                   int stype, void *rbuf, const int *rcounts, const int *rdispls, int rtype,
                   int comm) {
    gmpi_comm *c;
    gmpi_type *st = NULL, *rt;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, rbuf, 0, rtype, &rt)) ||
        (err = check_counts(c, rcounts)))
        return err;
    if (sbuf != GMPI_IN_PLACE &&
        ((err = gmpi_check_buffer(r, sbuf, 0, stype, &st)) || (err = check_counts(c, scounts))))
        return err;
    return alltoall_direct(r, c, sbuf, 0, scounts, sdispls, st, rbuf, 0, rcounts, rdispls, rt);
}

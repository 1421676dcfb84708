/*
 * gmpi_coll_reduce.c — the reduction collectives: Reduce, Allreduce, Scan, Exscan,
 * Reduce_scatter, Reduce_scatter_block.
 *
 * Accumulators are packed (count * type size bytes, elements back to back), so predefined
 * operations run on plain arrays of their kind whatever the datatype's layout.
 *
 * Folding a contribution: the combining rank takes the next matching message out of its mailbox
 * and applies the operation with the message as `in` and its accumulator as `inout` — reading an
 * eager payload, or, for a rendezvous message, the sender's own buffer (no copy at all when the
 * sender's type is contiguous), and only then releases the sender. Operations therefore always run
 * on the thread of the rank that combines, which is what user operations need (they call back into
 * that rank's guest).
 *
 * Reduce: commutative operations (every predefined one) are two-level: each node's root (the
 * reduction root on its node, the leader elsewhere) folds its node's contributions, then the root
 * folds the nodes'. Non-commutative user operations run flat at the root in rank order:
 * acc = x[n-1]; acc = x[i] op acc for i = n-2 .. 0, which is x0 op x1 op ... op x[n-1].
 * A small Allreduce (up to 4 KiB) with a commutative operation on a communicator within one
 * worker is recursive doubling (log2 n exchange rounds, each rank combining; a rank beyond the
 * largest power of two first hands its data to a partner and gets the result back): every pair
 * combines as (lower rank's data) op (higher rank's data) on both sides, so all ranks compute the
 * same expression and get bit-identical results. (For larger data the extra copies cost more
 * than the rounds save.) Otherwise Allreduce is Reduce to rank 0 (two-level across workers) then
 * Bcast. Scan and Exscan pass the prefix along the rank chain;
 * Reduce_scatter(_block) reduce the whole vector to rank 0 and scatter the blocks.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_coll.h"

typedef struct reduce_args {
    const gmpi_op *op;
    int op_handle;
    gmpi_type *t;
    int type_handle;
    int64_t count;
    int64_t bytes; /* count * t->size */
} reduce_args;

typedef struct take_arg {
    gmpi_rank *r;
    uint64_t ctx;
    int src, tag;
    gmpi_msg *m;
} take_arg;

/* Takes the message (claimed) when it has arrived. */
static bool take_cond(void *arg) {
    take_arg *a = arg;
    a->m = gmpi_probe_box(a->r, a->ctx, a->src, a->tag, true, NULL);
    return a->m != NULL;
}

/* acc = (next message from src) op acc. */
static int recv_fold(gmpi_rank *r, gmpi_comm *c, int src, int tag, const reduce_args *ra,
                     uint8_t *acc) {
    take_arg a = {r, c->ctx + 1, src, tag, NULL};
    int err = gmpi_wait_cond(r, take_cond, &a);
    if (err) return err;
    gmpi_msg *m = a.m;
    gmpi_req *s = m->sreq;
    uint8_t *tmp = NULL;
    const void *in;
    if (m->bytes != ra->bytes) {
        err = GMPI_ERR_TRUNCATE;
    } else if (!s) {
        in = m->data;
    } else if (s->type->contiguous) {
        in = s->buf;
    } else {
        tmp = malloc((size_t)ra->bytes + 1);
        if (!tmp)
            err = GMPI_ERR_NO_MEM;
        else
            gmpi_type_pack(s->buf, s->count, s->type, tmp, 0, ra->bytes);
        in = tmp;
    }
    if (!err)
        err = gmpi_op_apply_packed(r, ra->op, ra->op_handle, ra->type_handle, ra->t, in, acc,
                                   ra->count);
    if (s) gmpi_req_complete(s);
    gmpi_msg_release(r, m);
    free(tmp);
    return err;
}

static gmpi_type *bytes_t(gmpi_rank *r) {
    return &r->world->predef[GMPI_BYTE];
}

static void pack_input(const void *input, const reduce_args *ra, uint8_t *acc) {
    if ((const void *)acc == input) return;
    gmpi_type_pack(input, ra->count, ra->t, acc, 0, ra->bytes);
}

/* Reduces every member's `input` into the packed accumulator `acc` of `root` (acc is only used
 * there; other ranks pass NULL). */
static int reduce_to(gmpi_rank *r, gmpi_comm *c, const void *input, const reduce_args *ra, int root,
                     uint8_t *acc) {
    int me = c->rank, err = GMPI_SUCCESS;
    if (!ra->op->commute) {
        if (me != root) return gmpi_csend(r, c, input, ra->count, ra->t, root, GMPI_TAG_REDUCE);
        /* the root's own contribution is packed first: acc may be its input (in place) */
        int last = c->size - 1;
        uint8_t *mine = NULL;
        if (last != root) {
            mine = malloc((size_t)ra->bytes + 1);
            if (!mine) return GMPI_ERR_NO_MEM;
            gmpi_type_pack(input, ra->count, ra->t, mine, 0, ra->bytes);
            err = gmpi_crecv(r, c, acc, ra->bytes, bytes_t(r), last, GMPI_TAG_REDUCE);
        } else {
            pack_input(input, ra, acc);
        }
        for (int i = last - 1; i >= 0 && !err; i--) {
            if (i != root)
                err = recv_fold(r, c, i, GMPI_TAG_REDUCE, ra, acc);
            else
                err = gmpi_op_apply_packed(r, ra->op, ra->op_handle, ra->type_handle, ra->t, mine,
                                           acc, ra->count);
        }
        free(mine);
        return err;
    }
    gmpi_comm_hier(r, c);
    int node = c->node_of[me];
    int my_root = gmpi_node_root(c, node, root);
    if (me != my_root) return gmpi_csend(r, c, input, ra->count, ra->t, my_root, GMPI_TAG_REDUCE);
    uint8_t *a = me == root ? acc : malloc((size_t)ra->bytes + 1);
    if (!a) return GMPI_ERR_NO_MEM;
    pack_input(input, ra, a);
    for (int i = 0; i < c->size && !err; i++)
        if (i != me && c->node_of[i] == node) err = recv_fold(r, c, i, GMPI_TAG_REDUCE, ra, a);
    if (me != root) {
        if (!err) err = gmpi_csend(r, c, a, ra->bytes, bytes_t(r), root, GMPI_TAG_REDUCE);
        free(a);
        return err;
    }
    for (int n = 0; n < c->nnodes && !err; n++)
        if (n != node) err = recv_fold(r, c, gmpi_node_root(c, n, root), GMPI_TAG_REDUCE, ra, a);
    return err;
}

/* Common validation: communicator, datatype, operation. */
static int reduce_setup(gmpi_rank *r, int comm, int count, int type, int op, gmpi_comm **c,
                        reduce_args *ra) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    *c = gmpi_comm_get(r, comm);
    if (!*c) return GMPI_ERR_COMM;
    if (count < 0) return GMPI_ERR_COUNT;
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t || !t->committed) return GMPI_ERR_TYPE;
    const gmpi_op *o = gmpi_op_get(r, op);
    if (!o) return GMPI_ERR_OP;
    int err = gmpi_op_check(r, o, t);
    if (err) return err;
    *ra = (reduce_args){o, op, t, type, count, (int64_t)count * t->size};
    return GMPI_SUCCESS;
}

/* An accumulator for `out` (count instances of t): `out` itself when contiguous. */
static uint8_t *acc_for(void *out, const reduce_args *ra) {
    if (ra->t->contiguous) return out;
    return malloc((size_t)ra->bytes + 1);
}

static void acc_done(uint8_t *acc, void *out, const reduce_args *ra, bool ok) {
    if ((void *)acc == out) return;
    if (ok) gmpi_type_unpack(acc, out, ra->count, ra->t, 0, ra->bytes);
    free(acc);
}

int gmpi_reduce(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op, int root,
                int comm) {
    gmpi_comm *c;
    reduce_args ra;
    int err = reduce_setup(r, comm, count, type, op, &c, &ra);
    if (err) return err;
    if (root < 0 || root >= c->size) return GMPI_ERR_ROOT;
    if (count == 0) return GMPI_SUCCESS;
    bool is_root = c->rank == root;
    const void *input = sbuf == GMPI_IN_PLACE && is_root ? rbuf : sbuf;
    if (!is_root) return reduce_to(r, c, input, &ra, root, NULL);
    uint8_t *acc = acc_for(rbuf, &ra);
    if (!acc) return GMPI_ERR_NO_MEM;
    err = reduce_to(r, c, input, &ra, root, acc);
    acc_done(acc, rbuf, &ra, err == GMPI_SUCCESS);
    return err;
}

/* Sends `out` to and receives `in` from peer (both packed, `bytes` long). */
static int exchange(gmpi_rank *r, gmpi_comm *c, const uint8_t *out, uint8_t *in, int64_t bytes,
                    int peer) {
    gmpi_req *q[2] = {NULL, NULL};
    if (in) q[0] = gmpi_cirecv(r, c, in, bytes, bytes_t(r), peer, GMPI_TAG_ALLREDUCE);
    if (out) q[1] = gmpi_cisend(r, c, out, bytes, bytes_t(r), peer, GMPI_TAG_ALLREDUCE);
    if (!in) q[0] = q[1], q[1] = NULL;
    return gmpi_cwaitall(r, in && out ? 2 : 1, q);
}

/* Combines the partner's data (*tmp) with this rank's (*acc) as (lower rank's) op (higher
 * rank's), so that both partners compute the same expression; the result ends in *acc. */
static int combine(gmpi_rank *r, const reduce_args *ra, int me, int partner, uint8_t **acc,
                   uint8_t **tmp) {
    if (partner < me)
        return gmpi_op_apply_packed(r, ra->op, ra->op_handle, ra->type_handle, ra->t, *tmp, *acc,
                                    ra->count);
    int err = gmpi_op_apply_packed(r, ra->op, ra->op_handle, ra->type_handle, ra->t, *acc, *tmp,
                                   ra->count);
    uint8_t *x = *acc;
    *acc = *tmp;
    *tmp = x;
    return err;
}

/* Recursive doubling: `input` (count instances of ra->t) reduced over c into `out`. */
static int allreduce_doubling(gmpi_rank *r, gmpi_comm *c, const void *input, void *out,
                              const reduce_args *ra) {
    int n = c->size, me = c->rank, p = 1;
    while (p <= n / 2)
        p *= 2;
    uint8_t stack[2 * 256], *mem = ra->bytes <= 256 ? stack : malloc(2 * (size_t)ra->bytes + 1);
    if (!mem) return GMPI_ERR_NO_MEM;
    uint8_t *acc = mem, *tmp = mem + ra->bytes;
    gmpi_type_pack(input, ra->count, ra->t, acc, 0, ra->bytes);
    int err = GMPI_SUCCESS;
    if (me >= p) { /* hand over, get the result back */
        err = exchange(r, c, acc, NULL, ra->bytes, me - p);
        if (!err) err = exchange(r, c, NULL, acc, ra->bytes, me - p);
    } else {
        if (me + p < n && !(err = exchange(r, c, NULL, tmp, ra->bytes, me + p)))
            err = combine(r, ra, me, me + p, &acc, &tmp);
        for (int mask = 1; mask < p && !err; mask <<= 1) {
            int partner = me ^ mask;
            if (!(err = exchange(r, c, acc, tmp, ra->bytes, partner)))
                err = combine(r, ra, me, partner, &acc, &tmp);
        }
        if (!err && me + p < n) err = exchange(r, c, acc, NULL, ra->bytes, me + p);
    }
    if (!err) gmpi_type_unpack(acc, out, ra->count, ra->t, 0, ra->bytes);
    if (mem != stack) free(mem);
    return err;
}

int gmpi_allreduce(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op,
                   int comm) {
    gmpi_comm *c;
    reduce_args ra;
    int err = reduce_setup(r, comm, count, type, op, &c, &ra);
    if (err) return err;
    if (count == 0) return GMPI_SUCCESS;
    const void *input = sbuf == GMPI_IN_PLACE ? rbuf : sbuf;
    if (c->size > 1 && ra.op->commute && ra.bytes <= 4096) {
        gmpi_comm_hier(r, c);
        if (c->nnodes == 1) return allreduce_doubling(r, c, input, rbuf, &ra);
    }
    if (c->rank != 0) {
        err = reduce_to(r, c, input, &ra, 0, NULL);
    } else {
        uint8_t *acc = acc_for(rbuf, &ra);
        if (!acc) return GMPI_ERR_NO_MEM;
        err = reduce_to(r, c, input, &ra, 0, acc);
        acc_done(acc, rbuf, &ra, err == GMPI_SUCCESS);
    }
    if (err) return err;
    return gmpi_coll_bcast(r, c, rbuf, count, ra.t, 0);
}

int gmpi_scan(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op, int comm) {
    gmpi_comm *c;
    reduce_args ra;
    int err = reduce_setup(r, comm, count, type, op, &c, &ra);
    if (err) return err;
    if (count == 0) return GMPI_SUCCESS;
    const void *input = sbuf == GMPI_IN_PLACE ? rbuf : sbuf;
    uint8_t *acc = acc_for(rbuf, &ra);
    if (!acc) return GMPI_ERR_NO_MEM;
    pack_input(input, &ra, acc);
    int me = c->rank;
    if (me > 0) err = recv_fold(r, c, me - 1, GMPI_TAG_SCAN, &ra, acc);
    if (!err && me < c->size - 1)
        err = gmpi_csend(r, c, acc, ra.bytes, bytes_t(r), me + 1, GMPI_TAG_SCAN);
    acc_done(acc, rbuf, &ra, err == GMPI_SUCCESS);
    return err;
}

int gmpi_exscan(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op, int comm) {
    gmpi_comm *c;
    reduce_args ra;
    int err = reduce_setup(r, comm, count, type, op, &c, &ra);
    if (err) return err;
    if (count == 0) return GMPI_SUCCESS;
    const void *input = sbuf == GMPI_IN_PLACE ? rbuf : sbuf;
    int me = c->rank, last = c->size - 1;
    uint8_t *acc = malloc((size_t)ra.bytes + 1), *prev = malloc((size_t)ra.bytes + 1);
    if (!acc || !prev) {
        free(acc);
        free(prev);
        return GMPI_ERR_NO_MEM;
    }
    gmpi_type_pack(input, ra.count, ra.t, acc, 0, ra.bytes); /* before rbuf is overwritten */
    if (me > 0) {
        err = gmpi_crecv(r, c, prev, ra.bytes, bytes_t(r), me - 1, GMPI_TAG_SCAN);
        if (!err && me < last)
            err = gmpi_op_apply_packed(r, ra.op, ra.op_handle, ra.type_handle, ra.t, prev, acc,
                                       ra.count);
        if (!err) gmpi_type_unpack(prev, rbuf, ra.count, ra.t, 0, ra.bytes);
    }
    if (!err && me < last) err = gmpi_csend(r, c, acc, ra.bytes, bytes_t(r), me + 1, GMPI_TAG_SCAN);
    free(acc);
    free(prev);
    return err;
}

/* Reduces a vector of sum(counts) instances to rank 0 and scatters block i to rank i. */
static int reduce_scatter_common(gmpi_rank *r, gmpi_comm *c, const void *sbuf, void *rbuf,
                                 const int *counts, int block, reduce_args *ra) {
    int me = c->rank, n = c->size;
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        int64_t k = counts ? counts[i] : block;
        if (k < 0) return GMPI_ERR_COUNT;
        total += k;
    }
    if (total == 0) return GMPI_SUCCESS;
    reduce_args whole = *ra;
    whole.count = total;
    whole.bytes = total * ra->t->size;
    const void *input = sbuf == GMPI_IN_PLACE ? rbuf : sbuf;
    int64_t my_count = counts ? counts[me] : block;
    if (me != 0) {
        int err = reduce_to(r, c, input, &whole, 0, NULL);
        if (err) return err;
        return gmpi_crecv(r, c, rbuf, my_count, ra->t, 0, GMPI_TAG_SCATTER);
    }
    uint8_t *acc = malloc((size_t)whole.bytes + 1);
    if (!acc) return GMPI_ERR_NO_MEM;
    int err = reduce_to(r, c, input, &whole, 0, acc);
    gmpi_req *stack[16], **qs = n <= 16 ? stack : calloc((size_t)n, sizeof *qs);
    if (!qs) err = err ? err : GMPI_ERR_NO_MEM;
    int nq = 0;
    int64_t off = 0;
    for (int i = 0; i < n && !err; i++) {
        int64_t k = counts ? counts[i] : block;
        if (i == 0)
            gmpi_type_unpack(acc, rbuf, k, ra->t, 0, k * ra->t->size);
        else
            qs[nq++] =
                gmpi_cisend(r, c, acc + off, k * ra->t->size, bytes_t(r), i, GMPI_TAG_SCATTER);
        off += k * ra->t->size;
    }
    if (qs) {
        int e = gmpi_cwaitall(r, nq, qs);
        if (!err) err = e;
        if (qs != stack) free(qs);
    }
    free(acc);
    return err;
}

int gmpi_reduce_scatter(gmpi_rank *r, const void *sbuf, void *rbuf, const int *rcounts, int type,
                        int op, int comm) {
    gmpi_comm *c;
    reduce_args ra;
    int err = reduce_setup(r, comm, 0, type, op, &c, &ra);
    if (err) return err;
    return reduce_scatter_common(r, c, sbuf, rbuf, rcounts, 0, &ra);
}

int gmpi_reduce_scatter_block(gmpi_rank *r, const void *sbuf, void *rbuf, int rcount, int type,
                              int op, int comm) {
    gmpi_comm *c;
    reduce_args ra;
    int err = reduce_setup(r, comm, rcount, type, op, &c, &ra);
    if (err) return err;
    return reduce_scatter_common(r, c, sbuf, rbuf, NULL, rcount, &ra);
}

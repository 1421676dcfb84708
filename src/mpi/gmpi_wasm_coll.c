/*
 * gmpi_wasm_coll.c — host functions of the collectives and reduction operations of mpi.h.
 *
 * Buffer checks follow MPI's rules on which arguments are significant: the receive buffer of a
 * rooted gather (and the send buffer of a scatter) only at the root, MPI_IN_PLACE only where MPI
 * allows it. Sizes are computed in 64 bits (comm size * count may exceed an int).
 *
 * MPI_Barrier is a barrier control point: when its instance is a cell, cell_control_point may
 * decide to suspend the cell right there (asyncify unwind); the call then returns at once without
 * entering the barrier, and is made again, with the same arguments, when the cell resumes.
 */
#include <stdlib.h>

#include "cell/cell.h"
#include "mpi/gmpi_wasm_internal.h"

static int comm_rank(gw_call *c, int comm) {
    int me = -1;
    if (gmpi_comm_rank(c->r, comm, &me)) return -1;
    return me;
}

static int64_t sum_counts(const int *counts, int n) {
    int64_t t = 0;
    for (int i = 0; i < n; i++)
        t += counts[i] > 0 ? counts[i] : 0;
    return t;
}

static void w_MPI_Barrier(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Barrier");
    if (c.g->is_cell && cell_control_point(in)) return; /* suspending: called again on resume */
    gw_end(&c, ARG(0), gmpi_barrier(c.r, ARG(0)));
}

static void w_MPI_Bcast(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Bcast");
    void *buf;
    int err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &buf);
    if (!err) err = gmpi_bcast(c.r, buf, ARG(1), ARG(2), ARG(3), ARG(4));
    gw_end(&c, ARG(4), err);
}

/* (sbuf, rbuf, count, type, op, [root,] comm) */
static void w_MPI_Reduce(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Reduce");
    void *sbuf = NULL, *rbuf = NULL;
    bool root = comm_rank(&c, ARG(6)) == ARG(5);
    int err = gw_buf(&c, ADDR(0), ARG(2), ARG(3), root, &sbuf);
    if (!err && root) err = gw_buf(&c, ADDR(1), ARG(2), ARG(3), false, &rbuf);
    if (!err) err = gmpi_reduce(c.r, sbuf, rbuf, ARG(2), ARG(3), ARG(4), ARG(5), ARG(6));
    gw_end(&c, ARG(6), err);
}

typedef int (*allred_fn)(gmpi_rank *, const void *, void *, int, int, int, int);

static void allred_common(rt_instance *in, rt_value *io, const char *name, allred_fn fn) {
    gw_call c;
    gw_begin(&c, in, io, name);
    void *sbuf, *rbuf;
    int err = gw_buf(&c, ADDR(0), ARG(2), ARG(3), true, &sbuf);
    if (!err) err = gw_buf(&c, ADDR(1), ARG(2), ARG(3), false, &rbuf);
    if (!err) err = fn(c.r, sbuf, rbuf, ARG(2), ARG(3), ARG(4), ARG(5));
    gw_end(&c, ARG(5), err);
}

static void w_MPI_Allreduce(rt_instance *in, void *d, rt_value *io) {
    allred_common(in, io, "MPI_Allreduce", gmpi_allreduce);
}
static void w_MPI_Scan(rt_instance *in, void *d, rt_value *io) {
    allred_common(in, io, "MPI_Scan", gmpi_scan);
}
static void w_MPI_Exscan(rt_instance *in, void *d, rt_value *io) {
    allred_common(in, io, "MPI_Exscan", gmpi_exscan);
}

static void w_MPI_Reduce_scatter(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Reduce_scatter");
    int n = gw_comm_size(&c, ARG(5)), me = comm_rank(&c, ARG(5));
    int *counts = NULL;
    void *sbuf = NULL, *rbuf = NULL;
    int err = n ? gw_ints_in(&c, ADDR(2), n, &counts) : GMPI_ERR_COMM;
    if (!err) {
        int64_t total = sum_counts(counts, n);
        bool in_place = ADDR(0) == GW_IN_PLACE_ADDR;
        err = gw_buf64(&c, ADDR(0), total, ARG(3), true, &sbuf);
        if (!err) err = gw_buf64(&c, ADDR(1), in_place ? total : counts[me], ARG(3), false, &rbuf);
    }
    if (!err) err = gmpi_reduce_scatter(c.r, sbuf, rbuf, counts, ARG(3), ARG(4), ARG(5));
    free(counts);
    gw_end(&c, ARG(5), err);
}

static void w_MPI_Reduce_scatter_block(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Reduce_scatter_block");
    int n = gw_comm_size(&c, ARG(5));
    void *sbuf = NULL, *rbuf = NULL;
    int err = n ? GMPI_SUCCESS : GMPI_ERR_COMM;
    int64_t total = (int64_t)n * ARG(2);
    bool in_place = ADDR(0) == GW_IN_PLACE_ADDR;
    if (!err) err = gw_buf64(&c, ADDR(0), total, ARG(3), true, &sbuf);
    if (!err) err = gw_buf64(&c, ADDR(1), in_place ? total : ARG(2), ARG(3), false, &rbuf);
    if (!err) err = gmpi_reduce_scatter_block(c.r, sbuf, rbuf, ARG(2), ARG(3), ARG(4), ARG(5));
    gw_end(&c, ARG(5), err);
}

/* (sbuf, scount, stype, rbuf, rcount, rtype, root, comm) */
static void w_MPI_Gather(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Gather");
    int n = gw_comm_size(&c, ARG(7));
    bool root = comm_rank(&c, ARG(7)) == ARG(6);
    void *sbuf = NULL, *rbuf = NULL;
    int err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), root, &sbuf);
    if (!err && root) err = gw_buf64(&c, ADDR(3), (int64_t)n * ARG(4), ARG(5), false, &rbuf);
    if (!err) err = gmpi_gather(c.r, sbuf, ARG(1), ARG(2), rbuf, ARG(4), ARG(5), ARG(6), ARG(7));
    gw_end(&c, ARG(7), err);
}

/* (sbuf, scount, stype, rbuf, rcounts, displs, rtype, root, comm) */
static void w_MPI_Gatherv(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Gatherv");
    int n = gw_comm_size(&c, ARG(8));
    bool root = comm_rank(&c, ARG(8)) == ARG(7);
    int *counts = NULL, *displs = NULL;
    void *sbuf = NULL, *rbuf = NULL;
    int err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), root, &sbuf);
    if (!err && root) {
        err = n ? gw_ints_in(&c, ADDR(4), n, &counts) : GMPI_ERR_COMM;
        if (!err) err = gw_ints_in(&c, ADDR(5), n, &displs);
        if (!err) err = gw_vbuf(&c, ADDR(3), n, counts, displs, ARG(6), false, &rbuf);
    }
    if (!err)
        err = gmpi_gatherv(c.r, sbuf, ARG(1), ARG(2), rbuf, counts, displs, ARG(6), ARG(7), ARG(8));
    free(counts);
    free(displs);
    gw_end(&c, ARG(8), err);
}

static void w_MPI_Scatter(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Scatter");
    int n = gw_comm_size(&c, ARG(7));
    bool root = comm_rank(&c, ARG(7)) == ARG(6);
    void *sbuf = NULL, *rbuf = NULL;
    int err = gw_buf(&c, ADDR(3), ARG(4), ARG(5), root, &rbuf);
    if (!err && root) err = gw_buf64(&c, ADDR(0), (int64_t)n * ARG(1), ARG(2), false, &sbuf);
    if (!err) err = gmpi_scatter(c.r, sbuf, ARG(1), ARG(2), rbuf, ARG(4), ARG(5), ARG(6), ARG(7));
    gw_end(&c, ARG(7), err);
}

/* (sbuf, scounts, displs, stype, rbuf, rcount, rtype, root, comm) */
static void w_MPI_Scatterv(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Scatterv");
    int n = gw_comm_size(&c, ARG(8));
    bool root = comm_rank(&c, ARG(8)) == ARG(7);
    int *counts = NULL, *displs = NULL;
    void *sbuf = NULL, *rbuf = NULL;
    int err = gw_buf(&c, ADDR(4), ARG(5), ARG(6), root, &rbuf);
    if (!err && root) {
        err = n ? gw_ints_in(&c, ADDR(1), n, &counts) : GMPI_ERR_COMM;
        if (!err) err = gw_ints_in(&c, ADDR(2), n, &displs);
        if (!err) err = gw_vbuf(&c, ADDR(0), n, counts, displs, ARG(3), false, &sbuf);
    }
    if (!err)
        err =
            gmpi_scatterv(c.r, sbuf, counts, displs, ARG(3), rbuf, ARG(5), ARG(6), ARG(7), ARG(8));
    free(counts);
    free(displs);
    gw_end(&c, ARG(8), err);
}

/* (sbuf, scount, stype, rbuf, rcount, rtype, comm) */
static void w_MPI_Allgather(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Allgather");
    int n = gw_comm_size(&c, ARG(6));
    void *sbuf = NULL, *rbuf = NULL;
    int err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), true, &sbuf);
    if (!err) err = gw_buf64(&c, ADDR(3), (int64_t)n * ARG(4), ARG(5), false, &rbuf);
    if (!err) err = gmpi_allgather(c.r, sbuf, ARG(1), ARG(2), rbuf, ARG(4), ARG(5), ARG(6));
    gw_end(&c, ARG(6), err);
}

/* (sbuf, scount, stype, rbuf, rcounts, displs, rtype, comm) */
static void w_MPI_Allgatherv(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Allgatherv");
    int n = gw_comm_size(&c, ARG(7));
    int *counts = NULL, *displs = NULL;
    void *sbuf = NULL, *rbuf = NULL;
    int err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), true, &sbuf);
    if (!err) err = n ? gw_ints_in(&c, ADDR(4), n, &counts) : GMPI_ERR_COMM;
    if (!err) err = gw_ints_in(&c, ADDR(5), n, &displs);
    if (!err) err = gw_vbuf(&c, ADDR(3), n, counts, displs, ARG(6), false, &rbuf);
    if (!err)
        err = gmpi_allgatherv(c.r, sbuf, ARG(1), ARG(2), rbuf, counts, displs, ARG(6), ARG(7));
    free(counts);
    free(displs);
    gw_end(&c, ARG(7), err);
}

static void w_MPI_Alltoall(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Alltoall");
    int n = gw_comm_size(&c, ARG(6));
    void *sbuf = NULL, *rbuf = NULL;
    int err = gw_buf64(&c, ADDR(0), (int64_t)n * ARG(1), ARG(2), true, &sbuf);
    if (!err) err = gw_buf64(&c, ADDR(3), (int64_t)n * ARG(4), ARG(5), false, &rbuf);
    if (!err) err = gmpi_alltoall(c.r, sbuf, ARG(1), ARG(2), rbuf, ARG(4), ARG(5), ARG(6));
    gw_end(&c, ARG(6), err);
}

/* (sbuf, scounts, sdispls, stype, rbuf, rcounts, rdispls, rtype, comm) */
static void w_MPI_Alltoallv(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Alltoallv");
    int n = gw_comm_size(&c, ARG(8));
    int *sc = NULL, *sd = NULL, *rc = NULL, *rd = NULL;
    void *sbuf = NULL, *rbuf = NULL;
    bool in_place = ADDR(0) == GW_IN_PLACE_ADDR;
    int err = n ? gw_ints_in(&c, ADDR(5), n, &rc) : GMPI_ERR_COMM;
    if (!err) err = gw_ints_in(&c, ADDR(6), n, &rd);
    if (!err) err = gw_vbuf(&c, ADDR(4), n, rc, rd, ARG(7), false, &rbuf);
    if (!err && in_place) sbuf = GMPI_IN_PLACE;
    if (!err && !in_place) {
        err = gw_ints_in(&c, ADDR(1), n, &sc);
        if (!err) err = gw_ints_in(&c, ADDR(2), n, &sd);
        if (!err) err = gw_vbuf(&c, ADDR(0), n, sc, sd, ARG(3), false, &sbuf);
    }
    if (!err) err = gmpi_alltoallv(c.r, sbuf, sc, sd, ARG(3), rbuf, rc, rd, ARG(7), ARG(8));
    free(sc), free(sd), free(rc), free(rd);
    gw_end(&c, ARG(8), err);
}

/* ---- Operations ---- */

static void w_MPI_Op_create(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Op_create");
    int op = GMPI_OP_NULL;
    int err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gmpi_op_create(c.r, ADDR(0), ARG(1), &op); /* the table index */
    if (!err) gw_put_i32(&c, ADDR(2), op);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Op_free(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Op_free");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) {
        int op = gw_get_i32(&c, ADDR(0));
        err = gmpi_op_free(c.r, &op);
        if (!err) gw_put_i32(&c, ADDR(0), op);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Op_commutative(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Op_commutative");
    int flag = 0, err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = gmpi_op_commutative(c.r, ARG(0), &flag);
    if (!err) gw_put_i32(&c, ADDR(1), flag);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Reduce_local(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Reduce_local");
    void *a, *b;
    int err = gw_buf(&c, ADDR(0), ARG(2), ARG(3), false, &a);
    if (!err) err = gw_buf(&c, ADDR(1), ARG(2), ARG(3), false, &b);
    if (!err) err = gmpi_reduce_local(c.r, a, b, ARG(2), ARG(3), ARG(4));
    gw_end(&c, GMPI_COMM_WORLD, err);
}

const gw_fn gw_coll_fns[] = {
    {"MPI_Barrier", "i:i", w_MPI_Barrier},
    {"MPI_Bcast", "iiiii:i", w_MPI_Bcast},
    {"MPI_Reduce", "iiiiiii:i", w_MPI_Reduce},
    {"MPI_Allreduce", "iiiiii:i", w_MPI_Allreduce},
    {"MPI_Scan", "iiiiii:i", w_MPI_Scan},
    {"MPI_Exscan", "iiiiii:i", w_MPI_Exscan},
    {"MPI_Reduce_scatter", "iiiiii:i", w_MPI_Reduce_scatter},
    {"MPI_Reduce_scatter_block", "iiiiii:i", w_MPI_Reduce_scatter_block},
    {"MPI_Gather", "iiiiiiii:i", w_MPI_Gather},
    {"MPI_Gatherv", "iiiiiiiii:i", w_MPI_Gatherv},
    {"MPI_Scatter", "iiiiiiii:i", w_MPI_Scatter},
    {"MPI_Scatterv", "iiiiiiiii:i", w_MPI_Scatterv},
    {"MPI_Allgather", "iiiiiii:i", w_MPI_Allgather},
    {"MPI_Allgatherv", "iiiiiiii:i", w_MPI_Allgatherv},
    {"MPI_Alltoall", "iiiiiii:i", w_MPI_Alltoall},
    {"MPI_Alltoallv", "iiiiiiiii:i", w_MPI_Alltoallv},
    {"MPI_Op_create", "iii:i", w_MPI_Op_create},
    {"MPI_Op_free", "i:i", w_MPI_Op_free},
    {"MPI_Op_commutative", "ii:i", w_MPI_Op_commutative},
    {"MPI_Reduce_local", "iiiii:i", w_MPI_Reduce_local},
    {NULL, NULL, NULL},
};

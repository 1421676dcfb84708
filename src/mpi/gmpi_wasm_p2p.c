/*
 * gmpi_wasm_p2p.c — host functions of the point-to-point part of mpi.h: sends and receives in
 * every mode, nonblocking and persistent requests, Sendrecv(_replace), probes and matched probes,
 * the completion functions and the status queries.
 *
 * Each function checks its guest arguments (buffer spans against the datatype, request and status
 * locations, arrays) before calling the core, so the core only ever sees valid host pointers;
 * outputs that a blocking call will fill are checked before it blocks. Request arrays are copied
 * in and out (guest memory holds them as 32-bit ints, like the core's handles).
 */
#include <stdlib.h>

#include "mpi/gmpi_wasm_internal.h"

typedef int (*send_fn)(gmpi_rank *, const void *, int, int, int, int, int);
typedef int (*isend_fn)(gmpi_rank *, const void *, int, int, int, int, int, int *);

/* (buf, count, type, dest, tag, comm) */
static void send_common(rt_instance *in, rt_value *io, const char *name, send_fn fn) {
    gw_call c;
    gw_begin(&c, in, io, name);
    void *buf;
    int err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &buf);
    if (!err) err = fn(c.r, buf, ARG(1), ARG(2), ARG(3), ARG(4), ARG(5));
    gw_end(&c, ARG(5), err);
}

static void w_MPI_Send(rt_instance *in, void *d, rt_value *io) {
    send_common(in, io, "MPI_Send", gmpi_send);
}
static void w_MPI_Ssend(rt_instance *in, void *d, rt_value *io) {
    send_common(in, io, "MPI_Ssend", gmpi_ssend);
}
static void w_MPI_Rsend(rt_instance *in, void *d, rt_value *io) {
    send_common(in, io, "MPI_Rsend", gmpi_send); /* a ready send is a correct standard send */
}
static void w_MPI_Bsend(rt_instance *in, void *d, rt_value *io) {
    send_common(in, io, "MPI_Bsend", gmpi_bsend);
}

/* (buf, count, type, peer, tag, comm, request*) */
static void isend_common(rt_instance *in, rt_value *io, const char *name, isend_fn fn) {
    gw_call c;
    gw_begin(&c, in, io, name);
    void *buf;
    int h = GMPI_REQUEST_NULL;
    int err = gw_check_out(&c, ADDR(6), 4);
    if (!err) err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &buf);
    if (!err) err = fn(c.r, buf, ARG(1), ARG(2), ARG(3), ARG(4), ARG(5), &h);
    if (!err) gw_put_i32(&c, ADDR(6), h);
    gw_end(&c, ARG(5), err);
}

static void w_MPI_Isend(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Isend", gmpi_isend);
}
static void w_MPI_Issend(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Issend", gmpi_issend);
}
static void w_MPI_Irsend(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Irsend", gmpi_isend);
}
static void w_MPI_Ibsend(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Ibsend", gmpi_ibsend);
}
static void w_MPI_Send_init(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Send_init", gmpi_send_init);
}
static void w_MPI_Ssend_init(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Ssend_init", gmpi_ssend_init);
}
static void w_MPI_Rsend_init(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Rsend_init", gmpi_send_init);
}
static void w_MPI_Bsend_init(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Bsend_init", gmpi_bsend_init);
}

static int irecv_adapter(gmpi_rank *r, const void *buf, int count, int type, int src, int tag,
                         int comm, int *h) {
    return gmpi_irecv(r, (void *)(uintptr_t)buf, count, type, src, tag, comm, h);
}
static int recv_init_adapter(gmpi_rank *r, const void *buf, int count, int type, int src, int tag,
                             int comm, int *h) {
    return gmpi_recv_init(r, (void *)(uintptr_t)buf, count, type, src, tag, comm, h);
}
static void w_MPI_Irecv(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Irecv", irecv_adapter);
}
static void w_MPI_Recv_init(rt_instance *in, void *d, rt_value *io) {
    isend_common(in, io, "MPI_Recv_init", recv_init_adapter);
}

/* Checks an optional status location (0 = MPI_STATUS_IGNORE). */
static int status_ok(gw_call *c, uint32_t addr) {
    return addr == 0 ? GMPI_SUCCESS : gw_check_out(c, addr, sizeof(gmpi_status));
}

static void w_MPI_Recv(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Recv");
    void *buf;
    gmpi_status st = {0, 0, 0, 0, 0};
    int err = status_ok(&c, ADDR(6));
    if (!err) err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &buf);
    if (!err) {
        err = gmpi_recv(c.r, buf, ARG(1), ARG(2), ARG(3), ARG(4), ARG(5), &st);
        if (err == GMPI_SUCCESS || err == GMPI_ERR_TRUNCATE) gw_put_status(&c, ADDR(6), &st);
    }
    gw_end(&c, ARG(5), err);
}

static void w_MPI_Sendrecv(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Sendrecv");
    void *sbuf, *rbuf;
    gmpi_status st = {0, 0, 0, 0, 0};
    int err = status_ok(&c, ADDR(11));
    if (!err) err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &sbuf);
    if (!err) err = gw_buf(&c, ADDR(5), ARG(6), ARG(7), false, &rbuf);
    if (!err) {
        err = gmpi_sendrecv(c.r, sbuf, ARG(1), ARG(2), ARG(3), ARG(4), rbuf, ARG(6), ARG(7), ARG(8),
                            ARG(9), ARG(10), &st);
        if (err == GMPI_SUCCESS || err == GMPI_ERR_TRUNCATE) gw_put_status(&c, ADDR(11), &st);
    }
    gw_end(&c, ARG(10), err);
}

static void w_MPI_Sendrecv_replace(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Sendrecv_replace");
    void *buf;
    gmpi_status st = {0, 0, 0, 0, 0};
    int err = status_ok(&c, ADDR(8));
    if (!err) err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &buf);
    if (!err) {
        err = gmpi_sendrecv_replace(c.r, buf, ARG(1), ARG(2), ARG(3), ARG(4), ARG(5), ARG(6),
                                    ARG(7), &st);
        if (err == GMPI_SUCCESS || err == GMPI_ERR_TRUNCATE) gw_put_status(&c, ADDR(8), &st);
    }
    gw_end(&c, ARG(7), err);
}

/* ---- Probes ---- */

static void w_MPI_Probe(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Probe");
    gmpi_status st = {0, 0, 0, 0, 0};
    int err = status_ok(&c, ADDR(3));
    if (!err) err = gmpi_probe(c.r, ARG(0), ARG(1), ARG(2), &st);
    if (!err) gw_put_status(&c, ADDR(3), &st);
    gw_end(&c, ARG(2), err);
}

static void w_MPI_Iprobe(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Iprobe");
    gmpi_status st = {0, 0, 0, 0, 0};
    int flag = 0;
    int err = status_ok(&c, ADDR(4));
    if (!err) err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gmpi_iprobe(c.r, ARG(0), ARG(1), ARG(2), &flag, &st);
    if (!err) {
        gw_put_i32(&c, ADDR(3), flag);
        if (flag) gw_put_status(&c, ADDR(4), &st);
    }
    gw_end(&c, ARG(2), err);
}

static void w_MPI_Mprobe(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Mprobe");
    gmpi_status st = {0, 0, 0, 0, 0};
    int msg = GMPI_MESSAGE_NULL;
    int err = status_ok(&c, ADDR(4));
    if (!err) err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gmpi_mprobe(c.r, ARG(0), ARG(1), ARG(2), &msg, &st);
    if (!err) {
        gw_put_i32(&c, ADDR(3), msg);
        gw_put_status(&c, ADDR(4), &st);
    }
    gw_end(&c, ARG(2), err);
}

static void w_MPI_Improbe(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Improbe");
    gmpi_status st = {0, 0, 0, 0, 0};
    int msg = GMPI_MESSAGE_NULL, flag = 0;
    int err = status_ok(&c, ADDR(5));
    if (!err) err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gmpi_improbe(c.r, ARG(0), ARG(1), ARG(2), &flag, &msg, &st);
    if (!err) {
        gw_put_i32(&c, ADDR(3), flag);
        gw_put_i32(&c, ADDR(4), msg);
        if (flag) gw_put_status(&c, ADDR(5), &st);
    }
    gw_end(&c, ARG(2), err);
}

static void w_MPI_Mrecv(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Mrecv");
    void *buf;
    gmpi_status st = {0, 0, 0, 0, 0};
    int err = status_ok(&c, ADDR(4));
    if (!err) err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &buf);
    if (!err) {
        int msg = gw_get_i32(&c, ADDR(3));
        err = gmpi_mrecv(c.r, buf, ARG(1), ARG(2), &msg, &st);
        gw_put_i32(&c, ADDR(3), msg);
        if (err == GMPI_SUCCESS || err == GMPI_ERR_TRUNCATE) gw_put_status(&c, ADDR(4), &st);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

/* ---- Requests ---- */

static void w_MPI_Start(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Start");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) {
        int h = gw_get_i32(&c, ADDR(0));
        err = gmpi_start(c.r, &h);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Startall(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Startall");
    int *hs;
    int err = gw_ints_in(&c, ADDR(1), ARG(0), &hs);
    for (int i = 0; !err && i < ARG(0); i++)
        err = gmpi_start(c.r, &hs[i]);
    if (hs) free(hs);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Wait(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Wait");
    gmpi_status st = {0, 0, 0, 0, 0};
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) err = status_ok(&c, ADDR(1));
    if (!err) {
        int h = gw_get_i32(&c, ADDR(0));
        err = gmpi_wait(c.r, &h, &st);
        if (err != GMPI_ABORTED) {
            gw_put_i32(&c, ADDR(0), h);
            gw_put_status(&c, ADDR(1), &st);
        }
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Test(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Test");
    gmpi_status st = {0, 0, 0, 0, 0};
    int flag = 0;
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = status_ok(&c, ADDR(2));
    if (!err) {
        int h = gw_get_i32(&c, ADDR(0));
        err = gmpi_test(c.r, &h, &flag, &st);
        if (err != GMPI_ABORTED) {
            gw_put_i32(&c, ADDR(0), h);
            gw_put_i32(&c, ADDR(1), flag);
            if (flag) gw_put_status(&c, ADDR(2), &st);
        }
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

/* The shape of every array-of-requests function. */
typedef enum multi_kind {
    M_WAITALL,
    M_TESTALL,
    M_WAITANY,
    M_TESTANY,
    M_WAITSOME,
    M_TESTSOME
} multi_kind;

static void multi(rt_instance *in, rt_value *io, const char *name, multi_kind k) {
    gw_call c;
    gw_begin(&c, in, io, name);
    int n = ARG(0);
    uint32_t reqs = ADDR(1);
    enum { SMALL = 64 }; /* arrays up to this size live on the stack */
    int hs_small[SMALL], idx_small[SMALL];
    gmpi_status sts_small[SMALL];
    int *hs = hs_small, *idx = idx_small;
    gmpi_status *sts = sts_small;
    int err = n < 0 ? GMPI_ERR_COUNT : GMPI_SUCCESS;
    if (!err && n > SMALL) {
        hs = malloc(sizeof(int) * (size_t)n);
        idx = malloc(sizeof(int) * (size_t)n);
        sts = malloc(sizeof(gmpi_status) * (size_t)n);
        if (!hs || !idx || !sts) err = GMPI_ERR_NO_MEM;
    }
    if (!err && n > 0) {
        if (gw_range(&c, reqs, (uint64_t)n * 4))
            memcpy(hs, gw_host(&c, reqs), (size_t)n * 4);
        else
            err = GMPI_ERR_ARG;
    }
    if (!err)
        memset(sts, 0, sizeof(gmpi_status) * (size_t)(n > 0 ? n : 1)); /* no host bytes leak */
    uint32_t st_addr = 0, out1 = 0, out2 = 0;
    int nstatus = 0;
    switch (k) {
    case M_WAITALL: st_addr = ADDR(2), nstatus = n; break;
    case M_TESTALL: out1 = ADDR(2), st_addr = ADDR(3), nstatus = n; break;
    case M_WAITANY: out1 = ADDR(2), st_addr = ADDR(3), nstatus = 1; break;
    case M_TESTANY: out1 = ADDR(2), out2 = ADDR(3), st_addr = ADDR(4), nstatus = 1; break;
    case M_WAITSOME:
    case M_TESTSOME: out1 = ADDR(2), out2 = ADDR(3), st_addr = ADDR(4), nstatus = n; break;
    }
    if (!err && out1) err = gw_check_out(&c, out1, 4);
    if (!err && out2) err = gw_check_out(&c, out2, (k == M_TESTANY ? 1 : (uint64_t)n) * 4);
    if (!err && st_addr) err = gw_check_out(&c, st_addr, (uint64_t)nstatus * sizeof(gmpi_status));
    gmpi_status *st_out = st_addr ? sts : NULL; /* the core skips statuses nobody wants */
    int flag = 0, one = 0, count = 0;
    bool called = !err;
    if (called) {
        switch (k) {
        case M_WAITALL: err = gmpi_waitall(c.r, n, hs, st_out); break;
        case M_TESTALL: err = gmpi_testall(c.r, n, hs, &flag, st_out); break;
        case M_WAITANY: err = gmpi_waitany(c.r, n, hs, &one, st_out); break;
        case M_TESTANY: err = gmpi_testany(c.r, n, hs, &one, &flag, st_out); break;
        case M_WAITSOME: err = gmpi_waitsome(c.r, n, hs, &count, idx, st_out); break;
        case M_TESTSOME: err = gmpi_testsome(c.r, n, hs, &count, idx, st_out); break;
        }
    }
    /* After the core ran, its results stand even with an error (a truncated receive completed):
     * the handles it freed and the statuses go back to the guest. */
    if (called && err != GMPI_ABORTED) {
        if (n > 0) memcpy(gw_host(&c, reqs), hs, (size_t)n * 4);
        int filled = k == M_WAITALL || k == M_TESTALL   ? (k == M_TESTALL && !flag ? 0 : n)
                     : k == M_WAITANY || k == M_TESTANY ? 1
                                                        : (count > 0 ? count : 0);
        if (st_addr && filled > 0) memcpy(gw_host(&c, st_addr), sts, (size_t)filled * sizeof *sts);
        switch (k) {
        case M_TESTALL: gw_put_i32(&c, out1, flag); break;
        case M_WAITANY: gw_put_i32(&c, out1, one); break;
        case M_TESTANY:
            gw_put_i32(&c, out1, one);
            gw_put_i32(&c, out2, flag);
            break;
        case M_WAITSOME:
        case M_TESTSOME:
            gw_put_i32(&c, out1, count);
            if (count > 0) memcpy(gw_host(&c, out2), idx, (size_t)count * 4);
            break;
        default: break;
        }
    }
    if (hs != hs_small) free(hs);
    if (idx != idx_small) free(idx);
    if (sts != sts_small) free(sts);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Waitall(rt_instance *in, void *d, rt_value *io) {
    multi(in, io, "MPI_Waitall", M_WAITALL);
}
static void w_MPI_Testall(rt_instance *in, void *d, rt_value *io) {
    multi(in, io, "MPI_Testall", M_TESTALL);
}
static void w_MPI_Waitany(rt_instance *in, void *d, rt_value *io) {
    multi(in, io, "MPI_Waitany", M_WAITANY);
}
static void w_MPI_Testany(rt_instance *in, void *d, rt_value *io) {
    multi(in, io, "MPI_Testany", M_TESTANY);
}
static void w_MPI_Waitsome(rt_instance *in, void *d, rt_value *io) {
    multi(in, io, "MPI_Waitsome", M_WAITSOME);
}
static void w_MPI_Testsome(rt_instance *in, void *d, rt_value *io) {
    multi(in, io, "MPI_Testsome", M_TESTSOME);
}

static void w_MPI_Request_free(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Request_free");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) {
        int h = gw_get_i32(&c, ADDR(0));
        err = gmpi_request_free(c.r, &h);
        if (!err) gw_put_i32(&c, ADDR(0), h);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Request_get_status(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Request_get_status");
    gmpi_status st = {0, 0, 0, 0, 0};
    int flag = 0;
    int err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = status_ok(&c, ADDR(2));
    if (!err) err = gmpi_request_get_status(c.r, ARG(0), &flag, &st);
    if (!err) {
        gw_put_i32(&c, ADDR(1), flag);
        if (flag) gw_put_status(&c, ADDR(2), &st);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Cancel(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cancel");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) {
        int h = gw_get_i32(&c, ADDR(0));
        err = gmpi_cancel(c.r, &h);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

/* Reads a guest status (must be present). */
static int status_in(gw_call *c, uint32_t addr, gmpi_status *st) {
    if (!gw_range(c, addr, sizeof *st) || addr == 0) return GMPI_ERR_ARG;
    memcpy(st, gw_host(c, addr), sizeof *st);
    return GMPI_SUCCESS;
}

static void w_MPI_Test_cancelled(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Test_cancelled");
    gmpi_status st = {0, 0, 0, 0, 0};
    int flag = 0;
    int err = status_in(&c, ADDR(0), &st);
    if (!err) err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = gmpi_test_cancelled(&st, &flag);
    if (!err) gw_put_i32(&c, ADDR(1), flag);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Get_count(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Get_count");
    gmpi_status st = {0, 0, 0, 0, 0};
    int n = 0;
    int err = status_in(&c, ADDR(0), &st);
    if (!err) err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gmpi_get_count(c.r, &st, ARG(1), &n);
    if (!err) gw_put_i32(&c, ADDR(2), n);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void get_elements(rt_instance *in, rt_value *io, const char *name, bool wide) {
    gw_call c;
    gw_begin(&c, in, io, name);
    gmpi_status st = {0, 0, 0, 0, 0};
    int64_t n = 0;
    int err = status_in(&c, ADDR(0), &st);
    if (!err) err = gw_check_out(&c, ADDR(2), wide ? 8 : 4);
    if (!err) err = gmpi_get_elements(c.r, &st, ARG(1), &n);
    if (!err) {
        if (wide)
            gw_put_i64(&c, ADDR(2), n);
        else
            gw_put_i32(&c, ADDR(2), n > 0x7fffffff ? GMPI_UNDEFINED : (int32_t)n);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Get_elements(rt_instance *in, void *d, rt_value *io) {
    get_elements(in, io, "MPI_Get_elements", false);
}
static void w_MPI_Get_elements_x(rt_instance *in, void *d, rt_value *io) {
    get_elements(in, io, "MPI_Get_elements_x", true);
}

static void w_MPI_Buffer_attach(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Buffer_attach");
    int err = ARG(1) < 0 || !gw_range(&c, ADDR(0), (uint64_t)(uint32_t)ARG(1)) ? GMPI_ERR_BUFFER
                                                                               : GMPI_SUCCESS;
    /* The core keeps the guest address as an opaque value: buffered sends copy into their own
     * envelopes, so the attached space is only handed back by MPI_Buffer_detach. */
    if (!err) err = gmpi_buffer_attach(c.r, (void *)(uintptr_t)ADDR(0), ARG(1));
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Buffer_detach(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Buffer_detach");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) err = gw_check_out(&c, ADDR(1), 4);
    void *buf = NULL;
    int size = 0;
    if (!err) err = gmpi_buffer_detach(c.r, &buf, &size);
    if (!err) {
        gw_put_i32(&c, ADDR(0), (int32_t)(uintptr_t)buf);
        gw_put_i32(&c, ADDR(1), size);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

const gw_fn gw_p2p_fns[] = {
    {"MPI_Send", "iiiiii:i", w_MPI_Send},
    {"MPI_Ssend", "iiiiii:i", w_MPI_Ssend},
    {"MPI_Rsend", "iiiiii:i", w_MPI_Rsend},
    {"MPI_Bsend", "iiiiii:i", w_MPI_Bsend},
    {"MPI_Recv", "iiiiiii:i", w_MPI_Recv},
    {"MPI_Isend", "iiiiiii:i", w_MPI_Isend},
    {"MPI_Issend", "iiiiiii:i", w_MPI_Issend},
    {"MPI_Irsend", "iiiiiii:i", w_MPI_Irsend},
    {"MPI_Ibsend", "iiiiiii:i", w_MPI_Ibsend},
    {"MPI_Irecv", "iiiiiii:i", w_MPI_Irecv},
    {"MPI_Send_init", "iiiiiii:i", w_MPI_Send_init},
    {"MPI_Ssend_init", "iiiiiii:i", w_MPI_Ssend_init},
    {"MPI_Rsend_init", "iiiiiii:i", w_MPI_Rsend_init},
    {"MPI_Bsend_init", "iiiiiii:i", w_MPI_Bsend_init},
    {"MPI_Recv_init", "iiiiiii:i", w_MPI_Recv_init},
    {"MPI_Start", "i:i", w_MPI_Start},
    {"MPI_Startall", "ii:i", w_MPI_Startall},
    {"MPI_Sendrecv", "iiiiiiiiiiii:i", w_MPI_Sendrecv},
    {"MPI_Sendrecv_replace", "iiiiiiiii:i", w_MPI_Sendrecv_replace},
    {"MPI_Probe", "iiii:i", w_MPI_Probe},
    {"MPI_Iprobe", "iiiii:i", w_MPI_Iprobe},
    {"MPI_Mprobe", "iiiii:i", w_MPI_Mprobe},
    {"MPI_Improbe", "iiiiii:i", w_MPI_Improbe},
    {"MPI_Mrecv", "iiiii:i", w_MPI_Mrecv},
    {"MPI_Wait", "ii:i", w_MPI_Wait},
    {"MPI_Test", "iii:i", w_MPI_Test},
    {"MPI_Waitall", "iii:i", w_MPI_Waitall},
    {"MPI_Testall", "iiii:i", w_MPI_Testall},
    {"MPI_Waitany", "iiii:i", w_MPI_Waitany},
    {"MPI_Testany", "iiiii:i", w_MPI_Testany},
    {"MPI_Waitsome", "iiiii:i", w_MPI_Waitsome},
    {"MPI_Testsome", "iiiii:i", w_MPI_Testsome},
    {"MPI_Request_free", "i:i", w_MPI_Request_free},
    {"MPI_Request_get_status", "iii:i", w_MPI_Request_get_status},
    {"MPI_Cancel", "i:i", w_MPI_Cancel},
    {"MPI_Test_cancelled", "ii:i", w_MPI_Test_cancelled},
    {"MPI_Get_count", "iii:i", w_MPI_Get_count},
    {"MPI_Get_elements", "iii:i", w_MPI_Get_elements},
    {"MPI_Get_elements_x", "iii:i", w_MPI_Get_elements_x},
    {"MPI_Buffer_attach", "ii:i", w_MPI_Buffer_attach},
    {"MPI_Buffer_detach", "ii:i", w_MPI_Buffer_detach},
    {NULL, NULL, NULL},
};

/*
 * gmpi_p2p.c — the point-to-point API: blocking and nonblocking sends (standard, synchronous,
 * buffered) and receives, persistent requests, Sendrecv(_replace), Probe/Iprobe, matched probes
 * (Mprobe/Improbe/Mrecv), and the internal sends and receives collectives are built from.
 *
 * Blocking calls use a request on the C stack and wait for it. If the world is aborted while such
 * a request is still in a queue of another rank, it is withdrawn first (or, when a peer is copying
 * it at that moment, waited for) so that no one can touch the stack frame after we return.
 * MPI_PROC_NULL as a peer completes at once with the status MPI defines (source MPI_PROC_NULL,
 * tag MPI_ANY_TAG, count 0).
 */
#include <assert.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_internal.h"

/* ---- Argument checks ---- */

static int get_comm(gmpi_rank *r, int comm, gmpi_comm **c) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    *c = gmpi_comm_get(r, comm);
    return *c ? GMPI_SUCCESS : GMPI_ERR_COMM;
}

static int check_dest(const gmpi_comm *c, int dest) {
    if (dest == GMPI_PROC_NULL) return GMPI_SUCCESS;
    return dest >= 0 && dest < c->size ? GMPI_SUCCESS : GMPI_ERR_RANK;
}

static int check_source(const gmpi_comm *c, int src) {
    if (src == GMPI_ANY_SOURCE || src == GMPI_PROC_NULL) return GMPI_SUCCESS;
    return src >= 0 && src < c->size ? GMPI_SUCCESS : GMPI_ERR_RANK;
}

static int check_send_tag(int tag) {
    return tag >= 0 ? GMPI_SUCCESS : GMPI_ERR_TAG;
}
static int check_recv_tag(int tag) {
    return tag >= 0 || tag == GMPI_ANY_TAG ? GMPI_SUCCESS : GMPI_ERR_TAG;
}

static void req_fill(gmpi_req *q, gmpi_comm *c, int comm, const void *buf, int64_t count,
                     gmpi_type *t, int peer, int tag, uint64_t ctx) {
    q->buf = (void *)(uintptr_t)buf;
    q->count = count;
    q->type = t;
    q->peer = peer;
    q->tag = tag;
    q->comm = comm;
    q->ctx = ctx;
    q->my_rank = c->rank;
}

static bool is_done(gmpi_req *q) {
    return atomic_load_explicit(&q->done, memory_order_acquire);
}

/* Waits for a request; when the world aborts, withdraws it from the peer's queues first. */
static int wait_or_withdraw(gmpi_rank *r, gmpi_req *q) {
    int err = gmpi_wait_req(r, q);
    if (err == GMPI_ABORTED && !is_done(q) && !gmpi_cancel_req(r, q))
        while (!is_done(q)) /* a peer is copying right now: it finishes without waiting */
            sched_yield();
    if (q->helping) gmpi_help_forget(r, q); /* a request on the stack: about to go */
    return err;
}

static void stack_req(gmpi_req *q, gmpi_rank *r, gmpi_req_kind kind) {
    gmpi_req_init(q, r, kind);
}

/* ---- Sends ---- */

typedef enum send_mode { MODE_STANDARD, MODE_SYNC, MODE_BUFFERED } send_mode;

static int send_blocking(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag,
                         int comm, send_mode mode) {
    gmpi_comm *c;
    gmpi_type *t;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, buf, count, type, &t)) ||
        (err = check_dest(c, dest)) || (err = check_send_tag(tag)))
        return err;
    gmpi_req_reap_detached(r);
    if (dest == GMPI_PROC_NULL) return GMPI_SUCCESS;
    if (mode != MODE_SYNC && gmpi_send_inline(r, c, buf, count, t, dest, tag)) return GMPI_SUCCESS;
    gmpi_req s;
    stack_req(&s, r, GMPI_REQ_SEND);
    req_fill(&s, c, comm, buf, count, t, dest, tag, c->ctx);
    s.sync = mode == MODE_SYNC;
    s.buffered = mode == MODE_BUFFERED;
    if ((err = gmpi_send_start(r, c, &s, dest))) return err;
    return wait_or_withdraw(r, &s);
}

int gmpi_send(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm) {
    return send_blocking(r, buf, count, type, dest, tag, comm, MODE_STANDARD);
}

int gmpi_ssend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm) {
    return send_blocking(r, buf, count, type, dest, tag, comm, MODE_SYNC);
}

int gmpi_bsend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm) {
    return send_blocking(r, buf, count, type, dest, tag, comm, MODE_BUFFERED);
}

/* Creates a request in the handle table. */
static int new_req(gmpi_rank *r, gmpi_req_kind kind, gmpi_req **out, int *h) {
    gmpi_req *q = gmpi_req_new(r, kind);
    if (!q) return GMPI_ERR_NO_MEM;
    int handle = gmpi_table_add(&r->reqs, q);
    if (handle < 0) {
        gmpi_req_free(r, q);
        return GMPI_ERR_NO_MEM;
    }
    *out = q;
    *h = handle;
    return GMPI_SUCCESS;
}

static int isend_common(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag,
                        int comm, int *h, send_mode mode, bool persistent) {
    gmpi_comm *c;
    gmpi_type *t;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, buf, count, type, &t)) ||
        (err = check_dest(c, dest)) || (err = check_send_tag(tag)))
        return err;
    gmpi_req_reap_detached(r);
    if (!persistent && dest != GMPI_PROC_NULL && mode != MODE_SYNC &&
        ((int64_t)count * t->size <= (int64_t)r->world->eager_limit || mode == MODE_BUFFERED)) {
        /* eager: the send is complete once started and nothing keeps its request, so a request
         * on the stack does (none at all when it goes straight into the ring), and the caller
         * gets the shared handle of completed sends */
        *h = GMPI_REQ_SENT;
        if (gmpi_send_inline(r, c, buf, count, t, dest, tag)) return GMPI_SUCCESS;
        gmpi_req s;
        stack_req(&s, r, GMPI_REQ_SEND);
        req_fill(&s, c, comm, buf, count, t, dest, tag, c->ctx);
        s.buffered = mode == MODE_BUFFERED;
        if ((err = gmpi_send_start(r, c, &s, dest))) {
            *h = GMPI_REQUEST_NULL;
            return err;
        }
        assert(atomic_load(&s.done) && !s.env);
        return GMPI_SUCCESS;
    }
    gmpi_req *q;
    if ((err = new_req(r, GMPI_REQ_SEND, &q, h))) return err;
    gmpi_type_retain(t);
    req_fill(q, c, comm, buf, count, t, dest, tag, c->ctx);
    q->sync = mode == MODE_SYNC;
    q->buffered = mode == MODE_BUFFERED;
    q->persistent = persistent;
    if (persistent) return GMPI_SUCCESS;
    if (dest == GMPI_PROC_NULL) {
        gmpi_req_complete_proc_null(q);
        return GMPI_SUCCESS;
    }
    err = gmpi_send_start(r, c, q, dest);
    if (err) {
        gmpi_table_del(&r->reqs, *h);
        gmpi_req_free(r, q);
        *h = GMPI_REQUEST_NULL;
    }
    return err;
}

int gmpi_isend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
               int *req) {
    return isend_common(r, buf, count, type, dest, tag, comm, req, MODE_STANDARD, false);
}

int gmpi_issend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                int *req) {
    return isend_common(r, buf, count, type, dest, tag, comm, req, MODE_SYNC, false);
}

int gmpi_ibsend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                int *req) {
    return isend_common(r, buf, count, type, dest, tag, comm, req, MODE_BUFFERED, false);
}

int gmpi_bsend_init(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                    int *req) {
    return isend_common(r, buf, count, type, dest, tag, comm, req, MODE_BUFFERED, true);
}

int gmpi_send_init(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                   int *req) {
    return isend_common(r, buf, count, type, dest, tag, comm, req, MODE_STANDARD, true);
}

int gmpi_ssend_init(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                    int *req) {
    return isend_common(r, buf, count, type, dest, tag, comm, req, MODE_SYNC, true);
}

/* ---- Receives ---- */

static int irecv_common(gmpi_rank *r, void *buf, int count, int type, int source, int tag, int comm,
                        int *h, bool persistent) {
    gmpi_comm *c;
    gmpi_type *t;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, buf, count, type, &t)) ||
        (err = check_source(c, source)) || (err = check_recv_tag(tag)))
        return err;
    gmpi_req_reap_detached(r);
    gmpi_req *q;
    if ((err = new_req(r, GMPI_REQ_RECV, &q, h))) return err;
    gmpi_type_retain(t);
    req_fill(q, c, comm, buf, count, t, source, tag, c->ctx);
    q->persistent = persistent;
    if (persistent) return GMPI_SUCCESS;
    if (source == GMPI_PROC_NULL)
        gmpi_req_complete_proc_null(q);
    else
        gmpi_recv_start(r, q);
    return GMPI_SUCCESS;
}

int gmpi_irecv(gmpi_rank *r, void *buf, int count, int type, int source, int tag, int comm,
               int *req) {
    return irecv_common(r, buf, count, type, source, tag, comm, req, false);
}

int gmpi_recv_init(gmpi_rank *r, void *buf, int count, int type, int source, int tag, int comm,
                   int *req) {
    return irecv_common(r, buf, count, type, source, tag, comm, req, true);
}

int gmpi_recv(gmpi_rank *r, void *buf, int count, int type, int source, int tag, int comm,
              gmpi_status *status) {
    gmpi_comm *c;
    gmpi_type *t;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, buf, count, type, &t)) ||
        (err = check_source(c, source)) || (err = check_recv_tag(tag)))
        return err;
    gmpi_req_reap_detached(r);
    gmpi_req q;
    stack_req(&q, r, GMPI_REQ_RECV);
    req_fill(&q, c, comm, buf, count, t, source, tag, c->ctx);
    if (source == GMPI_PROC_NULL)
        gmpi_req_complete_proc_null(&q);
    else
        gmpi_recv_start(r, &q);
    if ((err = wait_or_withdraw(r, &q))) return err;
    if (status) *status = q.status;
    return q.status.error;
}

int gmpi_start(gmpi_rank *r, int *h) {
    gmpi_req *q = gmpi_table_get(&r->reqs, *h);
    if (!q || !q->persistent) return GMPI_ERR_REQUEST;
    if (q->active) return GMPI_ERR_REQUEST; /* started twice without completion */
    gmpi_comm *c;
    int err;
    if ((err = get_comm(r, q->comm, &c))) return err;
    atomic_store(&q->done, 0);
    q->cancelled = false;
    memset(&q->status, 0, sizeof q->status);
    q->active = true;
    if (q->peer == GMPI_PROC_NULL) {
        gmpi_req_complete_proc_null(q);
        return GMPI_SUCCESS;
    }
    if (q->kind == GMPI_REQ_SEND) {
        err = gmpi_send_start(r, c, q, q->peer);
        if (err) q->active = false;
        return err;
    }
    gmpi_recv_start(r, q);
    return GMPI_SUCCESS;
}

int gmpi_sendrecv(gmpi_rank *r, const void *sbuf, int scount, int stype, int dest, int stag,
                  void *rbuf, int rcount, int rtype, int source, int rtag, int comm,
                  gmpi_status *status) {
    gmpi_comm *c;
    gmpi_type *st, *rt;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = gmpi_check_buffer(r, sbuf, scount, stype, &st)) ||
        (err = gmpi_check_buffer(r, rbuf, rcount, rtype, &rt)) || (err = check_dest(c, dest)) ||
        (err = check_send_tag(stag)) || (err = check_source(c, source)) ||
        (err = check_recv_tag(rtag)))
        return err;
    gmpi_req_reap_detached(r);
    gmpi_req s, q;
    stack_req(&s, r, GMPI_REQ_SEND);
    stack_req(&q, r, GMPI_REQ_RECV);
    req_fill(&s, c, comm, sbuf, scount, st, dest, stag, c->ctx);
    req_fill(&q, c, comm, rbuf, rcount, rt, source, rtag, c->ctx);
    if (source == GMPI_PROC_NULL)
        gmpi_req_complete_proc_null(&q);
    else
        gmpi_recv_start(r, &q);
    if (dest == GMPI_PROC_NULL)
        atomic_store(&s.done, 1);
    else if ((err = gmpi_send_start(r, c, &s, dest))) {
        wait_or_withdraw(r, &q);
        return err;
    }
    int e1 = wait_or_withdraw(r, &q);
    int e2 = wait_or_withdraw(r, &s);
    if (e1 == GMPI_ABORTED || e2 == GMPI_ABORTED) return GMPI_ABORTED;
    if (status) *status = q.status;
    return q.status.error;
}

int gmpi_sendrecv_replace(gmpi_rank *r, void *buf, int count, int type, int dest, int stag,
                          int source, int rtag, int comm, gmpi_status *status) {
    gmpi_type *t;
    int err = gmpi_check_buffer(r, buf, count, type, &t);
    if (err) return err;
    int64_t bytes = (int64_t)count * t->size;
    uint8_t *tmp = malloc((size_t)bytes + 1);
    if (!tmp) return GMPI_ERR_NO_MEM;
    gmpi_type_pack(buf, count, t, tmp, 0, bytes);
    if (bytes > 0x7fffffff) {
        free(tmp);
        return GMPI_ERR_COUNT;
    }
    err = gmpi_sendrecv(r, tmp, (int)bytes, GMPI_BYTE, dest, stag, buf, count, type, source, rtag,
                        comm, status);
    free(tmp);
    return err;
}

/* ---- Probes ---- */

typedef struct probe_arg {
    gmpi_rank *r;
    uint64_t ctx;
    int src, tag;
    bool take;
    gmpi_status *st;
    gmpi_msg *found;
} probe_arg;

static bool probe_cond(void *arg) {
    probe_arg *p = arg;
    p->found = gmpi_probe_box(p->r, p->ctx, p->src, p->tag, p->take, p->st);
    return p->found != NULL;
}

static void status_proc_null(gmpi_status *st) {
    if (!st) return;
    st->source = GMPI_PROC_NULL;
    st->tag = GMPI_ANY_TAG;
    st->error = GMPI_SUCCESS;
    st->count_lo = st->count_hi_and_cancelled = 0;
}

static int probe_common(gmpi_rank *r, int source, int tag, int comm, bool block, bool take,
                        int *flag, gmpi_msg **msg, gmpi_status *status) {
    gmpi_comm *c;
    int err;
    if ((err = get_comm(r, comm, &c)) || (err = check_source(c, source)) ||
        (err = check_recv_tag(tag)))
        return err;
    gmpi_req_reap_detached(r);
    *msg = NULL;
    if (source == GMPI_PROC_NULL) {
        status_proc_null(status);
        if (flag) *flag = 1;
        return GMPI_SUCCESS;
    }
    gmpi_status tmp;
    probe_arg p = {r, c->ctx, source, tag, take, status ? status : &tmp, NULL};
    if (block) {
        if ((err = gmpi_wait_cond(r, probe_cond, &p))) return err;
    } else {
        probe_cond(&p);
        if (!p.found && atomic_load(&r->world->aborted)) return GMPI_ABORTED;
    }
    if (flag) *flag = p.found != NULL;
    *msg = p.found;
    return GMPI_SUCCESS;
}

int gmpi_probe(gmpi_rank *r, int source, int tag, int comm, gmpi_status *status) {
    gmpi_msg *m;
    return probe_common(r, source, tag, comm, true, false, NULL, &m, status);
}

int gmpi_iprobe(gmpi_rank *r, int source, int tag, int comm, int *flag, gmpi_status *status) {
    gmpi_msg *m;
    return probe_common(r, source, tag, comm, false, false, flag, &m, status);
}

static int message_handle(gmpi_rank *r, int source, gmpi_msg *m, int *msg) {
    if (source == GMPI_PROC_NULL) {
        *msg = GMPI_MESSAGE_NO_PROC;
        return GMPI_SUCCESS;
    }
    int h = gmpi_table_add(&r->msgs, m);
    if (h < 0) return GMPI_ERR_NO_MEM;
    *msg = h;
    return GMPI_SUCCESS;
}

int gmpi_mprobe(gmpi_rank *r, int source, int tag, int comm, int *msg, gmpi_status *status) {
    gmpi_msg *m;
    int err = probe_common(r, source, tag, comm, true, true, NULL, &m, status);
    if (err) return err;
    return message_handle(r, source, m, msg);
}

int gmpi_improbe(gmpi_rank *r, int source, int tag, int comm, int *flag, int *msg,
                 gmpi_status *status) {
    gmpi_msg *m;
    int err = probe_common(r, source, tag, comm, false, true, flag, &m, status);
    if (err) return err;
    if (!*flag) {
        *msg = GMPI_MESSAGE_NULL;
        return GMPI_SUCCESS;
    }
    return message_handle(r, source, m, msg);
}

int gmpi_mrecv(gmpi_rank *r, void *buf, int count, int type, int *msg, gmpi_status *status) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    gmpi_type *t;
    int err = gmpi_check_buffer(r, buf, count, type, &t);
    if (err) return err;
    if (*msg == GMPI_MESSAGE_NO_PROC) {
        status_proc_null(status);
        *msg = GMPI_MESSAGE_NULL;
        return GMPI_SUCCESS;
    }
    gmpi_msg *m = *msg >= 2 ? gmpi_table_get(&r->msgs, *msg) : NULL;
    if (!m) return GMPI_ERR_REQUEST;
    gmpi_table_del(&r->msgs, *msg);
    *msg = GMPI_MESSAGE_NULL;
    gmpi_req q;
    stack_req(&q, r, GMPI_REQ_RECV);
    q.buf = buf;
    q.count = count;
    q.type = t;
    gmpi_recv_msg(r, &q, m);
    if (status) *status = q.status;
    return q.status.error;
}

int gmpi_buffer_attach(gmpi_rank *r, void *buf, int size) {
    if (size < 0) return GMPI_ERR_ARG;
    if (r->bsend_buf) return GMPI_ERR_BUFFER;
    r->bsend_buf = buf;
    r->bsend_size = size;
    return GMPI_SUCCESS;
}

int gmpi_buffer_detach(gmpi_rank *r, void **buf, int *size) {
    *buf = r->bsend_buf;
    *size = r->bsend_size;
    r->bsend_buf = NULL;
    r->bsend_size = 0;
    return GMPI_SUCCESS;
}

/* ---- Internal messages of collectives (context ctx + 1) ---- */

gmpi_req *gmpi_cisend(gmpi_rank *r, gmpi_comm *c, const void *buf, int64_t count, gmpi_type *t,
                      int dest, int tag) {
    gmpi_req *q = gmpi_req_new(r, GMPI_REQ_SEND);
    if (!q) return NULL;
    q->internal = true;
    gmpi_type_retain(t);
    req_fill(q, c, GMPI_COMM_NULL, buf, count, t, dest, tag, c->ctx + 1);
    if (gmpi_send_start(r, c, q, dest)) {
        gmpi_req_free(r, q);
        return NULL;
    }
    return q;
}

gmpi_req *gmpi_cirecv(gmpi_rank *r, gmpi_comm *c, void *buf, int64_t count, gmpi_type *t, int src,
                      int tag) {
    gmpi_req *q = gmpi_req_new(r, GMPI_REQ_RECV);
    if (!q) return NULL;
    q->internal = true;
    gmpi_type_retain(t);
    req_fill(q, c, GMPI_COMM_NULL, buf, count, t, src, tag, c->ctx + 1);
    gmpi_recv_start(r, q);
    return q;
}

int gmpi_cwaitall(gmpi_rank *r, int n, gmpi_req **qs) {
    int err = GMPI_SUCCESS;
    for (int i = 0; i < n; i++) {
        if (!qs[i]) {
            if (!err) err = GMPI_ERR_NO_MEM;
            continue;
        }
        int e = err == GMPI_ABORTED ? GMPI_ABORTED : gmpi_wait_req(r, qs[i]);
        if (e == GMPI_ABORTED) {
            if (!is_done(qs[i]) && !gmpi_cancel_req(r, qs[i]))
                while (!is_done(qs[i]))
                    sched_yield();
            err = GMPI_ABORTED;
        } else if (!e && qs[i]->kind == GMPI_REQ_RECV && qs[i]->status.error && !err) {
            err = qs[i]->status.error;
        }
        gmpi_req_free(r, qs[i]);
        qs[i] = NULL;
    }
    return err;
}

int gmpi_csend(gmpi_rank *r, gmpi_comm *c, const void *buf, int64_t count, gmpi_type *t, int dest,
               int tag) {
    gmpi_req *q = gmpi_cisend(r, c, buf, count, t, dest, tag);
    return gmpi_cwaitall(r, 1, &q);
}

int gmpi_crecv(gmpi_rank *r, gmpi_comm *c, void *buf, int64_t count, gmpi_type *t, int src,
               int tag) {
    gmpi_req *q = gmpi_cirecv(r, c, buf, count, t, src, tag);
    return gmpi_cwaitall(r, 1, &q);
}

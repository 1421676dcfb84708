/*
 * gmpi_match.c — the message engine: envelope matching and the transfer protocols between ranks
 * of this worker.
 *
 * Every rank has a mailbox with two FIFO queues under one lock: arrived messages nobody asked for
 * yet (unexpected) and receives nobody has sent to yet (posted). A sender locks the destination's
 * mailbox and looks for the first posted receive that matches (context, source, tag); a receiver
 * locks its own mailbox and looks for the first arrived message that matches. Whoever finds the
 * match does the copy, outside the lock, straight from the sender's buffer into the receiver's:
 *
 *   posted receive found by the sender  -> the sender copies into the receive buffer (one copy)
 *   no receive, message <= eager limit  -> the sender packs it into the envelope and is done
 *                                          (the receiver unpacks it later: the only two-copy case)
 *   no receive, larger or synchronous   -> rendezvous: the envelope points at the send request;
 *                                          the receiver copies from the sender's buffer (one copy)
 *                                          and then completes the send
 *
 * Non-overtaking order per (source, tag, communicator) follows from FIFO queues: a sender appends
 * its messages to a destination's queue in program order, and matching always takes the first
 * match. MPI_ANY_SOURCE and MPI_ANY_TAG are wildcards in the receive's envelope only.
 *
 * Transport: the destination of a message is a logical (world, rank). Ranks of this process are
 * reached through their mailbox; the placement table says which worker hosts a rank, and a
 * remote transport (the distributed issue) will carry envelopes and rendezvous reads to ranks
 * whose object is not in this process.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_internal.h"

static bool envelope_matches(uint64_t ctx, int src, int tag, uint64_t want_ctx, int want_src,
                             int want_tag) {
    return ctx == want_ctx && (want_src == GMPI_ANY_SOURCE || want_src == src) &&
           (want_tag == GMPI_ANY_TAG || want_tag == tag);
}

static bool user_context(uint64_t ctx) {
    return (ctx & 1) == 0;
}

/* Completes a request on behalf of its owner: fields first, then the release store of `done`,
 * then the doorbell. The request may be freed by its owner as soon as `done` is visible. */
static void complete(gmpi_req *q) {
    gmpi_rank *owner = q->owner;
    atomic_store_explicit(&q->done, 1, memory_order_release);
    gmpi_ring(owner);
}

void gmpi_req_complete(gmpi_req *q) {
    complete(q);
}

static void set_recv_status(gmpi_req *q, int src, int tag, int64_t bytes, int err) {
    q->status.source = src;
    q->status.tag = tag;
    q->status.error = err;
    gmpi_status_set_bytes(&q->status, bytes);
}

/* Bytes a receive can hold. */
static int64_t recv_capacity(const gmpi_req *q) {
    return q->count * q->type->size;
}

/* Copies a send (its own buffer) into a matched receive and fills the receive's status. */
static void deliver_from_sender(gmpi_req *s, gmpi_req *q) {
    int64_t cap = recv_capacity(q);
    int64_t n = s->bytes <= cap ? s->bytes : cap;
    gmpi_type_copy(s->buf, s->count, s->type, q->buf, q->count, q->type, n);
    set_recv_status(q, s->my_rank, s->tag, n, s->bytes > cap ? GMPI_ERR_TRUNCATE : GMPI_SUCCESS);
}

static void box_remove_posted(gmpi_box *b, gmpi_req *prev, gmpi_req *q) {
    if (prev)
        prev->next = q->next;
    else
        b->pq_head = q->next;
    if (b->pq_tail == q) b->pq_tail = prev;
    q->next = NULL;
}

static void box_remove_msg(gmpi_box *b, gmpi_msg *prev, gmpi_msg *m) {
    if (prev)
        prev->next = m->next;
    else
        b->uq_head = m->next;
    if (b->uq_tail == m) b->uq_tail = prev;
    m->next = NULL;
}

static void box_append_msg(gmpi_box *b, gmpi_msg *m) {
    m->next = NULL;
    if (b->uq_tail)
        b->uq_tail->next = m;
    else
        b->uq_head = m;
    b->uq_tail = m;
}

static gmpi_rank *route(gmpi_rank *r, gmpi_comm *c, int dest) {
    int w = c->world[dest];
    return r->world->ranks[w];
}

int gmpi_send_start(gmpi_rank *r, gmpi_comm *c, gmpi_req *s, int dest) {
    assert(s->kind == GMPI_REQ_SEND);
    gmpi_rank *d = route(r, c, dest);
    if (!d) return GMPI_ERR_INTERN; /* the rank lives on another worker: no remote transport yet */
    gmpi_world *w = r->world;
    s->bytes = s->count * s->type->size;
    s->dest = d;
    gmpi_box *b = &d->box;

    pthread_mutex_lock(&b->lock);
    gmpi_req *prev = NULL;
    for (gmpi_req *q = b->pq_head; q; prev = q, q = q->next) {
        if (!envelope_matches(s->ctx, s->my_rank, s->tag, q->ctx, q->peer, q->tag)) continue;
        box_remove_posted(b, prev, q);
        pthread_mutex_unlock(&b->lock);
        deliver_from_sender(s, q);
        complete(q);
        atomic_store_explicit(&s->done, 1, memory_order_release);
        return GMPI_SUCCESS;
    }
    bool eager = (s->bytes <= (int64_t)w->eager_limit && !s->sync) || s->buffered;
    gmpi_msg *m = malloc(sizeof *m + (eager ? (size_t)s->bytes : 0));
    if (!m) {
        pthread_mutex_unlock(&b->lock);
        return GMPI_ERR_NO_MEM;
    }
    m->ctx = s->ctx;
    m->src = s->my_rank;
    m->tag = s->tag;
    m->bytes = s->bytes;
    m->sreq = eager ? NULL : s;
    if (eager) gmpi_type_pack(s->buf, s->count, s->type, m->data, 0, s->bytes);
    box_append_msg(b, m);
    if (user_context(s->ctx)) atomic_fetch_add(&w->in_flight, 1);
    pthread_mutex_unlock(&b->lock);
    gmpi_ring(d); /* it may be waiting in a probe */
    if (eager) atomic_store_explicit(&s->done, 1, memory_order_release);
    return GMPI_SUCCESS;
}

void gmpi_recv_msg(gmpi_rank *r, gmpi_req *q, gmpi_msg *m) {
    (void)r;
    int64_t cap = recv_capacity(q);
    int64_t n = m->bytes <= cap ? m->bytes : cap;
    int err = m->bytes > cap ? GMPI_ERR_TRUNCATE : GMPI_SUCCESS;
    if (m->sreq) {
        gmpi_req *s = m->sreq;
        gmpi_type_copy(s->buf, s->count, s->type, q->buf, q->count, q->type, n);
        set_recv_status(q, m->src, m->tag, n, err);
        complete(s); /* the sender may free its request and buffer from here on */
    } else {
        gmpi_type_unpack(m->data, q->buf, q->count, q->type, 0, n);
        set_recv_status(q, m->src, m->tag, n, err);
    }
    free(m);
    atomic_store_explicit(&q->done, 1, memory_order_release);
}

void gmpi_recv_start(gmpi_rank *r, gmpi_req *q) {
    assert(q->kind == GMPI_REQ_RECV);
    gmpi_box *b = &r->box;
    pthread_mutex_lock(&b->lock);
    gmpi_msg *prev = NULL;
    for (gmpi_msg *m = b->uq_head; m; prev = m, m = m->next) {
        if (!envelope_matches(m->ctx, m->src, m->tag, q->ctx, q->peer, q->tag)) continue;
        box_remove_msg(b, prev, m);
        if (user_context(m->ctx)) atomic_fetch_sub(&r->world->in_flight, 1);
        pthread_mutex_unlock(&b->lock);
        gmpi_recv_msg(r, q, m);
        return;
    }
    q->next = NULL;
    if (b->pq_tail)
        b->pq_tail->next = q;
    else
        b->pq_head = q;
    b->pq_tail = q;
    pthread_mutex_unlock(&b->lock);
}

gmpi_msg *gmpi_probe_box(gmpi_rank *r, uint64_t ctx, int src, int tag, bool take, gmpi_status *st) {
    gmpi_box *b = &r->box;
    pthread_mutex_lock(&b->lock);
    gmpi_msg *prev = NULL, *m;
    for (m = b->uq_head; m; prev = m, m = m->next)
        if (envelope_matches(m->ctx, m->src, m->tag, ctx, src, tag)) break;
    if (m) {
        if (st) {
            st->source = m->src;
            st->tag = m->tag;
            st->error = GMPI_SUCCESS;
            gmpi_status_set_bytes(st, m->bytes);
        }
        if (take) {
            box_remove_msg(b, prev, m);
            if (user_context(m->ctx)) atomic_fetch_sub(&r->world->in_flight, 1);
        }
    }
    pthread_mutex_unlock(&b->lock);
    return m;
}

bool gmpi_cancel_req(gmpi_rank *r, gmpi_req *q) {
    if (q->kind == GMPI_REQ_RECV) {
        gmpi_box *b = &r->box;
        bool found = false;
        pthread_mutex_lock(&b->lock);
        gmpi_req *prev = NULL;
        for (gmpi_req *p = b->pq_head; p; prev = p, p = p->next)
            if (p == q) {
                box_remove_posted(b, prev, q);
                found = true;
                break;
            }
        pthread_mutex_unlock(&b->lock);
        if (found) {
            q->cancelled = true;
            set_recv_status(q, q->peer, q->tag, 0, GMPI_SUCCESS);
            q->status.count_hi_and_cancelled |= 1;
            atomic_store_explicit(&q->done, 1, memory_order_release);
        }
        return found;
    }
    /* A send can be cancelled while its rendezvous envelope is still unmatched. */
    if (atomic_load(&q->done) || !q->dest) return false;
    gmpi_box *b = &q->dest->box;
    bool found = false;
    pthread_mutex_lock(&b->lock);
    gmpi_msg *prev = NULL;
    for (gmpi_msg *m = b->uq_head; m; prev = m, m = m->next)
        if (m->sreq == q) {
            box_remove_msg(b, prev, m);
            if (user_context(m->ctx)) atomic_fetch_sub(&r->world->in_flight, 1);
            free(m);
            found = true;
            break;
        }
    pthread_mutex_unlock(&b->lock);
    if (found) {
        q->cancelled = true;
        q->status.count_hi_and_cancelled |= 1;
        atomic_store_explicit(&q->done, 1, memory_order_release);
    }
    return found;
}

void gmpi_req_complete_proc_null(gmpi_req *q) {
    set_recv_status(q, GMPI_PROC_NULL, GMPI_ANY_TAG, 0, GMPI_SUCCESS);
    atomic_store_explicit(&q->done, 1, memory_order_release);
}

/*
 * gmpi_match.c — the message engine: rings between ranks, matching, and the transfer protocols
 * between ranks of this worker.
 *
 * Every (sender, receiver) pair that talks gets a ring of 32-byte cells (gmpi_ring_cells), a
 * single-producer single-consumer queue where the head cell of each message carries its own
 * sequence number, so the receiver polls the cell being handed over and nothing else; it gives
 * cells back in batches through one counter the sender reads only when it believes the ring full.
 * A message of up to 8 bytes takes one cell — half a cache line, so two tiny messages move
 * between the cores as one line, as in shared-memory MPIs' fast boxes. The sender makes the ring
 * at its first message to that rank and pushes it onto the receiver's list of incoming rings.
 *
 * The receiving rank drains its rings whenever it waits or tests (gmpi_progress) and matches each
 * message against its own posted receives, or keeps it in its own unexpected list. Neither list is
 * shared: no locks anywhere. Starting a receive does not drain (see gmpi_recv_start).
 *
 *   small (<= 4096 bytes)       the payload is inline: after the head cell's 24-byte header,
 *                               continuing over as many following cells as it needs, taken whole,
 *                               so it is one run of memory (two at the ring's end); done at once
 *   eager (<= eager limit)      the payload travels in an envelope the cell points to
 *   rendezvous (larger, Ssend)  the envelope points at the send request; the receiver claims it,
 *                               copies straight from the sender's buffer into its own (the one
 *                               copy between linear memories) and completes the send
 *
 * A full ring does not block a send (an MPI_Isend must return): the message waits, packed into an
 * envelope, in the sender's pending list, and the sender's next progress pushes it; a destination
 * with pending messages gets every later one through that list too, so order is kept.
 *
 * Non-overtaking order per (source, tag, communicator): one ring per sender and receiver, FIFO,
 * and matching takes the first match, in posting order on one side and arrival order on the
 * other. MPI_ANY_SOURCE and MPI_ANY_TAG are wildcards of the receive only.
 *
 * Claiming: a rendezvous envelope is claimed by the receiver (PENDING -> CLAIMED) before it reads
 * the sender's buffer; a sender that gives up its send (MPI_Cancel, an aborted world) withdraws it
 * (PENDING -> WITHDRAWN) and may then return; the receiver frees a withdrawn envelope when it finds
 * it. Unexpected small messages are copied into envelopes of the receiver's own pool.
 *
 * Transport: the destination of a message is a logical (world, rank). Ranks of this process are
 * reached through rings; the placement table says which worker hosts a rank, and a remote
 * transport (the distributed issue) will carry messages to ranks whose object is not in this
 * process.
 */
#include <assert.h>
#include <sched.h>
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

/* The owner's own counters: plain increments, readable by others at a control point. */
static void count(atomic_long *c) {
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
                          memory_order_relaxed);
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

/* Cells a message takes inline: its header, then the payload over whole cells. */
static unsigned cells_of(int64_t bytes) {
    return (unsigned)((GMPI_CELL_HEADER + bytes + GMPI_CELL_SIZE - 1) / GMPI_CELL_SIZE);
}

/* Cells the message whose head cell is c takes. */
static unsigned span_at(const gmpi_cell *c) {
    return c->bytes == GMPI_CELL_ENV ? 1u : cells_of(c->bytes);
}

/* The cell of index i; mask is the ring size - 1 (each side reads its own copy). */
static gmpi_cell *cell_at(gmpi_chan *g, unsigned mask, unsigned i) {
    return &g->cells[i & mask];
}

/* The payload of an inline message whose head cell is at index h, as at most two runs of ring
 * memory: [*a, *a + *alen) then [ring start, + bytes - *alen). */
static uint8_t *inline_run(gmpi_chan *g, unsigned mask, unsigned h, int64_t bytes, int64_t *alen) {
    gmpi_cell *head = cell_at(g, mask, h);
    uint8_t *end = (uint8_t *)&g->cells[mask + 1];
    int64_t room = end - head->u.data;
    *alen = bytes < room ? bytes : room;
    return head->u.data;
}

/* ---- Envelopes ---- */

/* An envelope for `payload` bytes. Small ones come from r's pool (r must be the thread that will
 * also free it: the receiver, for unexpected messages); others are malloc'ed. */
static gmpi_msg *env_alloc(gmpi_rank *r, int64_t payload, bool pooled) {
    gmpi_box *b = &r->box;
    gmpi_msg *m;
    if (pooled && payload <= GMPI_POOL_PAYLOAD) {
        if ((m = b->pool)) {
            b->pool = m->lnext;
            b->npool--;
            return m;
        }
        m = malloc(sizeof *m + GMPI_POOL_PAYLOAD);
        if (!m) return NULL;
        m->home = r;
        m->cap = GMPI_POOL_PAYLOAD;
        return m;
    }
    m = malloc(sizeof *m + (size_t)(payload > 0 ? payload : 0));
    if (!m) return NULL;
    m->home = NULL;
    m->cap = (uint32_t)(payload > 0 ? payload : 0);
    return m;
}

void gmpi_msg_release(gmpi_rank *r, gmpi_msg *m) {
    gmpi_box *b = &r->box;
    if (m->home == r && b->npool < GMPI_POOL_MAX) {
        m->lnext = b->pool;
        b->pool = m;
        b->npool++;
        return;
    }
    free(m);
}

/* ---- Set-up and tear-down ---- */

bool gmpi_box_init(gmpi_rank *r) {
    gmpi_box *b = &r->box;
    int n = r->world->size;
    b->out = calloc((size_t)n, sizeof *b->out);
    b->pend_count = calloc((size_t)n, sizeof *b->pend_count);
    b->blocked = calloc((size_t)n, 1);
    atomic_init(&b->rings, NULL);
    return b->out && b->pend_count && b->blocked;
}

void gmpi_box_destroy(gmpi_rank *r) {
    gmpi_box *b = &r->box;
    /* at the end of a world nothing sends any more: free whatever is left, wherever it is */
    for (gmpi_chan *g = atomic_load(&b->rings), *next; g; g = next) {
        next = g->next_in;
        for (unsigned h = g->head;;) { /* the messages still in the ring */
            gmpi_cell *c = cell_at(g, g->cmask, h);
            if (atomic_load(&c->seq) != h + 1) break;
            if (c->bytes == GMPI_CELL_ENV) free(c->u.env);
            h += span_at(c);
        }
        free(g);
    }
    for (gmpi_msg *m = b->uq_head, *n; m; m = n) {
        n = m->lnext;
        free(m);
    }
    for (gmpi_msg *m = b->pend_head, *n; m; m = n) {
        n = m->lnext;
        free(m);
    }
    for (gmpi_msg *m = b->pool, *n; m; m = n) {
        n = m->lnext;
        free(m);
    }
    free(b->out);
    free(b->pend_count);
    free(b->blocked);
    memset(b, 0, sizeof *b);
}

/* ---- Rings ---- */

unsigned gmpi_ring_cells(const gmpi_world *w) {
    if (w->ring_cells) return w->ring_cells;
    long fit = GMPI_RING_BUDGET / GMPI_CELL_SIZE / (w->size > 1 ? w->size - 1 : 1);
    unsigned n = GMPI_RING_MAX_CELLS;
    while (n > GMPI_RING_MIN_CELLS && n > fit)
        n /= 2;
    return n;
}

static gmpi_chan *chan_to(gmpi_rank *r, gmpi_rank *d) {
    gmpi_chan *g = r->box.out[d->rank];
    if (g) return g;
    unsigned n = gmpi_ring_cells(r->world);
    size_t bytes = sizeof *g + n * sizeof(gmpi_cell); /* a multiple of 64 */
    g = aligned_alloc(64, bytes);
    if (!g) return NULL;
    memset(g, 0, bytes);
    for (unsigned i = 0; i < n; i++)
        atomic_init(&g->cells[i].seq, 0);
    g->pmask = g->cmask = n - 1;
    g->producer = r;
    atomic_init(&g->freed, 0);
    atomic_init(&g->producer_waits, 0);
    r->box.out[d->rank] = g;
    gmpi_chan *old = atomic_load_explicit(&d->box.rings, memory_order_relaxed);
    do
        g->next_in = old;
    while (!atomic_compare_exchange_weak_explicit(&d->box.rings, &old, g, memory_order_release,
                                                  memory_order_relaxed));
    return g;
}

/* Whether the k cells from the producer's tail are free. The cached count of freed cells is
 * refreshed only when it says no. When the ring is full, the producer asks to be rung once cells
 * free (the flag needs no fence here: before the producer sleeps, its wait counts it as a sleeper
 * and passes gmpi_heavy_barrier, then retries, which reads `freed` again). */
static bool cells_free(gmpi_chan *g, unsigned k) {
    if (g->tail + k - g->freed_seen <= g->pmask + 1) return true;
    g->freed_seen = atomic_load_explicit(&g->freed, memory_order_acquire);
    if (g->tail + k - g->freed_seen <= g->pmask + 1) return true;
    atomic_store_explicit(&g->producer_waits, 1, memory_order_relaxed);
    return false;
}

/* Copies n bytes; tiny copies (the messages this path is for) without a call. */
static inline void copy_bytes(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *p = src;
    if (n > 16) {
        memcpy(d, p, n);
    } else if (n >= 8) { /* two 8-byte moves that overlap when n < 16 */
        uint64_t x, y;
        memcpy(&x, p, 8);
        memcpy(&y, p + n - 8, 8);
        memcpy(d, &x, 8);
        memcpy(d + n - 8, &y, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, p, 4);
        memcpy(&y, p + n - 4, 4);
        memcpy(d, &x, 4);
        memcpy(d + n - 4, &y, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = p[i];
    }
}

/* Writes a small message (bytes packed bytes of buf, count, t) into k consecutive cells: the
 * payload first (it may overwrite the headers of the continuation cells: the consumer never reads
 * them as headers), then the head cell's header and its sequence number, whose release publishes
 * everything. */
static void push_inline(gmpi_chan *g, unsigned k, const void *buf, int64_t count,
                        const gmpi_type *t, int64_t bytes, int src, int tag, uint64_t ctx) {
    int64_t alen;
    uint8_t *a = inline_run(g, g->pmask, g->tail, bytes, &alen);
    if (t->contiguous) { /* the common case, without a call per run */
        copy_bytes(a, buf, (size_t)alen);
        if (alen < bytes) memcpy(g->cells, (const uint8_t *)buf + alen, (size_t)(bytes - alen));
    } else {
        gmpi_type_pack(buf, count, t, a, 0, alen);
        if (alen < bytes) gmpi_type_pack(buf, count, t, (uint8_t *)g->cells, alen, bytes - alen);
    }
    gmpi_cell *head = cell_at(g, g->pmask, g->tail);
    head->src = src;
    head->tag = tag;
    head->bytes = (uint32_t)bytes;
    head->ctx = ctx;
    atomic_store_explicit(&head->seq, g->tail + 1, memory_order_release);
    g->tail += k;
}

/* Pushes an envelope (pending send, mid-size eager or rendezvous) through one cell. */
static bool push_env(gmpi_chan *g, gmpi_msg *m) {
    if (!cells_free(g, 1)) return false;
    gmpi_cell *c = cell_at(g, g->pmask, g->tail);
    c->src = m->src;
    c->tag = m->tag;
    c->bytes = GMPI_CELL_ENV;
    c->ctx = m->ctx;
    c->u.env = m;
    atomic_store_explicit(&c->seq, g->tail + 1, memory_order_release);
    g->tail++;
    return true;
}

static void pend_append(gmpi_rank *r, gmpi_msg *m) {
    gmpi_box *b = &r->box;
    m->lnext = NULL;
    if (b->pend_tail)
        b->pend_tail->lnext = m;
    else
        b->pend_head = m;
    b->pend_tail = m;
    b->pend_count[m->dest->rank]++;
}

/* Pushes the pending sends that fit now. Once a destination refuses one, its later ones wait
 * for the next pass: each destination keeps its order. */
static void flush_pending(gmpi_rank *r) {
    gmpi_box *b = &r->box;
    unsigned char *blocked = NULL; /* b->blocked once a destination refused: cleared at the end */
    gmpi_msg *prev = NULL, *next;
    for (gmpi_msg *m = b->pend_head; m; m = next) {
        next = m->lnext;
        gmpi_rank *d = m->dest; /* m belongs to the receiver once pushed */
        int dr = d->rank;
        if (!(blocked && blocked[dr]) && push_env(b->out[dr], m)) {
            if (prev)
                prev->lnext = next;
            else
                b->pend_head = next;
            if (b->pend_tail == m) b->pend_tail = prev;
            b->pend_count[dr]--;
            gmpi_ring(d);
            continue;
        }
        prev = m;
        blocked = b->blocked;
        blocked[dr] = 1;
    }
    if (blocked) memset(blocked, 0, (size_t)r->world->size);
}

/* ---- Matching ---- */

static void uq_append(gmpi_box *b, gmpi_msg *m) {
    m->lnext = NULL;
    if (b->uq_tail)
        b->uq_tail->lnext = m;
    else
        b->uq_head = m;
    b->uq_tail = m;
}

static void uq_remove(gmpi_box *b, gmpi_msg *prev, gmpi_msg *m) {
    if (prev)
        prev->lnext = m->lnext;
    else
        b->uq_head = m->lnext;
    if (b->uq_tail == m) b->uq_tail = prev;
    m->lnext = NULL;
}

static void pq_remove(gmpi_box *b, gmpi_req *prev, gmpi_req *q) {
    if (prev)
        prev->next = q->next;
    else
        b->pq_head = q->next;
    if (b->pq_tail == q) b->pq_tail = prev;
    q->next = NULL;
}

/* Claims a rendezvous envelope for reading; false when its sender withdrew it. */
static bool claim(gmpi_msg *m) {
    if (!m->sreq) return true;
    int expected = GMPI_ENV_PENDING;
    return atomic_compare_exchange_strong(&m->claim, &expected, GMPI_ENV_CLAIMED);
}

static bool withdrawn(gmpi_msg *m) {
    return m->sreq && atomic_load_explicit(&m->claim, memory_order_acquire) == GMPI_ENV_WITHDRAWN;
}

/* Drops an envelope nobody will receive (its sender withdrew it). */
static void drop(gmpi_rank *r, gmpi_msg *m) {
    if (user_context(m->ctx)) count(&r->user_received);
    gmpi_msg_release(r, m);
}

/* ---- Shared copies of large messages ---- */

/* Copies chunks of an open shared copy until none is left; returns the bytes this caller copied. */
static int64_t help_take(gmpi_req *sreq) {
    const uint8_t *src = sreq->buf;
    uint8_t *dst = sreq->help_dst;
    int64_t len = sreq->help_len, mine = 0;
    for (;;) {
        int64_t off =
            atomic_fetch_add_explicit(&sreq->help_next, GMPI_HELP_CHUNK, memory_order_relaxed);
        if (off >= len) return mine;
        int64_t n = len - off < GMPI_HELP_CHUNK ? len - off : GMPI_HELP_CHUNK;
        memcpy(dst + off, src + off, (size_t)n);
        mine += n;
    }
}

/* The receiver's side: opens the copy of a claimed rendezvous to its sender, copies chunks until
 * none is left, then waits for the chunks the sender took (the sender never sleeps in one). */
static void shared_copy(gmpi_req *sreq, void *dst, int64_t n) {
    sreq->help_dst = dst;
    sreq->help_len = n;
    atomic_store_explicit(&sreq->help_done, 0, memory_order_relaxed);
    atomic_store_explicit(&sreq->help_next, 0, memory_order_relaxed);
    atomic_store_explicit(&sreq->help_state, 1, memory_order_release);
    int64_t mine = help_take(sreq);
    for (unsigned i = 0; mine + atomic_load_explicit(&sreq->help_done, memory_order_acquire) < n;
         i++) {
        if (i < 4096)
            gmpi_pause();
        else
            sched_yield(); /* the sender lost its core in the middle of a chunk */
    }
}

/* The sender's side, at each progress: takes chunks of its open shared copies. */
static void help_copies(gmpi_rank *r) {
    for (gmpi_req *q = r->helping; q; q = q->help_link) {
        if (atomic_load_explicit(&q->help_state, memory_order_acquire) != 1) continue;
        if (atomic_load_explicit(&q->help_next, memory_order_relaxed) >= q->help_len) continue;
        int64_t mine = help_take(q);
        /* the release publishes the copied bytes; after it the receiver may complete q and
         * reuse its buffer: q itself stays ours */
        if (mine) atomic_fetch_add_explicit(&q->help_done, mine, memory_order_release);
    }
}

static void help_add(gmpi_rank *r, gmpi_req *s) {
    atomic_store_explicit(&s->help_state, 0, memory_order_relaxed);
    if (s->helping) return; /* a persistent request, started again */
    s->helping = true;
    s->help_link = r->helping;
    r->helping = s;
}

void gmpi_help_forget(gmpi_rank *r, gmpi_req *q) {
    for (gmpi_req **pp = &r->helping; *pp; pp = &(*pp)->help_link)
        if (*pp == q) {
            *pp = q->help_link;
            break;
        }
    q->helping = false;
    q->help_link = NULL;
}

/* Receives into q from a payload (the slot's or an envelope's) or from a claimed rendezvous. */
static void deliver(gmpi_req *q, int src, int tag, int64_t bytes, const void *payload,
                    gmpi_req *sreq) {
    int64_t cap = q->count * q->type->size;
    int64_t n = bytes <= cap ? bytes : cap;
    int err = bytes > cap ? GMPI_ERR_TRUNCATE : GMPI_SUCCESS;
    if (sreq) {
        if (sreq->helping && q->type->contiguous && n >= GMPI_HELP_MIN)
            shared_copy(sreq, q->buf, n);
        else
            gmpi_type_copy(sreq->buf, sreq->count, sreq->type, q->buf, q->count, q->type, n);
        set_recv_status(q, src, tag, n, err);
        complete(sreq); /* the sender may free its request and buffer from here on */
    } else {
        gmpi_type_unpack(payload, q->buf, q->count, q->type, 0, n);
        set_recv_status(q, src, tag, n, err);
    }
    /* the receive is this rank's own: completing it needs no doorbell */
    atomic_store_explicit(&q->done, 1, memory_order_release);
}

void gmpi_recv_msg(gmpi_rank *r, gmpi_req *q, gmpi_msg *m) {
    deliver(q, m->src, m->tag, m->bytes, m->data, m->sreq);
    gmpi_msg_release(r, m);
}

/* Copies `bytes` of an inline message starting at cell index h into a receive (the part that
 * fits) or into a flat buffer (dst non-NULL). */
static void read_inline(gmpi_chan *g, unsigned h, int64_t bytes, gmpi_req *q, uint8_t *dst) {
    int64_t n = q && q->count * q->type->size < bytes ? q->count * q->type->size : bytes;
    int64_t alen;
    const uint8_t *a = inline_run(g, g->cmask, h, n, &alen);
    const uint8_t *b = (const uint8_t *)g->cells;
    if (q && q->type->contiguous) dst = q->buf; /* the common case, without a call per run */
    if (dst) {
        memcpy(dst, a, (size_t)alen);
        if (alen < n) memcpy(dst + alen, b, (size_t)(n - alen));
    } else {
        gmpi_type_unpack(a, q->buf, q->count, q->type, 0, alen);
        if (alen < n) gmpi_type_unpack(b, q->buf, q->count, q->type, alen, n - alen);
    }
}

/* The message whose head cell is at index h: to the first matching posted receive, else kept
 * as unexpected. */
static void arrive(gmpi_rank *r, gmpi_chan *g, unsigned h) {
    gmpi_box *b = &r->box;
    gmpi_cell *s = cell_at(g, g->cmask, h);
    gmpi_msg *m = s->bytes == GMPI_CELL_ENV ? s->u.env : NULL;
    if (m && withdrawn(m)) {
        drop(r, m);
        return;
    }
    gmpi_req *q = NULL;
    for (gmpi_req *prev = NULL, *p = b->pq_head; p; prev = p, p = p->next) {
        if (!envelope_matches(s->ctx, s->src, s->tag, p->ctx, p->peer, p->tag)) continue;
        if (m && !claim(m)) { /* withdrawn just now */
            drop(r, m);
            return;
        }
        pq_remove(b, prev, p);
        q = p;
        break;
    }
    if (q) {
        if (user_context(s->ctx)) count(&r->user_received);
        if (m) {
            gmpi_recv_msg(r, q, m);
        } else {
            int64_t cap = q->count * q->type->size;
            read_inline(g, h, s->bytes, q, NULL);
            set_recv_status(q, s->src, s->tag, s->bytes <= cap ? s->bytes : cap,
                            s->bytes > cap ? GMPI_ERR_TRUNCATE : GMPI_SUCCESS);
            atomic_store_explicit(&q->done, 1, memory_order_release);
        }
        return;
    }
    if (!m) { /* inline and unexpected: out of the ring, into an envelope of our own */
        m = env_alloc(r, s->bytes, true);
        if (!m) abort(); /* out of memory with a message in hand: nothing sane is left */
        m->sreq = NULL;
        m->ctx = s->ctx;
        m->src = s->src;
        m->tag = s->tag;
        m->bytes = s->bytes;
        read_inline(g, h, s->bytes, NULL, m->data);
    }
    uq_append(b, m);
}

/* Continuation cells held payload where a header's sequence number would be. A later lap looks
 * for the value (cell index + 1) there, which is congruent to the cell's position + 1 modulo the
 * ring size: only such a word could be taken for a header, and only such words get a value that
 * no lap expects before the cells go back — a store to the producer's line only when the payload
 * happens to look like a sequence number. */
static void unforge(gmpi_chan *g, unsigned h, unsigned k) {
    for (unsigned i = h + 1; i != h + k; i++) {
        gmpi_cell *c = cell_at(g, g->cmask, i);
        unsigned w = atomic_load_explicit(&c->seq, memory_order_relaxed);
        if (((w - i - 1) & g->cmask) == 0) atomic_store_explicit(&c->seq, i, memory_order_relaxed);
    }
}

bool gmpi_progress(gmpi_rank *r) {
    gmpi_box *b = &r->box;
    bool moved = false;
    if (b->pend_head) flush_pending(r);
    if (r->helping) help_copies(r);
    for (gmpi_chan *g = atomic_load_explicit(&b->rings, memory_order_acquire); g; g = g->next_in) {
        unsigned start = g->head;
        for (;;) {
            gmpi_cell *s = cell_at(g, g->cmask, g->head);
            if (atomic_load_explicit(&s->seq, memory_order_acquire) != g->head + 1) break;
            unsigned k = span_at(s);
            arrive(r, g, g->head);
            if (k > 1) unforge(g, g->head, k);
            g->head += k;
        }
        if (g->head != start) { /* hand the cells back; wake a producer that found the ring full */
            moved = true;
            atomic_store_explicit(&g->freed, g->head, memory_order_release);
            gmpi_light_barrier();
            if (atomic_load_explicit(&g->producer_waits, memory_order_relaxed)) {
                atomic_store_explicit(&g->producer_waits, 0, memory_order_relaxed);
                gmpi_ring(g->producer);
            }
        }
    }
    return moved;
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
    s->env = NULL;
    bool eager = (s->bytes <= (int64_t)w->eager_limit && !s->sync) || s->buffered;
    gmpi_chan *g = chan_to(r, d);
    if (!g) return GMPI_ERR_NO_MEM;
    /* sends that found a ring full go out first (a sender that only sends must not leave them
     * waiting for its next wait), then this one may go straight into the ring */
    if (r->box.pend_head) flush_pending(r);
    bool in_order = r->box.pend_count[d->rank] == 0;
    if (user_context(s->ctx)) count(&r->user_sent);
    unsigned k = s->bytes <= GMPI_INLINE_MAX ? cells_of(s->bytes) : 0;
    if (eager && k > 0 && in_order && cells_free(g, k)) {
        /* the common small message: straight into the ring */
        push_inline(g, k, s->buf, s->count, s->type, s->bytes, s->my_rank, s->tag, s->ctx);
        gmpi_ring(d);
        atomic_store_explicit(&s->done, 1, memory_order_release);
        return GMPI_SUCCESS;
    }
    gmpi_msg *m = env_alloc(r, eager ? s->bytes : 0, false);
    if (!m) return GMPI_ERR_NO_MEM;
    m->dest = d;
    m->ctx = s->ctx;
    m->src = s->my_rank;
    m->tag = s->tag;
    m->bytes = s->bytes;
    m->sreq = eager ? NULL : s;
    atomic_store_explicit(&m->claim, GMPI_ENV_PENDING, memory_order_relaxed);
    if (eager) {
        gmpi_type_pack(s->buf, s->count, s->type, m->data, 0, s->bytes);
    } else {
        s->env = m;
        if (s->type->contiguous && s->bytes >= GMPI_HELP_MIN) help_add(r, s);
    }
    if (in_order && push_env(g, m))
        gmpi_ring(d);
    else
        pend_append(r, m);
    if (eager) atomic_store_explicit(&s->done, 1, memory_order_release);
    return GMPI_SUCCESS;
}

bool gmpi_send_inline(gmpi_rank *r, gmpi_comm *c, const void *buf, int64_t n, const gmpi_type *t,
                      int dest, int tag) {
    int64_t bytes = n * t->size;
    if (bytes > GMPI_INLINE_MAX || bytes > (int64_t)r->world->eager_limit) return false;
    gmpi_rank *d = route(r, c, dest);
    if (!d) return false;
    gmpi_chan *g = r->box.out[d->rank];
    unsigned k = cells_of(bytes);
    if (!g || r->box.pend_head || !cells_free(g, k)) return false;
    if (user_context(c->ctx)) count(&r->user_sent);
    push_inline(g, k, buf, n, t, bytes, c->rank, tag, c->ctx);
    gmpi_ring(d);
    return true;
}

/* A receive looks only at the messages already drained (the unexpected list): messages still in
 * the rings arrived after every one of those, so when none of those matches, posting the receive
 * and letting the next drain match it gives the same pairs as draining first — without touching
 * the lines the senders are writing, once per receive (a window of MPI_Irecv calls). */
void gmpi_recv_start(gmpi_rank *r, gmpi_req *q) {
    assert(q->kind == GMPI_REQ_RECV);
    gmpi_box *b = &r->box;
    gmpi_msg *prev = NULL;
    for (gmpi_msg *m = b->uq_head, *next; m; m = next) {
        next = m->lnext;
        if (!envelope_matches(m->ctx, m->src, m->tag, q->ctx, q->peer, q->tag)) {
            prev = m;
            continue;
        }
        uq_remove(b, prev, m);
        if (!claim(m)) {
            drop(r, m);
            continue; /* prev stays */
        }
        if (user_context(m->ctx)) count(&r->user_received);
        gmpi_recv_msg(r, q, m);
        return;
    }
    q->next = NULL;
    if (b->pq_tail)
        b->pq_tail->next = q;
    else
        b->pq_head = q;
    b->pq_tail = q;
}

gmpi_msg *gmpi_probe_box(gmpi_rank *r, uint64_t ctx, int src, int tag, bool take, gmpi_status *st) {
    gmpi_progress(r);
    gmpi_box *b = &r->box;
    gmpi_msg *prev = NULL;
    for (gmpi_msg *m = b->uq_head, *next; m; m = next) {
        next = m->lnext;
        if (!envelope_matches(m->ctx, m->src, m->tag, ctx, src, tag)) {
            prev = m;
            continue;
        }
        if (withdrawn(m) || (take && !claim(m))) {
            uq_remove(b, prev, m);
            drop(r, m);
            continue;
        }
        if (st) {
            st->source = m->src;
            st->tag = m->tag;
            st->error = GMPI_SUCCESS;
            gmpi_status_set_bytes(st, m->bytes);
        }
        if (take) {
            uq_remove(b, prev, m);
            if (user_context(m->ctx)) count(&r->user_received);
        }
        return m;
    }
    return NULL;
}

bool gmpi_cancel_req(gmpi_rank *r, gmpi_req *q) {
    if (atomic_load(&q->done)) return false;
    gmpi_box *b = &r->box;
    if (q->kind == GMPI_REQ_RECV) {
        gmpi_req *prev = NULL;
        for (gmpi_req *p = b->pq_head; p; prev = p, p = p->next)
            if (p == q) {
                pq_remove(b, prev, q);
                q->cancelled = true;
                set_recv_status(q, q->peer, q->tag, 0, GMPI_SUCCESS);
                q->status.count_hi_and_cancelled |= 1;
                atomic_store_explicit(&q->done, 1, memory_order_release);
                return true;
            }
        return false;
    }
    gmpi_msg *m = q->env;
    if (!m) return false; /* eager: already delivered as far as the sender is concerned */
    bool cancelled = false;
    /* still in our pending list: simply take it back */
    for (gmpi_msg *prev = NULL, *p = b->pend_head; p; prev = p, p = p->lnext)
        if (p == m) {
            if (prev)
                prev->lnext = p->lnext;
            else
                b->pend_head = p->lnext;
            if (b->pend_tail == p) b->pend_tail = prev;
            b->pend_count[m->dest->rank]--;
            if (user_context(m->ctx)) {
                long n = atomic_load(&r->user_sent);
                atomic_store(&r->user_sent, n - 1);
            }
            free(m);
            cancelled = true;
            break;
        }
    if (!cancelled) {
        /* in a ring or the receiver's lists: withdraw it; the receiver frees it */
        int expected = GMPI_ENV_PENDING;
        cancelled = atomic_compare_exchange_strong(&m->claim, &expected, GMPI_ENV_WITHDRAWN);
    }
    if (!cancelled) return false;
    q->env = NULL;
    q->cancelled = true;
    q->status.count_hi_and_cancelled |= 1;
    atomic_store_explicit(&q->done, 1, memory_order_release);
    return true;
}

void gmpi_req_complete_proc_null(gmpi_req *q) {
    set_recv_status(q, GMPI_PROC_NULL, GMPI_ANY_TAG, 0, GMPI_SUCCESS);
    atomic_store_explicit(&q->done, 1, memory_order_release);
}

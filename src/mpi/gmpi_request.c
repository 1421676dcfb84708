/*
 * gmpi_request.c — requests and their completion functions: Wait, Test, Waitall, Testall,
 * Waitany, Testany, Waitsome, Testsome, Request_free, Request_get_status, Cancel, Start, and the
 * MPI_Status helpers (Get_count, Get_elements, Test_cancelled).
 *
 * A request lives in its rank's handle table from Isend, Irecv or a persistent init until a
 * completion function returns it (non-persistent requests then become MPI_REQUEST_NULL; persistent
 * ones go inactive). MPI_Request_free on a pending request moves it to the rank's detached list: it
 * is freed when it completes (another rank may still be copying from or into it), checked at later
 * MPI calls and at finalize. Waiting for several requests waits on the rank's doorbell until any is
 * done.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_internal.h"

/* ---- Status ---- */

void gmpi_status_set_bytes(gmpi_status *s, int64_t bytes) {
    s->count_lo = (int32_t)(uint32_t)((uint64_t)bytes & 0xffffffffu);
    s->count_hi_and_cancelled = (int32_t)((uint32_t)(((uint64_t)bytes >> 32) << 1) |
                                          ((uint32_t)s->count_hi_and_cancelled & 1u));
}

int64_t gmpi_status_bytes(const gmpi_status *s) {
    uint64_t hi = (uint32_t)s->count_hi_and_cancelled >> 1;
    return (int64_t)((hi << 32) | (uint32_t)s->count_lo);
}

static void status_empty(gmpi_status *s) {
    if (!s) return;
    s->source = GMPI_ANY_SOURCE;
    s->tag = GMPI_ANY_TAG;
    s->error = GMPI_SUCCESS;
    s->count_lo = 0;
    s->count_hi_and_cancelled = 0;
}

int gmpi_get_count(gmpi_rank *r, const gmpi_status *s, int type, int *count) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    int64_t bytes = gmpi_status_bytes(s);
    if (t->size == 0)
        *count = bytes == 0 ? 0 : GMPI_UNDEFINED;
    else if (bytes % t->size != 0 || bytes / t->size > 0x7fffffff)
        *count = GMPI_UNDEFINED;
    else
        *count = (int)(bytes / t->size);
    return GMPI_SUCCESS;
}

int gmpi_get_elements(gmpi_rank *r, const gmpi_status *s, int type, int64_t *count) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    int64_t bytes = gmpi_status_bytes(s);
    if (t->size == 0) {
        *count = 0;
        return GMPI_SUCCESS;
    }
    int64_t whole = bytes / t->size, rest = bytes % t->size;
    int64_t n = whole * t->nelems;
    if (rest) {
        /* partial instance: count the basic elements that fit, by kind when uniform */
        if (t->kind != GMPI_K_NONE && rest % gmpi_kind_size(t->kind) == 0)
            n += rest / gmpi_kind_size(t->kind);
        else {
            *count = GMPI_UNDEFINED;
            return GMPI_SUCCESS;
        }
    }
    *count = n;
    return GMPI_SUCCESS;
}

int gmpi_test_cancelled(const gmpi_status *s, int *flag) {
    *flag = s->count_hi_and_cancelled & 1;
    return GMPI_SUCCESS;
}

/* ---- Request objects ---- */

/* Clears a request field by field: a memset of the whole object compiles to `rep stos`, whose
 * start-up cost shows in the per-message profile. Also used for requests on the C stack. */
void gmpi_req_init(gmpi_req *q, gmpi_rank *r, gmpi_req_kind kind) {
    q->ctx = 0;
    q->peer = 0;
    q->tag = 0;
    q->buf = NULL;
    q->count = 0;
    q->type = NULL;
    atomic_init(&q->done, 0);
    q->status = (gmpi_status){0, 0, 0, 0, 0};
    q->next = NULL;
    q->owner = r;
    q->dest = NULL;
    q->env = NULL;
    q->kind = kind;
    q->comm = 0;
    q->my_rank = 0;
    q->sync = q->buffered = q->persistent = q->active = q->cancelled = q->internal = false;
    q->bytes = 0;
    atomic_init(&q->help_next, 0);
    atomic_init(&q->help_done, 0);
    atomic_init(&q->help_state, 0);
    q->helping = false;
    q->help_dst = NULL;
    q->help_len = 0;
    q->help_link = NULL;
}

gmpi_req *gmpi_req_new(gmpi_rank *r, gmpi_req_kind kind) {
    gmpi_req *q = r->req_cache;
    if (q) {
        r->req_cache = q->next;
        r->nreq_cache--;
    } else {
        q = aligned_alloc(64, sizeof *q); /* sizeof is a multiple of the alignment */
        if (!q) return NULL;
        memset(q, 0, sizeof *q); /* padding too */
    }
    gmpi_req_init(q, r, kind);
    return q;
}

void gmpi_req_free(gmpi_rank *r, gmpi_req *q) {
    if (q->helping) gmpi_help_forget(r, q);
    if (q->type) gmpi_type_release(q->type);
    q->type = NULL;
    if (r->nreq_cache < GMPI_REQ_CACHE) {
        q->next = r->req_cache;
        r->req_cache = q;
        r->nreq_cache++;
    } else {
        free(q);
    }
}

void gmpi_req_reap_detached(gmpi_rank *r) {
    gmpi_req **pp = &r->detached;
    while (*pp) {
        gmpi_req *q = *pp;
        if (atomic_load_explicit(&q->done, memory_order_acquire) || !q->active) {
            *pp = q->next;
            gmpi_req_free(r, q);
        } else {
            pp = &q->next;
        }
    }
}

static gmpi_req *req_lookup(gmpi_rank *r, int h) {
    if (h == GMPI_REQUEST_NULL) return NULL;
    if (h == GMPI_REQ_SENT) return &r->sent_req;
    return gmpi_table_get(&r->reqs, h);
}

static bool req_done(const gmpi_req *q) {
    return atomic_load_explicit(&((gmpi_req *)q)->done, memory_order_acquire) != 0;
}

/* An inactive request (null or persistent-not-started) completes at once with an empty status. */
static bool req_inactive(const gmpi_req *q) {
    return !q || (q->persistent && !q->active);
}

/* Hands a completed request back: copies its status, frees or deactivates it. Returns the
 * request's error (truncation). */
static int req_finish(gmpi_rank *r, int *h, gmpi_req *q, gmpi_status *status) {
    assert(req_done(q));
    int err = q->status.error;
    if (status) {
        if (q->kind == GMPI_REQ_RECV || q->cancelled)
            *status = q->status;
        else {
            status_empty(status);
            status->count_hi_and_cancelled = q->cancelled;
        }
    }
    if (q == &r->sent_req) {
        *h = GMPI_REQUEST_NULL; /* shared by every completed send: nothing to free */
    } else if (q->persistent) {
        q->active = false;
    } else {
        gmpi_table_del(&r->reqs, *h);
        gmpi_req_free(r, q);
        *h = GMPI_REQUEST_NULL;
    }
    return err;
}

/* ---- Wait / Test ---- */

int gmpi_wait(gmpi_rank *r, int *h, gmpi_status *status) {
    if (*h == GMPI_REQUEST_NULL) {
        status_empty(status);
        return GMPI_SUCCESS;
    }
    gmpi_req *q = req_lookup(r, *h);
    if (!q) return GMPI_ERR_REQUEST;
    if (req_inactive(q)) {
        status_empty(status);
        return GMPI_SUCCESS;
    }
    int err = gmpi_wait_req(r, q);
    if (err) return err;
    gmpi_req_reap_detached(r);
    return req_finish(r, h, q, status);
}

int gmpi_test(gmpi_rank *r, int *h, int *flag, gmpi_status *status) {
    gmpi_progress(r); /* a test is a chance for progress, as a wait is */
    gmpi_req_reap_detached(r);
    if (*h == GMPI_REQUEST_NULL) {
        *flag = 1;
        status_empty(status);
        return GMPI_SUCCESS;
    }
    gmpi_req *q = req_lookup(r, *h);
    if (!q) return GMPI_ERR_REQUEST;
    if (req_inactive(q)) {
        *flag = 1;
        status_empty(status);
        return GMPI_SUCCESS;
    }
    if (atomic_load(&r->world->aborted)) return GMPI_ABORTED;
    if (!req_done(q)) {
        *flag = 0;
        return GMPI_SUCCESS;
    }
    *flag = 1;
    return req_finish(r, h, q, status);
}

/* Resolves an array of handles (NULL entries for null/inactive requests). */
static int resolve(gmpi_rank *r, int n, const int *hs, gmpi_req ***out, gmpi_req **stack) {
    if (n < 0) return GMPI_ERR_COUNT;
    gmpi_req **qs = n <= 64 ? stack : malloc((size_t)n * sizeof *qs);
    if (!qs) return GMPI_ERR_NO_MEM;
    for (int i = 0; i < n; i++) {
        qs[i] = NULL;
        if (hs[i] == GMPI_REQUEST_NULL) continue;
        gmpi_req *q = req_lookup(r, hs[i]);
        if (!q) {
            if (qs != stack) free(qs);
            return GMPI_ERR_REQUEST;
        }
        if (!req_inactive(q)) qs[i] = q;
    }
    *out = qs;
    return GMPI_SUCCESS;
}

typedef struct req_set {
    int n;
    gmpi_req **qs;
    int first; /* all_done: every request before it is done (a request stays done) */
} req_set;

static bool all_done(void *arg) {
    req_set *s = arg;
    for (; s->first < s->n; s->first++)
        if (s->qs[s->first] && !req_done(s->qs[s->first])) return false;
    return true;
}

static bool any_done(void *arg) {
    req_set *s = arg;
    for (int i = 0; i < s->n; i++)
        if (s->qs[i] && req_done(s->qs[i])) return true;
    return false;
}

/* Finishes every completed request of the set; statuses (may be NULL) get one entry each. */
static int finish_all(gmpi_rank *r, int n, int *hs, gmpi_req **qs, gmpi_status *statuses) {
    int err = GMPI_SUCCESS;
    for (int i = 0; i < n; i++) {
        gmpi_status *st = statuses ? &statuses[i] : NULL;
        if (!qs[i]) {
            status_empty(st);
            continue;
        }
        int e = req_finish(r, &hs[i], qs[i], st);
        if (st) st->error = e;
        if (e) err = GMPI_ERR_IN_STATUS;
    }
    return err;
}

int gmpi_waitall(gmpi_rank *r, int n, int *hs, gmpi_status *statuses) {
    gmpi_req *stack[64], **qs;
    int err = resolve(r, n, hs, &qs, stack);
    if (err) return err;
    req_set s = {n, qs, 0};
    err = gmpi_wait_cond(r, all_done, &s);
    if (!err) err = finish_all(r, n, hs, qs, statuses);
    if (qs != stack) free(qs);
    gmpi_req_reap_detached(r);
    return err;
}

int gmpi_testall(gmpi_rank *r, int n, int *hs, int *flag, gmpi_status *statuses) {
    gmpi_progress(r); /* a test is a chance for progress, as a wait is */
    gmpi_req *stack[64], **qs;
    int err = resolve(r, n, hs, &qs, stack);
    if (err) return err;
    req_set s = {n, qs, 0};
    *flag = all_done(&s);
    if (*flag)
        err = finish_all(r, n, hs, qs, statuses);
    else if (atomic_load(&r->world->aborted))
        err = GMPI_ABORTED;
    if (qs != stack) free(qs);
    return err;
}

static int pick_one(gmpi_rank *r, int n, int *hs, gmpi_req **qs, int *index, gmpi_status *st) {
    for (int i = 0; i < n; i++)
        if (qs[i] && req_done(qs[i])) {
            *index = i;
            return req_finish(r, &hs[i], qs[i], st);
        }
    return GMPI_ERR_INTERN;
}

int gmpi_waitany(gmpi_rank *r, int n, int *hs, int *index, gmpi_status *status) {
    gmpi_req *stack[64], **qs;
    int err = resolve(r, n, hs, &qs, stack);
    if (err) return err;
    bool active = false;
    for (int i = 0; i < n; i++)
        active |= qs[i] != NULL;
    if (!active) {
        *index = GMPI_UNDEFINED;
        status_empty(status);
    } else {
        req_set s = {n, qs, 0};
        err = gmpi_wait_cond(r, any_done, &s);
        if (!err) err = pick_one(r, n, hs, qs, index, status);
    }
    if (qs != stack) free(qs);
    return err;
}

int gmpi_testany(gmpi_rank *r, int n, int *hs, int *index, int *flag, gmpi_status *status) {
    gmpi_progress(r); /* a test is a chance for progress, as a wait is */
    gmpi_req *stack[64], **qs;
    int err = resolve(r, n, hs, &qs, stack);
    if (err) return err;
    bool active = false;
    for (int i = 0; i < n; i++)
        active |= qs[i] != NULL;
    *index = GMPI_UNDEFINED;
    if (!active) {
        *flag = 1;
        status_empty(status);
    } else {
        req_set s = {n, qs, 0};
        *flag = any_done(&s);
        if (*flag)
            err = pick_one(r, n, hs, qs, index, status);
        else if (atomic_load(&r->world->aborted))
            err = GMPI_ABORTED;
    }
    if (qs != stack) free(qs);
    return err;
}

static int collect_some(gmpi_rank *r, int n, int *hs, gmpi_req **qs, int *outcount, int *indices,
                        gmpi_status *statuses) {
    int k = 0, err = GMPI_SUCCESS;
    for (int i = 0; i < n; i++) {
        if (!qs[i] || !req_done(qs[i])) continue;
        gmpi_status *st = statuses ? &statuses[k] : NULL;
        int e = req_finish(r, &hs[i], qs[i], st);
        if (st) st->error = e;
        if (e) err = GMPI_ERR_IN_STATUS;
        indices[k++] = i;
    }
    *outcount = k;
    return err;
}

int gmpi_waitsome(gmpi_rank *r, int n, int *hs, int *outcount, int *indices,
                  gmpi_status *statuses) {
    gmpi_req *stack[64], **qs;
    int err = resolve(r, n, hs, &qs, stack);
    if (err) return err;
    bool active = false;
    for (int i = 0; i < n; i++)
        active |= qs[i] != NULL;
    if (!active) {
        *outcount = GMPI_UNDEFINED;
    } else {
        req_set s = {n, qs, 0};
        err = gmpi_wait_cond(r, any_done, &s);
        if (!err) err = collect_some(r, n, hs, qs, outcount, indices, statuses);
    }
    if (qs != stack) free(qs);
    return err;
}

int gmpi_testsome(gmpi_rank *r, int n, int *hs, int *outcount, int *indices,
                  gmpi_status *statuses) {
    gmpi_progress(r); /* a test is a chance for progress, as a wait is */
    gmpi_req *stack[64], **qs;
    int err = resolve(r, n, hs, &qs, stack);
    if (err) return err;
    bool active = false;
    for (int i = 0; i < n; i++)
        active |= qs[i] != NULL;
    if (!active)
        *outcount = GMPI_UNDEFINED;
    else if (atomic_load(&r->world->aborted))
        err = GMPI_ABORTED;
    else
        err = collect_some(r, n, hs, qs, outcount, indices, statuses);
    if (qs != stack) free(qs);
    return err;
}

int gmpi_request_free(gmpi_rank *r, int *h) {
    gmpi_req *q = req_lookup(r, *h);
    if (!q) return GMPI_ERR_REQUEST;
    if (q == &r->sent_req) {
        *h = GMPI_REQUEST_NULL;
        return GMPI_SUCCESS;
    }
    gmpi_table_del(&r->reqs, *h);
    *h = GMPI_REQUEST_NULL;
    bool pending = q->persistent ? q->active && !req_done(q) : !req_done(q);
    if (pending) {
        q->active = true; /* reaped when done */
        q->next = r->detached;
        r->detached = q;
    } else {
        gmpi_req_free(r, q);
    }
    return GMPI_SUCCESS;
}

int gmpi_request_get_status(gmpi_rank *r, int h, int *flag, gmpi_status *status) {
    gmpi_progress(r); /* a test is a chance for progress, as a wait is */
    if (h == GMPI_REQUEST_NULL) {
        *flag = 1;
        status_empty(status);
        return GMPI_SUCCESS;
    }
    gmpi_req *q = req_lookup(r, h);
    if (!q) return GMPI_ERR_REQUEST;
    if (req_inactive(q)) {
        *flag = 1;
        status_empty(status);
        return GMPI_SUCCESS;
    }
    *flag = req_done(q);
    if (*flag && status) {
        if (q->kind == GMPI_REQ_RECV)
            *status = q->status;
        else
            status_empty(status);
    }
    return GMPI_SUCCESS;
}

int gmpi_cancel(gmpi_rank *r, int *h) {
    gmpi_req *q = req_lookup(r, *h);
    if (!q) return GMPI_ERR_REQUEST;
    if (req_inactive(q) || req_done(q)) return GMPI_SUCCESS;
    gmpi_cancel_req(r, q); /* when already matched, the request completes normally */
    return GMPI_SUCCESS;
}

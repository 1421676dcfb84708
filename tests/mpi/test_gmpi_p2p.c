/*
 * test_gmpi_p2p.c — point-to-point semantics of the MPI core, with threads as ranks: tags and
 * wildcards, non-overtaking order, eager and rendezvous paths, synchronous sends, nonblocking
 * requests and every completion function, probes and matched probes, truncation, MPI_PROC_NULL,
 * Sendrecv(_replace), persistent requests, cancellation, Request_free.
 */
#include <time.h>

#include "mpi_test.h"
#include "mpi/gmpi_internal.h" /* the ring geometry, for stale_slots */

#define W GMPI_COMM_WORLD

static void basic_tags(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 0) {
        int a = 11, b = 22, c = 33;
        CHECK_OK(gmpi_send(r, &a, 1, GMPI_INT, 1, 5, W));
        CHECK_OK(gmpi_send(r, &b, 1, GMPI_INT, 1, 6, W));
        CHECK_OK(gmpi_send(r, &c, 1, GMPI_INT, 1, 7, W));
    } else if (rank == 1) {
        int x;
        gmpi_status st;
        /* receive out of tag order: tags select */
        CHECK_OK(gmpi_recv(r, &x, 1, GMPI_INT, 0, 6, W, &st));
        CHECK_EQ(x, 22);
        CHECK_EQ(st.tag, 6);
        CHECK_EQ(st.source, 0);
        CHECK_OK(gmpi_recv(r, &x, 1, GMPI_INT, GMPI_ANY_SOURCE, GMPI_ANY_TAG, W, &st));
        CHECK_EQ(x, 11);
        CHECK_EQ(st.tag, 5);
        int n;
        CHECK_OK(gmpi_get_count(r, &st, GMPI_INT, &n));
        CHECK_EQ(n, 1);
        CHECK_OK(gmpi_recv(r, &x, 1, GMPI_INT, 0, GMPI_ANY_TAG, W, &st));
        CHECK_EQ(x, 33);
    }
}

/* Many messages with one tag from several senders: per-sender order is preserved. */
static void non_overtaking(gmpi_rank *r, int rank, int size) {
    const int n = 500;
    if (rank != 0) {
        for (int i = 0; i < n; i++) {
            int v[2] = {rank, i};
            /* mix small (eager) and large (rendezvous) messages */
            if (i % 50 == 7) {
                int *big = calloc(20000, sizeof(int));
                big[0] = rank, big[1] = i;
                CHECK_OK(gmpi_send(r, big, 20000, GMPI_INT, 0, 1, W));
                free(big);
            } else {
                CHECK_OK(gmpi_send(r, v, 2, GMPI_INT, 0, 1, W));
            }
        }
    } else {
        int *next = calloc((size_t)size, sizeof(int));
        int *buf = calloc(20000, sizeof(int));
        for (int k = 0; k < n * (size - 1); k++) {
            gmpi_status st;
            CHECK_OK(gmpi_recv(r, buf, 20000, GMPI_INT, GMPI_ANY_SOURCE, 1, W, &st));
            CHECK_EQ(buf[0], st.source);
            CHECK_EQ(buf[1], next[st.source]);
            next[st.source] = buf[1] + 1;
        }
        for (int s = 1; s < size; s++)
            CHECK_EQ(next[s], n);
        free(next);
        free(buf);
    }
}

static void large_rendezvous(gmpi_rank *r, int rank, int size) {
    (void)size;
    const int n = 1 << 20;
    double *buf = malloc(n * sizeof(double));
    if (rank == 0) {
        for (int i = 0; i < n; i++)
            buf[i] = i * 0.5;
        CHECK_OK(gmpi_send(r, buf, n, GMPI_DOUBLE, 1, 3, W));
        /* and receive into a posted buffer (sender-side copy) */
        CHECK_OK(gmpi_recv(r, buf, n, GMPI_DOUBLE, 1, 4, W, NULL));
        CHECK(buf[n - 1] == (n - 1) * 2.0);
    } else if (rank == 1) {
        CHECK_OK(gmpi_recv(r, buf, n, GMPI_DOUBLE, 0, 3, W, NULL));
        bool ok = true;
        for (int i = 0; i < n; i++)
            ok &= buf[i] == i * 0.5;
        CHECK(ok);
        for (int i = 0; i < n; i++)
            buf[i] = i * 2.0;
        CHECK_OK(gmpi_send(r, buf, n, GMPI_DOUBLE, 0, 4, W));
    }
    free(buf);
}

static void ssend_waits(gmpi_rank *r, int rank, int size) {
    (void)size;
    int flag = 0;
    if (rank == 0) {
        int v = 7, req;
        CHECK_OK(gmpi_issend(r, &v, 1, GMPI_INT, 1, 0, W, &req));
        /* rank 1 does not receive before the barrier: the synchronous send cannot complete */
        CHECK_OK(gmpi_test(r, &req, &flag, NULL));
        CHECK_EQ(flag, 0);
        CHECK_OK(gmpi_barrier(r, W));
        CHECK_OK(gmpi_wait(r, &req, NULL));
        CHECK_EQ(req, GMPI_REQUEST_NULL);
    } else if (rank == 1) {
        CHECK_OK(gmpi_barrier(r, W));
        int v;
        CHECK_OK(gmpi_recv(r, &v, 1, GMPI_INT, 0, 0, W, NULL));
        CHECK_EQ(v, 7);
    } else {
        CHECK_OK(gmpi_barrier(r, W));
    }
}

static void nonblocking_all(gmpi_rank *r, int rank, int size) {
    /* everyone exchanges with everyone: Irecv all, Isend all, then Waitall/Waitany/Waitsome */
    int n = size;
    int *in = calloc((size_t)n, sizeof(int)), *out = calloc((size_t)n, sizeof(int));
    int *reqs = calloc((size_t)2 * n, sizeof(int));
    for (int i = 0; i < n; i++) {
        out[i] = rank * 100 + i;
        CHECK_OK(gmpi_irecv(r, &in[i], 1, GMPI_INT, i, 9, W, &reqs[i]));
    }
    for (int i = 0; i < n; i++)
        CHECK_OK(gmpi_isend(r, &out[i], 1, GMPI_INT, i, 9, W, &reqs[n + i]));
    gmpi_status *st = calloc((size_t)2 * n, sizeof *st);
    if (rank % 3 == 0) {
        CHECK_OK(gmpi_waitall(r, 2 * n, reqs, st));
    } else if (rank % 3 == 1) {
        for (int k = 0; k < 2 * n; k++) {
            int idx;
            CHECK_OK(gmpi_waitany(r, 2 * n, reqs, &idx, &st[0]));
            CHECK(idx >= 0 && idx < 2 * n);
            CHECK_EQ(reqs[idx], GMPI_REQUEST_NULL);
        }
        int idx;
        CHECK_OK(gmpi_waitany(r, 2 * n, reqs, &idx, NULL));
        CHECK_EQ(idx, GMPI_UNDEFINED);
    } else {
        int done = 0, outcount, *idx = calloc((size_t)2 * n, sizeof(int));
        while (done < 2 * n) {
            CHECK_OK(gmpi_waitsome(r, 2 * n, reqs, &outcount, idx, st));
            CHECK(outcount >= 1);
            done += outcount;
        }
        CHECK_OK(gmpi_waitsome(r, 2 * n, reqs, &outcount, idx, st));
        CHECK_EQ(outcount, GMPI_UNDEFINED);
        free(idx);
    }
    for (int i = 0; i < n; i++)
        CHECK_EQ(in[i], i * 100 + rank);
    for (int i = 0; i < 2 * n; i++)
        CHECK_EQ(reqs[i], GMPI_REQUEST_NULL);
    CHECK_EQ(gmpi_rank_live_requests(r), 0);
    free(in), free(out), free(reqs), free(st);
}

static void test_polling(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 0) {
        int v = -1, req, flag = 0;
        CHECK_OK(gmpi_irecv(r, &v, 1, GMPI_INT, 1, 0, W, &req));
        long spins = 0;
        while (!flag) {
            CHECK_OK(gmpi_test(r, &req, &flag, NULL));
            spins++;
        }
        CHECK_EQ(v, 42);
        int reqs[3];
        int a[3];
        for (int i = 0; i < 3; i++)
            CHECK_OK(gmpi_irecv(r, &a[i], 1, GMPI_INT, 1, 1 + i, W, &reqs[i]));
        flag = 0;
        while (!flag)
            CHECK_OK(gmpi_testall(r, 3, reqs, &flag, NULL));
        CHECK(a[0] == 3 && a[1] == 2 && a[2] == 1);
        int b, breq, idx;
        CHECK_OK(gmpi_irecv(r, &b, 1, GMPI_INT, 1, 9, W, &breq));
        flag = 0;
        while (!flag)
            CHECK_OK(gmpi_testany(r, 1, &breq, &idx, &flag, NULL));
        CHECK_EQ(idx, 0);
        CHECK_EQ(b, 99);
        int out = 0;
        CHECK_OK(gmpi_irecv(r, &b, 1, GMPI_INT, 1, 10, W, &breq));
        do
            CHECK_OK(gmpi_testsome(r, 1, &breq, &out, &idx, NULL));
        while (out == 0);
        CHECK_EQ(out, 1);
    } else if (rank == 1) {
        int v = 42;
        CHECK_OK(gmpi_send(r, &v, 1, GMPI_INT, 0, 0, W));
        for (int i = 0; i < 3; i++) {
            v = i + 1;
            CHECK_OK(gmpi_send(r, &v, 1, GMPI_INT, 0, 3 - i, W)); /* reverse tag order */
        }
        v = 99;
        CHECK_OK(gmpi_send(r, &v, 1, GMPI_INT, 0, 9, W));
        CHECK_OK(gmpi_send(r, &v, 1, GMPI_INT, 0, 10, W));
    }
}

static void probes(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 1) {
        int v[5] = {1, 2, 3, 4, 5};
        CHECK_OK(gmpi_send(r, v, 5, GMPI_INT, 0, 77, W));
        CHECK_OK(gmpi_send(r, v, 3, GMPI_INT, 0, 78, W));
    } else if (rank == 0) {
        gmpi_status st;
        CHECK_OK(gmpi_probe(r, GMPI_ANY_SOURCE, 78, W, &st));
        int n;
        CHECK_OK(gmpi_get_count(r, &st, GMPI_INT, &n));
        CHECK_EQ(n, 3);
        CHECK_EQ(st.source, 1);
        int flag;
        CHECK_OK(gmpi_iprobe(r, 1, 77, W, &flag, &st));
        CHECK_EQ(flag, 1);
        CHECK_OK(gmpi_get_count(r, &st, GMPI_INT, &n));
        CHECK_EQ(n, 5);
        CHECK_OK(gmpi_iprobe(r, 1, 79, W, &flag, &st));
        CHECK_EQ(flag, 0);
        int msg;
        CHECK_OK(gmpi_mprobe(r, 1, 77, W, &msg, &st));
        int buf[5];
        CHECK_OK(gmpi_mrecv(r, buf, 5, GMPI_INT, &msg, &st));
        CHECK_EQ(buf[4], 5);
        CHECK_EQ(msg, GMPI_MESSAGE_NULL);
        CHECK_OK(gmpi_recv(r, buf, 3, GMPI_INT, 1, 78, W, &st));
        CHECK_EQ(buf[2], 3);
        /* nothing left */
        CHECK_OK(gmpi_iprobe(r, GMPI_ANY_SOURCE, GMPI_ANY_TAG, W, &flag, &st));
        CHECK_EQ(flag, 0);
    }
}

static void truncation(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 0) {
        int v[4] = {1, 2, 3, 4};
        CHECK_OK(gmpi_send(r, v, 4, GMPI_INT, 1, 0, W));
    } else if (rank == 1) {
        int v[2] = {0, 0};
        gmpi_status st;
        CHECK_EQ(gmpi_recv(r, v, 2, GMPI_INT, 0, 0, W, &st), GMPI_ERR_TRUNCATE);
        CHECK_EQ(v[0], 1);
        CHECK_EQ(v[1], 2);
    }
}

static void proc_null(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    int v = 5;
    gmpi_status st;
    CHECK_OK(gmpi_send(r, &v, 1, GMPI_INT, GMPI_PROC_NULL, 0, W));
    CHECK_OK(gmpi_recv(r, &v, 1, GMPI_INT, GMPI_PROC_NULL, 0, W, &st));
    CHECK_EQ(st.source, GMPI_PROC_NULL);
    CHECK_EQ(st.tag, GMPI_ANY_TAG);
    int n;
    CHECK_OK(gmpi_get_count(r, &st, GMPI_INT, &n));
    CHECK_EQ(n, 0);
    CHECK_EQ(v, 5);
    int req;
    CHECK_OK(gmpi_irecv(r, &v, 1, GMPI_INT, GMPI_PROC_NULL, 0, W, &req));
    CHECK_OK(gmpi_wait(r, &req, &st));
    CHECK_EQ(st.source, GMPI_PROC_NULL);
}

static void ring_sendrecv(gmpi_rank *r, int rank, int size) {
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int out = rank, in = -1;
    gmpi_status st;
    CHECK_OK(gmpi_sendrecv(r, &out, 1, GMPI_INT, right, 4, &in, 1, GMPI_INT, left, 4, W, &st));
    CHECK_EQ(in, left);
    CHECK_EQ(st.source, left);
    double big[3000];
    for (int i = 0; i < 3000; i++)
        big[i] = rank + i;
    CHECK_OK(gmpi_sendrecv_replace(r, big, 3000, GMPI_DOUBLE, right, 5, left, 5, W, &st));
    CHECK(big[0] == left && big[2999] == left + 2999);
}

static void persistent(gmpi_rank *r, int rank, int size) {
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int out = 0, in = 0, reqs[2];
    CHECK_OK(gmpi_send_init(r, &out, 1, GMPI_INT, right, 0, W, &reqs[0]));
    CHECK_OK(gmpi_recv_init(r, &in, 1, GMPI_INT, left, 0, W, &reqs[1]));
    for (int it = 0; it < 50; it++) {
        out = rank * 1000 + it;
        CHECK_OK(gmpi_start(r, &reqs[1]));
        CHECK_OK(gmpi_start(r, &reqs[0]));
        CHECK_OK(gmpi_waitall(r, 2, reqs, NULL));
        CHECK_EQ(in, left * 1000 + it);
        CHECK(reqs[0] != GMPI_REQUEST_NULL);
    }
    /* waiting on an inactive persistent request returns at once */
    CHECK_OK(gmpi_wait(r, &reqs[0], NULL));
    CHECK_OK(gmpi_request_free(r, &reqs[0]));
    CHECK_OK(gmpi_request_free(r, &reqs[1]));
    CHECK_EQ(gmpi_rank_live_requests(r), 0);
}

static void cancel_and_free(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 0) {
        int v, req, flag;
        gmpi_status st;
        CHECK_OK(gmpi_irecv(r, &v, 1, GMPI_INT, 1, 123, W, &req));
        CHECK_OK(gmpi_cancel(r, &req));
        CHECK_OK(gmpi_wait(r, &req, &st));
        CHECK_OK(gmpi_test_cancelled(&st, &flag));
        CHECK_EQ(flag, 1);
        /* a request freed while pending still completes (rank 1 receives it) */
        int w = 55;
        CHECK_OK(gmpi_isend(r, &w, 1, GMPI_INT, 1, 124, W, &req));
        CHECK_OK(gmpi_request_free(r, &req));
        CHECK_EQ(req, GMPI_REQUEST_NULL);
        CHECK_OK(gmpi_barrier(r, W));
    } else if (rank == 1) {
        int v;
        CHECK_OK(gmpi_recv(r, &v, 1, GMPI_INT, 0, 124, W, NULL));
        CHECK_EQ(v, 55);
        CHECK_OK(gmpi_barrier(r, W));
    } else {
        CHECK_OK(gmpi_barrier(r, W));
    }
}

/* Every size from 0 to 5000 bytes (inline in one slot, spanning several, or in an envelope),
 * received posted and unexpected, into a contiguous buffer and into a strided type. */
static void all_sizes(gmpi_rank *r, int rank, int size) {
    (void)size;
    enum { MAX = 5000, STEP = 37 };
    unsigned char *buf = malloc(MAX), *got = malloc(2 * MAX);
    int strided;
    CHECK_OK(gmpi_type_vector(r, MAX, 1, 2, GMPI_BYTE, &strided));
    CHECK_OK(gmpi_type_commit(r, &strided));
    if (rank == 0) {
        for (int n = 0; n <= MAX; n += STEP) {
            for (int i = 0; i < n; i++)
                buf[i] = (unsigned char)(i * 13 + n);
            CHECK_OK(gmpi_send(r, buf, n, GMPI_BYTE, 1, 1, W)); /* received unexpected */
        }
        CHECK_OK(gmpi_barrier(r, W));
        CHECK_OK(gmpi_barrier(r, W)); /* rank 1 has posted its receives */
        for (int n = 0; n <= MAX; n += STEP) {
            for (int i = 0; i < n; i++)
                buf[i] = (unsigned char)(i * 7 + n);
            CHECK_OK(gmpi_send(r, buf, n, GMPI_BYTE, 1, 2, W));
        }
    } else if (rank == 1) {
        CHECK_OK(gmpi_barrier(r, W));
        for (int n = 0; n <= MAX; n += STEP) {
            gmpi_status st;
            int k;
            if (n % 2) { /* into every other byte */
                memset(got, 0, 2 * MAX);
                CHECK_OK(gmpi_recv(r, got, 1, strided, 0, 1, W, &st));
                bool ok = true;
                for (int i = 0; i < n; i++)
                    ok &= got[2 * i] == (unsigned char)(i * 13 + n);
                CHECK(ok);
            } else {
                CHECK_OK(gmpi_recv(r, got, MAX, GMPI_BYTE, 0, 1, W, &st));
                bool ok = true;
                for (int i = 0; i < n; i++)
                    ok &= got[i] == (unsigned char)(i * 13 + n);
                CHECK(ok);
            }
            CHECK_OK(gmpi_get_count(r, &st, GMPI_BYTE, &k));
            CHECK_EQ(k, n);
        }
        int nmsg = MAX / STEP + 1, *reqs = malloc(sizeof(int) * (size_t)nmsg);
        unsigned char *slots = malloc((size_t)nmsg * MAX);
        for (int i = 0; i < nmsg; i++)
            CHECK_OK(gmpi_irecv(r, slots + (size_t)i * MAX, MAX, GMPI_BYTE, 0, 2, W, &reqs[i]));
        CHECK_OK(gmpi_barrier(r, W));
        CHECK_OK(gmpi_waitall(r, nmsg, reqs, NULL));
        bool ok = true;
        for (int i = 0, n = 0; i < nmsg; i++, n += STEP)
            for (int j = 0; j < n; j++)
                ok &= slots[(size_t)i * MAX + j] == (unsigned char)(j * 7 + n);
        CHECK(ok);
        /* a truncated multi-slot message */
        free(reqs);
        free(slots);
    } else {
        CHECK_OK(gmpi_barrier(r, W));
        CHECK_OK(gmpi_barrier(r, W));
    }
    if (rank == 0) {
        memset(buf, 5, 1000);
        CHECK_OK(gmpi_send(r, buf, 1000, GMPI_BYTE, 1, 3, W));
    } else if (rank == 1) {
        memset(got, 0, 600);
        CHECK_EQ(gmpi_recv(r, got, 500, GMPI_BYTE, 0, 3, W, NULL), GMPI_ERR_TRUNCATE);
        CHECK(got[499] == 5 && got[500] == 0);
    }
    CHECK_OK(gmpi_type_free(r, &strided));
    free(buf);
    free(got);
}

/* More small messages than a ring holds, sent with MPI_Isend while the receiver is busy: the
 * sends wait in the sender's pending list (never blocking), arrive in order, and a pending
 * rendezvous send can still be cancelled. */
static void ring_overflow(gmpi_rank *r, int rank, int size) {
    (void)size;
    enum { N = 1000 };
    int *vals = malloc(N * sizeof(int)), *reqs = malloc(N * sizeof(int));
    if (rank == 1) {
        for (int i = 0; i < N; i++) {
            vals[i] = i;
            CHECK_OK(gmpi_isend(r, &vals[i], 1, GMPI_INT, 0, 3, W, &reqs[i]));
        }
        static double big[100000];
        int breq, flag;
        CHECK_OK(gmpi_isend(r, big, 100000, GMPI_DOUBLE, 0, 4, W, &breq));
        CHECK_OK(gmpi_cancel(r, &breq));
        gmpi_status st;
        CHECK_OK(gmpi_wait(r, &breq, &st));
        CHECK_OK(gmpi_test_cancelled(&st, &flag));
        CHECK_EQ(flag, 1);
        CHECK_OK(gmpi_barrier(r, W));
        CHECK_OK(gmpi_waitall(r, N, reqs, NULL));
    } else if (rank == 0) {
        CHECK_OK(gmpi_barrier(r, W));
        for (int i = 0; i < N; i++) {
            int v;
            CHECK_OK(gmpi_recv(r, &v, 1, GMPI_INT, 1, 3, W, NULL));
            CHECK_EQ(v, i);
        }
        int flag;
        CHECK_OK(gmpi_iprobe(r, 1, 4, W, &flag, NULL));
        CHECK_EQ(flag, 0); /* the cancelled one never shows */
    } else {
        CHECK_OK(gmpi_barrier(r, W));
    }
    free(vals);
    free(reqs);
}

static void errors(gmpi_rank *r, int rank, int size) {
    CHECK_OK(gmpi_comm_set_errhandler(r, W, GMPI_ERRORS_RETURN));
    int v = 0, req;
    CHECK_EQ(gmpi_send(r, &v, 1, GMPI_INT, size, 0, W), GMPI_ERR_RANK);
    CHECK_EQ(gmpi_send(r, &v, 1, GMPI_INT, -5, 0, W), GMPI_ERR_RANK);
    CHECK_EQ(gmpi_send(r, &v, 1, GMPI_INT, 0, -1, W), GMPI_ERR_TAG);
    CHECK_EQ(gmpi_send(r, &v, -1, GMPI_INT, 0, 0, W), GMPI_ERR_COUNT);
    CHECK_EQ(gmpi_send(r, &v, 1, 9999, 0, 0, W), GMPI_ERR_TYPE);
    CHECK_EQ(gmpi_send(r, &v, 1, GMPI_INT, 0, 0, 77), GMPI_ERR_COMM);
    CHECK_EQ(gmpi_recv(r, &v, 1, GMPI_INT, 0, -7, W, NULL), GMPI_ERR_TAG);
    CHECK_EQ(gmpi_isend(r, &v, 1, GMPI_DATATYPE_NULL, 0, 0, W, &req), GMPI_ERR_TYPE);
    int bad = 12345;
    CHECK_EQ(gmpi_wait(r, &bad, NULL), GMPI_ERR_REQUEST);
    int t;
    CHECK_OK(gmpi_type_contiguous(r, 2, GMPI_INT, &t));
    CHECK_EQ(gmpi_send(r, &v, 1, t, 0, 0, W), GMPI_ERR_TYPE); /* not committed */
    CHECK_OK(gmpi_type_free(r, &t));
    CHECK_EQ(gmpi_error(r, W, GMPI_ERR_RANK, "MPI_Send"), GMPI_ERR_RANK);
    char text[GMPI_MAX_ERROR_STRING];
    int len;
    CHECK_OK(gmpi_error_string(GMPI_ERR_TRUNCATE, text, &len));
    CHECK(strstr(text, "truncated") != NULL);
    (void)rank;
}

/* all_sizes sends up to 5000 bytes before any receive is posted: every size must be eager. */
static void big_eager(gmpi_world *w) {
    gmpi_world_set_eager_limit(w, 8192);
}

static void small_eager(gmpi_world *w) {
    gmpi_world_set_eager_limit(w, 0);
}

/* With eager limit 0 every unmatched message is a rendezvous. */
static void all_rendezvous(gmpi_rank *r, int rank, int size) {
    non_overtaking(r, rank, size);
    ring_sendrecv(r, rank, size);
}

/* Inline messages of every slot count, at every position of the ring (wrap-around included), with
 * payloads of small counting integers (what a stale slot header would hold), sent from a strided
 * type and received alternately posted and unexpected. */
static void inline_stream(gmpi_rank *r, int rank, int size) {
    (void)size;
    enum { MAXW = 1100, ROUNDS = 3 };
    int *buf = malloc(2 * MAXW * sizeof(int)), *got = malloc(MAXW * sizeof(int));
    int strided;
    CHECK_OK(gmpi_type_vector(r, MAXW, 1, 2, GMPI_INT, &strided));
    CHECK_OK(gmpi_type_commit(r, &strided));
    int tag = 0;
    for (int round = 0; round < ROUNDS; round++)
        for (int n = 1; n <= MAXW; n += 13, tag++) {
            if (rank == 0) {
                for (int i = 0; i < n; i++)
                    buf[2 * i] = i + tag; /* every other int: the strided type picks these */
                /* the strided type sends whole instances: send n ints of stride 2 */
                int one;
                CHECK_OK(gmpi_type_vector(r, n, 1, 2, GMPI_INT, &one));
                CHECK_OK(gmpi_type_commit(r, &one));
                CHECK_OK(gmpi_send(r, buf, 1, one, 1, tag % 7, W));
                CHECK_OK(gmpi_type_free(r, &one));
            } else if (rank == 1) {
                gmpi_status st;
                memset(got, 0xff, MAXW * sizeof(int));
                if (tag % 2) {
                    int req;
                    CHECK_OK(gmpi_irecv(r, got, MAXW, GMPI_INT, 0, tag % 7, W, &req));
                    CHECK_OK(gmpi_wait(r, &req, &st));
                } else {
                    CHECK_OK(gmpi_recv(r, got, MAXW, GMPI_INT, 0, tag % 7, W, &st));
                }
                int k;
                CHECK_OK(gmpi_get_count(r, &st, GMPI_INT, &k));
                CHECK_EQ(k, n);
                bool ok = true;
                for (int i = 0; i < n; i++)
                    ok &= got[i] == i + tag;
                CHECK(ok);
            }
        }
    CHECK_OK(gmpi_type_free(r, &strided));
    free(buf);
    free(got);
}

/* Eager nonblocking sends that complete at once share one handle: every completion and query
 * function treats it as a completed send. */
static void completed_send_handle(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 0) {
        int v[4] = {1, 2, 3, 4}, req[4], flag = 0, idx = -1;
        gmpi_status st;
        for (int i = 0; i < 4; i++)
            CHECK_OK(gmpi_isend(r, &v[i], 1, GMPI_INT, 1, i, W, &req[i]));
        CHECK(req[0] != GMPI_REQUEST_NULL);
        CHECK_OK(gmpi_request_get_status(r, req[0], &flag, &st));
        CHECK_EQ(flag, 1);
        CHECK_OK(gmpi_cancel(r, &req[0])); /* complete: cancelling does nothing */
        CHECK_OK(gmpi_test(r, &req[0], &flag, &st));
        CHECK_EQ(flag, 1);
        CHECK_EQ(req[0], GMPI_REQUEST_NULL);
        CHECK_OK(gmpi_test_cancelled(&st, &flag));
        CHECK_EQ(flag, 0);
        CHECK_OK(gmpi_request_free(r, &req[1]));
        CHECK_EQ(req[1], GMPI_REQUEST_NULL);
        CHECK_OK(gmpi_waitany(r, 4, req, &idx, &st));
        CHECK_EQ(idx, 2);
        int start = req[3];
        CHECK_EQ(gmpi_start(r, &start), GMPI_ERR_REQUEST); /* not persistent */
        CHECK_OK(gmpi_waitall(r, 4, req, NULL));
        for (int i = 0; i < 4; i++)
            CHECK_EQ(req[i], GMPI_REQUEST_NULL);
    } else if (rank == 1) {
        for (int i = 0; i < 4; i++) {
            int x;
            CHECK_OK(gmpi_recv(r, &x, 1, GMPI_INT, 0, i, W, NULL));
            CHECK_EQ(x, i + 1);
        }
    }
}

/* Continuation cells hold payload where a header's sequence number would be. Here each payload
 * word that lies on a continuation cell's sequence number is made of exactly the value that cell
 * would carry as a head one lap later, with one- and eleven-cell messages alternating so that
 * those cells become heads: a stale cell taken for a new message would show up as wrong data. */
static void stale_slots(gmpi_rank *r, int rank, int size) {
    (void)size;
    enum { N = 2000, INTS = 75 }; /* 300 bytes: eleven cells */
    unsigned idx = 0; /* the ring index of the next message's head (a fresh world: a new ring) */
    int buf[INTS], got[INTS];
    for (int m = 0; m < N; m++) {
        int n = m % 3 == 0 ? 2 : INTS; /* 8 bytes: one cell */
        for (int i = 0; i < n; i++) {
            int off = GMPI_CELL_HEADER + 4 * i; /* from the head cell's start */
            buf[i] = off % GMPI_CELL_SIZE == 0 ? (int)(idx + (unsigned)(off / GMPI_CELL_SIZE) +
                                                       gmpi_ring_cells(gmpi_rank_world(r)) + 1)
                                               : m;
        }
        char ack = 0;
        if (rank == 0) {
            for (volatile int z = 0; z < 1000; z++) /* the receiver waits at the next cell */
                ;
            CHECK_OK(gmpi_send(r, buf, n, GMPI_INT, 1, 0, W));
            CHECK_OK(gmpi_recv(r, &ack, 1, GMPI_CHAR, 1, 1, W, NULL)); /* never runs ahead */
        } else if (rank == 1) {
            gmpi_status st;
            int k;
            CHECK_OK(gmpi_recv(r, got, INTS, GMPI_INT, 0, 0, W, &st));
            CHECK_OK(gmpi_send(r, &ack, 1, GMPI_CHAR, 0, 1, W));
            CHECK_OK(gmpi_get_count(r, &st, GMPI_INT, &k));
            CHECK_EQ(k, n);
            CHECK(memcmp(got, buf, (size_t)n * sizeof(int)) == 0);
        }
        idx += (unsigned)(GMPI_CELL_HEADER + 4 * n + GMPI_CELL_SIZE - 1) / GMPI_CELL_SIZE;
    }
}

/* A receive matches what was drained before it, else waits in the posted queue for the next
 * drain: messages that sit undrained in the ring when receives are posted (the receiver makes no
 * MPI call meanwhile), some of them already drained into the unexpected list by a probe, must
 * still pair with the receives in arrival order, wildcards included. */
static void posted_before_drain(gmpi_rank *r, int rank, int size) {
    (void)size;
    enum { N = 12 };
    for (int round = 0; round < 2; round++) {
        if (rank == 0) {
            for (int i = 0; i < N / 2; i++)
                CHECK_OK(gmpi_send(r, &i, 1, GMPI_INT, 1, i % 3, W));
            char go;
            CHECK_OK(gmpi_recv(r, &go, 1, GMPI_CHAR, 1, 9, W, NULL));
            for (int i = N / 2; i < N; i++)
                CHECK_OK(gmpi_send(r, &i, 1, GMPI_INT, 1, i % 3, W));
            CHECK_OK(gmpi_send(r, &go, 1, GMPI_CHAR, 1, 8, W)); /* after the others */
        } else if (rank == 1) {
            struct timespec pause = {0, 20 * 1000 * 1000};
            nanosleep(&pause, NULL); /* the first half sits in the ring */
            int flag;
            gmpi_status st;
            CHECK_OK(gmpi_iprobe(r, 0, 2, W, &flag, &st)); /* drains: first half unexpected */
            char go = 1;
            CHECK_OK(gmpi_send(r, &go, 1, GMPI_CHAR, 0, 9, W));
            nanosleep(&pause, NULL); /* the second half sits in the ring, undrained */
            int got[N], reqs[N];
            gmpi_status sts[N];
            for (int i = 0; i < N; i++)
                got[i] = -1;
            /* round 0: wildcards take everything in order; round 1: by tag, in order per tag */
            for (int i = 0; i < N; i++) {
                int tag = round == 0 ? GMPI_ANY_TAG : i % 3;
                int src = round == 0 && i % 2 ? GMPI_ANY_SOURCE : 0;
                int slot = round == 0 ? i : (i % 3) * (N / 3) + i / 3;
                CHECK_OK(gmpi_irecv(r, &got[slot], 1, GMPI_INT, src, tag, W, &reqs[i]));
            }
            CHECK_OK(gmpi_waitall(r, N, reqs, sts));
            for (int i = 0; i < N; i++) {
                int want = round == 0 ? i : (i / (N / 3)) + 3 * (i % (N / 3));
                CHECK_EQ(got[i], want);
            }
            for (int i = 0; i < N; i++) {
                CHECK_EQ(sts[i].source, 0);
                CHECK_EQ(sts[i].tag, i % 3);
            }
            CHECK_OK(gmpi_recv(r, &go, 1, GMPI_CHAR, 0, 8, W, NULL));
        }
    }
}

/* Streams of tiny and mixed-size messages from several senders at once, far more than a ring
 * holds, received with MPI_ANY_SOURCE in windows of nonblocking receives: every byte and the
 * order of each sender's messages must survive the ring's wrap-around and the pending list. */
static void tiny_streams(gmpi_rank *r, int rank, int size) {
    enum { PER_SENDER = 3000, WINDOW = 100, MAXB = 4100 };
    static const int sizes[] = {0,   1,   8,   16,  24, 32, 40,   48,   56,   64, 100,
                                200, 216, 217, 300, 8,  8,  1000, 4096, 4097, 8,  4};
    enum { NSIZES = (int)(sizeof sizes / sizeof sizes[0]) };
    int senders = size - 1;
    unsigned char(*buf)[MAXB] = malloc(WINDOW * sizeof *buf);
    int reqs[WINDOW];
    if (rank > 0) {
        for (int m = 0; m < PER_SENDER; m += WINDOW) {
            for (int w = 0; w < WINDOW; w++) {
                int k = m + w, n = sizes[(k * 7 + rank) % NSIZES];
                for (int i = 0; i < n; i++)
                    buf[w][i] = (unsigned char)(k * 31 + i + rank);
                CHECK_OK(gmpi_isend(r, buf[w], n, GMPI_BYTE, 0, k % 5, W, &reqs[w]));
            }
            CHECK_OK(gmpi_waitall(r, WINDOW, reqs, NULL));
        }
    } else {
        int *next = calloc((size_t)size, sizeof *next);
        gmpi_status sts[WINDOW];
        bool ok = true;
        for (int m = 0; m < PER_SENDER * senders; m += WINDOW) {
            for (int w = 0; w < WINDOW; w++)
                CHECK_OK(gmpi_irecv(r, buf[w], MAXB, GMPI_BYTE, GMPI_ANY_SOURCE, GMPI_ANY_TAG, W,
                                    &reqs[w]));
            CHECK_OK(gmpi_waitall(r, WINDOW, reqs, sts));
            for (int w = 0; w < WINDOW; w++) {
                int src = sts[w].source, k = next[src]++, n = sizes[(k * 7 + src) % NSIZES];
                int got;
                CHECK_OK(gmpi_get_count(r, &sts[w], GMPI_BYTE, &got));
                ok &= got == n && sts[w].tag == k % 5;
                for (int i = 0; i < n && i < got; i++)
                    ok &= buf[w][i] == (unsigned char)(k * 31 + i + src);
            }
        }
        CHECK(ok);
        for (int s = 1; s < size; s++)
            CHECK_EQ(next[s], PER_SENDER);
        free(next);
    }
    free(buf);
}

static void smallest_rings(gmpi_world *w) {
    gmpi_world_set_ring_cells(w, GMPI_RING_MIN_CELLS);
}

static const mt_test tests[] = {
    {"basic_tags", 2, basic_tags, NULL},
    {"non_overtaking", 4, non_overtaking, NULL},
    {"large_rendezvous", 2, large_rendezvous, NULL},
    {"ssend_waits", 3, ssend_waits, NULL},
    {"nonblocking_all", 6, nonblocking_all, NULL},
    {"test_polling", 2, test_polling, NULL},
    {"probes", 2, probes, NULL},
    {"truncation", 2, truncation, NULL},
    {"proc_null", 1, proc_null, NULL},
    {"ring_sendrecv", 5, ring_sendrecv, NULL},
    {"persistent", 3, persistent, NULL},
    {"cancel_and_free", 3, cancel_and_free, NULL},
    {"errors", 2, errors, NULL},
    {"ring_overflow", 3, ring_overflow, NULL},
    {"all_sizes", 3, all_sizes, big_eager},
    {"all_rendezvous", 4, all_rendezvous, small_eager},
    {"oversubscribed_16", 16, nonblocking_all, NULL},
    {"inline_stream", 2, inline_stream, NULL},
    {"completed_send_handle", 2, completed_send_handle, NULL},
    {"stale_slots", 2, stale_slots, NULL},
    {"posted_before_drain", 2, posted_before_drain, NULL},
    {"tiny_streams_2", 2, tiny_streams, NULL},
    {"tiny_streams_4", 4, tiny_streams, NULL},
    {"tiny_streams_small_rings", 3, tiny_streams, smallest_rings},
    {"stale_slots_small_rings", 2, stale_slots, smallest_rings},
};

int main(int argc, char **argv) {
    return mt_main(argc, argv, tests, (int)(sizeof tests / sizeof tests[0]));
}

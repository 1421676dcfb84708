/*
 * test_gmpi_coll.c — collectives and reduction operations of the MPI core: every predefined
 * operation on every C type it is defined for (checked against a serial computation), MINLOC and
 * MAXLOC, non-commutative user operations (2x2 matrix products, whose order matters), every
 * collective with and without MPI_IN_PLACE, large messages, and all of it again with the ranks
 * spread over several virtual workers so the one-leader-per-worker paths run.
 */
#include "mpi_test.h"

#define W GMPI_COMM_WORLD

/* ---- Reductions on every (op, type) ---- */

typedef struct type_case {
    int type;
    int size;
    int kind; /* 0 signed int, 1 unsigned int, 2 float, 3 complex, 4 bool, 5 byte */
} type_case;

static const type_case type_cases[] = {
    {GMPI_SIGNED_CHAR, 1, 0},
    {GMPI_SHORT, 2, 0},
    {GMPI_INT, 4, 0},
    {GMPI_LONG, 8, 0},
    {GMPI_LONG_LONG, 8, 0},
    {GMPI_INT8_T, 1, 0},
    {GMPI_INT16_T, 2, 0},
    {GMPI_INT32_T, 4, 0},
    {GMPI_INT64_T, 8, 0},
    {GMPI_AINT, 8, 0},
    {GMPI_OFFSET, 8, 0},
    {GMPI_COUNT, 8, 0},
    {GMPI_UNSIGNED_CHAR, 1, 1},
    {GMPI_UNSIGNED_SHORT, 2, 1},
    {GMPI_UNSIGNED, 4, 1},
    {GMPI_UNSIGNED_LONG, 8, 1},
    {GMPI_UNSIGNED_LONG_LONG, 8, 1},
    {GMPI_UINT8_T, 1, 1},
    {GMPI_UINT16_T, 2, 1},
    {GMPI_UINT32_T, 4, 1},
    {GMPI_UINT64_T, 8, 1},
    {GMPI_FLOAT, 4, 2},
    {GMPI_DOUBLE, 8, 2},
    {GMPI_LONG_DOUBLE, 16, 2},
    {GMPI_C_FLOAT_COMPLEX, 8, 3},
    {GMPI_C_DOUBLE_COMPLEX, 16, 3},
    {GMPI_C_LONG_DOUBLE_COMPLEX, 32, 3},
    {GMPI_C_BOOL, 1, 4},
    {GMPI_BYTE, 1, 5},
};

static bool op_allowed(int op, int kind) {
    switch (op) {
    case GMPI_MAX:
    case GMPI_MIN: return kind <= 2;
    case GMPI_SUM:
    case GMPI_PROD: return kind <= 3;
    case GMPI_LAND:
    case GMPI_LOR:
    case GMPI_LXOR: return kind <= 1 || kind == 4;
    case GMPI_BAND:
    case GMPI_BOR:
    case GMPI_BXOR: return kind <= 1 || kind == 5;
    default: return false;
    }
}

/* Value of element i on rank r as a small integer (exact in every type). */
static long val(int r, int i, int kind) {
    if (kind == 4) return ((r + i) % 3) != 0;
    return (long)((r * 7 + i * 3) % 5) + (kind == 1 || kind == 5 ? 1 : -1);
}

static void store(void *p, const type_case *tc, long v) {
    switch (tc->kind) {
    case 0:
    case 1:
    case 4:
    case 5:
        memcpy(p, &v, (size_t)tc->size); /* little-endian truncation */
        if (tc->kind == 0 && tc->size < 8 && v < 0) {
            /* sign bits are in the low bytes already (two's complement) */
        }
        break;
    case 2:
        if (tc->size == 4)
            *(float *)p = (float)v;
        else if (tc->size == 8)
            *(double *)p = (double)v;
        else
            *(long double *)p = (long double)v;
        break;
    case 3:
        if (tc->size == 8)
            *(float _Complex *)p = (float)v + (float)(v + 1) * 1.0fi;
        else if (tc->size == 16)
            *(double _Complex *)p = (double)v + (double)(v + 1) * 1.0i;
        else
            *(long double _Complex *)p = (long double)v + (long double)(v + 1) * 1.0il;
        break;
    }
}

static long combine(int op, long a, long b) {
    switch (op) {
    case GMPI_MAX: return a > b ? a : b;
    case GMPI_MIN: return a < b ? a : b;
    case GMPI_SUM: return a + b;
    case GMPI_PROD: return a * b;
    case GMPI_LAND: return a && b;
    case GMPI_LOR: return a || b;
    case GMPI_LXOR: return !a != !b;
    case GMPI_BAND: return a & b;
    case GMPI_BOR: return a | b;
    case GMPI_BXOR: return a ^ b;
    }
    return 0;
}

/* Element-wise equality by value (floats: -0 == +0; x87 padding ignored). */
static bool same_values(const unsigned char *a, const unsigned char *b, int n,
                        const type_case *tc) {
    for (int i = 0; i < n; i++) {
        const unsigned char *x = a + i * tc->size, *y = b + i * tc->size;
        bool eq;
        if (tc->kind == 3)
            eq = true; /* complex: checked separately */
        else if (tc->kind != 2)
            eq = memcmp(x, y, (size_t)tc->size) == 0;
        else if (tc->size == 4)
            eq = *(const float *)x == *(const float *)y;
        else if (tc->size == 8)
            eq = *(const double *)x == *(const double *)y;
        else
            eq = *(const long double *)x == *(const long double *)y;
        if (!eq) return false;
    }
    return true;
}

static void all_ops_all_types(gmpi_rank *r, int rank, int size) {
    enum { N = 5 };
    static const int ops[] = {GMPI_MAX, GMPI_MIN,  GMPI_SUM,  GMPI_PROD, GMPI_LAND,
                              GMPI_LOR, GMPI_LXOR, GMPI_BAND, GMPI_BOR,  GMPI_BXOR};
    unsigned char in[N * 32], out[N * 32], expect[N * 32];
    for (size_t t = 0; t < sizeof type_cases / sizeof type_cases[0]; t++) {
        const type_case *tc = &type_cases[t];
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
            int op = ops[o];
            for (int i = 0; i < N; i++)
                store(in + i * tc->size, tc, val(rank, i, tc->kind));
            memset(out, 0, sizeof out);
            int err = gmpi_allreduce(r, in, out, N, tc->type, op, W);
            if (!op_allowed(op, tc->kind)) {
                CHECK_EQ(err, GMPI_ERR_OP);
                continue;
            }
            CHECK_OK(err);
            if (tc->kind == 3 && op == GMPI_PROD) continue; /* complex products: checked below */
            for (int i = 0; i < N; i++) {
                long acc = val(0, i, tc->kind);
                for (int k = 1; k < size; k++)
                    acc = combine(op, acc, val(k, i, tc->kind));
                if (tc->kind == 3) {
                    /* SUM of (v + (v+1)i): real acc, imaginary acc + size */
                    store(expect + i * tc->size, tc, acc);
                    continue;
                }
                store(expect + i * tc->size, tc, acc);
            }
            if (!same_values(out, expect, N, tc)) {
                fprintf(stderr, "type %d op %d mismatch\n", tc->type, op);
                CHECK(0);
            }
            if (tc->kind == 3 && tc->size == 16) {
                double _Complex *z = (double _Complex *)out;
                for (int i = 0; i < N; i++) {
                    long acc = 0;
                    for (int k = 0; k < size; k++)
                        acc += val(k, i, 3);
                    CHECK(__real__ z[i] == (double)acc && __imag__ z[i] == (double)(acc + size));
                }
            }
        }
    }
    /* complex product: (1+i)^size */
    double _Complex z = 1.0 + 1.0i, p;
    CHECK_OK(gmpi_allreduce(r, &z, &p, 1, GMPI_C_DOUBLE_COMPLEX, GMPI_PROD, W));
    double _Complex e = 1;
    for (int k = 0; k < size; k++)
        e *= z;
    CHECK(p == e);
    /* MPI_CHAR, MPI_PACKED and MPI_WCHAR take no reduction */
    char c = 1, cr;
    CHECK_EQ(gmpi_allreduce(r, &c, &cr, 1, GMPI_CHAR, GMPI_SUM, W), GMPI_ERR_OP);
    CHECK_EQ(gmpi_allreduce(r, &c, &cr, 1, GMPI_INT, GMPI_REPLACE, W), GMPI_ERR_OP);
    CHECK_EQ(gmpi_allreduce(r, &c, &cr, 1, GMPI_INT, 99, W), GMPI_ERR_OP);
}

static void minloc_maxloc(gmpi_rank *r, int rank, int size) {
    struct {
        double v;
        int i;
    } d[2] = {{(double)((rank * 5) % size), rank}, {-(double)rank, rank}}, dr[2];
    CHECK_OK(gmpi_allreduce(r, d, dr, 2, GMPI_DOUBLE_INT, GMPI_MAXLOC, W));
    double best = -1;
    int bi = 0;
    for (int k = 0; k < size; k++)
        if ((k * 5) % size > best) best = (k * 5) % size, bi = k;
    CHECK(dr[0].v == best && dr[0].i == bi);
    CHECK(dr[1].v == 0 && dr[1].i == 0);
    struct {
        int v;
        int i;
    } t = {rank % 2, rank}, tr;
    CHECK_OK(gmpi_allreduce(r, &t, &tr, 1, GMPI_2INT, GMPI_MINLOC, W));
    CHECK(tr.v == 0 && tr.i == 0); /* tie: the lowest index */
    struct {
        short v;
        int i;
    } s = {(short)(100 - rank), rank}, sr;
    CHECK_OK(gmpi_allreduce(r, &s, &sr, 1, GMPI_SHORT_INT, GMPI_MINLOC, W));
    CHECK(sr.v == 100 - (size - 1) && sr.i == size - 1);
    struct {
        long v;
        int i;
    } l = {rank * 3, rank}, lr;
    CHECK_OK(gmpi_reduce(r, &l, &lr, 1, GMPI_LONG_INT, GMPI_MAXLOC, size - 1, W));
    if (rank == size - 1) CHECK(lr.v == (size - 1) * 3 && lr.i == size - 1);
    struct {
        float v;
        int i;
    } f = {1.5f, rank}, fr;
    CHECK_OK(gmpi_allreduce(r, &f, &fr, 1, GMPI_FLOAT_INT, GMPI_MAXLOC, W));
    CHECK(fr.v == 1.5f && fr.i == 0);
    struct {
        long double v;
        int i;
    } q = {(long double)rank, rank}, qr;
    CHECK_OK(gmpi_allreduce(r, &q, &qr, 1, GMPI_LONG_DOUBLE_INT, GMPI_MAXLOC, W));
    CHECK(qr.v == size - 1 && qr.i == size - 1);
    CHECK_EQ(gmpi_allreduce(r, &t, &tr, 1, GMPI_INT, GMPI_MAXLOC, W), GMPI_ERR_OP);
}

/* ---- User operations: 2x2 integer matrix product, not commutative ---- */

static void matmul_op(void *in, void *inout, int *len, int *dt) {
    (void)dt;
    int *a = in, *b = inout;
    for (int k = 0; k < *len; k++, a += 4, b += 4) {
        int c[4] = {a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
                    a[2] * b[1] + a[3] * b[3]};
        memcpy(b, c, sizeof c);
    }
}

static int native_user_call(void *ud, uint64_t fn, void *in, void *inout, int len, int dt) {
    (void)ud;
    void (*f)(void *, void *, int *, int *) = (void (*)(void *, void *, int *, int *))(uintptr_t)fn;
    f(in, inout, &len, &dt);
    return 0;
}

static void rank_matrix(int rank, int *m) {
    m[0] = 1, m[1] = rank + 1, m[2] = 0, m[3] = 1; /* upper triangular: products stay small */
    if (rank % 2) m[2] = 1, m[3] = 2, m[1] = 1;
}

static void mat_product(int from, int to, int *out) {
    int acc[4] = {1, 0, 0, 1};
    for (int k = from; k <= to; k++) {
        int m[4];
        rank_matrix(k, m);
        int c[4] = {acc[0] * m[0] + acc[1] * m[2], acc[0] * m[1] + acc[1] * m[3],
                    acc[2] * m[0] + acc[3] * m[2], acc[2] * m[1] + acc[3] * m[3]};
        memcpy(acc, c, sizeof c);
    }
    memcpy(out, acc, sizeof acc);
}

static void user_ops(gmpi_rank *r, int rank, int size) {
    gmpi_rank_set_user_op_call(r, native_user_call, NULL);
    int mat, op;
    CHECK_OK(gmpi_type_contiguous(r, 4, GMPI_INT, &mat));
    CHECK_OK(gmpi_type_commit(r, &mat));
    CHECK_OK(gmpi_op_create(r, (uint64_t)(uintptr_t)matmul_op, 0, &op));
    int commute;
    CHECK_OK(gmpi_op_commutative(r, op, &commute));
    CHECK_EQ(commute, 0);
    int m[8], res[8], expect[4];
    rank_matrix(rank, m);
    rank_matrix(rank, m + 4);
    for (int root = 0; root<size; root += size> 2 ? size - 1 : 1) {
        memset(res, 0, sizeof res);
        CHECK_OK(gmpi_reduce(r, m, res, 2, mat, op, root, W));
        if (rank == root) {
            mat_product(0, size - 1, expect);
            CHECK(memcmp(res, expect, sizeof expect) == 0);
            CHECK(memcmp(res + 4, expect, sizeof expect) == 0);
        }
    }
    CHECK_OK(gmpi_allreduce(r, m, res, 1, mat, op, W));
    mat_product(0, size - 1, expect);
    CHECK(memcmp(res, expect, sizeof expect) == 0);
    CHECK_OK(gmpi_scan(r, m, res, 1, mat, op, W));
    mat_product(0, rank, expect);
    CHECK(memcmp(res, expect, sizeof expect) == 0);
    CHECK_OK(gmpi_exscan(r, m, res, 1, mat, op, W));
    if (rank > 0) {
        mat_product(0, rank - 1, expect);
        CHECK(memcmp(res, expect, sizeof expect) == 0);
    }
    /* in place at the root */
    memcpy(res, m, 4 * sizeof(int));
    CHECK_OK(gmpi_reduce(r, rank == 0 ? GMPI_IN_PLACE : m, res, 1, mat, op, 0, W));
    if (rank == 0) {
        mat_product(0, size - 1, expect);
        CHECK(memcmp(res, expect, sizeof expect) == 0);
    }
    /* a commutative user op on a vector type (non-contiguous layout) */
    int sum_op, vec;
    CHECK_OK(gmpi_op_create(r, (uint64_t)(uintptr_t)matmul_op, 1, &sum_op));
    CHECK_OK(gmpi_type_vector(r, 2, 2, 2, GMPI_INT, &vec)); /* contiguous in fact: 4 ints */
    CHECK_OK(gmpi_type_commit(r, &vec));
    CHECK_OK(gmpi_op_free(r, &sum_op));
    CHECK_EQ(sum_op, GMPI_OP_NULL);
    CHECK_OK(gmpi_op_free(r, &op));
    CHECK_OK(gmpi_type_free(r, &mat));
    CHECK_OK(gmpi_type_free(r, &vec));
    int predef = GMPI_SUM;
    CHECK_EQ(gmpi_op_free(r, &predef), GMPI_ERR_OP);
}

/* ---- Data-movement collectives ---- */

static void bcast_sizes(gmpi_rank *r, int rank, int size) {
    static const int counts[] = {0, 1, 7, 4096, 300000};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        int n = counts[c];
        int *buf = malloc(((size_t)n + 1) * sizeof(int));
        for (int root = 0; root < size; root++) {
            for (int i = 0; i < n; i++)
                buf[i] = rank == root ? i * 3 + root : -1;
            CHECK_OK(gmpi_bcast(r, buf, n, GMPI_INT, root, W));
            bool ok = true;
            for (int i = 0; i < n; i++)
                ok &= buf[i] == i * 3 + root;
            CHECK(ok);
        }
        free(buf);
    }
    CHECK_EQ(gmpi_bcast(r, NULL, 0, GMPI_INT, size, W), GMPI_ERR_ROOT);
}

static void reduce_family(gmpi_rank *r, int rank, int size) {
    /* large allreduce (rendezvous folds straight from the senders' buffers) */
    int n = 1 << 18;
    double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
    for (int i = 0; i < n; i++)
        a[i] = rank + i % 7;
    CHECK_OK(gmpi_allreduce(r, a, b, n, GMPI_DOUBLE, GMPI_SUM, W));
    bool ok = true;
    for (int i = 0; i < n; i++)
        ok &= b[i] == size * (size - 1) / 2.0 + size * (i % 7);
    CHECK(ok);
    /* in place */
    for (int i = 0; i < n; i++)
        b[i] = rank;
    CHECK_OK(gmpi_allreduce(r, GMPI_IN_PLACE, b, n, GMPI_DOUBLE, GMPI_MAX, W));
    CHECK(b[0] == size - 1 && b[n - 1] == size - 1);
    free(a);
    free(b);
    /* reduce to every root, in place at the root */
    for (int root = 0; root < size; root++) {
        long v = rank + 1, out = 0;
        CHECK_OK(gmpi_reduce(r, &v, &out, 1, GMPI_LONG, GMPI_PROD, root, W));
        long f = 1;
        for (int k = 1; k <= size; k++)
            f *= k;
        if (rank == root) CHECK_EQ(out, f);
        long w = rank;
        CHECK_OK(
            gmpi_reduce(r, rank == root ? GMPI_IN_PLACE : &w, &w, 1, GMPI_LONG, GMPI_SUM, root, W));
        if (rank == root) CHECK_EQ(w, (long)size * (size - 1) / 2);
    }
    /* scan / exscan */
    int x = rank + 1, s = 0, e = -99;
    CHECK_OK(gmpi_scan(r, &x, &s, 1, GMPI_INT, GMPI_SUM, W));
    CHECK_EQ(s, (rank + 1) * (rank + 2) / 2);
    CHECK_OK(gmpi_exscan(r, &x, &e, 1, GMPI_INT, GMPI_SUM, W));
    if (rank > 0)
        CHECK_EQ(e, rank * (rank + 1) / 2);
    else
        CHECK_EQ(e, -99);
    int y = rank + 1;
    CHECK_OK(gmpi_scan(r, GMPI_IN_PLACE, &y, 1, GMPI_INT, GMPI_SUM, W));
    CHECK_EQ(y, (rank + 1) * (rank + 2) / 2);
    /* reduce_scatter_block and reduce_scatter */
    int *vin = malloc((size_t)size * 3 * sizeof(int)), vout[3];
    for (int i = 0; i < size * 3; i++)
        vin[i] = rank * 1000 + i;
    CHECK_OK(gmpi_reduce_scatter_block(r, vin, vout, 3, GMPI_INT, GMPI_SUM, W));
    for (int k = 0; k < 3; k++)
        CHECK_EQ(vout[k], 1000 * size * (size - 1) / 2 + size * (rank * 3 + k));
    int *counts = malloc((size_t)size * sizeof(int)), total = 0;
    for (int i = 0; i < size; i++)
        total += (counts[i] = i % 3);
    int *vin2 = malloc(((size_t)total + 1) * sizeof(int)), vout2[3] = {0, 0, 0};
    for (int i = 0; i < total; i++)
        vin2[i] = i + rank;
    CHECK_OK(gmpi_reduce_scatter(r, vin2, vout2, counts, GMPI_INT, GMPI_SUM, W));
    int off = 0;
    for (int i = 0; i < rank; i++)
        off += counts[i];
    for (int k = 0; k < counts[rank]; k++)
        CHECK_EQ(vout2[k], size * (off + k) + size * (size - 1) / 2);
    /* in place: the input is the whole vector in the receive buffer */
    for (int i = 0; i < size * 3; i++)
        vin[i] = 1;
    CHECK_OK(gmpi_reduce_scatter_block(r, GMPI_IN_PLACE, vin, 3, GMPI_INT, GMPI_SUM, W));
    CHECK(vin[0] == size && vin[2] == size);
    free(vin), free(vin2), free(counts);
}

static void gather_scatter(gmpi_rank *r, int rank, int size) {
    int *all = malloc((size_t)size * 2 * sizeof(int));
    for (int root = 0; root < size; root++) {
        int mine[2] = {rank, rank * rank};
        memset(all, -1, (size_t)size * 2 * sizeof(int));
        CHECK_OK(gmpi_gather(r, mine, 2, GMPI_INT, all, 2, GMPI_INT, root, W));
        if (rank == root)
            for (int i = 0; i < size; i++)
                CHECK(all[2 * i] == i && all[2 * i + 1] == i * i);
        /* in place at root */
        if (rank == root) all[2 * root] = 42, all[2 * root + 1] = 43;
        CHECK_OK(gmpi_gather(r, rank == root ? GMPI_IN_PLACE : mine, 2, GMPI_INT, all, 2, GMPI_INT,
                             root, W));
        if (rank == root) CHECK(all[2 * root] == 42 && all[2 * 1 % (2 * size)] >= -1);
        /* scatter back */
        for (int i = 0; i < size; i++)
            all[2 * i] = i * 10, all[2 * i + 1] = i * 10 + 1;
        int got[2] = {0, 0};
        CHECK_OK(gmpi_scatter(r, all, 2, GMPI_INT, got, 2, GMPI_INT, root, W));
        CHECK(got[0] == rank * 10 && got[1] == rank * 10 + 1);
    }
    /* gatherv / scatterv with holes and reversed displacements */
    int *counts = malloc((size_t)size * sizeof(int)), *displs = malloc((size_t)size * sizeof(int));
    int total = 0;
    for (int i = 0; i < size; i++)
        total += counts[i] = i + 1;
    for (int i = 0, at = total + size; i < size; i++) {
        at -= counts[i] + 1;
        displs[i] = at;
    }
    int *big = malloc(((size_t)total + size + 1) * sizeof(int)),
        *mine = malloc((size_t)size * sizeof(int));
    for (int k = 0; k <= rank; k++)
        mine[k] = rank * 100 + k;
    CHECK_OK(gmpi_gatherv(r, mine, rank + 1, GMPI_INT, big, counts, displs, GMPI_INT, 0, W));
    if (rank == 0)
        for (int i = 0; i < size; i++)
            for (int k = 0; k <= i; k++)
                CHECK_EQ(big[displs[i] + k], i * 100 + k);
    memset(mine, 0, (size_t)size * sizeof(int));
    CHECK_OK(gmpi_scatterv(r, big, counts, displs, GMPI_INT, mine, rank + 1, GMPI_INT, 0, W));
    for (int k = 0; k <= rank; k++)
        CHECK_EQ(mine[k], rank * 100 + k);
    free(all), free(counts), free(displs), free(big), free(mine);
}

static void allgather_alltoall(gmpi_rank *r, int rank, int size) {
    int *all = malloc((size_t)size * 3 * sizeof(int));
    int mine[3] = {rank, -rank, rank * 2};
    CHECK_OK(gmpi_allgather(r, mine, 3, GMPI_INT, all, 3, GMPI_INT, W));
    for (int i = 0; i < size; i++)
        CHECK(all[3 * i] == i && all[3 * i + 1] == -i);
    memset(all, 0, (size_t)size * 3 * sizeof(int));
    all[3 * rank] = rank + 5;
    CHECK_OK(gmpi_allgather(r, GMPI_IN_PLACE, 0, GMPI_DATATYPE_NULL, all, 3, GMPI_INT, W));
    for (int i = 0; i < size; i++)
        CHECK_EQ(all[3 * i], i + 5);
    /* allgatherv */
    int *counts = malloc((size_t)size * sizeof(int)), *displs = malloc((size_t)size * sizeof(int));
    int total = 0;
    for (int i = 0; i < size; i++)
        displs[i] = total, total += counts[i] = (i % 2) + 1;
    int *v = malloc((size_t)total * sizeof(int)), my2[2] = {rank * 7, rank * 7 + 1};
    CHECK_OK(gmpi_allgatherv(r, my2, counts[rank], GMPI_INT, v, counts, displs, GMPI_INT, W));
    for (int i = 0; i < size; i++)
        for (int k = 0; k < counts[i]; k++)
            CHECK_EQ(v[displs[i] + k], i * 7 + k);
    /* alltoall: block j of rank i holds i*100+j */
    int *s = malloc((size_t)size * 2 * sizeof(int)), *d = malloc((size_t)size * 2 * sizeof(int));
    for (int j = 0; j < size; j++)
        s[2 * j] = rank * 100 + j, s[2 * j + 1] = -1;
    CHECK_OK(gmpi_alltoall(r, s, 2, GMPI_INT, d, 2, GMPI_INT, W));
    for (int j = 0; j < size; j++)
        CHECK(d[2 * j] == j * 100 + rank && d[2 * j + 1] == -1);
    memcpy(d, s, (size_t)size * 2 * sizeof(int));
    CHECK_OK(gmpi_alltoall(r, GMPI_IN_PLACE, 0, GMPI_DATATYPE_NULL, d, 2, GMPI_INT, W));
    for (int j = 0; j < size; j++)
        CHECK_EQ(d[2 * j], j * 100 + rank);
    /* alltoallv: rank i sends j+1 ints to rank j */
    int *sc = malloc((size_t)size * sizeof(int)), *sd = malloc((size_t)size * sizeof(int));
    int *rc = malloc((size_t)size * sizeof(int)), *rd = malloc((size_t)size * sizeof(int));
    int st = 0, rt = 0;
    for (int j = 0; j < size; j++) {
        sc[j] = j + 1, sd[j] = st, st += sc[j];
        rc[j] = rank + 1, rd[j] = rt, rt += rc[j];
    }
    int *sb = malloc((size_t)st * sizeof(int)), *rb = malloc((size_t)rt * sizeof(int));
    for (int j = 0; j < size; j++)
        for (int k = 0; k < sc[j]; k++)
            sb[sd[j] + k] = rank * 1000 + j * 10 + k;
    CHECK_OK(gmpi_alltoallv(r, sb, sc, sd, GMPI_INT, rb, rc, rd, GMPI_INT, W));
    for (int j = 0; j < size; j++)
        for (int k = 0; k < rc[j]; k++)
            CHECK_EQ(rb[rd[j] + k], j * 1000 + rank * 10 + k);
    free(all), free(counts), free(displs), free(v), free(s), free(d);
    free(sc), free(sd), free(rc), free(rd), free(sb), free(rb);
}

static void barrier_storm(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    for (int i = 0; i < 300; i++)
        CHECK_OK(gmpi_barrier(r, W));
}

static void everything(gmpi_rank *r, int rank, int size) {
    all_ops_all_types(r, rank, size);
    minloc_maxloc(r, rank, size);
    user_ops(r, rank, size);
    bcast_sizes(r, rank, size);
    reduce_family(r, rank, size);
    gather_scatter(r, rank, size);
    allgather_alltoall(r, rank, size);
    barrier_storm(r, rank, size);
}

/* Placements over virtual workers: the one-leader-per-worker paths. */
static void two_workers(gmpi_world *w) {
    for (int i = 0; i < gmpi_world_size(w); i++)
        gmpi_world_set_worker(w, i, i % 2);
}
static void three_workers_blocks(gmpi_world *w) {
    for (int i = 0; i < gmpi_world_size(w); i++)
        gmpi_world_set_worker(w, i, 7 - i / 3);
}
static void all_rendezvous(gmpi_world *w) {
    gmpi_world_set_eager_limit(w, 0);
    two_workers(w);
}

static const mt_test tests[] = {
    {"everything_1", 1, everything, NULL},
    {"everything_2", 2, everything, NULL},
    {"everything_3", 3, everything, NULL},
    {"everything_4", 4, everything, NULL},
    {"everything_8", 8, everything, NULL},
    {"everything_5_two_workers", 5, everything, two_workers},
    {"everything_8_three_workers", 8, everything, three_workers_blocks},
    {"everything_6_rendezvous", 6, everything, all_rendezvous},
};

int main(int argc, char **argv) {
    return mt_main(argc, argv, tests, (int)(sizeof tests / sizeof tests[0]));
}

/*
 * test_gmpi_types.c — datatypes of the MPI core: sizes and extents of the predefined types in
 * both ABIs, every constructor (contiguous, vector, hvector, indexed, hindexed, indexed_block,
 * struct with MPI's alignment padding, resized, subarray, dup), pack/unpack, messages between
 * different layouts of the same data (one copy), Get_elements, and the span bindings check.
 */
#include "mpi_test.h"

#define W GMPI_COMM_WORLD

static void predefined_lp64(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    int64_t s, lb, ext;
    CHECK_OK(gmpi_type_size(r, GMPI_LONG, &s));
    CHECK_EQ(s, 8);
    CHECK_OK(gmpi_type_size(r, GMPI_DOUBLE_INT, &s));
    CHECK_EQ(s, 12);
    CHECK_OK(gmpi_type_get_extent(r, GMPI_DOUBLE_INT, &lb, &ext));
    CHECK_EQ(ext, 16);
    CHECK_OK(gmpi_type_get_extent(r, GMPI_SHORT_INT, &lb, &ext));
    CHECK_EQ(ext, 8);
    CHECK_OK(gmpi_type_size(r, GMPI_SHORT_INT, &s));
    CHECK_EQ(s, 6);
    CHECK_OK(gmpi_type_size(r, GMPI_LONG_DOUBLE, &s));
    CHECK_EQ(s, 16);
    CHECK_OK(gmpi_type_size(r, GMPI_C_DOUBLE_COMPLEX, &s));
    CHECK_EQ(s, 16);
    CHECK_EQ(gmpi_type_size(r, 50, &s), GMPI_ERR_TYPE);
    char name[GMPI_MAX_OBJECT_NAME];
    int len;
    CHECK_OK(gmpi_type_get_name(r, GMPI_UNSIGNED_LONG_LONG, name, &len));
    CHECK(strcmp(name, "MPI_UNSIGNED_LONG_LONG") == 0);
    int t = GMPI_INT;
    CHECK_EQ(gmpi_type_free(r, &t), GMPI_ERR_TYPE);
}

static void predefined_wasm(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    int64_t s, lb, ext;
    CHECK_OK(gmpi_type_size(r, GMPI_LONG, &s));
    CHECK_EQ(s, 4);
    CHECK_OK(gmpi_type_size(r, GMPI_AINT, &s));
    CHECK_EQ(s, 4);
    CHECK_OK(gmpi_type_get_extent(r, GMPI_LONG_INT, &lb, &ext));
    CHECK_EQ(ext, 8);
    CHECK_OK(gmpi_type_size(r, GMPI_LONG_DOUBLE, &s));
    CHECK_EQ(s, 16);
}

static void constructors(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    int64_t s, lb, ext;
    int vec, hvec, idx, blk, st, rs, sub;
    /* vector: 3 blocks of 2 doubles, stride 4 doubles */
    CHECK_OK(gmpi_type_vector(r, 3, 2, 4, GMPI_DOUBLE, &vec));
    CHECK_OK(gmpi_type_size(r, vec, &s));
    CHECK_EQ(s, 48);
    CHECK_OK(gmpi_type_get_extent(r, vec, &lb, &ext));
    CHECK_EQ(lb, 0);
    CHECK_EQ(ext, (2 * 4 + 2) * 8);
    CHECK_OK(gmpi_type_hvector(r, 2, 1, 100, GMPI_INT, &hvec));
    CHECK_OK(gmpi_type_get_extent(r, hvec, &lb, &ext));
    CHECK_EQ(ext, 104);
    int bl[3] = {1, 2, 3}, dp[3] = {5, 0, 10};
    CHECK_OK(gmpi_type_indexed(r, 3, bl, dp, GMPI_INT, &idx));
    CHECK_OK(gmpi_type_size(r, idx, &s));
    CHECK_EQ(s, 24);
    CHECK_OK(gmpi_type_get_extent(r, idx, &lb, &ext));
    CHECK_EQ(lb, 0);
    CHECK_EQ(ext, 13 * 4);
    int dpb[2] = {4, 1};
    CHECK_OK(gmpi_type_indexed_block(r, 2, 2, dpb, GMPI_SHORT, &blk));
    CHECK_OK(gmpi_type_get_extent(r, blk, &lb, &ext));
    CHECK_EQ(lb, 2);
    CHECK_EQ(ext, 10);
    /* struct { char c; double d; } : extent padded to 16 */
    int sbl[2] = {1, 1}, sty[2] = {GMPI_CHAR, GMPI_DOUBLE};
    int64_t sdp[2] = {0, 8};
    CHECK_OK(gmpi_type_struct(r, 2, sbl, sdp, sty, &st));
    CHECK_OK(gmpi_type_size(r, st, &s));
    CHECK_EQ(s, 9);
    CHECK_OK(gmpi_type_get_extent(r, st, &lb, &ext));
    CHECK_EQ(ext, 16);
    /* struct { double d; char c; } : ub 9 padded to 16 */
    int sty2[2] = {GMPI_DOUBLE, GMPI_CHAR};
    int64_t sdp2[2] = {0, 8};
    int st2;
    CHECK_OK(gmpi_type_struct(r, 2, sbl, sdp2, sty2, &st2));
    CHECK_OK(gmpi_type_get_extent(r, st2, &lb, &ext));
    CHECK_EQ(ext, 16);
    int64_t tlb, text;
    CHECK_OK(gmpi_type_get_true_extent(r, st2, &tlb, &text));
    CHECK_EQ(text, 9);
    CHECK_OK(gmpi_type_resized(r, GMPI_INT, -4, 12, &rs));
    CHECK_OK(gmpi_type_get_extent(r, rs, &lb, &ext));
    CHECK_EQ(lb, -4);
    CHECK_EQ(ext, 12);
    int sizes[2] = {4, 6}, subs[2] = {2, 3}, starts[2] = {1, 2};
    CHECK_OK(gmpi_type_subarray(r, 2, sizes, subs, starts, GMPI_ORDER_C, GMPI_INT, &sub));
    CHECK_OK(gmpi_type_size(r, sub, &s));
    CHECK_EQ(s, 24);
    CHECK_OK(gmpi_type_get_extent(r, sub, &lb, &ext));
    CHECK_EQ(ext, 96);
    int ni, na, nt, comb;
    CHECK_OK(gmpi_type_get_envelope(r, vec, &ni, &na, &nt, &comb));
    CHECK_EQ(comb, GMPI_COMBINER_VECTOR);
    CHECK_EQ(ni, 3);
    int types[] = {vec, hvec, idx, blk, st, st2, rs, sub};
    for (int i = 0; i < 8; i++)
        CHECK_OK(gmpi_type_free(r, &types[i]));
    CHECK_EQ(types[0], GMPI_DATATYPE_NULL);
    /* errors */
    CHECK_EQ(gmpi_type_contiguous(r, -1, GMPI_INT, &vec), GMPI_ERR_COUNT);
    CHECK_EQ(gmpi_type_contiguous(r, 1, 999, &vec), GMPI_ERR_TYPE);
    int bad[2] = {5, 1}, badsub[2] = {5, 1}, st0[2] = {0, 0};
    CHECK_EQ(gmpi_type_subarray(r, 2, bad, badsub, st0, 7, GMPI_INT, &sub), GMPI_ERR_ARG);
    badsub[0] = 6;
    CHECK_EQ(gmpi_type_subarray(r, 2, bad, badsub, st0, GMPI_ORDER_C, GMPI_INT, &sub),
             GMPI_ERR_ARG);
}

/* Send a matrix column (vector type) into a contiguous buffer, and a contiguous buffer into a
 * column; indexed to struct. */
static void layouts(gmpi_rank *r, int rank, int size) {
    (void)size;
    enum { N = 8 };
    double m[N][N];
    int col;
    CHECK_OK(gmpi_type_vector(r, N, 1, N, GMPI_DOUBLE, &col));
    CHECK_OK(gmpi_type_commit(r, &col));
    if (rank == 0) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                m[i][j] = i * 10 + j;
        CHECK_OK(gmpi_send(r, &m[0][3], 1, col, 1, 0, W));
        double v[N];
        for (int i = 0; i < N; i++)
            v[i] = -i;
        CHECK_OK(gmpi_send(r, v, N, GMPI_DOUBLE, 1, 1, W));
        /* large: rendezvous between two non-contiguous layouts */
        int big;
        CHECK_OK(gmpi_type_vector(r, 5000, 1, 3, GMPI_INT, &big));
        CHECK_OK(gmpi_type_commit(r, &big));
        int *a = malloc(15000 * sizeof(int));
        for (int i = 0; i < 15000; i++)
            a[i] = i;
        CHECK_OK(gmpi_send(r, a, 1, big, 1, 2, W));
        free(a);
        CHECK_OK(gmpi_type_free(r, &big));
    } else if (rank == 1) {
        double v[N];
        gmpi_status st;
        CHECK_OK(gmpi_recv(r, v, N, GMPI_DOUBLE, 0, 0, W, &st));
        for (int i = 0; i < N; i++)
            CHECK(v[i] == i * 10 + 3);
        int n;
        CHECK_OK(gmpi_get_count(r, &st, col, &n));
        CHECK_EQ(n, 1); /* 8 doubles are one column's worth */
        int three;
        CHECK_OK(gmpi_type_contiguous(r, 3, GMPI_DOUBLE, &three));
        CHECK_OK(gmpi_get_count(r, &st, three, &n));
        CHECK_EQ(n, GMPI_UNDEFINED);
        CHECK_OK(gmpi_type_free(r, &three));
        CHECK_OK(gmpi_get_count(r, &st, GMPI_DOUBLE, &n));
        CHECK_EQ(n, N);
        memset(m, 0, sizeof m);
        CHECK_OK(gmpi_recv(r, &m[0][5], 1, col, 0, 1, W, &st));
        for (int i = 0; i < N; i++)
            CHECK(m[i][5] == -i && m[i][4] == 0);
        CHECK_OK(gmpi_get_count(r, &st, col, &n));
        CHECK_EQ(n, 1);
        int64_t el;
        CHECK_OK(gmpi_get_elements(r, &st, col, &el));
        CHECK_EQ(el, N);
        /* receive the strided ints with a stride-2 layout */
        int big2;
        CHECK_OK(gmpi_type_vector(r, 5000, 1, 2, GMPI_INT, &big2));
        CHECK_OK(gmpi_type_commit(r, &big2));
        int *b = calloc(10000, sizeof(int));
        CHECK_OK(gmpi_recv(r, b, 1, big2, 0, 2, W, &st));
        bool ok = true;
        for (int i = 0; i < 5000; i++)
            ok &= b[2 * i] == 3 * i && b[2 * i + 1] == 0;
        CHECK(ok);
        free(b);
        CHECK_OK(gmpi_type_free(r, &big2));
    }
    CHECK_OK(gmpi_type_free(r, &col));
}

static void pack_unpack(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    struct item {
        int id;
        double x[2];
        char tag;
    } items[3] = {{1, {1.5, 2.5}, 'a'}, {2, {3.5, 4.5}, 'b'}, {3, {5.5, 6.5}, 'c'}}, back[3];
    int bl[3] = {1, 2, 1}, ty[3] = {GMPI_INT, GMPI_DOUBLE, GMPI_CHAR}, st;
    int64_t dp[3] = {offsetof(struct item, id), offsetof(struct item, x),
                     offsetof(struct item, tag)};
    CHECK_OK(gmpi_type_struct(r, 3, bl, dp, ty, &st));
    int64_t lb, ext;
    CHECK_OK(gmpi_type_get_extent(r, st, &lb, &ext));
    CHECK_EQ(ext, (int64_t)sizeof(struct item));
    CHECK_OK(gmpi_type_commit(r, &st));
    int psize;
    CHECK_OK(gmpi_pack_size(r, 3, st, W, &psize));
    CHECK_EQ(psize, 3 * (4 + 16 + 1));
    char buf[256];
    int pos = 0;
    CHECK_OK(gmpi_pack(r, items, 3, st, buf, sizeof buf, &pos, W));
    CHECK_EQ(pos, psize);
    int extra = 77;
    CHECK_OK(gmpi_pack(r, &extra, 1, GMPI_INT, buf, sizeof buf, &pos, W));
    memset(back, 0, sizeof back);
    int upos = 0, extra_back = 0;
    CHECK_OK(gmpi_unpack(r, buf, pos, &upos, back, 3, st, W));
    CHECK_OK(gmpi_unpack(r, buf, pos, &upos, &extra_back, 1, GMPI_INT, W));
    CHECK_EQ(extra_back, 77);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(back[i].id, items[i].id);
        CHECK(back[i].x[1] == items[i].x[1]);
        CHECK_EQ(back[i].tag, items[i].tag);
    }
    CHECK_EQ(gmpi_unpack(r, buf, pos, &upos, &extra_back, 1, GMPI_INT, W), GMPI_ERR_TRUNCATE);
    pos = 250;
    CHECK_EQ(gmpi_pack(r, items, 3, st, buf, sizeof buf, &pos, W), GMPI_ERR_TRUNCATE);
    CHECK_OK(gmpi_type_free(r, &st));
}

static void spans(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    int64_t lo, hi;
    CHECK(gmpi_type_span(r, GMPI_INT, 10, &lo, &hi));
    CHECK_EQ(lo, 0);
    CHECK_EQ(hi, 40);
    CHECK(gmpi_type_span(r, GMPI_INT, 0, &lo, &hi));
    CHECK_EQ(hi - lo, 0);
    int rs;
    CHECK_OK(gmpi_type_resized(r, GMPI_INT, 0, -8, &rs)); /* negative extent */
    CHECK(gmpi_type_span(r, rs, 3, &lo, &hi));
    CHECK_EQ(lo, -16);
    CHECK_EQ(hi, 4);
    CHECK(!gmpi_type_span(r, 999, 3, &lo, &hi));
    CHECK(!gmpi_type_span(r, GMPI_INT, -1, &lo, &hi));
    int huge;
    CHECK_OK(gmpi_type_contiguous(r, 1 << 30, GMPI_DOUBLE, &huge));
    CHECK(!gmpi_type_span(r, huge, 1 << 30, &lo, &hi) || hi > 0);
    CHECK_OK(gmpi_type_free(r, &huge));
    CHECK_OK(gmpi_type_free(r, &rs));
}

static void wasm_abi(gmpi_world *w) {
    (void)w;
}

static const mt_test tests[] = {
    {"predefined_lp64", 1, predefined_lp64, NULL},
    {"constructors", 1, constructors, NULL},
    {"layouts", 2, layouts, NULL},
    {"pack_unpack", 1, pack_unpack, NULL},
    {"spans", 1, spans, NULL},
};

int main(int argc, char **argv) {
    int rc = mt_main(argc, argv, tests, (int)(sizeof tests / sizeof tests[0]));
    if (argc < 2) {
        int f = mt_run_world(1, predefined_wasm, wasm_abi, GMPI_ABI_WASM32);
        printf("%-40s %d ranks  %s\n", "predefined_wasm32", 1, f ? "FAILED" : "ok");
        rc |= f != 0;
    }
    return rc;
}

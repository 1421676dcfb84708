/*
 * test_gmpi_comm.c — communicators, groups and Cartesian topologies of the MPI core: Comm_dup
 * (isolation of contexts), Comm_split (colors, keys, MPI_UNDEFINED), Comm_create, Comm_compare,
 * Comm_free, split_type over workers, group constructors and comparisons, Cart_create in 1 to 4
 * dimensions with and without periods, Cart_coords/rank/shift/sub/get, Dims_create, and the
 * error classes of bad arguments.
 */
#include "mpi_test.h"

#define W GMPI_COMM_WORLD

static void dup_isolation(gmpi_rank *r, int rank, int size) {
    int d;
    CHECK_OK(gmpi_comm_dup(r, W, &d));
    int res;
    CHECK_OK(gmpi_comm_compare(r, W, d, &res));
    CHECK_EQ(res, GMPI_CONGRUENT);
    CHECK_OK(gmpi_comm_compare(r, d, d, &res));
    CHECK_EQ(res, GMPI_IDENT);
    /* same tag on both communicators: each receive sees only its own communicator */
    if (rank == 0 && size > 1) {
        int a = 1, b = 2;
        CHECK_OK(gmpi_send(r, &a, 1, GMPI_INT, 1, 0, W));
        CHECK_OK(gmpi_send(r, &b, 1, GMPI_INT, 1, 0, d));
    } else if (rank == 1) {
        int x;
        CHECK_OK(gmpi_recv(r, &x, 1, GMPI_INT, GMPI_ANY_SOURCE, GMPI_ANY_TAG, d, NULL));
        CHECK_EQ(x, 2);
        CHECK_OK(gmpi_recv(r, &x, 1, GMPI_INT, 0, 0, W, NULL));
        CHECK_EQ(x, 1);
    }
    CHECK_OK(gmpi_comm_free(r, &d));
    CHECK_EQ(d, GMPI_COMM_NULL);
    int w = W;
    CHECK_EQ(gmpi_comm_free(r, &w), GMPI_ERR_COMM);
    CHECK_EQ(gmpi_rank_live_comms(r), 2);
}

static void split(gmpi_rank *r, int rank, int size) {
    /* colors: rank % 3; key: reverse order */
    int s;
    CHECK_OK(gmpi_comm_split(r, W, rank % 3, size - rank, &s));
    int ss, sr;
    CHECK_OK(gmpi_comm_size(r, s, &ss));
    CHECK_OK(gmpi_comm_rank(r, s, &sr));
    int expect_size = 0, expect_rank = 0;
    for (int k = 0; k < size; k++)
        if (k % 3 == rank % 3) {
            expect_size++;
            if (k > rank) expect_rank++;
        }
    CHECK_EQ(ss, expect_size);
    CHECK_EQ(sr, expect_rank);
    /* an allreduce inside each part */
    int v = rank, sum;
    CHECK_OK(gmpi_allreduce(r, &v, &sum, 1, GMPI_INT, GMPI_SUM, s));
    int esum = 0;
    for (int k = 0; k < size; k++)
        if (k % 3 == rank % 3) esum += k;
    CHECK_EQ(sum, esum);
    int res;
    CHECK_OK(gmpi_comm_compare(r, W, s, &res));
    CHECK_EQ(res, size == 1 ? GMPI_CONGRUENT : GMPI_UNEQUAL);
    /* MPI_UNDEFINED leaves odd ranks out */
    int e;
    CHECK_OK(gmpi_comm_split(r, W, rank % 2 ? GMPI_UNDEFINED : 0, 0, &e));
    if (rank % 2)
        CHECK_EQ(e, GMPI_COMM_NULL);
    else {
        CHECK_OK(gmpi_comm_size(r, e, &ss));
        CHECK_EQ(ss, (size + 1) / 2);
        CHECK_OK(gmpi_comm_free(r, &e));
    }
    CHECK_EQ(gmpi_comm_split(r, W, -5, 0, &e), GMPI_ERR_ARG);
    CHECK_OK(gmpi_comm_free(r, &s));
    /* split by worker */
    int node;
    CHECK_OK(gmpi_comm_split_type(r, W, 1, rank, &node));
    CHECK_OK(gmpi_comm_size(r, node, &ss));
    gmpi_world *w = gmpi_rank_world(r);
    int same = 0;
    for (int k = 0; k < size; k++)
        same += gmpi_world_worker_of(w, k) == gmpi_world_worker_of(w, rank);
    CHECK_EQ(ss, same);
    CHECK_OK(gmpi_comm_free(r, &node));
}

static void groups(gmpi_rank *r, int rank, int size) {
    int g, ev, od, u, in, df;
    CHECK_OK(gmpi_comm_group(r, W, &g));
    int gs, gr;
    CHECK_OK(gmpi_group_size(r, g, &gs));
    CHECK_OK(gmpi_group_rank(r, g, &gr));
    CHECK_EQ(gs, size);
    CHECK_EQ(gr, rank);
    int evens[8], ne = 0;
    for (int k = 0; k < size && ne < 8; k += 2)
        evens[ne++] = k;
    CHECK_OK(gmpi_group_incl(r, g, ne, evens, &ev));
    CHECK_OK(gmpi_group_excl(r, g, ne, evens, &od));
    CHECK_OK(gmpi_group_union(r, od, ev, &u));
    CHECK_OK(gmpi_group_intersection(r, g, ev, &in));
    CHECK_OK(gmpi_group_difference(r, g, od, &df));
    int res;
    CHECK_OK(gmpi_group_compare(r, u, g, &res));
    CHECK_EQ(res, size > 2 ? GMPI_SIMILAR : (size == 2 ? GMPI_SIMILAR : GMPI_IDENT));
    CHECK_OK(gmpi_group_compare(r, in, ev, &res));
    CHECK_EQ(res, GMPI_IDENT);
    CHECK_OK(gmpi_group_compare(r, df, ev, &res));
    CHECK_EQ(res, GMPI_IDENT);
    int r1[2] = {0, GMPI_PROC_NULL}, r2[2];
    CHECK_OK(gmpi_group_translate_ranks(r, ev, 2, r1, g, r2));
    CHECK_EQ(r2[0], 0);
    CHECK_EQ(r2[1], GMPI_PROC_NULL);
    if (size > 1) {
        int one = 1;
        CHECK_OK(gmpi_group_translate_ranks(r, g, 1, &one, ev, r2));
        CHECK_EQ(r2[0], GMPI_UNDEFINED);
    }
    int ranges[1][3] = {{size - 1, 0, -1}}, rev;
    CHECK_OK(gmpi_group_range_incl(r, g, 1, (const int(*)[3])ranges, &rev));
    CHECK_OK(gmpi_group_rank(r, rev, &gr));
    CHECK_EQ(gr, size - 1 - rank);
    /* a communicator from the even group */
    int ce;
    CHECK_OK(gmpi_comm_create(r, W, ev, &ce));
    if (rank % 2)
        CHECK_EQ(ce, GMPI_COMM_NULL);
    else {
        int cs;
        CHECK_OK(gmpi_comm_size(r, ce, &cs));
        CHECK_EQ(cs, ne);
        CHECK_OK(gmpi_barrier(r, ce));
        CHECK_OK(gmpi_comm_free(r, &ce));
    }
    int bad[1] = {size};
    int x;
    CHECK_EQ(gmpi_group_incl(r, g, 1, bad, &x), GMPI_ERR_RANK);
    CHECK_EQ(gmpi_group_size(r, 12345, &x), GMPI_ERR_GROUP);
    int all[] = {g, ev, od, u, in, df, rev};
    for (int i = 0; i < 7; i++)
        CHECK_OK(gmpi_group_free(r, &all[i]));
    CHECK_EQ(all[0], GMPI_GROUP_NULL);
}

static void cart(gmpi_rank *r, int rank, int size) {
    /* 2D periodic/non-periodic grid */
    int dims[2] = {0, 0};
    CHECK_OK(gmpi_dims_create(size, 2, dims));
    CHECK_EQ(dims[0] * dims[1], size);
    CHECK(dims[0] >= dims[1]);
    int periods[2] = {1, 0}, c;
    CHECK_OK(gmpi_cart_create(r, W, 2, dims, periods, 0, &c));
    int coords[2], back, status;
    CHECK_OK(gmpi_topo_test(r, c, &status));
    CHECK_EQ(status, GMPI_TOPO_CART);
    CHECK_OK(gmpi_cart_coords(r, c, rank, 2, coords));
    CHECK_EQ(coords[0], rank / dims[1]);
    CHECK_EQ(coords[1], rank % dims[1]);
    CHECK_OK(gmpi_cart_rank(r, c, coords, &back));
    CHECK_EQ(back, rank);
    int src, dst;
    CHECK_OK(gmpi_cart_shift(r, c, 0, 1, &src, &dst));
    CHECK_EQ(dst, ((coords[0] + 1) % dims[0]) * dims[1] + coords[1]);
    CHECK_EQ(src, ((coords[0] - 1 + dims[0]) % dims[0]) * dims[1] + coords[1]);
    CHECK_OK(gmpi_cart_shift(r, c, 1, 1, &src, &dst));
    CHECK_EQ(dst, coords[1] + 1 < dims[1] ? rank + 1 : GMPI_PROC_NULL);
    CHECK_EQ(src, coords[1] > 0 ? rank - 1 : GMPI_PROC_NULL);
    /* halo exchange along dim 1 with PROC_NULL at the edges */
    int left = src, right = dst, got = -1;
    CHECK_OK(gmpi_sendrecv(r, &rank, 1, GMPI_INT, right, 0, &got, 1, GMPI_INT, left, 0, c, NULL));
    CHECK_EQ(got, left == GMPI_PROC_NULL ? -1 : left);
    /* periodic wrap in Cart_rank; non-periodic out of range is an error */
    int wrap[2] = {coords[0] + dims[0], coords[1]};
    CHECK_OK(gmpi_cart_rank(r, c, wrap, &back));
    CHECK_EQ(back, rank);
    CHECK_OK(gmpi_comm_set_errhandler(r, c, GMPI_ERRORS_RETURN));
    int outside[2] = {0, dims[1]};
    CHECK_EQ(gmpi_cart_rank(r, c, outside, &back), GMPI_ERR_ARG);
    /* sub-grids: rows */
    int remain[2] = {0, 1}, row;
    CHECK_OK(gmpi_cart_sub(r, c, remain, &row));
    int rs, rr, nd;
    CHECK_OK(gmpi_comm_size(r, row, &rs));
    CHECK_OK(gmpi_comm_rank(r, row, &rr));
    CHECK_EQ(rs, dims[1]);
    CHECK_EQ(rr, coords[1]);
    CHECK_OK(gmpi_cartdim_get(r, row, &nd));
    CHECK_EQ(nd, 1);
    int gd[2], gp[2], gc[2];
    CHECK_OK(gmpi_cart_get(r, c, 2, gd, gp, gc));
    CHECK(gd[0] == dims[0] && gp[0] == 1 && gp[1] == 0 && gc[1] == coords[1]);
    CHECK_OK(gmpi_comm_free(r, &row));
    CHECK_OK(gmpi_comm_free(r, &c));
    /* 3D and 4D periodic grids over the same ranks */
    for (int nd3 = 3; nd3 <= 4; nd3++) {
        int d[4] = {0, 0, 0, 0}, p[4] = {1, 1, 1, 1}, k, co[4];
        CHECK_OK(gmpi_dims_create(size, nd3, d));
        CHECK_OK(gmpi_cart_create(r, W, nd3, d, p, 1, &k));
        CHECK_OK(gmpi_cart_coords(r, k, rank, 4, co));
        for (int dir = 0; dir < nd3; dir++) {
            int s2, d2;
            CHECK_OK(gmpi_cart_shift(r, k, dir, -1, &s2, &d2));
            CHECK(s2 >= 0 && d2 >= 0);
        }
        CHECK_OK(gmpi_comm_free(r, &k));
    }
    /* a grid smaller than the world: the extra ranks get MPI_COMM_NULL */
    if (size > 2) {
        int d1[1] = {size - 1}, p1[1] = {0}, k;
        CHECK_OK(gmpi_cart_create(r, W, 1, d1, p1, 0, &k));
        if (rank == size - 1)
            CHECK_EQ(k, GMPI_COMM_NULL);
        else
            CHECK_OK(gmpi_comm_free(r, &k));
    }
    int toobig[1] = {size + 1}, p0[1] = {0}, k;
    CHECK_EQ(gmpi_cart_create(r, W, 1, toobig, p0, 0, &k), GMPI_ERR_DIMS);
    CHECK_EQ(gmpi_cart_coords(r, W, 0, 2, coords), GMPI_ERR_TOPOLOGY);
}

static void dims_values(gmpi_rank *r, int rank, int size) {
    (void)r, (void)rank, (void)size;
    struct {
        int n, nd, expect[3];
    } cases[] = {
        {12, 2, {4, 3}}, {12, 3, {3, 2, 2}}, {8, 3, {2, 2, 2}}, {16, 2, {4, 4}},
        {6, 2, {3, 2}},  {24, 3, {4, 3, 2}}, {7, 2, {7, 1}},    {1, 3, {1, 1, 1}},
        {36, 2, {6, 6}}, {60, 3, {5, 4, 3}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int d[3] = {0, 0, 0};
        CHECK_OK(gmpi_dims_create(cases[i].n, cases[i].nd, d));
        for (int k = 0; k < cases[i].nd; k++)
            CHECK_EQ(d[k], cases[i].expect[k]);
    }
    int fixed[2] = {0, 3};
    CHECK_OK(gmpi_dims_create(12, 2, fixed));
    CHECK_EQ(fixed[0], 4);
    int bad[2] = {5, 0};
    CHECK_EQ(gmpi_dims_create(12, 2, bad), GMPI_ERR_DIMS);
}

static void attrs_and_names(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    int64_t v;
    int flag;
    CHECK_OK(gmpi_comm_get_attr(r, W, GMPI_KEY_TAG_UB, &v, &flag));
    CHECK(flag && v >= 32767);
    CHECK_EQ(gmpi_comm_get_attr(r, W, 99, &v, &flag), GMPI_ERR_KEYVAL);
    char name[GMPI_MAX_OBJECT_NAME];
    int len;
    CHECK_OK(gmpi_comm_get_name(r, W, name, &len));
    CHECK(strcmp(name, "MPI_COMM_WORLD") == 0);
    CHECK_OK(gmpi_comm_set_name(r, GMPI_COMM_SELF, "me"));
    CHECK_OK(gmpi_comm_get_name(r, GMPI_COMM_SELF, name, &len));
    CHECK_EQ(len, 2);
    int s;
    CHECK_OK(gmpi_comm_size(r, GMPI_COMM_SELF, &s));
    CHECK_EQ(s, 1);
    int inter;
    CHECK_OK(gmpi_comm_test_inter(r, W, &inter));
    CHECK_EQ(inter, 0);
}

static void two_workers(gmpi_world *w) {
    for (int i = 0; i < gmpi_world_size(w); i++)
        gmpi_world_set_worker(w, i, i / 2);
}

static void split_by_worker(gmpi_rank *r, int rank, int size) {
    int node, ss, sr;
    CHECK_OK(gmpi_comm_split_type(r, W, 1, 0, &node));
    CHECK_OK(gmpi_comm_size(r, node, &ss));
    CHECK_OK(gmpi_comm_rank(r, node, &sr));
    CHECK_EQ(ss, rank / 2 * 2 + 2 <= size ? 2 : 1);
    CHECK_EQ(sr, rank % 2);
    CHECK_OK(gmpi_comm_free(r, &node));
}

static void comm_all(gmpi_rank *r, int rank, int size) {
    dup_isolation(r, rank, size);
    split(r, rank, size);
    groups(r, rank, size);
    cart(r, rank, size);
    attrs_and_names(r, rank, size);
}

static const mt_test tests[] = {
    {"comm_all_1", 1, comm_all, NULL},
    {"comm_all_2", 2, comm_all, NULL},
    {"comm_all_6", 6, comm_all, NULL},
    {"comm_all_8", 8, comm_all, NULL},
    {"comm_all_7_workers", 7, comm_all, two_workers},
    {"dims_values", 1, dims_values, NULL},
    {"split_by_worker", 5, split_by_worker, two_workers},
};

int main(int argc, char **argv) {
    return mt_main(argc, argv, tests, (int)(sizeof tests / sizeof tests[0]));
}

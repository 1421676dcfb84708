/*
 * gmpi_wasm_misc.c — host functions of mpi.h for datatypes, communicators, groups and Cartesian
 * topologies: argument arrays are copied in from guest memory (checked), results are written out
 * only after every output location has been checked, and MPI_Aint values cross as 32-bit guest
 * integers (an extent or address that does not fit is MPI_ERR_ARG, never a silent truncation).
 */
#include <limits.h>
#include <stdlib.h>

#include "mpi/gmpi_wasm_internal.h"

#define W GMPI_COMM_WORLD

/* Writes an int result after a successful call. */
static void finish_i32(gw_call *c, uint32_t out, int comm, int err, int32_t v) {
    if (!err) err = gw_check_out(c, out, 4);
    if (!err) gw_put_i32(c, out, v);
    gw_end(c, comm, err);
}

static bool fits_aint(int64_t v) {
    return v >= INT32_MIN && v <= INT32_MAX;
}

/* ---- Datatypes ---- */

static void w_MPI_Type_contiguous(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_contiguous");
    int t = 0, err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gmpi_type_contiguous(c.r, ARG(0), ARG(1), &t);
    finish_i32(&c, ADDR(2), W, err, t);
}

static void w_MPI_Type_vector(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_vector");
    int t = 0, err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gmpi_type_vector(c.r, ARG(0), ARG(1), ARG(2), ARG(3), &t);
    finish_i32(&c, ADDR(4), W, err, t);
}

static void w_MPI_Type_create_hvector(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_create_hvector");
    int t = 0, err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gmpi_type_hvector(c.r, ARG(0), ARG(1), ARG(2), ARG(3), &t);
    finish_i32(&c, ADDR(4), W, err, t);
}

static void w_MPI_Type_indexed(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_indexed");
    int *bl = NULL, *dp = NULL, t = 0;
    int err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gw_ints_in(&c, ADDR(1), ARG(0), &bl);
    if (!err) err = gw_ints_in(&c, ADDR(2), ARG(0), &dp);
    if (!err) err = gmpi_type_indexed(c.r, ARG(0), bl, dp, ARG(3), &t);
    free(bl), free(dp);
    finish_i32(&c, ADDR(4), W, err, t);
}

static void w_MPI_Type_create_hindexed(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_create_hindexed");
    int *bl = NULL, t = 0;
    int64_t *dp = NULL;
    int err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gw_ints_in(&c, ADDR(1), ARG(0), &bl);
    if (!err) err = gw_aints_in(&c, ADDR(2), ARG(0), &dp);
    if (!err) err = gmpi_type_hindexed(c.r, ARG(0), bl, dp, ARG(3), &t);
    free(bl), free(dp);
    finish_i32(&c, ADDR(4), W, err, t);
}

static void w_MPI_Type_create_indexed_block(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_create_indexed_block");
    int *dp = NULL, t = 0;
    int err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gw_ints_in(&c, ADDR(2), ARG(0), &dp);
    if (!err) err = gmpi_type_indexed_block(c.r, ARG(0), ARG(1), dp, ARG(3), &t);
    free(dp);
    finish_i32(&c, ADDR(4), W, err, t);
}

static void w_MPI_Type_create_hindexed_block(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_create_hindexed_block");
    int64_t *dp = NULL;
    int t = 0;
    int err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gw_aints_in(&c, ADDR(2), ARG(0), &dp);
    if (!err) err = gmpi_type_hindexed_block(c.r, ARG(0), ARG(1), dp, ARG(3), &t);
    free(dp);
    finish_i32(&c, ADDR(4), W, err, t);
}

static void w_MPI_Type_create_struct(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_create_struct");
    int *bl = NULL, *ty = NULL, t = 0;
    int64_t *dp = NULL;
    int err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gw_ints_in(&c, ADDR(1), ARG(0), &bl);
    if (!err) err = gw_aints_in(&c, ADDR(2), ARG(0), &dp);
    if (!err) err = gw_ints_in(&c, ADDR(3), ARG(0), &ty);
    if (!err) err = gmpi_type_struct(c.r, ARG(0), bl, dp, ty, &t);
    free(bl), free(dp), free(ty);
    finish_i32(&c, ADDR(4), W, err, t);
}

static void w_MPI_Type_create_resized(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_create_resized");
    int t = 0, err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gmpi_type_resized(c.r, ARG(0), ARG(1), ARG(2), &t);
    finish_i32(&c, ADDR(3), W, err, t);
}

static void w_MPI_Type_create_subarray(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_create_subarray");
    int *sz = NULL, *sub = NULL, *st = NULL, t = 0;
    int n = ARG(0);
    int err = n < 1 || n > 32 ? GMPI_ERR_DIMS : gw_check_out(&c, ADDR(6), 4);
    if (!err) err = gw_ints_in(&c, ADDR(1), n, &sz);
    if (!err) err = gw_ints_in(&c, ADDR(2), n, &sub);
    if (!err) err = gw_ints_in(&c, ADDR(3), n, &st);
    if (!err) err = gmpi_type_subarray(c.r, n, sz, sub, st, ARG(4), ARG(5), &t);
    free(sz), free(sub), free(st);
    finish_i32(&c, ADDR(6), W, err, t);
}

static void w_MPI_Type_dup(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_dup");
    int t = 0, err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = gmpi_type_dup(c.r, ARG(0), &t);
    finish_i32(&c, ADDR(1), W, err, t);
}

/* (type*): commit or free, updating the handle in place. */
static void type_inout(rt_instance *in, rt_value *io, const char *name,
                       int (*fn)(gmpi_rank *, int *)) {
    gw_call c;
    gw_begin(&c, in, io, name);
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) {
        int t = gw_get_i32(&c, ADDR(0));
        err = fn(c.r, &t);
        if (!err) gw_put_i32(&c, ADDR(0), t);
    }
    gw_end(&c, W, err);
}

static void w_MPI_Type_commit(rt_instance *in, void *d, rt_value *io) {
    type_inout(in, io, "MPI_Type_commit", gmpi_type_commit);
}
static void w_MPI_Type_free(rt_instance *in, void *d, rt_value *io) {
    type_inout(in, io, "MPI_Type_free", gmpi_type_free);
}

static void w_MPI_Type_size(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_size");
    int64_t s = 0;
    int err = gmpi_type_size(c.r, ARG(0), &s);
    finish_i32(&c, ADDR(1), W, err, s > INT_MAX ? GMPI_UNDEFINED : (int32_t)s);
}

static void w_MPI_Type_size_x(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_size_x");
    int64_t s = 0;
    int err = gw_check_out(&c, ADDR(1), 8);
    if (!err) err = gmpi_type_size(c.r, ARG(0), &s);
    if (!err) gw_put_i64(&c, ADDR(1), s);
    gw_end(&c, W, err);
}

typedef int (*extent_fn)(gmpi_rank *, int, int64_t *, int64_t *);

/* (type, lb*, extent*) as 32-bit MPI_Aint, or 64-bit MPI_Count for the _x variant. */
static void extent_common(rt_instance *in, rt_value *io, const char *name, extent_fn fn,
                          bool wide) {
    gw_call c;
    gw_begin(&c, in, io, name);
    int64_t lb = 0, ext = 0;
    unsigned w = wide ? 8 : 4;
    int err = gw_check_out(&c, ADDR(1), w);
    if (!err) err = gw_check_out(&c, ADDR(2), w);
    if (!err) err = fn(c.r, ARG(0), &lb, &ext);
    if (!err && !wide && (!fits_aint(lb) || !fits_aint(ext))) err = GMPI_ERR_ARG;
    if (!err) {
        if (wide) {
            gw_put_i64(&c, ADDR(1), lb);
            gw_put_i64(&c, ADDR(2), ext);
        } else {
            gw_put_i32(&c, ADDR(1), (int32_t)lb);
            gw_put_i32(&c, ADDR(2), (int32_t)ext);
        }
    }
    gw_end(&c, W, err);
}

static void w_MPI_Type_get_extent(rt_instance *in, void *d, rt_value *io) {
    extent_common(in, io, "MPI_Type_get_extent", gmpi_type_get_extent, false);
}
static void w_MPI_Type_get_extent_x(rt_instance *in, void *d, rt_value *io) {
    extent_common(in, io, "MPI_Type_get_extent_x", gmpi_type_get_extent, true);
}
static void w_MPI_Type_get_true_extent(rt_instance *in, void *d, rt_value *io) {
    extent_common(in, io, "MPI_Type_get_true_extent", gmpi_type_get_true_extent, false);
}

static void w_MPI_Type_get_envelope(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_get_envelope");
    int v[4] = {0, 0, 0, 0}, err = GMPI_SUCCESS;
    for (int k = 1; k <= 4 && !err; k++)
        err = gw_check_out(&c, ADDR(k), 4);
    if (!err) err = gmpi_type_get_envelope(c.r, ARG(0), &v[0], &v[1], &v[2], &v[3]);
    for (int k = 0; k < 4 && !err; k++)
        gw_put_i32(&c, ADDR(k + 1), v[k]);
    gw_end(&c, W, err);
}

static void w_MPI_Type_set_name(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_set_name");
    const char *name;
    int err = gw_string(&c, ADDR(1), 4096, &name);
    if (!err) err = gmpi_type_set_name(c.r, ARG(0), name);
    gw_end(&c, W, err);
}

static void w_MPI_Type_get_name(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Type_get_name");
    char name[GMPI_MAX_OBJECT_NAME];
    int len = 0;
    int err = gw_check_out(&c, ADDR(1), GMPI_MAX_OBJECT_NAME);
    if (!err) err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gmpi_type_get_name(c.r, ARG(0), name, &len);
    if (!err) {
        memcpy(gw_host(&c, ADDR(1)), name, (size_t)len + 1);
        gw_put_i32(&c, ADDR(2), len);
    }
    gw_end(&c, W, err);
}

static void w_MPI_Get_address(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Get_address");
    finish_i32(&c, ADDR(1), W, GMPI_SUCCESS, (int32_t)ADDR(0)); /* addresses are guest offsets */
}

static void w_MPI_Aint_add(rt_instance *in, void *d, rt_value *io) {
    io[0].i32 = io[0].i32 + io[1].i32;
}

static void w_MPI_Aint_diff(rt_instance *in, void *d, rt_value *io) {
    io[0].i32 = io[0].i32 - io[1].i32;
}

static void w_MPI_Pack(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Pack");
    void *inbuf;
    int err = gw_check_out(&c, ADDR(5), 4);
    if (!err) err = gw_buf(&c, ADDR(0), ARG(1), ARG(2), false, &inbuf);
    if (!err && (ARG(4) < 0 || !gw_range(&c, ADDR(3), (uint32_t)ARG(4)))) err = GMPI_ERR_BUFFER;
    if (!err) {
        int pos = gw_get_i32(&c, ADDR(5));
        err = gmpi_pack(c.r, inbuf, ARG(1), ARG(2), gw_host(&c, ADDR(3)), ARG(4), &pos, ARG(6));
        if (!err) gw_put_i32(&c, ADDR(5), pos);
    }
    gw_end(&c, ARG(6), err);
}

static void w_MPI_Unpack(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Unpack");
    void *outbuf;
    int err = gw_check_out(&c, ADDR(2), 4);
    if (!err && (ARG(1) < 0 || !gw_range(&c, ADDR(0), (uint32_t)ARG(1)))) err = GMPI_ERR_BUFFER;
    if (!err) err = gw_buf(&c, ADDR(3), ARG(4), ARG(5), false, &outbuf);
    if (!err) {
        int pos = gw_get_i32(&c, ADDR(2));
        err = gmpi_unpack(c.r, gw_host(&c, ADDR(0)), ARG(1), &pos, outbuf, ARG(4), ARG(5), ARG(6));
        if (!err) gw_put_i32(&c, ADDR(2), pos);
    }
    gw_end(&c, ARG(6), err);
}

static void w_MPI_Pack_size(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Pack_size");
    int s = 0;
    int err = gmpi_pack_size(c.r, ARG(0), ARG(1), ARG(2), &s);
    finish_i32(&c, ADDR(3), ARG(2), err, s);
}

/* ---- Communicators ---- */

static void w_MPI_Comm_size(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_size");
    int v = 0, err = gmpi_comm_size(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), ARG(0), err, v);
}

static void w_MPI_Comm_rank(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_rank");
    int v = 0, err = gmpi_comm_rank(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), ARG(0), err, v);
}

static void w_MPI_Comm_dup(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_dup");
    int v = 0, err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = gmpi_comm_dup(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), ARG(0), err, v);
}

static void w_MPI_Comm_split(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_split");
    int v = 0, err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gmpi_comm_split(c.r, ARG(0), ARG(1), ARG(2), &v);
    finish_i32(&c, ADDR(3), ARG(0), err, v);
}

static void w_MPI_Comm_split_type(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_split_type");
    int v = 0, err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gmpi_comm_split_type(c.r, ARG(0), ARG(1), ARG(2), &v); /* info ignored */
    finish_i32(&c, ADDR(4), ARG(0), err, v);
}

static void w_MPI_Comm_create(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_create");
    int v = 0, err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gmpi_comm_create(c.r, ARG(0), ARG(1), &v);
    finish_i32(&c, ADDR(2), ARG(0), err, v);
}

static void w_MPI_Comm_free(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_free");
    int err = gw_check_out(&c, ADDR(0), 4), h = 0;
    if (!err) {
        h = gw_get_i32(&c, ADDR(0));
        err = gmpi_comm_free(c.r, &h);
        if (!err) gw_put_i32(&c, ADDR(0), h);
    }
    gw_end(&c, err ? h : GMPI_COMM_WORLD, err);
}

static void w_MPI_Comm_compare(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_compare");
    int v = 0, err = gmpi_comm_compare(c.r, ARG(0), ARG(1), &v);
    finish_i32(&c, ADDR(2), ARG(0), err, v);
}

static void w_MPI_Comm_group(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_group");
    int v = 0, err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = gmpi_comm_group(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), ARG(0), err, v);
}

static void w_MPI_Comm_test_inter(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_test_inter");
    int v = 0, err = gmpi_comm_test_inter(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), ARG(0), err, v);
}

static void w_MPI_Comm_set_name(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_set_name");
    const char *name;
    int err = gw_string(&c, ADDR(1), 4096, &name);
    if (!err) err = gmpi_comm_set_name(c.r, ARG(0), name);
    gw_end(&c, ARG(0), err);
}

static void w_MPI_Comm_get_name(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_get_name");
    char name[GMPI_MAX_OBJECT_NAME];
    int len = 0;
    int err = gw_check_out(&c, ADDR(1), GMPI_MAX_OBJECT_NAME);
    if (!err) err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gmpi_comm_get_name(c.r, ARG(0), name, &len);
    if (!err) {
        memcpy(gw_host(&c, ADDR(1)), name, (size_t)len + 1);
        gw_put_i32(&c, ADDR(2), len);
    }
    gw_end(&c, ARG(0), err);
}

/* ---- Groups ---- */

static void w_MPI_Group_size(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Group_size");
    int v = 0, err = gmpi_group_size(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), W, err, v);
}

static void w_MPI_Group_rank(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Group_rank");
    int v = 0, err = gmpi_group_rank(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), W, err, v);
}

static void w_MPI_Group_translate_ranks(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Group_translate_ranks");
    int *r1 = NULL, *r2 = NULL, n = ARG(1);
    int err = gw_ints_in(&c, ADDR(2), n, &r1);
    if (!err) err = gw_ints_in(&c, ADDR(4), n, &r2); /* checks the output's range too */
    if (!err) err = gmpi_group_translate_ranks(c.r, ARG(0), n, r1, ARG(3), r2);
    if (!err && n > 0) memcpy(gw_host(&c, ADDR(4)), r2, (size_t)n * 4);
    free(r1), free(r2);
    gw_end(&c, W, err);
}

static void w_MPI_Group_compare(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Group_compare");
    int v = 0, err = gmpi_group_compare(c.r, ARG(0), ARG(1), &v);
    finish_i32(&c, ADDR(2), W, err, v);
}

typedef int (*group_list_fn)(gmpi_rank *, int, int, const int *, int *);

static void group_list(rt_instance *in, rt_value *io, const char *name, group_list_fn fn) {
    gw_call c;
    gw_begin(&c, in, io, name);
    int *ranks = NULL, v = 0;
    int err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gw_ints_in(&c, ADDR(2), ARG(1), &ranks);
    if (!err) err = fn(c.r, ARG(0), ARG(1), ranks, &v);
    free(ranks);
    finish_i32(&c, ADDR(3), W, err, v);
}

static void w_MPI_Group_incl(rt_instance *in, void *d, rt_value *io) {
    group_list(in, io, "MPI_Group_incl", gmpi_group_incl);
}
static void w_MPI_Group_excl(rt_instance *in, void *d, rt_value *io) {
    group_list(in, io, "MPI_Group_excl", gmpi_group_excl);
}

typedef int (*group_range_fn)(gmpi_rank *, int, int, const int (*)[3], int *);

static void group_range(rt_instance *in, rt_value *io, const char *name, group_range_fn fn) {
    gw_call c;
    gw_begin(&c, in, io, name);
    int *ranges = NULL, v = 0, n = ARG(1);
    int err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = n < 0 || n > (1 << 24) ? GMPI_ERR_ARG : gw_ints_in(&c, ADDR(2), 3 * n, &ranges);
    if (!err) err = fn(c.r, ARG(0), n, (const int(*)[3])ranges, &v);
    free(ranges);
    finish_i32(&c, ADDR(3), W, err, v);
}

static void w_MPI_Group_range_incl(rt_instance *in, void *d, rt_value *io) {
    group_range(in, io, "MPI_Group_range_incl", gmpi_group_range_incl);
}
static void w_MPI_Group_range_excl(rt_instance *in, void *d, rt_value *io) {
    group_range(in, io, "MPI_Group_range_excl", gmpi_group_range_excl);
}

typedef int (*group_set_fn)(gmpi_rank *, int, int, int *);

static void group_set(rt_instance *in, rt_value *io, const char *name, group_set_fn fn) {
    gw_call c;
    gw_begin(&c, in, io, name);
    int v = 0, err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = fn(c.r, ARG(0), ARG(1), &v);
    finish_i32(&c, ADDR(2), W, err, v);
}

static void w_MPI_Group_union(rt_instance *in, void *d, rt_value *io) {
    group_set(in, io, "MPI_Group_union", gmpi_group_union);
}
static void w_MPI_Group_intersection(rt_instance *in, void *d, rt_value *io) {
    group_set(in, io, "MPI_Group_intersection", gmpi_group_intersection);
}
static void w_MPI_Group_difference(rt_instance *in, void *d, rt_value *io) {
    group_set(in, io, "MPI_Group_difference", gmpi_group_difference);
}

static void w_MPI_Group_free(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Group_free");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) {
        int g = gw_get_i32(&c, ADDR(0));
        err = gmpi_group_free(c.r, &g);
        if (!err) gw_put_i32(&c, ADDR(0), g);
    }
    gw_end(&c, W, err);
}

/* ---- Cartesian topologies ---- */

static void w_MPI_Dims_create(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Dims_create");
    int *dims = NULL, n = ARG(1);
    int err = n < 0 || n > 64 ? GMPI_ERR_DIMS : gw_ints_in(&c, ADDR(2), n, &dims);
    if (!err) err = gmpi_dims_create(ARG(0), n, dims);
    if (!err && n > 0) memcpy(gw_host(&c, ADDR(2)), dims, (size_t)n * 4);
    free(dims);
    gw_end(&c, W, err);
}

static void w_MPI_Cart_create(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cart_create");
    int *dims = NULL, *periods = NULL, v = 0, n = ARG(1);
    int err = n < 0 || n > 64 ? GMPI_ERR_DIMS : gw_check_out(&c, ADDR(5), 4);
    if (!err) err = gw_ints_in(&c, ADDR(2), n, &dims);
    if (!err) err = gw_ints_in(&c, ADDR(3), n, &periods);
    if (!err) err = gmpi_cart_create(c.r, ARG(0), n, dims, periods, ARG(4), &v);
    free(dims), free(periods);
    finish_i32(&c, ADDR(5), ARG(0), err, v);
}

static void w_MPI_Cart_coords(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cart_coords");
    int nd = gmpi_cart_ndims_or_zero(c.r, ARG(0));
    int coords[64];
    int err = ARG(2) < nd ? GMPI_ERR_ARG : gw_check_out(&c, ADDR(3), (uint64_t)nd * 4);
    if (!err) err = gmpi_cart_coords(c.r, ARG(0), ARG(1), nd, coords);
    if (!err && nd > 0) memcpy(gw_host(&c, ADDR(3)), coords, (size_t)nd * 4);
    gw_end(&c, ARG(0), err);
}

static void w_MPI_Cart_rank(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cart_rank");
    int nd = gmpi_cart_ndims_or_zero(c.r, ARG(0));
    int *coords = NULL, v = 0;
    int err = gw_ints_in(&c, ADDR(1), nd, &coords);
    if (!err) err = gmpi_cart_rank(c.r, ARG(0), coords, &v);
    free(coords);
    finish_i32(&c, ADDR(2), ARG(0), err, v);
}

static void w_MPI_Cart_shift(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cart_shift");
    int s = 0, t = 0;
    int err = gw_check_out(&c, ADDR(3), 4);
    if (!err) err = gw_check_out(&c, ADDR(4), 4);
    if (!err) err = gmpi_cart_shift(c.r, ARG(0), ARG(1), ARG(2), &s, &t);
    if (!err) {
        gw_put_i32(&c, ADDR(3), s);
        gw_put_i32(&c, ADDR(4), t);
    }
    gw_end(&c, ARG(0), err);
}

static void w_MPI_Cart_sub(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cart_sub");
    int nd = gmpi_cart_ndims_or_zero(c.r, ARG(0));
    int *remain = NULL, v = 0;
    int err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gw_ints_in(&c, ADDR(1), nd, &remain);
    if (!err) err = gmpi_cart_sub(c.r, ARG(0), remain, &v);
    free(remain);
    finish_i32(&c, ADDR(2), ARG(0), err, v);
}

static void w_MPI_Cartdim_get(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cartdim_get");
    int v = 0, err = gmpi_cartdim_get(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), ARG(0), err, v);
}

static void w_MPI_Cart_get(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Cart_get");
    int nd = gmpi_cart_ndims_or_zero(c.r, ARG(0));
    int dims[64], periods[64], coords[64];
    int err = ARG(1) < nd ? GMPI_ERR_ARG : GMPI_SUCCESS;
    for (int k = 2; k <= 4 && !err; k++)
        err = gw_check_out(&c, ADDR(k), (uint64_t)nd * 4);
    if (!err) err = gmpi_cart_get(c.r, ARG(0), nd, dims, periods, coords);
    if (!err && nd > 0) {
        memcpy(gw_host(&c, ADDR(2)), dims, (size_t)nd * 4);
        memcpy(gw_host(&c, ADDR(3)), periods, (size_t)nd * 4);
        memcpy(gw_host(&c, ADDR(4)), coords, (size_t)nd * 4);
    }
    gw_end(&c, ARG(0), err);
}

static void w_MPI_Topo_test(rt_instance *in, void *d, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Topo_test");
    int v = 0, err = gmpi_topo_test(c.r, ARG(0), &v);
    finish_i32(&c, ADDR(1), ARG(0), err, v);
}

const gw_fn gw_misc_fns[] = {
    {"MPI_Type_contiguous", "iii:i", w_MPI_Type_contiguous},
    {"MPI_Type_vector", "iiiii:i", w_MPI_Type_vector},
    {"MPI_Type_create_hvector", "iiiii:i", w_MPI_Type_create_hvector},
    {"MPI_Type_indexed", "iiiii:i", w_MPI_Type_indexed},
    {"MPI_Type_create_hindexed", "iiiii:i", w_MPI_Type_create_hindexed},
    {"MPI_Type_create_indexed_block", "iiiii:i", w_MPI_Type_create_indexed_block},
    {"MPI_Type_create_hindexed_block", "iiiii:i", w_MPI_Type_create_hindexed_block},
    {"MPI_Type_create_struct", "iiiii:i", w_MPI_Type_create_struct},
    {"MPI_Type_create_resized", "iiii:i", w_MPI_Type_create_resized},
    {"MPI_Type_create_subarray", "iiiiiii:i", w_MPI_Type_create_subarray},
    {"MPI_Type_dup", "ii:i", w_MPI_Type_dup},
    {"MPI_Type_commit", "i:i", w_MPI_Type_commit},
    {"MPI_Type_free", "i:i", w_MPI_Type_free},
    {"MPI_Type_size", "ii:i", w_MPI_Type_size},
    {"MPI_Type_size_x", "ii:i", w_MPI_Type_size_x},
    {"MPI_Type_get_extent", "iii:i", w_MPI_Type_get_extent},
    {"MPI_Type_get_extent_x", "iii:i", w_MPI_Type_get_extent_x},
    {"MPI_Type_get_true_extent", "iii:i", w_MPI_Type_get_true_extent},
    {"MPI_Type_get_envelope", "iiiii:i", w_MPI_Type_get_envelope},
    {"MPI_Type_set_name", "ii:i", w_MPI_Type_set_name},
    {"MPI_Type_get_name", "iii:i", w_MPI_Type_get_name},
    {"MPI_Get_address", "ii:i", w_MPI_Get_address},
    {"MPI_Aint_add", "ii:i", w_MPI_Aint_add},
    {"MPI_Aint_diff", "ii:i", w_MPI_Aint_diff},
    {"MPI_Pack", "iiiiiii:i", w_MPI_Pack},
    {"MPI_Unpack", "iiiiiii:i", w_MPI_Unpack},
    {"MPI_Pack_size", "iiii:i", w_MPI_Pack_size},
    {"MPI_Comm_size", "ii:i", w_MPI_Comm_size},
    {"MPI_Comm_rank", "ii:i", w_MPI_Comm_rank},
    {"MPI_Comm_dup", "ii:i", w_MPI_Comm_dup},
    {"MPI_Comm_split", "iiii:i", w_MPI_Comm_split},
    {"MPI_Comm_split_type", "iiiii:i", w_MPI_Comm_split_type},
    {"MPI_Comm_create", "iii:i", w_MPI_Comm_create},
    {"MPI_Comm_free", "i:i", w_MPI_Comm_free},
    {"MPI_Comm_compare", "iii:i", w_MPI_Comm_compare},
    {"MPI_Comm_group", "ii:i", w_MPI_Comm_group},
    {"MPI_Comm_test_inter", "ii:i", w_MPI_Comm_test_inter},
    {"MPI_Comm_set_name", "ii:i", w_MPI_Comm_set_name},
    {"MPI_Comm_get_name", "iii:i", w_MPI_Comm_get_name},
    {"MPI_Group_size", "ii:i", w_MPI_Group_size},
    {"MPI_Group_rank", "ii:i", w_MPI_Group_rank},
    {"MPI_Group_translate_ranks", "iiiii:i", w_MPI_Group_translate_ranks},
    {"MPI_Group_compare", "iii:i", w_MPI_Group_compare},
    {"MPI_Group_incl", "iiii:i", w_MPI_Group_incl},
    {"MPI_Group_excl", "iiii:i", w_MPI_Group_excl},
    {"MPI_Group_range_incl", "iiii:i", w_MPI_Group_range_incl},
    {"MPI_Group_range_excl", "iiii:i", w_MPI_Group_range_excl},
    {"MPI_Group_union", "iii:i", w_MPI_Group_union},
    {"MPI_Group_intersection", "iii:i", w_MPI_Group_intersection},
    {"MPI_Group_difference", "iii:i", w_MPI_Group_difference},
    {"MPI_Group_free", "i:i", w_MPI_Group_free},
    {"MPI_Dims_create", "iii:i", w_MPI_Dims_create},
    {"MPI_Cart_create", "iiiiii:i", w_MPI_Cart_create},
    {"MPI_Cart_coords", "iiii:i", w_MPI_Cart_coords},
    {"MPI_Cart_rank", "iii:i", w_MPI_Cart_rank},
    {"MPI_Cart_shift", "iiiii:i", w_MPI_Cart_shift},
    {"MPI_Cart_sub", "iii:i", w_MPI_Cart_sub},
    {"MPI_Cartdim_get", "ii:i", w_MPI_Cartdim_get},
    {"MPI_Cart_get", "iiiii:i", w_MPI_Cart_get},
    {"MPI_Topo_test", "ii:i", w_MPI_Topo_test},
    {NULL, NULL, NULL},
};

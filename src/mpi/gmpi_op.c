/*
 * gmpi_op.c — reduction operations: every predefined operation on every predefined C type it is
 * defined for (MPI-3.1 §5.9.2), MINLOC/MAXLOC on the pair types, and user operations.
 *
 * The predefined ones are a table indexed by (operation, element kind) of small loops over packed
 * elements. Each loop reads and writes elements with memcpy (guest buffers need not be aligned;
 * gcc turns these into plain loads and vectorises). Integer sums and products are computed on the
 * unsigned type of the same width (wrap-around, never C's signed-overflow UB), so signed and
 * unsigned kinds share them. Kinds follow the guest ABI: wasm32 long double is binary128
 * (_Float128 here), native long double is x87.
 *
 * User operations are a token (a wasm table index or a native function pointer) that the binding
 * calls through gmpi_user_op_call; they see buffers in the datatype's layout, so packed data of a
 * non-contiguous type is unpacked into a temporary in that layout first.
 */
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_internal.h"

typedef long double f80;
typedef _Float128 f128;
typedef float _Complex c32;
typedef double _Complex c64;
typedef long double _Complex c80;
typedef _Complex _Float128 c128;

/* One loop per (operation, C type): `EXPR` computes the new inout element `b` from `a` (in). */
#define GMPI_OP_LOOP(name, T, EXPR)                                                                \
    static void name(const void *in_, void *inout_, int64_t n) {                                   \
        const uint8_t *in = in_;                                                                   \
        uint8_t *io = inout_;                                                                      \
        for (int64_t i = 0; i < n; i++) {                                                          \
            T a, b;                                                                                \
            memcpy(&a, in + i * (int64_t)sizeof(T), sizeof(T));                                    \
            memcpy(&b, io + i * (int64_t)sizeof(T), sizeof(T));                                    \
            b = (EXPR);                                                                            \
            memcpy(io + i * (int64_t)sizeof(T), &b, sizeof(T));                                    \
        }                                                                                          \
    }

/* Integers, sign-independent (two's complement wrap-around). */
GMPI_OP_LOOP(sum_u8, uint8_t, (uint8_t)(a + b))
GMPI_OP_LOOP(sum_u16, uint16_t, (uint16_t)(a + b))
GMPI_OP_LOOP(sum_u32, uint32_t, a + b)
GMPI_OP_LOOP(sum_u64, uint64_t, a + b)
GMPI_OP_LOOP(prod_u8, uint8_t, (uint8_t)((unsigned)a *(unsigned)b))
GMPI_OP_LOOP(prod_u16, uint16_t, (uint16_t)((unsigned)a *(unsigned)b))
GMPI_OP_LOOP(prod_u32, uint32_t, a *b)
GMPI_OP_LOOP(prod_u64, uint64_t, a *b)
GMPI_OP_LOOP(band_u8, uint8_t, a &b)
GMPI_OP_LOOP(band_u16, uint16_t, a &b)
GMPI_OP_LOOP(band_u32, uint32_t, a &b)
GMPI_OP_LOOP(band_u64, uint64_t, a &b)
GMPI_OP_LOOP(bor_u8, uint8_t, a | b)
GMPI_OP_LOOP(bor_u16, uint16_t, a | b)
GMPI_OP_LOOP(bor_u32, uint32_t, a | b)
GMPI_OP_LOOP(bor_u64, uint64_t, a | b)
GMPI_OP_LOOP(bxor_u8, uint8_t, a ^ b)
GMPI_OP_LOOP(bxor_u16, uint16_t, a ^ b)
GMPI_OP_LOOP(bxor_u32, uint32_t, a ^ b)
GMPI_OP_LOOP(bxor_u64, uint64_t, a ^ b)
GMPI_OP_LOOP(land_u8, uint8_t, (a != 0) && (b != 0))
GMPI_OP_LOOP(land_u16, uint16_t, (a != 0) && (b != 0))
GMPI_OP_LOOP(land_u32, uint32_t, (a != 0) && (b != 0))
GMPI_OP_LOOP(land_u64, uint64_t, (a != 0) && (b != 0))
GMPI_OP_LOOP(lor_u8, uint8_t, (a != 0) || (b != 0))
GMPI_OP_LOOP(lor_u16, uint16_t, (a != 0) || (b != 0))
GMPI_OP_LOOP(lor_u32, uint32_t, (a != 0) || (b != 0))
GMPI_OP_LOOP(lor_u64, uint64_t, (a != 0) || (b != 0))
GMPI_OP_LOOP(lxor_u8, uint8_t, (a != 0) != (b != 0))
GMPI_OP_LOOP(lxor_u16, uint16_t, (a != 0) != (b != 0))
GMPI_OP_LOOP(lxor_u32, uint32_t, (a != 0) != (b != 0))
GMPI_OP_LOOP(lxor_u64, uint64_t, (a != 0) != (b != 0))

/* Ordered types: the signedness matters. */
GMPI_OP_LOOP(max_i8, int8_t, a > b ? a : b)
GMPI_OP_LOOP(max_i16, int16_t, a > b ? a : b)
GMPI_OP_LOOP(max_i32, int32_t, a > b ? a : b)
GMPI_OP_LOOP(max_i64, int64_t, a > b ? a : b)
GMPI_OP_LOOP(max_u8, uint8_t, a > b ? a : b)
GMPI_OP_LOOP(max_u16, uint16_t, a > b ? a : b)
GMPI_OP_LOOP(max_u32, uint32_t, a > b ? a : b)
GMPI_OP_LOOP(max_u64, uint64_t, a > b ? a : b)
GMPI_OP_LOOP(max_f32, float, a > b ? a : b)
GMPI_OP_LOOP(max_f64, double, a > b ? a : b)
GMPI_OP_LOOP(max_f80, f80, a > b ? a : b)
GMPI_OP_LOOP(max_f128, f128, a > b ? a : b)
GMPI_OP_LOOP(min_i8, int8_t, a < b ? a : b)
GMPI_OP_LOOP(min_i16, int16_t, a < b ? a : b)
GMPI_OP_LOOP(min_i32, int32_t, a < b ? a : b)
GMPI_OP_LOOP(min_i64, int64_t, a < b ? a : b)
GMPI_OP_LOOP(min_u8, uint8_t, a < b ? a : b)
GMPI_OP_LOOP(min_u16, uint16_t, a < b ? a : b)
GMPI_OP_LOOP(min_u32, uint32_t, a < b ? a : b)
GMPI_OP_LOOP(min_u64, uint64_t, a < b ? a : b)
GMPI_OP_LOOP(min_f32, float, a < b ? a : b)
GMPI_OP_LOOP(min_f64, double, a < b ? a : b)
GMPI_OP_LOOP(min_f80, f80, a < b ? a : b)
GMPI_OP_LOOP(min_f128, f128, a < b ? a : b)

/* Floating point and complex arithmetic. */
GMPI_OP_LOOP(sum_f32, float, a + b)
GMPI_OP_LOOP(sum_f64, double, a + b)
GMPI_OP_LOOP(sum_f80, f80, a + b)
GMPI_OP_LOOP(sum_f128, f128, a + b)
GMPI_OP_LOOP(prod_f32, float, a *b)
GMPI_OP_LOOP(prod_f64, double, a *b)
GMPI_OP_LOOP(prod_f80, f80, a *b)
GMPI_OP_LOOP(prod_f128, f128, a *b)
GMPI_OP_LOOP(sum_c32, c32, a + b)
GMPI_OP_LOOP(sum_c64, c64, a + b)
GMPI_OP_LOOP(sum_c80, c80, a + b)
GMPI_OP_LOOP(sum_c128, c128, a + b)
GMPI_OP_LOOP(prod_c32, c32, a *b)
GMPI_OP_LOOP(prod_c64, c64, a *b)
GMPI_OP_LOOP(prod_c80, c80, a *b)
GMPI_OP_LOOP(prod_c128, c128, a *b)

/* MINLOC / MAXLOC: packed (value, int) pairs. The smaller index wins a tie. */
#define GMPI_LOC_LOOP(name, T, CMP)                                                                \
    static void name(const void *in_, void *inout_, int64_t n) {                                   \
        const uint8_t *in = in_;                                                                   \
        uint8_t *io = inout_;                                                                      \
        const int64_t step = (int64_t)sizeof(T) + 4;                                               \
        for (int64_t i = 0; i < n; i++) {                                                          \
            T a, b;                                                                                \
            int32_t ai, bi;                                                                        \
            memcpy(&a, in + i * step, sizeof(T));                                                  \
            memcpy(&ai, in + i * step + (int64_t)sizeof(T), 4);                                    \
            memcpy(&b, io + i * step, sizeof(T));                                                  \
            memcpy(&bi, io + i * step + (int64_t)sizeof(T), 4);                                    \
            if (a CMP b) {                                                                         \
                b = a;                                                                             \
                bi = ai;                                                                           \
            } else if (a == b && ai < bi) {                                                        \
                bi = ai;                                                                           \
            }                                                                                      \
            memcpy(io + i * step, &b, sizeof(T));                                                  \
            memcpy(io + i * step + (int64_t)sizeof(T), &bi, 4);                                    \
        }                                                                                          \
    }

GMPI_LOC_LOOP(maxloc_f32, float, >)
GMPI_LOC_LOOP(maxloc_f64, double, >)
GMPI_LOC_LOOP(maxloc_i32, int32_t, >)
GMPI_LOC_LOOP(maxloc_i64, int64_t, >)
GMPI_LOC_LOOP(maxloc_i16, int16_t, >)
GMPI_LOC_LOOP(maxloc_f80, f80, >)
GMPI_LOC_LOOP(maxloc_f128, f128, >)
GMPI_LOC_LOOP(minloc_f32, float, <)
GMPI_LOC_LOOP(minloc_f64, double, <)
GMPI_LOC_LOOP(minloc_i32, int32_t, <)
GMPI_LOC_LOOP(minloc_i64, int64_t, <)
GMPI_LOC_LOOP(minloc_i16, int16_t, <)
GMPI_LOC_LOOP(minloc_f80, f80, <)
GMPI_LOC_LOOP(minloc_f128, f128, <)

/* The integer kinds share width-based loops for the sign-independent operations. */
#define INT_ROW(op)                                                                                \
    [GMPI_K_I8] = op##_u8, [GMPI_K_U8] = op##_u8, [GMPI_K_I16] = op##_u16,                         \
    [GMPI_K_U16] = op##_u16, [GMPI_K_I32] = op##_u32, [GMPI_K_U32] = op##_u32,                     \
    [GMPI_K_I64] = op##_u64, [GMPI_K_U64] = op##_u64

static const gmpi_op_fn op_table[GMPI_OP_PREDEF_COUNT][GMPI_K_COUNT] = {
    [GMPI_MAX] = {[GMPI_K_I8] = max_i8,
                  [GMPI_K_I16] = max_i16,
                  [GMPI_K_I32] = max_i32,
                  [GMPI_K_I64] = max_i64,
                  [GMPI_K_U8] = max_u8,
                  [GMPI_K_U16] = max_u16,
                  [GMPI_K_U32] = max_u32,
                  [GMPI_K_U64] = max_u64,
                  [GMPI_K_F32] = max_f32,
                  [GMPI_K_F64] = max_f64,
                  [GMPI_K_F80] = max_f80,
                  [GMPI_K_F128] = max_f128},
    [GMPI_MIN] = {[GMPI_K_I8] = min_i8,
                  [GMPI_K_I16] = min_i16,
                  [GMPI_K_I32] = min_i32,
                  [GMPI_K_I64] = min_i64,
                  [GMPI_K_U8] = min_u8,
                  [GMPI_K_U16] = min_u16,
                  [GMPI_K_U32] = min_u32,
                  [GMPI_K_U64] = min_u64,
                  [GMPI_K_F32] = min_f32,
                  [GMPI_K_F64] = min_f64,
                  [GMPI_K_F80] = min_f80,
                  [GMPI_K_F128] = min_f128},
    [GMPI_SUM] = {INT_ROW(sum), [GMPI_K_F32] = sum_f32, [GMPI_K_F64] = sum_f64,
                  [GMPI_K_F80] = sum_f80, [GMPI_K_F128] = sum_f128, [GMPI_K_C32] = sum_c32,
                  [GMPI_K_C64] = sum_c64, [GMPI_K_C80] = sum_c80, [GMPI_K_C128] = sum_c128},
    [GMPI_PROD] = {INT_ROW(prod), [GMPI_K_F32] = prod_f32, [GMPI_K_F64] = prod_f64,
                   [GMPI_K_F80] = prod_f80, [GMPI_K_F128] = prod_f128, [GMPI_K_C32] = prod_c32,
                   [GMPI_K_C64] = prod_c64, [GMPI_K_C80] = prod_c80, [GMPI_K_C128] = prod_c128},
    [GMPI_LAND] = {INT_ROW(land), [GMPI_K_BOOL] = land_u8},
    [GMPI_LOR] = {INT_ROW(lor), [GMPI_K_BOOL] = lor_u8},
    [GMPI_LXOR] = {INT_ROW(lxor), [GMPI_K_BOOL] = lxor_u8},
    [GMPI_BAND] = {INT_ROW(band), [GMPI_K_BYTE] = band_u8},
    [GMPI_BOR] = {INT_ROW(bor), [GMPI_K_BYTE] = bor_u8},
    [GMPI_BXOR] = {INT_ROW(bxor), [GMPI_K_BYTE] = bxor_u8},
    [GMPI_MAXLOC] = {[GMPI_K_FLOAT_INT] = maxloc_f32,
                     [GMPI_K_DOUBLE_INT] = maxloc_f64,
                     [GMPI_K_I32_INT] = maxloc_i32,
                     [GMPI_K_I64_INT] = maxloc_i64,
                     [GMPI_K_SHORT_INT] = maxloc_i16,
                     [GMPI_K_F80_INT] = maxloc_f80,
                     [GMPI_K_F128_INT] = maxloc_f128},
    [GMPI_MINLOC] = {[GMPI_K_FLOAT_INT] = minloc_f32,
                     [GMPI_K_DOUBLE_INT] = minloc_f64,
                     [GMPI_K_I32_INT] = minloc_i32,
                     [GMPI_K_I64_INT] = minloc_i64,
                     [GMPI_K_SHORT_INT] = minloc_i16,
                     [GMPI_K_F80_INT] = minloc_f80,
                     [GMPI_K_F128_INT] = minloc_f128},
};

gmpi_op_fn gmpi_op_lookup(int op, gmpi_kind k) {
    if (op <= 0 || op >= GMPI_OP_PREDEF_COUNT || k <= GMPI_K_NONE || k >= GMPI_K_COUNT) return NULL;
    return op_table[op][k];
}

const gmpi_op *gmpi_op_get(gmpi_rank *r, int handle) {
    if (handle > GMPI_OP_NULL && handle < GMPI_OP_PREDEF_COUNT)
        return &r->world->predef_ops[handle];
    if (handle >= GMPI_OP_FIRST_USER) return gmpi_table_get(&r->ops, handle);
    return NULL;
}

int gmpi_op_check(gmpi_rank *r, const gmpi_op *op, const gmpi_type *t) {
    (void)r;
    if (!op->predefined) return GMPI_SUCCESS;
    if (op->code == GMPI_REPLACE || op->code == GMPI_NO_OP) return GMPI_ERR_OP; /* RMA only */
    if (t->size == 0) return GMPI_SUCCESS;
    return gmpi_op_lookup(op->code, t->kind) ? GMPI_SUCCESS : GMPI_ERR_OP;
}

int gmpi_op_apply_packed(gmpi_rank *r, const gmpi_op *op, int op_handle, int type_handle,
                         const gmpi_type *t, const void *in, void *inout, int64_t count) {
    (void)op_handle;
    if (count <= 0 || t->size == 0) return GMPI_SUCCESS;
    if (op->predefined) {
        gmpi_op_fn fn = gmpi_op_lookup(op->code, t->kind);
        if (!fn) return GMPI_ERR_OP;
        fn(in, inout, count * t->nelems);
        return GMPI_SUCCESS;
    }
    if (!r->user_op_call) return GMPI_ERR_OP;
    if (count > 0x7fffffff) return GMPI_ERR_COUNT;
    if (t->contiguous)
        return r->user_op_call(r->user_op_ud, op->fn, (void *)(uintptr_t)in, inout, (int)count,
                               type_handle);
    /* Unpack both into the datatype's layout, call, pack the result back. */
    int64_t span = (count - 1) * t->extent + (t->true_ub - t->true_lb);
    int64_t shift = -t->true_lb; /* buffer origin inside the temporaries */
    uint8_t *a = calloc(1, (size_t)span + 1), *b = calloc(1, (size_t)span + 1);
    if (!a || !b) {
        free(a);
        free(b);
        return GMPI_ERR_NO_MEM;
    }
    int64_t bytes = count * t->size;
    gmpi_type_unpack(in, a + shift, count, t, 0, bytes);
    gmpi_type_unpack(inout, b + shift, count, t, 0, bytes);
    int err = r->user_op_call(r->user_op_ud, op->fn, a + shift, b + shift, (int)count, type_handle);
    if (!err) gmpi_type_pack(b + shift, count, t, inout, 0, bytes);
    free(a);
    free(b);
    return err;
}

int gmpi_op_create(gmpi_rank *r, uint64_t fn, int commute, int *out) {
    gmpi_op *op = calloc(1, sizeof *op);
    if (!op) return GMPI_ERR_NO_MEM;
    op->predefined = false;
    op->commute = commute != 0;
    op->fn = fn;
    int h = gmpi_table_add(&r->ops, op);
    if (h < 0) {
        free(op);
        return GMPI_ERR_NO_MEM;
    }
    *out = h;
    return GMPI_SUCCESS;
}

int gmpi_op_free(gmpi_rank *r, int *handle) {
    if (*handle < GMPI_OP_FIRST_USER) return GMPI_ERR_OP;
    gmpi_op *op = gmpi_table_get(&r->ops, *handle);
    if (!op) return GMPI_ERR_OP;
    gmpi_table_del(&r->ops, *handle);
    free(op);
    *handle = GMPI_OP_NULL;
    return GMPI_SUCCESS;
}

int gmpi_op_commutative(gmpi_rank *r, int handle, int *commute) {
    const gmpi_op *op = gmpi_op_get(r, handle);
    if (!op) return GMPI_ERR_OP;
    *commute = op->commute;
    return GMPI_SUCCESS;
}

int gmpi_reduce_local(gmpi_rank *r, const void *in, void *inout, int count, int type, int handle) {
    gmpi_type *t;
    int err = gmpi_check_buffer(r, inout, count, type, &t);
    if (err) return err;
    const gmpi_op *op = gmpi_op_get(r, handle);
    if (!op) return GMPI_ERR_OP;
    if ((err = gmpi_op_check(r, op, t))) return err;
    if (count == 0) return GMPI_SUCCESS;
    if (t->contiguous) return gmpi_op_apply_packed(r, op, handle, type, t, in, inout, count);
    int64_t bytes = (int64_t)count * t->size;
    uint8_t *a = malloc((size_t)bytes), *b = malloc((size_t)bytes);
    if (!a || !b) {
        free(a);
        free(b);
        return GMPI_ERR_NO_MEM;
    }
    gmpi_type_pack(in, count, t, a, 0, bytes);
    gmpi_type_pack(inout, count, t, b, 0, bytes);
    err = gmpi_op_apply_packed(r, op, handle, type, t, a, b, count);
    if (!err) gmpi_type_unpack(b, inout, count, t, 0, bytes);
    free(a);
    free(b);
    return err;
}

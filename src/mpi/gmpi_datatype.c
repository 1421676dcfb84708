/*
 * gmpi_datatype.c — MPI datatypes: the predefined C types of each guest ABI, the derived-type
 * constructors, and the cursor that packs, unpacks and copies typed buffers.
 *
 * Representation: a type's type map is flattened once, at construction, into a list of byte
 * blocks (offset, length) in type-map order, adjacent blocks merged. Every constructor appends
 * shifted copies of its old types' blocks to a builder, which also tracks lb/ub, the true bounds,
 * the alignment used to pad struct extents (MPI's epsilon), and whether all basic elements are of
 * one kind (reductions need that). Communication never interprets the type again: it walks two
 * block lists side by side (the cursor) and memcpy's the overlaps, so a message between two derived
 * types still moves with exactly one copy. A type that is one block at offset 0 with extent == size
 * is `contiguous`: the whole buffer is one memcpy.
 *
 * Sizes depend on the ABI: in wasm32 long and MPI_Aint are 4 bytes and long double is binary128;
 * natively (LP64) they are 8 bytes and x87 extended.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_internal.h"

/* ---- Kinds ---- */

static const int kind_sizes[GMPI_K_COUNT] = {
    [GMPI_K_NONE] = 1,      [GMPI_K_I8] = 1,          [GMPI_K_I16] = 2,       [GMPI_K_I32] = 4,
    [GMPI_K_I64] = 8,       [GMPI_K_U8] = 1,          [GMPI_K_U16] = 2,       [GMPI_K_U32] = 4,
    [GMPI_K_U64] = 8,       [GMPI_K_F32] = 4,         [GMPI_K_F64] = 8,       [GMPI_K_F80] = 16,
    [GMPI_K_F128] = 16,     [GMPI_K_C32] = 8,         [GMPI_K_C64] = 16,      [GMPI_K_C80] = 32,
    [GMPI_K_C128] = 32,     [GMPI_K_BOOL] = 1,        [GMPI_K_BYTE] = 1,      [GMPI_K_CHAR] = 1,
    [GMPI_K_FLOAT_INT] = 8, [GMPI_K_DOUBLE_INT] = 12, [GMPI_K_I32_INT] = 8,   [GMPI_K_I64_INT] = 12,
    [GMPI_K_SHORT_INT] = 6, [GMPI_K_F80_INT] = 20,    [GMPI_K_F128_INT] = 20,
};

int gmpi_kind_size(gmpi_kind k) {
    return kind_sizes[k];
}

/* ---- Predefined types ---- */

typedef struct predef_desc {
    int handle;
    const char *name;
    gmpi_kind kind_lp64, kind_wasm;
    int size_lp64, size_wasm;       /* data bytes */
    int extent_lp64, extent_wasm;   /* with padding (pairs) */
    int int_off_lp64, int_off_wasm; /* pairs: offset of the int; 0 for scalars */
    int align_lp64, align_wasm;
} predef_desc;

static const predef_desc predefs[] = {
    {GMPI_CHAR, "MPI_CHAR", GMPI_K_CHAR, GMPI_K_CHAR, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_SIGNED_CHAR, "MPI_SIGNED_CHAR", GMPI_K_I8, GMPI_K_I8, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_UNSIGNED_CHAR, "MPI_UNSIGNED_CHAR", GMPI_K_U8, GMPI_K_U8, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_BYTE, "MPI_BYTE", GMPI_K_BYTE, GMPI_K_BYTE, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_WCHAR, "MPI_WCHAR", GMPI_K_NONE, GMPI_K_NONE, 4, 4, 4, 4, 0, 0, 4, 4},
    {GMPI_SHORT, "MPI_SHORT", GMPI_K_I16, GMPI_K_I16, 2, 2, 2, 2, 0, 0, 2, 2},
    {GMPI_UNSIGNED_SHORT, "MPI_UNSIGNED_SHORT", GMPI_K_U16, GMPI_K_U16, 2, 2, 2, 2, 0, 0, 2, 2},
    {GMPI_INT, "MPI_INT", GMPI_K_I32, GMPI_K_I32, 4, 4, 4, 4, 0, 0, 4, 4},
    {GMPI_UNSIGNED, "MPI_UNSIGNED", GMPI_K_U32, GMPI_K_U32, 4, 4, 4, 4, 0, 0, 4, 4},
    {GMPI_LONG, "MPI_LONG", GMPI_K_I64, GMPI_K_I32, 8, 4, 8, 4, 0, 0, 8, 4},
    {GMPI_UNSIGNED_LONG, "MPI_UNSIGNED_LONG", GMPI_K_U64, GMPI_K_U32, 8, 4, 8, 4, 0, 0, 8, 4},
    {GMPI_LONG_LONG, "MPI_LONG_LONG_INT", GMPI_K_I64, GMPI_K_I64, 8, 8, 8, 8, 0, 0, 8, 8},
    {GMPI_UNSIGNED_LONG_LONG, "MPI_UNSIGNED_LONG_LONG", GMPI_K_U64, GMPI_K_U64, 8, 8, 8, 8, 0, 0, 8,
     8},
    {GMPI_FLOAT, "MPI_FLOAT", GMPI_K_F32, GMPI_K_F32, 4, 4, 4, 4, 0, 0, 4, 4},
    {GMPI_DOUBLE, "MPI_DOUBLE", GMPI_K_F64, GMPI_K_F64, 8, 8, 8, 8, 0, 0, 8, 8},
    {GMPI_LONG_DOUBLE, "MPI_LONG_DOUBLE", GMPI_K_F80, GMPI_K_F128, 16, 16, 16, 16, 0, 0, 16, 16},
    {GMPI_C_BOOL, "MPI_C_BOOL", GMPI_K_BOOL, GMPI_K_BOOL, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_INT8_T, "MPI_INT8_T", GMPI_K_I8, GMPI_K_I8, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_INT16_T, "MPI_INT16_T", GMPI_K_I16, GMPI_K_I16, 2, 2, 2, 2, 0, 0, 2, 2},
    {GMPI_INT32_T, "MPI_INT32_T", GMPI_K_I32, GMPI_K_I32, 4, 4, 4, 4, 0, 0, 4, 4},
    {GMPI_INT64_T, "MPI_INT64_T", GMPI_K_I64, GMPI_K_I64, 8, 8, 8, 8, 0, 0, 8, 8},
    {GMPI_UINT8_T, "MPI_UINT8_T", GMPI_K_U8, GMPI_K_U8, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_UINT16_T, "MPI_UINT16_T", GMPI_K_U16, GMPI_K_U16, 2, 2, 2, 2, 0, 0, 2, 2},
    {GMPI_UINT32_T, "MPI_UINT32_T", GMPI_K_U32, GMPI_K_U32, 4, 4, 4, 4, 0, 0, 4, 4},
    {GMPI_UINT64_T, "MPI_UINT64_T", GMPI_K_U64, GMPI_K_U64, 8, 8, 8, 8, 0, 0, 8, 8},
    {GMPI_AINT, "MPI_AINT", GMPI_K_I64, GMPI_K_I32, 8, 4, 8, 4, 0, 0, 8, 4},
    {GMPI_COUNT, "MPI_COUNT", GMPI_K_I64, GMPI_K_I64, 8, 8, 8, 8, 0, 0, 8, 8},
    {GMPI_OFFSET, "MPI_OFFSET", GMPI_K_I64, GMPI_K_I64, 8, 8, 8, 8, 0, 0, 8, 8},
    {GMPI_C_FLOAT_COMPLEX, "MPI_C_FLOAT_COMPLEX", GMPI_K_C32, GMPI_K_C32, 8, 8, 8, 8, 0, 0, 4, 4},
    {GMPI_C_DOUBLE_COMPLEX, "MPI_C_DOUBLE_COMPLEX", GMPI_K_C64, GMPI_K_C64, 16, 16, 16, 16, 0, 0, 8,
     8},
    {GMPI_C_LONG_DOUBLE_COMPLEX, "MPI_C_LONG_DOUBLE_COMPLEX", GMPI_K_C80, GMPI_K_C128, 32, 32, 32,
     32, 0, 0, 16, 16},
    {GMPI_PACKED, "MPI_PACKED", GMPI_K_NONE, GMPI_K_NONE, 1, 1, 1, 1, 0, 0, 1, 1},
    {GMPI_FLOAT_INT, "MPI_FLOAT_INT", GMPI_K_FLOAT_INT, GMPI_K_FLOAT_INT, 8, 8, 8, 8, 4, 4, 4, 4},
    {GMPI_DOUBLE_INT, "MPI_DOUBLE_INT", GMPI_K_DOUBLE_INT, GMPI_K_DOUBLE_INT, 12, 12, 16, 16, 8, 8,
     8, 8},
    {GMPI_LONG_INT, "MPI_LONG_INT", GMPI_K_I64_INT, GMPI_K_I32_INT, 12, 8, 16, 8, 8, 4, 8, 4},
    {GMPI_2INT, "MPI_2INT", GMPI_K_I32_INT, GMPI_K_I32_INT, 8, 8, 8, 8, 4, 4, 4, 4},
    {GMPI_SHORT_INT, "MPI_SHORT_INT", GMPI_K_SHORT_INT, GMPI_K_SHORT_INT, 6, 6, 8, 8, 4, 4, 4, 4},
    {GMPI_LONG_DOUBLE_INT, "MPI_LONG_DOUBLE_INT", GMPI_K_F80_INT, GMPI_K_F128_INT, 20, 20, 32, 32,
     16, 16, 16, 16},
};

/* Alignment of each type, kept beside the type table (only constructors need it). */
static int type_align(const gmpi_type *t);

void gmpi_types_init_predefined(gmpi_type *table, gmpi_abi abi) {
    memset(table, 0, sizeof(gmpi_type) * GMPI_TYPE_PREDEF_COUNT);
    bool w = abi == GMPI_ABI_WASM32;
    for (size_t i = 0; i < sizeof predefs / sizeof predefs[0]; i++) {
        const predef_desc *d = &predefs[i];
        gmpi_type *t = &table[d->handle];
        t->predefined = t->committed = true;
        t->combiner = GMPI_COMBINER_NAMED;
        t->kind = w ? d->kind_wasm : d->kind_lp64;
        t->size = w ? d->size_wasm : d->size_lp64;
        t->extent = w ? d->extent_wasm : d->extent_lp64;
        t->lb = 0;
        t->true_lb = 0;
        t->true_ub = t->size;
        t->nelems = 1;
        t->blocks = t->inline_blocks;
        int int_off = w ? d->int_off_wasm : d->int_off_lp64;
        if (int_off == 0 || int_off == t->size - 4) {
            t->nblocks = 1;
            t->blocks[0] = (gmpi_block){0, t->size};
        } else {
            /* a pair with a hole between value and int (MPI_SHORT_INT) */
            t->nblocks = 2;
            t->blocks[0] = (gmpi_block){0, t->size - 4};
            t->blocks[1] = (gmpi_block){int_off, 4};
            t->true_ub = int_off + 4;
        }
        t->contiguous = t->nblocks == 1 && t->extent == t->size;
        t->refs = 1;
        snprintf(t->name, sizeof t->name, "%s", d->name);
    }
}

static int type_align(const gmpi_type *t) {
    /* Alignment of the largest basic element: derived from the kind, or 8 for mixed types (an
     * upper bound that matches the usual C struct rules for the types MPI programs build). */
    switch (t->kind) {
    case GMPI_K_I8:
    case GMPI_K_U8:
    case GMPI_K_BOOL:
    case GMPI_K_BYTE:
    case GMPI_K_CHAR: return 1;
    case GMPI_K_I16:
    case GMPI_K_U16: return 2;
    case GMPI_K_I32:
    case GMPI_K_U32:
    case GMPI_K_F32:
    case GMPI_K_C32:
    case GMPI_K_FLOAT_INT:
    case GMPI_K_I32_INT:
    case GMPI_K_SHORT_INT: return 4;
    case GMPI_K_I64:
    case GMPI_K_U64:
    case GMPI_K_F64:
    case GMPI_K_C64:
    case GMPI_K_DOUBLE_INT:
    case GMPI_K_I64_INT: return 8;
    case GMPI_K_F80:
    case GMPI_K_F128:
    case GMPI_K_C80:
    case GMPI_K_C128:
    case GMPI_K_F80_INT:
    case GMPI_K_F128_INT: return 16;
    default: return t->size >= 8 ? 8 : t->size >= 4 ? 4 : 1;
    }
}

/* ---- Handles ---- */

gmpi_type *gmpi_type_get(gmpi_rank *r, int handle) {
    if (handle > GMPI_DATATYPE_NULL && handle < GMPI_TYPE_PREDEF_COUNT)
        return &r->world->predef[handle];
    if (handle >= GMPI_TYPE_FIRST_USER) return gmpi_table_get(&r->types, handle);
    return NULL;
}

void gmpi_type_retain(gmpi_type *t) {
    if (!t->predefined) t->refs++;
}

void gmpi_type_release(gmpi_type *t) {
    if (t->predefined) return;
    assert(t->refs > 0);
    if (--t->refs == 0) {
        if (t->blocks != t->inline_blocks) free(t->blocks);
        free(t);
    }
}

/* ---- Builder ---- */

typedef struct builder {
    gmpi_block *b;
    int n, cap;
    bool oom, overflow;
    int64_t size, nelems;
    int64_t lb, ub, tlb, tub;
    bool any;      /* at least one instance appended (bounds valid) */
    bool any_data; /* at least one byte (true bounds valid) */
    gmpi_kind kind;
    bool kind_set;
    int align;
} builder;

static void b_block(builder *b, int64_t off, int64_t len) {
    if (len == 0) return;
    if (b->n > 0 && b->b[b->n - 1].off + b->b[b->n - 1].len == off) {
        b->b[b->n - 1].len += len;
        return;
    }
    if (b->n == b->cap) {
        int ncap = b->cap ? b->cap * 2 : 8;
        if (ncap < 0 || ncap > INT_MAX / 2) {
            b->oom = true;
            return;
        }
        gmpi_block *nb = realloc(b->b, (size_t)ncap * sizeof *nb);
        if (!nb) {
            b->oom = true;
            return;
        }
        b->b = nb;
        b->cap = ncap;
    }
    b->b[b->n++] = (gmpi_block){off, len};
}

/* Appends `count` consecutive instances of `old` whose first instance starts at byte `disp`. */
static void b_add(builder *b, const gmpi_type *old, int64_t disp, int64_t count) {
    if (count <= 0 || b->oom || b->overflow) return;
    int64_t last, span_size, span_elems;
    if (__builtin_mul_overflow(count - 1, old->extent, &last) ||
        __builtin_add_overflow(last, disp, &last) ||
        __builtin_mul_overflow(count, old->size, &span_size) ||
        __builtin_mul_overflow(count, old->nelems, &span_elems) ||
        __builtin_add_overflow(b->size, span_size, &b->size)) {
        b->overflow = true;
        return;
    }
    b->nelems += span_elems;
    /* bounds: the first and the last instance hold the extremes */
    int64_t lo = (disp < last ? disp : last) + old->lb;
    int64_t hi = (disp > last ? disp : last) + old->lb + old->extent;
    if (!b->any || lo < b->lb) b->lb = lo;
    if (!b->any || hi > b->ub) b->ub = hi;
    b->any = true;
    if (old->size > 0) {
        int64_t tlo = (disp < last ? disp : last) + old->true_lb;
        int64_t thi = (disp > last ? disp : last) + old->true_ub;
        if (!b->any_data || tlo < b->tlb) b->tlb = tlo;
        if (!b->any_data || thi > b->tub) b->tub = thi;
        b->any_data = true;
        if (!b->kind_set) {
            b->kind = old->kind;
            b->kind_set = true;
        } else if (b->kind != old->kind) {
            b->kind = GMPI_K_NONE;
        }
    }
    int a = type_align(old);
    if (a > b->align) b->align = a;
    if (old->size == 0) return;
    if (old->nblocks == 1 && old->blocks[0].len == old->extent) {
        b_block(b, disp + old->blocks[0].off, span_size); /* dense: one block */
        return;
    }
    for (int64_t i = 0; i < count && !b->oom; i++)
        for (int k = 0; k < old->nblocks; k++)
            b_block(b, disp + i * old->extent + old->blocks[k].off, old->blocks[k].len);
}

/* Turns a builder into a type and a handle. `pad`: apply MPI's alignment epsilon to the extent. */
static int b_finish(gmpi_rank *r, builder *b, int combiner, bool pad, int *out) {
    if (b->oom) {
        free(b->b);
        return GMPI_ERR_NO_MEM;
    }
    if (b->overflow) {
        free(b->b);
        return GMPI_ERR_COUNT;
    }
    gmpi_type *t = calloc(1, sizeof *t);
    if (!t) {
        free(b->b);
        return GMPI_ERR_NO_MEM;
    }
    t->refs = 1;
    t->combiner = combiner;
    t->size = b->size;
    t->nelems = b->nelems;
    t->kind = b->kind_set ? b->kind : GMPI_K_NONE;
    t->lb = b->any ? b->lb : 0;
    int64_t ub = b->any ? b->ub : 0;
    int64_t extent = ub - t->lb;
    if (pad && b->align > 1 && extent % b->align != 0) extent += b->align - (extent % b->align);
    t->extent = extent;
    t->true_lb = b->any_data ? b->tlb : 0;
    t->true_ub = b->any_data ? b->tub : 0;
    if (b->n <= 2) {
        t->blocks = t->inline_blocks;
        memcpy(t->inline_blocks, b->b, (size_t)b->n * sizeof *b->b);
        free(b->b);
    } else {
        t->blocks = b->b;
    }
    t->nblocks = b->n;
    t->contiguous = t->size == 0 || (t->nblocks == 1 && t->blocks[0].off == 0 && t->lb == 0 &&
                                     t->extent == t->size);
    int h = gmpi_table_add(&r->types, t);
    if (h < 0) {
        gmpi_type_release(t);
        return GMPI_ERR_NO_MEM;
    }
    *out = h;
    return GMPI_SUCCESS;
}

static int old_type(gmpi_rank *r, int handle, gmpi_type **t) {
    *t = gmpi_type_get(r, handle);
    return *t ? GMPI_SUCCESS : GMPI_ERR_TYPE;
}

/* ---- Constructors ---- */

int gmpi_type_contiguous(gmpi_rank *r, int count, int old, int *out) {
    gmpi_type *o;
    if (count < 0) return GMPI_ERR_COUNT;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    builder b = {0};
    b_add(&b, o, 0, count);
    int err = b_finish(r, &b, GMPI_COMBINER_CONTIGUOUS, false, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->env_ints = 1, t->env_types = 1;
    }
    return err;
}

int gmpi_type_hvector(gmpi_rank *r, int count, int blocklen, int64_t stride, int old, int *out) {
    gmpi_type *o;
    if (count < 0 || blocklen < 0) return GMPI_ERR_COUNT;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    builder b = {0};
    for (int64_t i = 0; i < count; i++)
        b_add(&b, o, i * stride, blocklen);
    int err = b_finish(r, &b, GMPI_COMBINER_HVECTOR, false, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->env_ints = 2, t->env_addrs = 1, t->env_types = 1;
    }
    return err;
}

int gmpi_type_vector(gmpi_rank *r, int count, int blocklen, int stride, int old, int *out) {
    gmpi_type *o;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    int err = gmpi_type_hvector(r, count, blocklen, (int64_t)stride * o->extent, old, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->combiner = GMPI_COMBINER_VECTOR;
        t->env_ints = 3, t->env_addrs = 0;
    }
    return err;
}

int gmpi_type_hindexed(gmpi_rank *r, int count, const int *blocklens, const int64_t *displs,
                       int old, int *out) {
    gmpi_type *o;
    if (count < 0) return GMPI_ERR_COUNT;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    builder b = {0};
    for (int i = 0; i < count; i++) {
        if (blocklens[i] < 0) {
            free(b.b);
            return GMPI_ERR_COUNT;
        }
        b_add(&b, o, displs[i], blocklens[i]);
    }
    int err = b_finish(r, &b, GMPI_COMBINER_HINDEXED, false, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->env_ints = count + 1, t->env_addrs = count, t->env_types = 1;
    }
    return err;
}

int gmpi_type_indexed(gmpi_rank *r, int count, const int *blocklens, const int *displs, int old,
                      int *out) {
    gmpi_type *o;
    if (count < 0) return GMPI_ERR_COUNT;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    int64_t *d = malloc(((size_t)count + 1) * sizeof *d);
    if (!d) return GMPI_ERR_NO_MEM;
    for (int i = 0; i < count; i++)
        d[i] = (int64_t)displs[i] * o->extent;
    int err = gmpi_type_hindexed(r, count, blocklens, d, old, out);
    free(d);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->combiner = GMPI_COMBINER_INDEXED;
        t->env_ints = 2 * count + 1, t->env_addrs = 0;
    }
    return err;
}

int gmpi_type_hindexed_block(gmpi_rank *r, int count, int blocklen, const int64_t *displs, int old,
                             int *out) {
    gmpi_type *o;
    if (count < 0 || blocklen < 0) return GMPI_ERR_COUNT;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    builder b = {0};
    for (int i = 0; i < count; i++)
        b_add(&b, o, displs[i], blocklen);
    int err = b_finish(r, &b, GMPI_COMBINER_HINDEXED_BLOCK, false, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->env_ints = 2, t->env_addrs = count, t->env_types = 1;
    }
    return err;
}

int gmpi_type_indexed_block(gmpi_rank *r, int count, int blocklen, const int *displs, int old,
                            int *out) {
    gmpi_type *o;
    if (count < 0) return GMPI_ERR_COUNT;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    int64_t *d = malloc(((size_t)count + 1) * sizeof *d);
    if (!d) return GMPI_ERR_NO_MEM;
    for (int i = 0; i < count; i++)
        d[i] = (int64_t)displs[i] * o->extent;
    int err = gmpi_type_hindexed_block(r, count, blocklen, d, old, out);
    free(d);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->combiner = GMPI_COMBINER_INDEXED_BLOCK;
        t->env_ints = count + 2, t->env_addrs = 0;
    }
    return err;
}

int gmpi_type_struct(gmpi_rank *r, int count, const int *blocklens, const int64_t *displs,
                     const int *types, int *out) {
    if (count < 0) return GMPI_ERR_COUNT;
    builder b = {0};
    bool explicit_bounds = false;
    for (int i = 0; i < count; i++) {
        gmpi_type *o = gmpi_type_get(r, types[i]);
        if (!o) {
            free(b.b);
            return GMPI_ERR_TYPE;
        }
        if (blocklens[i] < 0) {
            free(b.b);
            return GMPI_ERR_COUNT;
        }
        if (o->combiner == GMPI_COMBINER_RESIZED) explicit_bounds = true;
        b_add(&b, o, displs[i], blocklens[i]);
    }
    int err = b_finish(r, &b, GMPI_COMBINER_STRUCT, !explicit_bounds, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->env_ints = count + 1, t->env_addrs = count, t->env_types = count;
    }
    return err;
}

int gmpi_type_resized(gmpi_rank *r, int old, int64_t lb, int64_t extent, int *out) {
    gmpi_type *o;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    builder b = {0};
    b_add(&b, o, 0, 1);
    int err = b_finish(r, &b, GMPI_COMBINER_RESIZED, false, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->lb = lb;
        t->extent = extent;
        t->contiguous = t->size == 0 ||
                        (t->nblocks == 1 && t->blocks[0].off == 0 && lb == 0 && extent == t->size);
        t->env_ints = 0, t->env_addrs = 2, t->env_types = 1;
    }
    return err;
}

/* Subarray: every row of the innermost dimension is one run of old elements. */
static void subarray_rows(builder *b, const gmpi_type *o, int ndims, const int *sizes,
                          const int *subsizes, const int *starts, int dim, int64_t off,
                          const int64_t *stride) {
    if (dim == ndims - 1) {
        b_add(b, o, off + (int64_t)starts[dim] * stride[dim], subsizes[dim]);
        return;
    }
    for (int i = 0; i < subsizes[dim]; i++)
        subarray_rows(b, o, ndims, sizes, subsizes, starts, dim + 1,
                      off + (int64_t)(starts[dim] + i) * stride[dim], stride);
}

int gmpi_type_subarray(gmpi_rank *r, int ndims, const int *sizes, const int *subsizes,
                       const int *starts, int order, int old, int *out) {
    gmpi_type *o;
    if (ndims < 1 || ndims > 32) return GMPI_ERR_DIMS;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    if (order != GMPI_ORDER_C && order != GMPI_ORDER_FORTRAN) return GMPI_ERR_ARG;
    int sz[32], sub[32], st[32];
    int64_t stride[32];
    for (int i = 0; i < ndims; i++) {
        /* Fortran order is C order with the dimensions reversed. */
        int j = order == GMPI_ORDER_C ? i : ndims - 1 - i;
        sz[i] = sizes[j], sub[i] = subsizes[j], st[i] = starts[j];
        if (sz[i] < 1 || sub[i] < 1 || st[i] < 0 || st[i] + sub[i] > sz[i]) return GMPI_ERR_ARG;
    }
    int64_t full = o->extent;
    for (int i = ndims - 1; i >= 0; i--) {
        stride[i] = full;
        if (__builtin_mul_overflow(full, sz[i], &full)) return GMPI_ERR_COUNT;
    }
    builder b = {0};
    subarray_rows(&b, o, ndims, sz, sub, st, 0, 0, stride);
    int err = b_finish(r, &b, GMPI_COMBINER_SUBARRAY, false, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->lb = 0;
        t->extent = full;
        t->contiguous =
            t->size == 0 || (t->nblocks == 1 && t->blocks[0].off == 0 && t->extent == t->size);
        t->env_ints = 3 * ndims + 2, t->env_types = 1;
    }
    return err;
}

int gmpi_type_dup(gmpi_rank *r, int old, int *out) {
    gmpi_type *o;
    if (old_type(r, old, &o)) return GMPI_ERR_TYPE;
    builder b = {0};
    b_add(&b, o, 0, 1);
    int err = b_finish(r, &b, GMPI_COMBINER_DUP, false, out);
    if (!err) {
        gmpi_type *t = gmpi_type_get(r, *out);
        t->lb = o->lb;
        t->extent = o->extent;
        t->contiguous = o->contiguous;
        t->committed = o->committed;
        t->env_types = 1;
    }
    return err;
}

int gmpi_type_commit(gmpi_rank *r, int *type) {
    gmpi_type *t = gmpi_type_get(r, *type);
    if (!t) return GMPI_ERR_TYPE;
    t->committed = true;
    return GMPI_SUCCESS;
}

int gmpi_type_free(gmpi_rank *r, int *type) {
    gmpi_type *t = gmpi_type_get(r, *type);
    if (!t || t->predefined) return GMPI_ERR_TYPE;
    gmpi_table_del(&r->types, *type);
    gmpi_type_release(t);
    *type = GMPI_DATATYPE_NULL;
    return GMPI_SUCCESS;
}

int gmpi_type_size(gmpi_rank *r, int type, int64_t *size) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    *size = t->size;
    return GMPI_SUCCESS;
}

int gmpi_type_get_extent(gmpi_rank *r, int type, int64_t *lb, int64_t *extent) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    *lb = t->lb;
    *extent = t->extent;
    return GMPI_SUCCESS;
}

int gmpi_type_get_true_extent(gmpi_rank *r, int type, int64_t *lb, int64_t *extent) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    *lb = t->true_lb;
    *extent = t->true_ub - t->true_lb;
    return GMPI_SUCCESS;
}

int gmpi_type_get_envelope(gmpi_rank *r, int type, int *nints, int *naddrs, int *ntypes,
                           int *combiner) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    *nints = t->env_ints, *naddrs = t->env_addrs, *ntypes = t->env_types;
    *combiner = t->combiner;
    return GMPI_SUCCESS;
}

int gmpi_type_set_name(gmpi_rank *r, int type, const char *name) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    if (t->predefined) return GMPI_ERR_TYPE;
    snprintf(t->name, sizeof t->name, "%s", name);
    return GMPI_SUCCESS;
}

int gmpi_type_get_name(gmpi_rank *r, int type, char *name, int *len) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    snprintf(name, GMPI_MAX_OBJECT_NAME, "%s", t->name);
    *len = (int)strlen(name);
    return GMPI_SUCCESS;
}

bool gmpi_type_span(gmpi_rank *r, int type, int64_t count, int64_t *lo, int64_t *hi) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t || count < 0) return false;
    *lo = *hi = 0;
    if (count == 0 || t->size == 0) return true;
    int64_t last;
    if (__builtin_mul_overflow(count - 1, t->extent, &last)) return false;
    if (__builtin_add_overflow(last < 0 ? last : 0, t->true_lb, lo) ||
        __builtin_add_overflow(last > 0 ? last : 0, t->true_ub, hi))
        return false;
    return true;
}

/* ---- The cursor: walks the bytes of (buf, count, type) in type-map order ---- */

typedef struct cursor {
    uint8_t *base;
    const gmpi_type *t;
    int64_t count;
    int64_t inst; /* current instance */
    int blk;      /* current block of the instance */
    int64_t pos;  /* bytes consumed of the current block */
    bool flat;    /* contiguous: the whole buffer is one block */
} cursor;

static void cursor_init(cursor *c, const void *buf, int64_t count, const gmpi_type *t,
                        int64_t skip) {
    c->base = (uint8_t *)(uintptr_t)buf;
    c->t = t;
    c->count = count;
    c->flat = t->contiguous;
    c->inst = 0;
    c->blk = 0;
    c->pos = 0;
    if (skip == 0) return;
    if (c->flat) {
        c->pos = skip;
        return;
    }
    assert(t->size > 0);
    c->inst = skip / t->size;
    int64_t rem = skip % t->size;
    while (rem > 0) {
        int64_t len = t->blocks[c->blk].len;
        if (rem < len) {
            c->pos = rem;
            break;
        }
        rem -= len;
        c->blk++;
    }
}

/* The next contiguous run of at most `max` bytes. */
static int64_t cursor_next(cursor *c, int64_t max, uint8_t **p) {
    if (c->flat) {
        *p = c->base + c->pos;
        c->pos += max;
        return max;
    }
    const gmpi_block *b = &c->t->blocks[c->blk];
    int64_t avail = b->len - c->pos;
    int64_t n = avail < max ? avail : max;
    *p = c->base + c->inst * c->t->extent + b->off + c->pos;
    c->pos += n;
    if (c->pos == b->len) {
        c->pos = 0;
        if (++c->blk == c->t->nblocks) {
            c->blk = 0;
            c->inst++;
        }
    }
    return n;
}

void gmpi_type_copy(const void *src, int64_t scount, const gmpi_type *st, void *dst, int64_t dcount,
                    const gmpi_type *dt, int64_t nbytes) {
    if (nbytes <= 0) return;
    if (st->contiguous && dt->contiguous) {
        memcpy(dst, src, (size_t)nbytes);
        return;
    }
    cursor s, d;
    cursor_init(&s, src, scount, st, 0);
    cursor_init(&d, dst, dcount, dt, 0);
    uint8_t *sp = NULL, *dp = NULL;
    int64_t sn = 0, dn = 0;
    while (nbytes > 0) {
        if (sn == 0) sn = cursor_next(&s, nbytes, &sp);
        if (dn == 0) dn = cursor_next(&d, nbytes, &dp);
        int64_t n = sn < dn ? sn : dn;
        memcpy(dp, sp, (size_t)n);
        sp += n, dp += n, sn -= n, dn -= n, nbytes -= n;
    }
}

void gmpi_type_pack(const void *buf, int64_t count, const gmpi_type *t, void *out, int64_t skip,
                    int64_t nbytes) {
    if (nbytes <= 0) return;
    uint8_t *o = out;
    if (t->contiguous) {
        memcpy(o, (const uint8_t *)buf + skip, (size_t)nbytes);
        return;
    }
    cursor c;
    cursor_init(&c, buf, count, t, skip);
    while (nbytes > 0) {
        uint8_t *p;
        int64_t n = cursor_next(&c, nbytes, &p);
        memcpy(o, p, (size_t)n);
        o += n, nbytes -= n;
    }
}

void gmpi_type_unpack(const void *in, void *buf, int64_t count, const gmpi_type *t, int64_t skip,
                      int64_t nbytes) {
    if (nbytes <= 0) return;
    const uint8_t *i = in;
    if (t->contiguous) {
        memcpy((uint8_t *)buf + skip, i, (size_t)nbytes);
        return;
    }
    cursor c;
    cursor_init(&c, buf, count, t, skip);
    while (nbytes > 0) {
        uint8_t *p;
        int64_t n = cursor_next(&c, nbytes, &p);
        memcpy(p, i, (size_t)n);
        i += n, nbytes -= n;
    }
}

/* ---- MPI_Pack / MPI_Unpack ---- */

int gmpi_pack_size(gmpi_rank *r, int count, int type, int comm, int *size) {
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t) return GMPI_ERR_TYPE;
    if (count < 0) return GMPI_ERR_COUNT;
    if (!gmpi_comm_get(r, comm)) return GMPI_ERR_COMM;
    int64_t n;
    if (__builtin_mul_overflow((int64_t)count, t->size, &n) || n > INT_MAX) return GMPI_ERR_COUNT;
    *size = (int)n;
    return GMPI_SUCCESS;
}

int gmpi_pack(gmpi_rank *r, const void *in, int count, int type, void *out, int outsize,
              int *position, int comm) {
    int need;
    int err = gmpi_pack_size(r, count, type, comm, &need);
    if (err) return err;
    if (*position < 0 || outsize < 0 || need > outsize - *position) return GMPI_ERR_TRUNCATE;
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t->committed) return GMPI_ERR_TYPE;
    gmpi_type_pack(in, count, t, (uint8_t *)out + *position, 0, need);
    *position += need;
    return GMPI_SUCCESS;
}

int gmpi_unpack(gmpi_rank *r, const void *in, int insize, int *position, void *out, int count,
                int type, int comm) {
    int need;
    int err = gmpi_pack_size(r, count, type, comm, &need);
    if (err) return err;
    if (*position < 0 || insize < 0 || need > insize - *position) return GMPI_ERR_TRUNCATE;
    gmpi_type *t = gmpi_type_get(r, type);
    if (!t->committed) return GMPI_ERR_TYPE;
    gmpi_type_unpack((const uint8_t *)in + *position, out, count, t, 0, need);
    *position += need;
    return GMPI_SUCCESS;
}

int gmpi_check_buffer(gmpi_rank *r, const void *buf, int count, int type, gmpi_type **t) {
    if (count < 0) return GMPI_ERR_COUNT;
    *t = gmpi_type_get(r, type);
    if (!*t) return GMPI_ERR_TYPE;
    if (!(*t)->committed) return GMPI_ERR_TYPE;
    if (buf == NULL && count > 0 && (*t)->size > 0 && (*t)->true_lb == 0) return GMPI_ERR_BUFFER;
    return GMPI_SUCCESS;
}

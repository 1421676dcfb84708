/*
 * validate.c — the module-level rules of WebAssembly 2.0 + threads, and the entry point.
 *
 * Order of checks: types referenced by imports and functions, limits of tables and memories
 * (at most one memory; a shared memory needs a maximum), global initialisers, exports (in range,
 * unique names), the start function, element and data segments, and finally every function body
 * (validate_func.c). Constant expressions are checked here: in 2.0 they may only contain
 * t.const, ref.null, ref.func and global.get of an imported immutable global, and must leave
 * exactly one value of the expected type.
 *
 * ref.func in a function body needs its function to be "declared": to occur in an element
 * segment, an export, or a global initialiser. That set is computed first, as a bitmap.
 */
#include "engine/wasm/validate.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/wasm/opcodes.h"
#include "engine/wasm/validate_internal.h"

enum { MAX_MEMORY_PAGES = 65536 };

static bool fail(const wasm_vctx *c, const char *fmt, ...) {
    if (c->errlen == 0) return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    return false;
}

static uint32_t total_funcs(const wasm_module *m) {
    return m->nfuncs_imported + m->nfuncs;
}

/* ---- limits ---- */

static bool check_limits(const wasm_vctx *c, const wasm_limits *l, uint64_t bound,
                         const char *what) {
    if (l->min > bound)
        return fail(c, "%s size must be at most %s", what,
                    bound == MAX_MEMORY_PAGES ? "65536 pages (4GiB)" : "2^32-1");
    if (l->has_max) {
        if (l->max > bound)
            return fail(c, "%s size must be at most %s", what,
                        bound == MAX_MEMORY_PAGES ? "65536 pages (4GiB)" : "2^32-1");
        if (l->min > l->max) return fail(c, "size minimum must not be greater than maximum");
    }
    return true;
}

static bool check_memory(const wasm_vctx *c, const wasm_limits *l) {
    if (!check_limits(c, l, MAX_MEMORY_PAGES, "memory")) return false;
    if (l->shared && !l->has_max) return fail(c, "shared memory must have maximum");
    return true;
}

static bool check_table(const wasm_vctx *c, const wasm_tabletype *t) {
    if (t->limits.shared) return fail(c, "tables cannot be shared");
    return check_limits(c, &t->limits, UINT32_MAX, "table");
}

/* ---- constant expressions ---- */

/* Checks that `e` is a constant expression leaving one value of type `want`. When `refs` is
 * non-NULL, functions named by ref.func are recorded in it instead of checked against it. */
static bool check_constexpr(const wasm_vctx *c, const wasm_constexpr *e, uint8_t want,
                            const char *where, uint8_t *refs) {
    const wasm_module *m = c->m;
    const uint8_t *p = e->code, *end = e->code + e->len;
    uint8_t stack[2];
    unsigned depth = 0;
    for (;;) {
        wasm_instr in;
        char why[128];
        if (p >= end) return fail(c, "END opcode expected in %s", where);
        if (!wasm_read_instr(&p, end, &in, why, sizeof why)) return fail(c, "%s in %s", why, where);
        uint8_t t = 0;
        switch (in.opcode) {
        case WASM_OP_END:
            if (depth != 1 || stack[0] != want)
                return fail(c, "type mismatch: %s must produce one %s", where,
                            wasm_valtype_name(want));
            return true;
        case WASM_OP_I32_CONST: t = WASM_I32; break;
        case WASM_OP_I64_CONST: t = WASM_I64; break;
        case WASM_OP_F32_CONST: t = WASM_F32; break;
        case WASM_OP_F64_CONST: t = WASM_F64; break;
        case WASM_OP_REF_NULL: t = in.valtype; break;
        case WASM_OP_REF_FUNC:
            if (in.idx >= total_funcs(m)) return fail(c, "unknown function %u", in.idx);
            if (refs != NULL) refs[in.idx / 8] |= (uint8_t)(1u << (in.idx % 8));
            t = WASM_FUNCREF;
            break;
        case WASM_OP_GLOBAL_GET:
            if (in.idx >= m->nglobals_imported) return fail(c, "unknown global %u", in.idx);
            if (m->global_types[in.idx].mutable_)
                return fail(c,
                            "constant expression required (global.get of a mutable global "
                            "in %s)",
                            where);
            t = m->global_types[in.idx].valtype;
            break;
        default: return fail(c, "constant expression required (%s in %s)", in.info->name, where);
        }
        if (depth == 2) return fail(c, "type mismatch: %s must produce one value", where);
        stack[depth++] = t;
    }
}

/* ---- declared function references ---- */

/* Function indices named in element segments, exports and global initialisers. Also range-checks
 * the indices it reads (so later passes may rely on them). */
static bool collect_refs(const wasm_vctx *c, uint8_t *refs) {
    const wasm_module *m = c->m;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export *ex = &m->exports[i];
        if (ex->kind == WASM_EXTERN_FUNC && ex->index < total_funcs(m))
            refs[ex->index / 8] |= (uint8_t)(1u << (ex->index % 8));
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem *e = &m->elems[i];
        for (uint32_t k = 0; k < e->nitems; k++) {
            if (e->func_indices != NULL) {
                uint32_t f = e->func_indices[k];
                if (f >= total_funcs(m)) return fail(c, "unknown function %u", f);
                refs[f / 8] |= (uint8_t)(1u << (f % 8));
            } else if (!check_constexpr(c, &e->exprs[k], e->elemtype, "element segment item",
                                        refs)) {
                return false;
            }
        }
    }
    for (uint32_t i = 0; i < m->nglobals - m->nglobals_imported; i++) {
        const wasm_global *g = &m->globals[i];
        if (!check_constexpr(c, &g->init, g->type.valtype, "global initializer", refs))
            return false;
    }
    return true;
}

/* ---- exports ---- */

static int compare_names(const void *a, const void *b) {
    const wasm_name *x = *(const wasm_name *const *)a, *y = *(const wasm_name *const *)b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->bytes, y->bytes, n);
    if (r != 0) return r;
    return (x->len > y->len) - (x->len < y->len);
}

static bool check_exports(const wasm_vctx *c) {
    const wasm_module *m = c->m;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export *ex = &m->exports[i];
        switch (ex->kind) {
        case WASM_EXTERN_FUNC:
            if (ex->index >= total_funcs(m)) return fail(c, "unknown function %u", ex->index);
            break;
        case WASM_EXTERN_TABLE:
            if (ex->index >= m->ntables) return fail(c, "unknown table %u", ex->index);
            break;
        case WASM_EXTERN_MEMORY:
            if (ex->index >= m->nmemories) return fail(c, "unknown memory %u", ex->index);
            break;
        case WASM_EXTERN_GLOBAL:
            if (ex->index >= m->nglobals) return fail(c, "unknown global %u", ex->index);
            break;
        }
    }
    if (m->nexports < 2) return true;
    const wasm_name **sorted = malloc(m->nexports * sizeof *sorted);
    if (sorted == NULL) return fail(c, "out of memory");
    for (uint32_t i = 0; i < m->nexports; i++)
        sorted[i] = &m->exports[i].name;
    qsort(sorted, m->nexports, sizeof *sorted, compare_names);
    bool ok = true;
    for (uint32_t i = 1; i < m->nexports && ok; i++)
        if (compare_names(&sorted[i - 1], &sorted[i]) == 0)
            ok = fail(c, "duplicate export name \"%s\"", sorted[i]->bytes);
    free(sorted);
    return ok;
}

/* ---- segments ---- */

static bool check_elems(const wasm_vctx *c) {
    const wasm_module *m = c->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem *e = &m->elems[i];
        if (e->mode != WASM_SEG_ACTIVE) continue;
        if (e->table >= m->ntables) return fail(c, "unknown table %u", e->table);
        if (m->tables[e->table].elemtype != e->elemtype)
            return fail(c, "type mismatch: element segment %u does not match table %u", i,
                        e->table);
        if (!check_constexpr(c, &e->offset, WASM_I32, "element segment offset", NULL)) return false;
    }
    return true;
}

static bool check_datas(const wasm_vctx *c) {
    const wasm_module *m = c->m;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wasm_data *d = &m->datas[i];
        if (d->mode != WASM_SEG_ACTIVE) continue;
        if (d->memory >= m->nmemories) return fail(c, "unknown memory %u", d->memory);
        if (!check_constexpr(c, &d->offset, WASM_I32, "data segment offset", NULL)) return false;
    }
    return true;
}

/* ---- the module ---- */

static bool check_module(const wasm_vctx *c, uint8_t *refs) {
    const wasm_module *m = c->m;
    for (uint32_t i = 0; i < m->nfuncs_imported; i++)
        if (m->import_func_types[i] >= m->ntypes)
            return fail(c, "unknown type %u", m->import_func_types[i]);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (m->funcs[i].type_index >= m->ntypes)
            return fail(c, "unknown type %u", m->funcs[i].type_index);
    for (uint32_t i = 0; i < m->ntables; i++)
        if (!check_table(c, &m->tables[i])) return false;
    if (m->nmemories > 1) return fail(c, "multiple memories");
    for (uint32_t i = 0; i < m->nmemories; i++)
        if (!check_memory(c, &m->memories[i])) return false;
    if (!collect_refs(c, refs)) return false; /* also checks global initialisers */
    if (!check_exports(c)) return false;
    if (m->has_start) {
        if (m->start >= total_funcs(m)) return fail(c, "unknown function %u", m->start);
        const wasm_functype *ft = wasm_module_func_type(m, m->start);
        if (ft->nparams != 0 || ft->nresults != 0)
            return fail(c, "start function must have type [] -> []");
    }
    if (!check_elems(c) || !check_datas(c)) return false;
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (!wasm_validate_func(c, i)) return false;
    return true;
}

bool wasm_validate(const wasm_module *m, char *err, size_t errlen) {
    if (errlen > 0) err[0] = '\0';
    uint8_t *refs = calloc((size_t)total_funcs(m) / 8 + 1, 1);
    wasm_vctx c = {m, refs, err, errlen};
    if (refs == NULL) return fail(&c, "out of memory");
    bool ok = check_module(&c, refs);
    free(refs);
    return ok;
}

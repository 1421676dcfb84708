/*
 * decode.c — the WebAssembly binary format, section by section, into a wasm_module.
 *
 * A `reader` walks a window [p, end) of the module's own copy of the bytes; every section is read
 * with the window narrowed to the section, and must be consumed exactly ("section size
 * mismatch"). Errors carry the spec's wording (the spec tests' assert_malformed texts) and the
 * byte offset. Arrays are sized from a count that has first been checked against the bytes left
 * (each item needs at least one byte), so a hostile count cannot make us allocate more than the
 * module's size times the size of one item.
 *
 * Sections: custom (0) may appear anywhere; the others at most once and in the order
 * type import function table memory global export start element datacount code data.
 * Function bodies are walked instruction by instruction here (wasm_read_instr) so that a
 * malformed body is a decode error, and to find uses of memory.init / data.drop, which require
 * the data count section. The "name" custom section is parsed after all other sections (it may
 * precede them) and ignored when malformed.
 */
#include "engine/wasm/decode.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/wasm/arena.h"
#include "engine/wasm/opcodes.h"

enum {
    SEC_CUSTOM = 0,
    SEC_TYPE = 1,
    SEC_IMPORT = 2,
    SEC_FUNCTION = 3,
    SEC_TABLE = 4,
    SEC_MEMORY = 5,
    SEC_GLOBAL = 6,
    SEC_EXPORT = 7,
    SEC_START = 8,
    SEC_ELEMENT = 9,
    SEC_CODE = 10,
    SEC_DATA = 11,
    SEC_DATACOUNT = 12,
};

/* Position of each section id in the required order (datacount sits between element and code). */
static const uint8_t section_rank[13] = {
    [SEC_TYPE] = 1,    [SEC_IMPORT] = 2,     [SEC_FUNCTION] = 3, [SEC_TABLE] = 4,
    [SEC_MEMORY] = 5,  [SEC_GLOBAL] = 6,     [SEC_EXPORT] = 7,   [SEC_START] = 8,
    [SEC_ELEMENT] = 9, [SEC_DATACOUNT] = 10, [SEC_CODE] = 11,    [SEC_DATA] = 12,
};

typedef struct reader {
    const uint8_t *p, *end; /* the current window */
    const uint8_t *base;    /* start of the module, for offsets in messages */
    bool in_section;        /* reading a section's contents (for the wording of errors) */
    wasm_module *m;
    char *err;
    size_t errlen;
    uint32_t nfuncs_declared; /* from the function section */
    bool needs_datacount;     /* a body uses memory.init or data.drop */
} reader;

static bool fail(reader *r, const char *fmt, ...) {
    if (r->errlen == 0) return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->err, r->errlen, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < r->errlen)
        snprintf(r->err + n, r->errlen - (size_t)n, " (at byte 0x%zx)", (size_t)(r->p - r->base));
    return false;
}

static void *alloc(reader *r, size_t count, size_t size) {
    assert(size == 0 || count <= SIZE_MAX / size);
    return wasm_arena_alloc(&r->m->arena, count * size);
}

static size_t left(const reader *r) {
    return (size_t)(r->end - r->p);
}

/* Running out of bytes: the spec words it differently inside a section or function body. */
static const char *end_message(const reader *r) {
    return r->in_section ? "unexpected end of section or function" : "unexpected end";
}

static bool read_byte(reader *r, uint8_t *out) {
    if (r->p >= r->end) return fail(r, "%s", end_message(r));
    *out = *r->p++;
    return true;
}

static bool read_u32(reader *r, uint32_t *out) {
    const char *why = "unexpected end";
    if (!wasm_read_u32_why(&r->p, r->end, out, &why))
        return fail(r, "%s", strcmp(why, "unexpected end") == 0 ? end_message(r) : why);
    return true;
}

/* A vector count: each item takes at least one byte, so a count above the bytes left is malformed.
 * That bounds every array the decoder allocates by the module's size (times the item size). */
static bool read_count(reader *r, uint32_t *out) {
    if (!read_u32(r, out)) return false;
    if (*out > left(r)) return fail(r, "%s", end_message(r));
    return true;
}

/* ---- UTF-8 and names ---- */

/* Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF). */
static bool utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

static bool read_name(reader *r, wasm_name *out) {
    uint32_t len = 0;
    if (!read_u32(r, &len)) return false;
    if (len > left(r)) return fail(r, "length out of bounds");
    if (!utf8_valid(r->p, len)) return fail(r, "malformed UTF-8 encoding");
    char *copy = alloc(r, (size_t)len + 1, 1);
    if (copy == NULL) return fail(r, "out of memory");
    memcpy(copy, r->p, len);
    copy[len] = '\0';
    out->bytes = copy;
    out->len = len;
    r->p += len;
    return true;
}

/* ---- types ---- */

static bool read_valtype(reader *r, uint8_t *out) {
    uint8_t t = 0;
    if (!read_byte(r, &t)) return false;
    if (t == WASM_V128) return fail(r, "SIMD (v128) is not supported");
    if (!wasm_is_valtype(t)) return fail(r, "malformed value type 0x%02x", t);
    *out = t;
    return true;
}

static bool read_reftype(reader *r, uint8_t *out) {
    uint8_t t = 0;
    if (!read_byte(r, &t)) return false;
    if (!wasm_is_reftype(t)) return fail(r, "malformed reference type");
    *out = t;
    return true;
}

/* Limits: flags 0x00 (min), 0x01 (min, max); memories also 0x02/0x03 (shared, threads). */
static bool read_limits(reader *r, wasm_limits *out, bool is_memory) {
    uint8_t flags = 0;
    if (!read_byte(r, &flags)) return false;
    /* The flags are a one-byte LEB128 in effect: the spec tests expect LEB wording. */
    if (flags & 0x80) return fail(r, "integer representation too long (limits flags)");
    if (flags > (is_memory ? 3 : 1)) return fail(r, "integer too large (limits flags)");
    memset(out, 0, sizeof *out);
    uint32_t v = 0;
    if (!read_u32(r, &v)) return false;
    out->min = v;
    out->has_max = flags & 1;
    out->shared = (flags & 2) != 0;
    if (out->has_max) {
        if (!read_u32(r, &v)) return false;
        out->max = v;
    }
    return true;
}

static bool read_tabletype(reader *r, wasm_tabletype *out) {
    if (!read_reftype(r, &out->elemtype)) return false;
    return read_limits(r, &out->limits, false);
}

static bool read_globaltype(reader *r, wasm_globaltype *out) {
    if (!read_valtype(r, &out->valtype)) return false;
    uint8_t mut = 0;
    if (!read_byte(r, &mut)) return false;
    if (mut > 1) return fail(r, "malformed mutability");
    out->mutable_ = mut == 1;
    return true;
}

/* A constant expression: instructions up to and including the first `end`. Which instructions
 * are allowed is the validator's business ("constant expression required"). */
static bool read_constexpr(reader *r, wasm_constexpr *out) {
    const uint8_t *start = r->p;
    for (;;) {
        wasm_instr in;
        const uint8_t *at = r->p;
        char why[128];
        if (!wasm_read_instr(&r->p, r->end, &in, why, sizeof why)) {
            r->p = at;
            return fail(r, "%s", why);
        }
        if (in.opcode == WASM_OP_END) break;
    }
    out->code = start;
    out->len = (uint32_t)(r->p - start);
    return true;
}

/* ---- sections ---- */

static bool read_type_section(reader *r) {
    wasm_module *m = r->m;
    if (!read_count(r, &m->ntypes)) return false;
    m->types = alloc(r, m->ntypes, sizeof *m->types);
    if (m->types == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < m->ntypes; i++) {
        wasm_functype *ft = &m->types[i];
        uint8_t form = 0;
        if (!read_byte(r, &form)) return false;
        if (form != 0x60) return fail(r, "integer representation too long (malformed functype)");
        for (int pass = 0; pass < 2; pass++) {
            uint32_t n = 0;
            if (!read_count(r, &n)) return false;
            if (n > (pass == 0 ? WASM_MAX_PARAMS : WASM_MAX_RESULTS))
                return fail(r, "too many %s (implementation limit %u)",
                            pass == 0 ? "parameters" : "results",
                            pass == 0 ? WASM_MAX_PARAMS : WASM_MAX_RESULTS);
            uint8_t *vts = alloc(r, n, 1);
            if (vts == NULL) return fail(r, "out of memory");
            for (uint32_t k = 0; k < n; k++)
                if (!read_valtype(r, &vts[k])) return false;
            if (pass == 0) {
                ft->nparams = n;
                ft->params = vts;
            } else {
                ft->nresults = n;
                ft->results = vts;
            }
        }
    }
    return true;
}

static bool read_import_section(reader *r) {
    wasm_module *m = r->m;
    if (!read_count(r, &m->nimports)) return false;
    m->imports = alloc(r, m->nimports, sizeof *m->imports);
    if (m->imports == NULL) return fail(r, "out of memory");
    /* First pass: the entries; then the per-kind arrays, sized by the counts. */
    for (uint32_t i = 0; i < m->nimports; i++) {
        wasm_import *im = &m->imports[i];
        if (!read_name(r, &im->module) || !read_name(r, &im->name)) return false;
        uint8_t kind = 0;
        if (!read_byte(r, &kind)) return false;
        switch (kind) {
        case WASM_EXTERN_FUNC:
            if (!read_u32(r, &im->u.func_type)) return false;
            m->nfuncs_imported++;
            break;
        case WASM_EXTERN_TABLE:
            if (!read_tabletype(r, &im->u.table)) return false;
            m->ntables_imported++;
            break;
        case WASM_EXTERN_MEMORY:
            if (!read_limits(r, &im->u.memory, true)) return false;
            m->nmemories_imported++;
            break;
        case WASM_EXTERN_GLOBAL:
            if (!read_globaltype(r, &im->u.global)) return false;
            m->nglobals_imported++;
            break;
        default: return fail(r, "malformed import kind");
        }
        im->kind = (wasm_extern_kind)kind;
    }
    return true;
}

static bool read_function_section(reader *r) {
    wasm_module *m = r->m;
    uint32_t n = 0;
    if (!read_count(r, &n)) return false;
    r->nfuncs_declared = n;
    m->nfuncs = n;
    m->funcs = alloc(r, n, sizeof *m->funcs);
    if (m->funcs == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < n; i++)
        if (!read_u32(r, &m->funcs[i].type_index)) return false;
    return true;
}

static bool read_table_section(reader *r) {
    wasm_module *m = r->m;
    uint32_t n = 0;
    if (!read_count(r, &n)) return false;
    m->ntables = m->ntables_imported + n;
    m->tables = alloc(r, m->ntables, sizeof *m->tables);
    if (m->tables == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < n; i++)
        if (!read_tabletype(r, &m->tables[m->ntables_imported + i])) return false;
    return true;
}

static bool read_memory_section(reader *r) {
    wasm_module *m = r->m;
    uint32_t n = 0;
    if (!read_count(r, &n)) return false;
    m->nmemories = m->nmemories_imported + n;
    m->memories = alloc(r, m->nmemories, sizeof *m->memories);
    if (m->memories == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < n; i++)
        if (!read_limits(r, &m->memories[m->nmemories_imported + i], true)) return false;
    return true;
}

static bool read_global_section(reader *r) {
    wasm_module *m = r->m;
    uint32_t n = 0;
    if (!read_count(r, &n)) return false;
    m->nglobals = m->nglobals_imported + n;
    m->global_types = alloc(r, m->nglobals, sizeof *m->global_types);
    m->globals = alloc(r, n, sizeof *m->globals);
    if (m->global_types == NULL || m->globals == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        wasm_global *g = &m->globals[i];
        if (!read_globaltype(r, &g->type) || !read_constexpr(r, &g->init)) return false;
        m->global_types[m->nglobals_imported + i] = g->type;
    }
    return true;
}

static bool read_export_section(reader *r) {
    wasm_module *m = r->m;
    if (!read_count(r, &m->nexports)) return false;
    m->exports = alloc(r, m->nexports, sizeof *m->exports);
    if (m->exports == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < m->nexports; i++) {
        wasm_export *ex = &m->exports[i];
        uint8_t kind = 0;
        if (!read_name(r, &ex->name) || !read_byte(r, &kind)) return false;
        if (kind > WASM_EXTERN_GLOBAL) return fail(r, "malformed export kind");
        ex->kind = (wasm_extern_kind)kind;
        if (!read_u32(r, &ex->index)) return false;
    }
    return true;
}

static bool read_start_section(reader *r) {
    r->m->has_start = true;
    return read_u32(r, &r->m->start);
}

static bool read_elem_segment(reader *r, wasm_elem *e) {
    uint32_t flags = 0;
    if (!read_u32(r, &flags)) return false;
    if (flags > 7) return fail(r, "malformed elements segment kind");
    /* bit 0: passive or declarative (bit 1 then says declarative); else active, bit 1 says an
     * explicit table index follows. bit 2: items are expressions, not function indices. */
    bool active = (flags & 1) == 0;
    bool explicit_table = active && (flags & 2);
    bool exprs = (flags & 4) != 0;
    e->mode = active ? WASM_SEG_ACTIVE : (flags & 2) ? WASM_SEG_DECLARATIVE : WASM_SEG_PASSIVE;
    e->elemtype = WASM_FUNCREF;
    if (explicit_table && !read_u32(r, &e->table)) return false;
    if (active && !read_constexpr(r, &e->offset)) return false;
    if (flags & 3) { /* an elemkind (indices) or reftype (expressions) byte follows */
        if (exprs) {
            if (!read_reftype(r, &e->elemtype)) return false;
        } else {
            uint8_t kind = 0;
            if (!read_byte(r, &kind)) return false;
            if (kind != 0x00) return fail(r, "malformed element kind");
        }
    }
    if (!read_count(r, &e->nitems)) return false;
    if (exprs) {
        wasm_constexpr *items = alloc(r, e->nitems, sizeof *items);
        if (items == NULL) return fail(r, "out of memory");
        for (uint32_t i = 0; i < e->nitems; i++)
            if (!read_constexpr(r, &items[i])) return false;
        e->exprs = items;
    } else {
        uint32_t *items = alloc(r, e->nitems, sizeof *items);
        if (items == NULL) return fail(r, "out of memory");
        for (uint32_t i = 0; i < e->nitems; i++)
            if (!read_u32(r, &items[i])) return false;
        e->func_indices = items;
    }
    return true;
}

static bool read_element_section(reader *r) {
    wasm_module *m = r->m;
    if (!read_count(r, &m->nelems)) return false;
    m->elems = alloc(r, m->nelems, sizeof *m->elems);
    if (m->elems == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < m->nelems; i++)
        if (!read_elem_segment(r, &m->elems[i])) return false;
    return true;
}

static bool read_datacount_section(reader *r) {
    r->m->has_datacount = true;
    return read_u32(r, &r->m->datacount);
}

/* Walks a body's instructions: each must be well formed, the body must end with the `end` that
 * closes the function, exactly at the end of the body. */
static bool scan_body(reader *r) {
    const uint8_t *end = r->end;
    uint64_t depth = 0;
    for (;;) {
        if (r->p >= end) return fail(r, "END opcode expected");
        wasm_instr in;
        const uint8_t *at = r->p;
        char why[128];
        if (!wasm_read_instr(&r->p, end, &in, why, sizeof why)) {
            r->p = at;
            return fail(r, "%s", why);
        }
        switch (in.opcode) {
        case WASM_OP_BLOCK:
        case WASM_OP_LOOP:
        case WASM_OP_IF: depth++; break;
        case WASM_OP_END:
            if (depth == 0) {
                if (r->p != end) return fail(r, "section size mismatch (code after function end)");
                return true;
            }
            depth--;
            break;
        case WASM_OP_MEMORY_INIT:
        case WASM_OP_DATA_DROP: r->needs_datacount = true; break;
        default: break;
        }
    }
}

static bool read_code_entry(reader *r, wasm_func *f) {
    uint32_t size = 0;
    if (!read_u32(r, &size)) return false;
    if (size > left(r)) return fail(r, "unexpected end of section or function");
    const uint8_t *section_end = r->end;
    r->end = r->p + size;
    uint32_t ndecls = 0;
    if (!read_count(r, &ndecls)) return false;
    wasm_localdecl *decls = alloc(r, ndecls, sizeof *decls);
    if (decls == NULL) return fail(r, "out of memory");
    uint64_t total = 0;
    for (uint32_t i = 0; i < ndecls; i++) {
        if (!read_u32(r, &decls[i].count) || !read_valtype(r, &decls[i].valtype)) return false;
        total += decls[i].count;
        if (total > UINT32_MAX) return fail(r, "too many locals");
        if (total > WASM_MAX_LOCALS)
            return fail(r, "too many locals (implementation limit %u)", WASM_MAX_LOCALS);
    }
    f->nlocaldecls = ndecls;
    f->localdecls = decls;
    f->nlocals = 0;
    for (uint32_t i = 0; i < ndecls; i++)
        f->nlocals += decls[i].count;
    f->code = r->p;
    f->code_len = (uint32_t)(r->end - r->p);
    f->code_offset = (uint32_t)(r->p - r->base);
    if (!scan_body(r)) return false;
    r->end = section_end;
    return true;
}

static bool read_code_section(reader *r) {
    wasm_module *m = r->m;
    uint32_t n = 0;
    if (!read_count(r, &n)) return false;
    if (n != r->nfuncs_declared)
        return fail(r, "function and code section have inconsistent lengths");
    for (uint32_t i = 0; i < n; i++) {
        if (!read_code_entry(r, &m->funcs[i])) return false;
    }
    return true;
}

static bool read_data_section(reader *r) {
    wasm_module *m = r->m;
    if (!read_count(r, &m->ndatas)) return false;
    if (m->has_datacount && m->datacount != m->ndatas)
        return fail(r, "data count and data section have inconsistent lengths");
    m->datas = alloc(r, m->ndatas, sizeof *m->datas);
    if (m->datas == NULL) return fail(r, "out of memory");
    for (uint32_t i = 0; i < m->ndatas; i++) {
        wasm_data *d = &m->datas[i];
        uint32_t flags = 0;
        if (!read_u32(r, &flags)) return false;
        if (flags > 2) return fail(r, "malformed data segment kind");
        d->mode = flags == 1 ? WASM_SEG_PASSIVE : WASM_SEG_ACTIVE;
        if (flags == 2 && !read_u32(r, &d->memory)) return false;
        if (flags != 1 && !read_constexpr(r, &d->offset)) return false;
        if (!read_u32(r, &d->len)) return false;
        if (d->len > left(r)) return fail(r, "unexpected end of section or function");
        d->bytes = r->p;
        r->p += d->len;
    }
    return true;
}

/* ---- the name section (best effort) ---- */

static bool read_name_map(reader *r, wasm_name *names, uint32_t nfuncs) {
    uint32_t n = 0;
    if (!read_count(r, &n)) return false;
    uint64_t prev = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx = 0;
        wasm_name name;
        if (!read_u32(r, &idx) || !read_name(r, &name)) return false;
        if ((i > 0 && idx <= prev) || idx >= nfuncs) return fail(r, "malformed name map");
        prev = idx;
        names[idx] = name;
    }
    return true;
}

static bool read_name_section(reader *r) {
    wasm_module *m = r->m;
    uint32_t nfuncs = m->nfuncs_imported + m->nfuncs;
    wasm_name *names = alloc(r, nfuncs, sizeof *names);
    if (names == NULL) return fail(r, "out of memory");
    wasm_name module_name = {NULL, 0};
    int last_id = -1;
    while (r->p < r->end) {
        uint8_t id = 0;
        uint32_t size = 0;
        if (!read_byte(r, &id) || !read_u32(r, &size)) return false;
        if (size > left(r)) return fail(r, "length out of bounds");
        if ((int)id <= last_id) return fail(r, "out-of-order name subsection");
        last_id = id;
        const uint8_t *outer = r->end;
        r->end = r->p + size;
        if (id == 0 && !read_name(r, &module_name)) return false;
        if (id == 1 && !read_name_map(r, names, nfuncs)) return false;
        if (id > 1) r->p = r->end; /* locals, labels, ...: not needed */
        if (r->p != r->end) return fail(r, "section size mismatch");
        r->end = outer;
    }
    m->module_name = module_name;
    m->func_names = names;
    return true;
}

/* ---- the module ---- */

static bool read_section(reader *r, uint8_t id, const uint8_t **name_section, uint32_t *name_len) {
    switch (id) {
    case SEC_CUSTOM: {
        wasm_name name;
        if (!read_name(r, &name)) return false;
        if (name.len == 4 && memcmp(name.bytes, "name", 4) == 0 && *name_section == NULL) {
            *name_section = r->p;
            *name_len = (uint32_t)left(r);
        }
        r->p = r->end;
        return true;
    }
    case SEC_TYPE: return read_type_section(r);
    case SEC_IMPORT: return read_import_section(r);
    case SEC_FUNCTION: return read_function_section(r);
    case SEC_TABLE: return read_table_section(r);
    case SEC_MEMORY: return read_memory_section(r);
    case SEC_GLOBAL: return read_global_section(r);
    case SEC_EXPORT: return read_export_section(r);
    case SEC_START: return read_start_section(r);
    case SEC_ELEMENT: return read_element_section(r);
    case SEC_CODE: return read_code_section(r);
    case SEC_DATA: return read_data_section(r);
    case SEC_DATACOUNT: return read_datacount_section(r);
    default: return fail(r, "malformed section id");
    }
}

/* Fills the per-kind arrays that imports contribute to (the sections only fill their own part),
 * for the kinds whose section was absent. */
static bool finish_index_spaces(reader *r) {
    wasm_module *m = r->m;
    if (m->tables == NULL) {
        m->ntables = m->ntables_imported;
        m->tables = alloc(r, m->ntables, sizeof *m->tables);
    }
    if (m->memories == NULL) {
        m->nmemories = m->nmemories_imported;
        m->memories = alloc(r, m->nmemories, sizeof *m->memories);
    }
    if (m->global_types == NULL) {
        m->nglobals = m->nglobals_imported;
        m->global_types = alloc(r, m->nglobals, sizeof *m->global_types);
        m->globals = alloc(r, 0, sizeof *m->globals);
    }
    m->import_func_types = alloc(r, m->nfuncs_imported, sizeof *m->import_func_types);
    if (m->tables == NULL || m->memories == NULL || m->global_types == NULL || m->globals == NULL ||
        m->import_func_types == NULL)
        return fail(r, "out of memory");
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wasm_import *im = &m->imports[i];
        switch (im->kind) {
        case WASM_EXTERN_FUNC: m->import_func_types[nf++] = im->u.func_type; break;
        case WASM_EXTERN_TABLE: m->tables[nt++] = im->u.table; break;
        case WASM_EXTERN_MEMORY: m->memories[nm++] = im->u.memory; break;
        case WASM_EXTERN_GLOBAL: m->global_types[ng++] = im->u.global; break;
        }
    }
    assert(nf == m->nfuncs_imported && nt == m->ntables_imported && nm == m->nmemories_imported &&
           ng == m->nglobals_imported);
    return true;
}

/* Everything an empty array needs (so users may index without NULL checks). */
static bool finish_empty_arrays(reader *r) {
    wasm_module *m = r->m;
    if (m->types == NULL) m->types = alloc(r, 0, 1);
    if (m->imports == NULL) m->imports = alloc(r, 0, 1);
    if (m->funcs == NULL) m->funcs = alloc(r, 0, 1);
    if (m->exports == NULL) m->exports = alloc(r, 0, 1);
    if (m->elems == NULL) m->elems = alloc(r, 0, 1);
    if (m->datas == NULL) m->datas = alloc(r, 0, 1);
    if (!m->types || !m->imports || !m->funcs || !m->exports || !m->elems || !m->datas)
        return fail(r, "out of memory");
    return true;
}

static bool decode_module(reader *r) {
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    wasm_module *m = r->m;
    if (left(r) < 4) return fail(r, "unexpected end");
    if (memcmp(r->p, magic, 4) != 0) return fail(r, "magic header not detected");
    r->p += 4;
    if (left(r) < 4) return fail(r, "unexpected end");
    if (memcmp(r->p, version, 4) != 0) return fail(r, "unknown binary version");
    r->p += 4;

    const uint8_t *name_section = NULL;
    uint32_t name_len = 0;
    int last_rank = 0;
    bool seen_code = false;
    const uint8_t *module_end = r->end;
    while (r->p < module_end) {
        uint8_t id = 0;
        uint32_t size = 0;
        if (!read_byte(r, &id)) return false;
        if (id > SEC_DATACOUNT) {
            r->p--;
            return fail(r, "malformed section id");
        }
        if (!read_u32(r, &size)) return false;
        if (size > left(r)) return fail(r, "length out of bounds");
        if (id != SEC_CUSTOM) {
            if (section_rank[id] <= last_rank)
                return fail(r, "unexpected content after last section (section %u out of order)",
                            id);
            last_rank = section_rank[id];
        }
        if (id == SEC_CODE || id == SEC_DATA) {
            /* The import and function sections are complete: make the index spaces usable. */
            if (m->import_func_types == NULL && !finish_index_spaces(r)) return false;
        }
        if (id == SEC_CODE) seen_code = true;
        r->end = r->p + size;
        r->in_section = true;
        if (!read_section(r, id, &name_section, &name_len)) return false;
        r->in_section = false;
        if (r->p != r->end) return fail(r, "section size mismatch");
        r->end = module_end;
    }
    if (!seen_code && r->nfuncs_declared != 0)
        return fail(r, "function and code section have inconsistent lengths");
    if (m->has_datacount && m->datas == NULL && m->datacount != 0)
        return fail(r, "data count and data section have inconsistent lengths");
    if (r->needs_datacount && !m->has_datacount) return fail(r, "data count section required");
    if (m->import_func_types == NULL && !finish_index_spaces(r)) return false;
    if (!finish_empty_arrays(r)) return false;

    if (name_section != NULL) {
        reader nr = *r;
        char scratch[8];
        nr.p = name_section;
        nr.end = name_section + name_len;
        nr.err = scratch;
        nr.errlen = sizeof scratch;
        if (!read_name_section(&nr)) {
            m->module_name.bytes = NULL;
            m->module_name.len = 0;
            m->func_names = NULL;
        }
    }
    return true;
}

bool wasm_decode(const uint8_t *bytes, size_t len, wasm_module *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    if (errlen > 0) err[0] = '\0';
    if (len > UINT32_MAX) {
        if (errlen > 0) snprintf(err, errlen, "module too large (%zu bytes)", len);
        return false;
    }
    out->bytes = malloc(len > 0 ? len : 1);
    if (out->bytes == NULL) {
        if (errlen > 0) snprintf(err, errlen, "out of memory");
        return false;
    }
    if (len > 0) memcpy(out->bytes, bytes, len);
    out->len = len;
    reader r = {.p = out->bytes,
                .end = out->bytes + len,
                .base = out->bytes,
                .m = out,
                .err = err,
                .errlen = errlen};
    if (!decode_module(&r)) {
        wasm_module_free(out);
        return false;
    }
    return true;
}

void wasm_module_free(wasm_module *m) {
    if (m == NULL) return;
    free(m->bytes);
    wasm_arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

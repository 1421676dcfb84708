/*
 * module.h — the decoded form of a WebAssembly module (the engine's IR).
 *
 * The decoder (decode.c) turns the binary format into a wasm_module; the validator (validate.c)
 * checks it against the WebAssembly 2.0 + threads rules; the translator (translate_*.c) turns a
 * validated module into C. The IR stays close to the binary: function bodies and constant
 * expressions are kept as byte ranges into the module's own copy of the binary, and are re-read
 * instruction by instruction with the opcode table (opcodes.h). Nothing here owns a pointer into
 * the caller's buffer: wasm_decode copies the bytes first, and every pointer below points into
 * module->bytes or into module->arena allocations, all freed by wasm_module_free.
 *
 * Index spaces follow the spec: imported functions/tables/memories/globals come first, then the
 * module's own. Counts `n*_imported` tell where the defined ones start.
 */
#ifndef GRANNY_ENGINE_MODULE_H
#define GRANNY_ENGINE_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, numbered as in the binary format. */
typedef enum wasm_valtype {
    WASM_I32 = 0x7F,
    WASM_I64 = 0x7E,
    WASM_F32 = 0x7D,
    WASM_F64 = 0x7C,
    WASM_V128 = 0x7B, /* rejected by the decoder until SIMD is supported */
    WASM_FUNCREF = 0x70,
    WASM_EXTERNREF = 0x6F,
} wasm_valtype;

typedef enum wasm_extern_kind {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_TABLE = 1,
    WASM_EXTERN_MEMORY = 2,
    WASM_EXTERN_GLOBAL = 3,
} wasm_extern_kind;

/* A byte string with its length; names may in principle hold any UTF-8, including NUL. */
typedef struct wasm_name {
    const char *bytes; /* NUL-terminated copy, for convenience; len is authoritative */
    uint32_t len;
} wasm_name;

typedef struct wasm_functype {
    uint32_t nparams;
    uint32_t nresults;
    const uint8_t *params;  /* nparams wasm_valtype bytes */
    const uint8_t *results; /* nresults wasm_valtype bytes */
} wasm_functype;

typedef struct wasm_limits {
    uint64_t min;
    uint64_t max; /* valid when has_max */
    bool has_max;
    bool shared; /* memories only (threads proposal) */
} wasm_limits;

typedef struct wasm_tabletype {
    uint8_t elemtype; /* WASM_FUNCREF or WASM_EXTERNREF */
    wasm_limits limits;
} wasm_tabletype;

typedef struct wasm_globaltype {
    uint8_t valtype;
    bool mutable_;
} wasm_globaltype;

/* A constant expression (global initialisers, segment offsets, element items): the bytes of the
 * instructions including the final `end`. Evaluated at instantiation. */
typedef struct wasm_constexpr {
    const uint8_t *code;
    uint32_t len;
} wasm_constexpr;

typedef struct wasm_import {
    wasm_name module;
    wasm_name name;
    wasm_extern_kind kind;
    union {
        uint32_t func_type; /* type index */
        wasm_tabletype table;
        wasm_limits memory;
        wasm_globaltype global;
    } u;
} wasm_import;

typedef struct wasm_export {
    wasm_name name;
    wasm_extern_kind kind;
    uint32_t index; /* in the index space of its kind */
} wasm_export;

/* A run of locals of one type, as declared in the code section. */
typedef struct wasm_localdecl {
    uint32_t count;
    uint8_t valtype;
} wasm_localdecl;

/* A function defined by the module (not imported). */
typedef struct wasm_func {
    uint32_t type_index;
    uint32_t nlocaldecls;
    const wasm_localdecl *localdecls;
    uint64_t nlocals;     /* total declared locals, params excluded */
    const uint8_t *code;  /* the instruction sequence, after the local declarations, including the
                             final `end` */
    uint32_t code_len;
    uint32_t code_offset; /* offset of `code` in module->bytes (for error messages) */
} wasm_func;

typedef struct wasm_global {
    wasm_globaltype type;
    wasm_constexpr init;
} wasm_global;

typedef enum wasm_segment_mode {
    WASM_SEG_ACTIVE = 0,
    WASM_SEG_PASSIVE = 1,
    WASM_SEG_DECLARATIVE = 2, /* element segments only */
} wasm_segment_mode;

typedef struct wasm_elem {
    wasm_segment_mode mode;
    uint8_t elemtype;   /* WASM_FUNCREF or WASM_EXTERNREF */
    uint32_t table;     /* active only */
    wasm_constexpr offset; /* active only */
    uint32_t nitems;
    /* Exactly one of these is non-NULL: plain function indices (the legacy/compact encodings), or
     * one constant expression per item (ref.func / ref.null / global.get). */
    const uint32_t *func_indices;
    const wasm_constexpr *exprs;
} wasm_elem;

typedef struct wasm_data {
    wasm_segment_mode mode;
    uint32_t memory;       /* active only; always 0 in 2.0 */
    wasm_constexpr offset; /* active only */
    const uint8_t *bytes;
    uint32_t len;
} wasm_data;

/* One arena-allocated block list; the decoder allocates every array of the module from it. */
typedef struct wasm_arena_block wasm_arena_block;

typedef struct wasm_module {
    uint8_t *bytes; /* owned copy of the binary */
    size_t len;

    uint32_t ntypes;
    wasm_functype *types;

    uint32_t nimports;
    wasm_import *imports;

    /* Function index space: [0, nfuncs_imported) are imports, then funcs[i - nfuncs_imported]. */
    uint32_t nfuncs_imported;
    uint32_t *import_func_types; /* type index of each imported function, in order */
    uint32_t nfuncs;             /* defined functions */
    wasm_func *funcs;

    uint32_t ntables_imported;
    uint32_t ntables; /* total, imports included */
    wasm_tabletype *tables;

    uint32_t nmemories_imported;
    uint32_t nmemories; /* total, imports included (at most 1 in 2.0) */
    wasm_limits *memories;

    uint32_t nglobals_imported;
    uint32_t nglobals; /* total, imports included */
    wasm_globaltype *global_types; /* for every global, imported or not */
    wasm_global *globals;          /* defined globals only: globals[i - nglobals_imported] */

    uint32_t nexports;
    wasm_export *exports;

    bool has_start;
    uint32_t start;

    uint32_t nelems;
    wasm_elem *elems;

    bool has_datacount;
    uint32_t datacount;
    uint32_t ndatas;
    wasm_data *datas;

    /* From the "name" custom section when present and well formed (NULL entries otherwise). */
    wasm_name module_name;
    wasm_name *func_names; /* indexed by function index; NULL when there is no name section */

    wasm_arena_block *arena;
} wasm_module;

/* Function type of function index `func` (imported or defined). */
static inline const wasm_functype *wasm_module_func_type(const wasm_module *m, uint32_t func) {
    uint32_t t = func < m->nfuncs_imported ? m->import_func_types[func]
                                           : m->funcs[func - m->nfuncs_imported].type_index;
    return &m->types[t];
}

void wasm_module_free(wasm_module *m);

#endif

/*
 * instance.c — linking and instantiation (WebAssembly 2.0, "instantiate" in the spec's execution
 * chapter), and export lookup.
 *
 * Instantiation goes in the spec's order:
 *   1. Resolve every import through the caller's resolver and check it against the import's type
 *      (extern subtyping): functions by canonical type id, tables by element type and limits,
 *      memories by limits and sharedness, globals by value type and mutability. The limits rule:
 *      the actual minimum (current size) >= the expected minimum, and when a maximum is expected
 *      the actual one exists and is <= it. The first failing import names the error.
 *   2. Allocate the instance: defined memory and tables, the reference object of every function
 *      (imports are the imported rt_funcref pointers themselves, so a function has one identity
 *      across modules), defined globals evaluated from their constant expressions, and the items
 *      of every element segment evaluated to references.
 *   3. Element segments in order: an active one is table.init from 0 followed by elem.drop, a
 *      declarative one is dropped; then data segments in order: an active one is memory.init then
 *      data.drop. An out-of-bounds segment traps; the writes of earlier segments persist.
 *   4. The start function.
 * Steps 3 and 4 run under a trap frame. When they trap, the instance is not returned, but its
 * functions may already sit in tables of other instances (spec tests call them), so it is kept
 * alive as a "zombie" of its module and freed with the module.
 *
 * A thread cell passes `use_memory`: the parent's memory replaces the module's own (or imported)
 * memory. That memory is already initialised, so active data segments are then only dropped, not
 * written again; element segments still initialise the thread's own tables.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/rt/internal.h"

/* calloc that never returns NULL for n == 0 (so NULL always means out of memory). */
static void *alloc_array(size_t n, size_t size) {
    return calloc(n ? n : 1, size);
}

/* ---- Constant expressions ---- */

typedef struct reader {
    const uint8_t *p, *end;
} reader;

static bool read_byte(reader *r, uint8_t *out) {
    if (r->p >= r->end) return false;
    *out = *r->p++;
    return true;
}

static bool read_uleb(reader *r, uint64_t *out) {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
        uint8_t b;
        if (!read_byte(r, &b)) return false;
        if (shift < 64) v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static bool read_sleb(reader *r, int64_t *out) {
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        if (shift >= 70 || !read_byte(r, &b)) return false;
        if (shift < 64) v |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
    *out = (int64_t)v;
    return true;
}

/* Value of global index g of a partially built instance. */
static rt_value global_value(const rt_instance *inst, uint32_t g) {
    const wasm_module *ir = &rt_instance_private_of(inst)->module->ir;
    if (g < ir->nglobals_imported) return *inst->global_imports[g];
    return inst->globals[g - ir->nglobals_imported];
}

/* Evaluates a constant expression: t.const, ref.null, ref.func, global.get, and the extended-const
 * i32/i64 add, sub and mul. The validator has checked types; we still refuse what we cannot read.
 */
static bool eval_const(const rt_instance *inst, const wasm_constexpr *e, rt_value *out,
                       rt_error *err) {
    const rt_instance_private *p = rt_instance_private_of(inst);
    const wasm_module *ir = &p->module->ir;
    reader r = {e->code, e->code + e->len};
    rt_value stack[16];
    int sp = 0;
    for (;;) {
        uint8_t op;
        if (!read_byte(&r, &op)) break;
        if (op == 0x0B) {
            if (sp != 1) break;
            *out = stack[0];
            return true;
        }
        if (sp >= 16) break;
        rt_value v;
        memset(&v, 0, sizeof v);
        int64_t s;
        uint64_t u;
        switch (op) {
        case 0x41: /* i32.const */
            if (!read_sleb(&r, &s)) goto bad;
            v.i32 = (uint32_t)s;
            stack[sp++] = v;
            continue;
        case 0x42: /* i64.const */
            if (!read_sleb(&r, &s)) goto bad;
            v.i64 = (uint64_t)s;
            stack[sp++] = v;
            continue;
        case 0x43: /* f32.const */
            if (r.end - r.p < 4) goto bad;
            memcpy(&v.f32, r.p, 4);
            r.p += 4;
            stack[sp++] = v;
            continue;
        case 0x44: /* f64.const */
            if (r.end - r.p < 8) goto bad;
            memcpy(&v.f64, r.p, 8);
            r.p += 8;
            stack[sp++] = v;
            continue;
        case 0xD0: /* ref.null t */
            if (!read_byte(&r, &op)) goto bad;
            v.ref = NULL;
            stack[sp++] = v;
            continue;
        case 0xD2: /* ref.func x */
            if (!read_uleb(&r, &u) || u >= ir->nfuncs_imported + ir->nfuncs) goto bad;
            v.ref = p->funcs[u];
            stack[sp++] = v;
            continue;
        case 0x23: /* global.get x */
            if (!read_uleb(&r, &u) || u >= ir->nglobals) goto bad;
            stack[sp++] = global_value(inst, (uint32_t)u);
            continue;
        case 0x6A:
        case 0x6B:
        case 0x6C: /* i32.add, i32.sub, i32.mul */
        case 0x7C:
        case 0x7D:
        case 0x7E: /* i64.add, i64.sub, i64.mul */
            if (sp < 2) goto bad;
            sp--;
            {
                rt_value *a = &stack[sp - 1], *b = &stack[sp];
                switch (op) {
                case 0x6A: a->i32 += b->i32; break;
                case 0x6B: a->i32 -= b->i32; break;
                case 0x6C: a->i32 *= b->i32; break;
                case 0x7C: a->i64 += b->i64; break;
                case 0x7D: a->i64 -= b->i64; break;
                default: a->i64 *= b->i64; break;
                }
            }
            continue;
        default: goto bad;
        }
    }
bad:
    rt_error_set(err, "unsupported constant expression");
    return false;
}

/* ---- Import matching ---- */

static bool limits_match(uint64_t min, bool has_max, uint64_t max, const wasm_limits *expected) {
    if (min < expected->min) return false;
    if (expected->has_max && (!has_max || max > expected->max)) return false;
    return true;
}

static const char *kind_name(wasm_extern_kind k) {
    switch (k) {
    case WASM_EXTERN_FUNC: return "function";
    case WASM_EXTERN_TABLE: return "table";
    case WASM_EXTERN_MEMORY: return "memory";
    case WASM_EXTERN_GLOBAL: return "global";
    }
    return "extern";
}

/* Checks one resolved extern against its import; on mismatch writes the reason to why. */
static bool import_matches(const rt_module *m, const wasm_import *imp, const rt_extern *ext,
                           const char **why) {
    if (ext->kind != imp->kind) {
        *why = kind_name(ext->kind);
        return false;
    }
    switch (imp->kind) {
    case WASM_EXTERN_FUNC:
        *why = "function type differs";
        return ext->u.func && ext->u.func->type_id == m->type_ids[imp->u.func_type];
    case WASM_EXTERN_TABLE: {
        const rt_table *t = ext->u.table;
        *why = "table type or limits differ";
        if (!t || t->elemtype != imp->u.table.elemtype) return false;
        return limits_match(t->size, rt_table_impl_of((rt_table *)t)->has_max, t->max,
                            &imp->u.table.limits);
    }
    case WASM_EXTERN_MEMORY: {
        rt_memory *mem = ext->u.memory;
        *why = "memory limits or sharing differ";
        if (!mem || mem->shared != imp->u.memory.shared) return false;
        return limits_match(rt_memory_pages(mem), rt_memory_impl_of(mem)->has_max, mem->max_pages,
                            &imp->u.memory);
    }
    case WASM_EXTERN_GLOBAL:
        *why = "global type or mutability differs";
        return ext->u.global && ext->global_valtype == imp->u.global.valtype &&
               ext->global_mutable == imp->u.global.mutable_;
    }
    return false;
}

/* ---- Building ---- */

void rt_instance_destroy(rt_instance *inst) {
    if (!inst) return;
    rt_instance_private *p = rt_instance_private_of(inst);
    const wasm_module *ir = &p->module->ir;
    if (inst->memory) rt_memory_free(inst->memory);
    if (p->tables)
        for (uint32_t i = 0; i < ir->ntables; i++)
            rt_table_free(p->tables[i]);
    if (p->elem_items)
        for (uint32_t i = 0; i < ir->nelems; i++)
            free(p->elem_items[i]);
    free(p->elem_items);
    free(p->own_funcs);
    free(p->funcs);
    free(p->tables);
    free(p->global_imports);
    free(p->data_dropped);
    free(p->elem_dropped);
    free(p);
    free(inst);
}

void rt_instance_free(rt_instance *inst) {
    rt_instance_destroy(inst);
}

static rt_instance *instance_alloc(rt_module *m, rt_error *err) {
    const wasm_module *ir = &m->ir;
    uint32_t nglobals_defined = ir->nglobals - ir->nglobals_imported;
    rt_instance *inst = calloc(1, sizeof *inst + (size_t)nglobals_defined * sizeof(rt_value));
    rt_instance_private *p = calloc(1, sizeof *p);
    if (!inst || !p) {
        free(inst);
        free(p);
        rt_error_set(err, "out of memory");
        return NULL;
    }
    inst->rt_private = p;
    p->module = m;
    p->own_funcs = alloc_array(ir->nfuncs, sizeof *p->own_funcs);
    p->funcs = alloc_array(ir->nfuncs_imported + ir->nfuncs, sizeof *p->funcs);
    p->tables = alloc_array(ir->ntables, sizeof *p->tables);
    p->global_imports = alloc_array(ir->nglobals_imported, sizeof *p->global_imports);
    p->data_dropped = alloc_array(ir->ndatas, 1);
    p->elem_dropped = alloc_array(ir->nelems, 1);
    p->elem_items = alloc_array(ir->nelems, sizeof *p->elem_items);
    if (!p->own_funcs || !p->funcs || !p->tables || !p->global_imports || !p->data_dropped ||
        !p->elem_dropped || !p->elem_items) {
        rt_instance_destroy(inst);
        rt_error_set(err, "out of memory");
        return NULL;
    }
    inst->tables = p->tables;
    inst->funcs = p->funcs;
    inst->global_imports = p->global_imports;
    inst->type_ids = m->type_ids;
    inst->data_dropped = p->data_dropped;
    inst->elem_dropped = p->elem_dropped;
    return inst;
}

static bool link_imports(rt_instance *inst, const rt_instance_options *opts, rt_error *err) {
    rt_instance_private *p = rt_instance_private_of(inst);
    const rt_module *m = p->module;
    const wasm_module *ir = &m->ir;
    uint32_t nfunc = 0, ntable = 0, nglobal = 0;
    for (uint32_t i = 0; i < ir->nimports; i++) {
        const wasm_import *imp = &ir->imports[i];
        rt_extern ext;
        memset(&ext, 0, sizeof ext);
        if (imp->kind == WASM_EXTERN_MEMORY && opts->use_memory) {
            if (rt_memory_pages(opts->use_memory) < imp->u.memory.min) {
                rt_error_set(err,
                             "incompatible import type for %s.%s: shared-in memory is smaller"
                             " than the import's minimum",
                             imp->module.bytes, imp->name.bytes);
                return false;
            }
            rt_memory_retain(opts->use_memory);
            inst->memory = opts->use_memory;
            continue;
        }
        if (!opts->resolve ||
            !opts->resolve(opts->resolve_ctx, &imp->module, &imp->name, imp->kind, &ext)) {
            rt_error_set(err, "unknown import %s.%s", imp->module.bytes, imp->name.bytes);
            return false;
        }
        const char *why = "";
        if (!import_matches(m, imp, &ext, &why)) {
            rt_error_set(err, "incompatible import type for %s.%s: expected %s (%s)",
                         imp->module.bytes, imp->name.bytes, kind_name(imp->kind), why);
            return false;
        }
        switch (imp->kind) {
        case WASM_EXTERN_FUNC: p->funcs[nfunc++] = ext.u.func; break;
        case WASM_EXTERN_TABLE:
            rt_table_retain(ext.u.table);
            p->tables[ntable++] = ext.u.table;
            break;
        case WASM_EXTERN_MEMORY:
            rt_memory_retain(ext.u.memory);
            inst->memory = ext.u.memory;
            break;
        case WASM_EXTERN_GLOBAL: p->global_imports[nglobal++] = ext.u.global; break;
        }
    }
    assert(nfunc == ir->nfuncs_imported && ntable == ir->ntables_imported &&
           nglobal == ir->nglobals_imported);
    return true;
}

static bool create_memory(rt_instance *inst, const rt_instance_options *opts, rt_error *err) {
    const wasm_module *ir = &rt_instance_private_of(inst)->module->ir;
    if (ir->nmemories == ir->nmemories_imported) return true;
    const wasm_limits *l = &ir->memories[ir->nmemories_imported];
    if (opts->use_memory) {
        if (rt_memory_pages(opts->use_memory) < l->min) {
            rt_error_set(err, "the shared-in memory has fewer pages than the module's minimum");
            return false;
        }
        rt_memory_retain(opts->use_memory);
        inst->memory = opts->use_memory;
        return true;
    }
    if (opts->max_memory_pages && l->min > opts->max_memory_pages) {
        rt_error_set(err, "memory of %u pages exceeds the memory limit of %llu pages",
                     (unsigned)l->min, (unsigned long long)opts->max_memory_pages);
        return false;
    }
    inst->memory = rt_memory_new((uint32_t)l->min, (uint32_t)l->max, l->has_max, l->shared, err);
    if (!inst->memory) return false;
    if (opts->max_memory_pages)
        rt_memory_set_cap(inst->memory, opts->max_memory_pages < RT_MAX_PAGES
                                            ? (uint32_t)opts->max_memory_pages
                                            : RT_MAX_PAGES);
    return true;
}

static bool create_tables(rt_instance *inst, rt_error *err) {
    rt_instance_private *p = rt_instance_private_of(inst);
    const wasm_module *ir = &p->module->ir;
    for (uint32_t t = ir->ntables_imported; t < ir->ntables; t++) {
        const wasm_tabletype *tt = &ir->tables[t];
        uint32_t max = tt->limits.max > UINT32_MAX ? UINT32_MAX : (uint32_t)tt->limits.max;
        p->tables[t] =
            rt_table_new(tt->elemtype, (uint32_t)tt->limits.min, max, tt->limits.has_max, err);
        if (!p->tables[t]) return false;
    }
    return true;
}

static void create_funcs(rt_instance *inst) {
    rt_instance_private *p = rt_instance_private_of(inst);
    const rt_module *m = p->module;
    const wasm_module *ir = &m->ir;
    for (uint32_t i = 0; i < ir->nfuncs; i++) {
        rt_funcref *f = &p->own_funcs[i];
        f->type_id = m->type_ids[ir->funcs[i].type_index];
        f->typed = m->code->typed[i];
        f->generic = m->code->generic[i];
        f->env = inst;
        p->funcs[ir->nfuncs_imported + i] = f;
    }
}

static bool init_globals(rt_instance *inst, rt_error *err) {
    const wasm_module *ir = &rt_instance_private_of(inst)->module->ir;
    for (uint32_t g = ir->nglobals_imported; g < ir->nglobals; g++) {
        const wasm_global *def = &ir->globals[g - ir->nglobals_imported];
        if (!eval_const(inst, &def->init, &inst->globals[g - ir->nglobals_imported], err))
            return false;
    }
    return true;
}

static bool eval_elem_items(rt_instance *inst, rt_error *err) {
    rt_instance_private *p = rt_instance_private_of(inst);
    const wasm_module *ir = &p->module->ir;
    for (uint32_t e = 0; e < ir->nelems; e++) {
        const wasm_elem *seg = &ir->elems[e];
        void **items = alloc_array(seg->nitems, sizeof *items);
        if (!items) {
            rt_error_set(err, "out of memory");
            return false;
        }
        p->elem_items[e] = items;
        for (uint32_t k = 0; k < seg->nitems; k++) {
            if (seg->func_indices) {
                uint32_t f = seg->func_indices[k];
                assert(f < ir->nfuncs_imported + ir->nfuncs);
                items[k] = p->funcs[f];
            } else {
                rt_value v;
                if (!eval_const(inst, &seg->exprs[k], &v, err)) return false;
                items[k] = v.ref;
            }
        }
    }
    return true;
}

/* ---- Running segment initialisation and start under a trap frame ---- */

typedef struct init_call {
    rt_instance *inst;
    bool skip_data; /* memory shared in: already initialised */
    bool ok;
    rt_error *err;
} init_call;

static void apply_segments(void *arg) {
    init_call *c = arg;
    rt_instance *inst = c->inst;
    const wasm_module *ir = &rt_instance_private_of(inst)->module->ir;
    for (uint32_t e = 0; e < ir->nelems; e++) {
        const wasm_elem *seg = &ir->elems[e];
        if (seg->mode == WASM_SEG_ACTIVE) {
            rt_value offset;
            if (!eval_const(inst, &seg->offset, &offset, c->err)) return;
            rt_table_init(inst, seg->table, e, offset.i32, 0, seg->nitems);
            rt_elem_drop(inst, e);
        } else if (seg->mode == WASM_SEG_DECLARATIVE) {
            rt_elem_drop(inst, e);
        }
    }
    for (uint32_t d = 0; d < ir->ndatas; d++) {
        const wasm_data *seg = &ir->datas[d];
        if (seg->mode != WASM_SEG_ACTIVE) continue;
        if (!c->skip_data) {
            rt_value offset;
            if (!eval_const(inst, &seg->offset, &offset, c->err)) return;
            rt_memory_init(inst, d, offset.i32, 0, seg->len);
        }
        rt_data_drop(inst, d);
    }
    c->ok = true;
}

/* Marks the segments that instantiation would have consumed as dropped (skip_init). */
static void drop_segments(rt_instance *inst) {
    const wasm_module *ir = &rt_instance_private_of(inst)->module->ir;
    for (uint32_t e = 0; e < ir->nelems; e++)
        if (ir->elems[e].mode != WASM_SEG_PASSIVE) inst->elem_dropped[e] = 1;
    for (uint32_t d = 0; d < ir->ndatas; d++)
        if (ir->datas[d].mode == WASM_SEG_ACTIVE) inst->data_dropped[d] = 1;
}

static void keep_as_zombie(rt_instance *inst) {
    rt_instance_private *p = rt_instance_private_of(inst);
    rt_module *m = p->module;
    pthread_mutex_lock(&m->zombie_lock);
    p->next_zombie = m->zombies;
    m->zombies = inst;
    pthread_mutex_unlock(&m->zombie_lock);
}

rt_instance *rt_instance_new(rt_module *m, const rt_instance_options *opts, rt_trap_info *trap,
                             rt_error *err) {
    rt_instance_options defaults;
    memset(&defaults, 0, sizeof defaults);
    if (!opts) opts = &defaults;
    rt_trap_info local_trap;
    if (!trap) trap = &local_trap;
    memset(trap, 0, sizeof *trap);
    trap->func_index = UINT32_MAX;
    assert(m && m->code);

    rt_instance *inst = instance_alloc(m, err);
    if (!inst) return NULL;
    inst->user = opts->user;
    if (!link_imports(inst, opts, err) || !create_memory(inst, opts, err) ||
        !create_tables(inst, err)) {
        rt_instance_destroy(inst);
        return NULL;
    }
    inst->mem_base = inst->memory ? inst->memory->base : NULL;
    create_funcs(inst);
    if (!init_globals(inst, err) || !eval_elem_items(inst, err)) {
        rt_instance_destroy(inst);
        return NULL;
    }

    if (opts->skip_init) {
        drop_segments(inst);
    } else {
        init_call call = {inst, opts->use_memory != NULL, false, err};
        if (!rt_catch_in(m, apply_segments, &call, trap)) {
            rt_error_set(err, "%s", trap->msg);
            keep_as_zombie(inst);
            return NULL;
        }
        if (!call.ok) { /* a constant expression could not be evaluated; err is set */
            rt_instance_destroy(inst);
            return NULL;
        }
    }

    if (m->ir.has_start && !opts->skip_start) {
        rt_value io[1];
        memset(io, 0, sizeof io);
        if (!rt_invoke(inst, inst->funcs[m->ir.start], io, trap)) {
            rt_error_set(err, "%s", trap->msg);
            keep_as_zombie(inst);
            return NULL;
        }
    }
    return inst;
}

rt_module *rt_instance_module(const rt_instance *inst) {
    return rt_instance_private_of(inst)->module;
}

bool rt_instance_export(rt_instance *inst, const char *name, rt_extern *out) {
    const wasm_module *ir = &rt_instance_private_of(inst)->module->ir;
    size_t len = strlen(name);
    for (uint32_t i = 0; i < ir->nexports; i++) {
        const wasm_export *x = &ir->exports[i];
        if (x->name.len != len || memcmp(x->name.bytes, name, len) != 0) continue;
        memset(out, 0, sizeof *out);
        out->kind = x->kind;
        switch (x->kind) {
        case WASM_EXTERN_FUNC: out->u.func = inst->funcs[x->index]; break;
        case WASM_EXTERN_TABLE: out->u.table = inst->tables[x->index]; break;
        case WASM_EXTERN_MEMORY: out->u.memory = inst->memory; break;
        case WASM_EXTERN_GLOBAL:
            out->global_valtype = ir->global_types[x->index].valtype;
            out->global_mutable = ir->global_types[x->index].mutable_;
            out->u.global = x->index < ir->nglobals_imported
                                ? inst->global_imports[x->index]
                                : &inst->globals[x->index - ir->nglobals_imported];
            break;
        }
        return true;
    }
    return false;
}

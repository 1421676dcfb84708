/*
 * test_instance.c — linking and instantiation: imports through resolvers and the host registry,
 * import type matching (function types, global types, limits subtyping, sharing, kinds), globals
 * initialised from imports, the start function, data and element segments (active, passive,
 * declarative; out-of-bounds segments trap and earlier writes persist), exports, the module
 * descriptor, use_memory (thread cells), the --mem-max cap, and the table services.
 */
#include <pthread.h>

#include "rt_test.h"

/* ---- A resolver over a small table of named externs, then a host registry ---- */

typedef struct named_extern {
    const char *module, *name;
    rt_extern ext;
} named_extern;

typedef struct resolver {
    named_extern items[8];
    int n;
    rt_host_registry *hosts;
} resolver;

static bool resolve(void *ctx, const wasm_name *module, const wasm_name *name,
                    wasm_extern_kind kind, rt_extern *out) {
    resolver *r = ctx;
    for (int i = 0; i < r->n; i++) {
        if (strcmp(r->items[i].module, module->bytes) == 0 &&
            strcmp(r->items[i].name, name->bytes) == 0) {
            *out = r->items[i].ext;
            return true;
        }
    }
    return r->hosts && rt_host_resolve(r->hosts, module, name, kind, out);
}

static void add_memory(resolver *r, const char *name, rt_memory *m) {
    named_extern *x = &r->items[r->n++];
    memset(x, 0, sizeof *x);
    x->module = "env";
    x->name = name;
    x->ext.kind = WASM_EXTERN_MEMORY;
    x->ext.u.memory = m;
}

static void add_table(resolver *r, const char *name, rt_table *t) {
    named_extern *x = &r->items[r->n++];
    memset(x, 0, sizeof *x);
    x->module = "env";
    x->name = name;
    x->ext.kind = WASM_EXTERN_TABLE;
    x->ext.u.table = t;
}

static void add_global(resolver *r, const char *name, rt_global *g) {
    named_extern *x = &r->items[r->n++];
    memset(x, 0, sizeof *x);
    x->module = "env";
    x->name = name;
    x->ext.kind = WASM_EXTERN_GLOBAL;
    x->ext.u.global = &g->value;
    x->ext.global_valtype = g->valtype;
    x->ext.global_mutable = g->mutable_;
}

static rt_instance *instantiate(rt_module *m, resolver *r, rt_instance_options *extra,
                                rt_trap_info *trap, rt_error *err) {
    rt_instance_options opts;
    memset(&opts, 0, sizeof opts);
    if (extra) opts = *extra;
    opts.resolve = r ? resolve : NULL;
    opts.resolve_ctx = r;
    return rt_instance_new(m, &opts, trap, err);
}

static uint32_t invoke_i32(rt_instance *inst, const char *name, uint32_t a, uint32_t b) {
    rt_value io[3] = {{.i32 = a}, {.i32 = b}, {.i32 = 0}};
    rt_trap_info trap;
    rt_error err;
    if (!rt_invoke_export(inst, name, io, &trap, &err)) {
        fprintf(stderr, "%s: %s\n", name, err.msg);
        CHECK(0);
    }
    return io[0].i32;
}

static rt_trap_kind invoke3(rt_instance *inst, const char *name, uint32_t a, uint32_t b,
                            uint32_t c) {
    rt_value io[3] = {{.i32 = a}, {.i32 = b}, {.i32 = c}};
    rt_trap_info trap;
    rt_error err;
    if (rt_invoke_export(inst, name, io, &trap, &err)) return RT_TRAP_NONE;
    CHECK(trap.kind != RT_TRAP_NONE);
    return trap.kind;
}

/* ---- mod_basic: globals, memory, data, start, host calls, exports, descriptor ---- */

static void host_add(rt_instance *caller, void *data, rt_value *io) {
    CHECK(caller && caller->memory && data == (void *)0x1234);
    io[0].i32 = io[0].i32 + io[1].i32;
}

static void test_basic(void) {
    rt_module *m = test_load_module("mod_basic");
    rt_host_registry *hosts = rt_host_registry_new();
    CHECK(rt_host_register(hosts, "env", "add", "ii:i", host_add, (void *)0x1234));
    rt_global *g = rt_global_new(WASM_I32, false, (rt_value){.i32 = 41});
    resolver r = {.hosts = hosts};
    add_global(&r, "g", g);
    rt_trap_info trap;
    rt_error err;
    rt_instance *inst = instantiate(m, &r, NULL, &trap, &err);
    if (!inst) fprintf(stderr, "%s\n", err.msg);
    CHECK(inst);
    CHECK(rt_instance_module(inst) == m);
    CHECK(inst->globals[0].i32 == 42);           /* counter = g + 1 by the start function */
    CHECK(inst->globals[1].i64 == (uint64_t)-5); /* k */
    CHECK(inst->global_imports[0] == &g->value);
    CHECK(memcmp(inst->mem_base + 16, "hello", 5) == 0);
    CHECK(invoke_i32(inst, "load", 16, 0) == 0x6c6c6568);
    CHECK(invoke_i32(inst, "call_add", 2, 3) == 5);
    CHECK(invoke_i32(inst, "size", 0, 0) == 1);
    CHECK(invoke_i32(inst, "grow", 1, 0) == 1);
    CHECK(invoke_i32(inst, "grow", 5, 0) == UINT32_MAX);
    CHECK(invoke_i32(inst, "size", 0, 0) == 2);
    CHECK(inst->mem_base == inst->memory->base);

    rt_extern x;
    CHECK(rt_instance_export(inst, "counter", &x) && x.kind == WASM_EXTERN_GLOBAL);
    CHECK(x.u.global == &inst->globals[0] && x.global_valtype == WASM_I32 && x.global_mutable);
    CHECK(rt_instance_export(inst, "k", &x) && x.u.global->i64 == (uint64_t)-5 &&
          !x.global_mutable && x.global_valtype == WASM_I64);
    CHECK(rt_instance_export(inst, "mem", &x) && x.kind == WASM_EXTERN_MEMORY &&
          x.u.memory == inst->memory);
    CHECK(rt_instance_export(inst, "load", &x) && x.kind == WASM_EXTERN_FUNC &&
          x.u.func == inst->funcs[1] && x.u.func->env == inst);
    CHECK(rt_funcref_type(x.u.func)->nparams == 1);
    CHECK(!rt_instance_export(inst, "missing", &x));
    rt_value io[2];
    CHECK(!rt_invoke_export(inst, "missing", io, &trap, &err));
    CHECK(trap.kind == RT_TRAP_NONE && strstr(err.msg, "unknown export"));
    CHECK(!rt_invoke_export(inst, "mem", io, &trap, &err) && strstr(err.msg, "not a function"));

    const rt_descriptor *d = rt_module_descriptor(m);
    CHECK(d->has_memory && !d->memory_imported && !d->memory_shared);
    CHECK(d->memory_min_pages == 1 && d->memory_max_pages == 3);
    CHECK(d->nglobals == 3);
    CHECK(d->globals[0].imported && d->globals[0].slot == 0 && !d->globals[0].export_name);
    CHECK(!d->globals[1].imported && d->globals[1].slot == 0 && d->globals[1].mutable_);
    CHECK(strcmp(d->globals[1].export_name, "counter") == 0);
    CHECK(d->globals[2].slot == 1 && d->globals[2].valtype == WASM_I64);
    CHECK(d->nimports == 2 && d->nexports == 8 && d->ntables == 0);
    CHECK(strcmp(rt_module_func_name(m, 0), "add") == 0);
    CHECK(strcmp(rt_module_func_name(m, 1), "load") == 0);
    CHECK(rt_module_func_name(m, 99) == NULL);
    char hash[65];
    rt_module_hash_hex(m, hash);
    CHECK(strlen(hash) == 64);

    /* skip_start, and the --mem-max cap below the declared maximum. */
    rt_instance_options opts = {.skip_start = true, .max_memory_pages = 2};
    rt_instance *capped = instantiate(m, &r, &opts, &trap, &err);
    CHECK(capped && capped->globals[0].i32 == 41);
    CHECK(invoke_i32(capped, "grow", 1, 0) == 1);
    CHECK(invoke_i32(capped, "grow", 1, 0) == UINT32_MAX);
    opts.max_memory_pages = 0;
    opts.skip_init = true;
    rt_instance *bare = instantiate(m, &r, &opts, &trap, &err);
    CHECK(bare && bare->mem_base[16] == 0 && bare->data_dropped[0] && !bare->data_dropped[1]);
    rt_instance_free(bare);
    rt_instance_free(capped);

    /* Thread cells: a second instance on the first one's memory, data not applied again. */
    memcpy(inst->mem_base + 16, "HELLO", 5);
    opts = (rt_instance_options){.use_memory = inst->memory};
    rt_instance *thread = instantiate(m, &r, &opts, &trap, &err);
    CHECK(thread && thread->memory == inst->memory && thread->mem_base == inst->mem_base);
    CHECK(memcmp(inst->mem_base + 16, "HELLO", 5) == 0);
    CHECK(thread->data_dropped[0] && thread->globals[0].i32 == 42);
    invoke_i32(thread, "store", 100, 77);
    CHECK(invoke_i32(inst, "load", 100, 0) == 77);
    rt_instance_free(inst); /* the memory lives on while the thread cell uses it */
    CHECK(invoke_i32(thread, "load", 100, 0) == 77);
    rt_instance_free(thread);

    rt_global_free(g);
    rt_module_free(m);
    rt_host_registry_free(hosts);
}

/* ---- Link errors ---- */

static void test_link_errors(void) {
    rt_module *m = test_load_module("mod_basic");
    rt_trap_info trap;
    rt_error err;
    CHECK(!instantiate(m, NULL, NULL, &trap, &err));
    CHECK(trap.kind == RT_TRAP_NONE && strcmp(err.msg, "unknown import env.add") == 0);

    rt_host_registry *hosts = rt_host_registry_new();
    CHECK(!rt_host_register(hosts, "env", "add", "ii", host_add, NULL));
    CHECK(!rt_host_register(hosts, "env", "add", "ix:i", host_add, NULL));
    CHECK(!rt_host_register(hosts, "env", "add", "i:i:i", host_add, NULL));
    CHECK(rt_host_register(hosts, "env", "add", "iI:i", host_add, NULL));
    CHECK(!rt_host_register(hosts, "env", "add", "ii:i", host_add, NULL)); /* duplicate */
    resolver r = {.hosts = hosts};
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(strncmp(err.msg, "incompatible import type", 24) == 0 && strstr(err.msg, "env.add"));
    rt_host_registry_free(hosts);

    hosts = rt_host_registry_new();
    CHECK(rt_host_register(hosts, "env", "add", "ii:i", host_add, (void *)0x1234));
    r.hosts = hosts;
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(strcmp(err.msg, "unknown import env.g") == 0);
    rt_global *g64 = rt_global_new(WASM_I64, false, (rt_value){.i64 = 1});
    rt_global *gmut = rt_global_new(WASM_I32, true, (rt_value){.i32 = 1});
    add_global(&r, "g", g64);
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(strncmp(err.msg, "incompatible import type", 24) == 0);
    r.n = 0;
    add_global(&r, "g", gmut);
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(strncmp(err.msg, "incompatible import type", 24) == 0);
    /* Wrong kind. */
    r.n = 0;
    rt_memory *mem = rt_memory_new(1, 1, true, false, &err);
    add_memory(&r, "g", mem);
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(strncmp(err.msg, "incompatible import type", 24) == 0);
    /* A memory larger than the cap. */
    rt_global *g = rt_global_new(WASM_I32, false, (rt_value){.i32 = 0});
    r.n = 0;
    add_global(&r, "g", g);
    rt_instance_options opts = {.max_memory_pages = 1};
    rt_instance *ok = instantiate(m, &r, &opts, &trap, &err);
    CHECK(ok && invoke_i32(ok, "grow", 1, 0) == UINT32_MAX);
    rt_instance_free(ok);

    rt_memory_free(mem);
    rt_global_free(g);
    rt_global_free(g64);
    rt_global_free(gmut);
    rt_host_registry_free(hosts);
    rt_module_free(m);
}

/* ---- Memory import matching, data segments ---- */

static bool memory_links(rt_module *m, uint32_t min, uint32_t max, bool has_max, bool shared) {
    rt_error err;
    rt_memory *mem = rt_memory_new(min, max, has_max, shared, &err);
    CHECK(mem);
    resolver r = {0};
    add_memory(&r, "mem", mem);
    rt_instance_options opts = {.skip_start = true, .skip_init = true};
    rt_trap_info trap;
    rt_instance *inst = instantiate(m, &r, &opts, &trap, &err);
    bool linked = inst != NULL;
    if (!linked) CHECK(strncmp(err.msg, "incompatible import type", 24) == 0);
    rt_instance_free(inst);
    rt_memory_free(mem);
    return linked;
}

static void test_data_segments(void) {
    rt_module *m = test_load_module("mod_data_oob"); /* imports (memory 1 4) */
    CHECK(memory_links(m, 1, 4, true, false));
    CHECK(memory_links(m, 2, 3, true, false));
    CHECK(memory_links(m, 4, 4, true, false));
    CHECK(!memory_links(m, 0, 4, true, false));
    CHECK(!memory_links(m, 1, 5, true, false));
    CHECK(!memory_links(m, 1, 0, false, false));
    CHECK(!memory_links(m, 1, 4, true, true));

    rt_error err;
    rt_memory *mem = rt_memory_new(1, 4, true, false, &err);
    resolver r = {0};
    add_memory(&r, "mem", mem);
    rt_trap_info trap;
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(trap.kind == RT_TRAP_MEMORY_OOB && strcmp(err.msg, "out of bounds memory access") == 0);
    CHECK(memcmp(mem->base, "ab", 2) == 0 && mem->base[65535] == 0);
    /* After growing, the segments fit and the start function traps. */
    CHECK(rt_memory_grow(mem, 1) == 1);
    memset(mem->base, 0, 2);
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(trap.kind == RT_TRAP_UNREACHABLE && strcmp(err.msg, "unreachable") == 0);
    CHECK(memcmp(mem->base, "ab", 2) == 0 && memcmp(mem->base + 65535, "cd", 2) == 0);
    rt_memory_free(mem); /* instances that failed keep their reference until the module goes */
    rt_module_free(m);
}

/* ---- Tables and element segments ---- */

static void host_h(rt_instance *caller, void *data, rt_value *io) {
    io[0].i32 = 7;
}

static void test_tables(void) {
    rt_module *m = test_load_module("mod_table");
    rt_host_registry *hosts = rt_host_registry_new();
    CHECK(rt_host_register(hosts, "env", "h", ":i", host_h, NULL));
    rt_error err;
    rt_table *ext = rt_table_new(WASM_FUNCREF, 2, 0, false, &err);
    resolver r = {.hosts = hosts};
    add_table(&r, "tab", ext);
    rt_trap_info trap;
    rt_instance *inst = instantiate(m, &r, NULL, &trap, &err);
    if (!inst) fprintf(stderr, "%s\n", err.msg);
    CHECK(inst);
    rt_table *t = inst->tables[1];
    CHECK(inst->tables[0] == ext && t->size == 4 && t->max == 8);
    CHECK(!t->elems[0] && t->elems[1] == inst->funcs[1] && t->elems[2] == inst->funcs[2]);
    /* The imported host function keeps its identity: the registry's own reference. */
    rt_extern hx;
    wasm_name env = {"env", 3}, h = {"h", 1};
    CHECK(rt_host_resolve(hosts, &env, &h, WASM_EXTERN_FUNC, &hx));
    CHECK(ext->elems[1] == hx.u.func && inst->funcs[0] == hx.u.func && !ext->elems[0]);
    CHECK(rt_funcref_type(hx.u.func)->nresults == 1);
    /* Active and declarative segments are dropped, passive ones are not. */
    CHECK(inst->elem_dropped[0] && !inst->elem_dropped[1] && inst->elem_dropped[2] &&
          inst->elem_dropped[3] && !inst->elem_dropped[4]);

    CHECK(invoke_i32(inst, "call", 1, 5) == 6);
    CHECK(invoke_i32(inst, "call", 2, 5) == 10);
    CHECK(invoke3(inst, "call", 0, 5, 0) == RT_TRAP_INDIRECT_NULL);
    CHECK(invoke3(inst, "call", 4, 5, 0) == RT_TRAP_INDIRECT_OOB);
    t->elems[3] = hx.u.func;
    CHECK(invoke3(inst, "call", 3, 5, 0) == RT_TRAP_INDIRECT_TYPE);

    /* table.init from the passive segment [g f f]. */
    CHECK(invoke3(inst, "init", 0, 0, 3) == RT_TRAP_NONE);
    CHECK(t->elems[0] == inst->funcs[2] && t->elems[1] == inst->funcs[1] &&
          t->elems[2] == inst->funcs[1] && t->elems[3] == hx.u.func);
    CHECK(invoke3(inst, "init", 2, 1, 3) == RT_TRAP_TABLE_OOB); /* nothing written */
    CHECK(t->elems[2] == inst->funcs[1] && t->elems[3] == hx.u.func);
    CHECK(invoke3(inst, "init", 0, 2, 2) == RT_TRAP_TABLE_OOB);
    CHECK(invoke3(inst, "init", 4, 3, 0) == RT_TRAP_NONE);
    CHECK(invoke3(inst, "init", 5, 0, 0) == RT_TRAP_TABLE_OOB);
    CHECK(invoke3(inst, "drop", 0, 0, 0) == RT_TRAP_NONE);
    CHECK(invoke3(inst, "init", 0, 0, 0) == RT_TRAP_NONE);
    CHECK(invoke3(inst, "init", 0, 0, 1) == RT_TRAP_TABLE_OOB);
    /* Expressions: [ref.func f, ref.null]. */
    CHECK(invoke3(inst, "init_e", 2, 0, 2) == RT_TRAP_NONE);
    CHECK(t->elems[2] == inst->funcs[1] && t->elems[3] == NULL);
    /* table.grow up to the maximum. */
    CHECK(invoke_i32(inst, "grow", 3, 0) == 4 && t->size == 7 && !t->elems[6]);
    CHECK(invoke_i32(inst, "grow", 2, 0) == UINT32_MAX && t->size == 7);
    CHECK(invoke_i32(inst, "grow", 1, 0) == 7 && t->size == 8);

    /* A second instance shares the imported table and the host function. */
    rt_instance *other = instantiate(m, &r, NULL, &trap, &err);
    CHECK(other && other->tables[0] == ext && ext->elems[1] == hx.u.func);
    CHECK(other->funcs[1] != inst->funcs[1] && other->funcs[1]->type_id == inst->funcs[1]->type_id);
    /* Calls across instances through a table: f of `other` called from `inst`. */
    t->elems[0] = other->funcs[1];
    CHECK(invoke_i32(inst, "call", 0, 41) == 42);
    rt_instance_free(other);

    /* Import matching on tables. */
    rt_table *small = rt_table_new(WASM_FUNCREF, 1, 0, false, &err);
    rt_table *externs = rt_table_new(WASM_EXTERNREF, 2, 0, false, &err);
    resolver bad = {.hosts = hosts};
    add_table(&bad, "tab", small);
    CHECK(!instantiate(m, &bad, NULL, &trap, &err));
    CHECK(strncmp(err.msg, "incompatible import type", 24) == 0);
    bad.n = 0;
    add_table(&bad, "tab", externs);
    CHECK(!instantiate(m, &bad, NULL, &trap, &err));
    CHECK(strncmp(err.msg, "incompatible import type", 24) == 0);
    rt_table_free(small);
    rt_table_free(externs);

    rt_instance_free(inst);
    rt_table_free(ext);
    rt_module_free(m);
    rt_host_registry_free(hosts);
}

/* An element segment out of bounds: the first segment's write persists and its function stays
 * callable although the instance failed; the data segment after it is never applied. */
static void test_elem_oob(void) {
    rt_module *m = test_load_module("mod_elem_oob");
    rt_error err;
    rt_table *tab = rt_table_new(WASM_FUNCREF, 4, 0, false, &err);
    rt_memory *mem = rt_memory_new(1, 0, false, false, &err);
    resolver r = {0};
    add_table(&r, "tab", tab);
    add_memory(&r, "mem", mem);
    rt_trap_info trap;
    CHECK(!instantiate(m, &r, NULL, &trap, &err));
    CHECK(trap.kind == RT_TRAP_TABLE_OOB && strcmp(err.msg, "out of bounds table access") == 0);
    CHECK(tab->elems[0] && !tab->elems[3] && mem->base[0] == 0);
    rt_value io[1];
    CHECK(rt_invoke(NULL, tab->elems[0], io, &trap) && io[0].i32 == 42);
    CHECK(!rt_invoke(NULL, NULL, io, &trap) && trap.kind == RT_TRAP_INDIRECT_NULL);
    rt_module_free(m);
    rt_table_free(tab);
    rt_memory_free(mem);
}

/* ---- Table services directly ---- */

typedef struct table_op {
    rt_table *dst, *src;
    int op;
    uint32_t a, b, n;
} table_op;

static void do_table_op(void *arg) {
    table_op *o = arg;
    switch (o->op) {
    case 0: rt_table_fill(o->dst, o->a, (void *)0x10, o->n); break;
    case 1: rt_table_copy(o->dst, o->src, o->a, o->b, o->n); break;
    case 2: rt_table_get(o->dst, o->a); break;
    case 3: rt_table_set(o->dst, o->a, (void *)0x20); break;
    }
}

static void test_table_services(void) {
    rt_error err;
    CHECK(!rt_table_new(0x7B, 1, 1, true, &err));
    CHECK(!rt_table_new(WASM_FUNCREF, 2, 1, true, &err));
    CHECK(!rt_table_new(WASM_FUNCREF, UINT32_MAX, 0, false, &err));
    rt_table *t = rt_table_new(WASM_EXTERNREF, 0, UINT32_MAX, true, &err);
    CHECK(t && t->size == 0 && t->max == UINT32_MAX);
    CHECK(rt_table_grow(t, (void *)1, 0) == 0);
    CHECK(rt_table_grow(t, (void *)1, 0xFFFFFFF0) == UINT32_MAX);
    CHECK(rt_table_grow(t, (void *)1, 10) == 0 && t->size == 10 && t->elems[9] == (void *)1);
    table_op o = {t, t, 0, 8, 0, 3};
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_TABLE_OOB);
    CHECK(t->elems[8] == (void *)1);
    o.n = 2;
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_NONE && t->elems[9] == (void *)0x10);
    o = (table_op){t, t, 1, 1, 0, 9};
    for (uint32_t i = 0; i < 10; i++)
        t->elems[i] = (void *)(uintptr_t)(i + 100);
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_NONE);
    CHECK(t->elems[1] == (void *)100 && t->elems[9] == (void *)108);
    o = (table_op){t, t, 1, 0, 1, 9};
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_NONE);
    CHECK(t->elems[0] == (void *)100 && t->elems[8] == (void *)108);
    o = (table_op){t, t, 1, 2, 0, 9};
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_TABLE_OOB);
    o = (table_op){t, t, 1, 10, 10, 0};
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_NONE);
    o = (table_op){t, t, 2, 10, 0, 0};
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_TABLE_OOB);
    o = (table_op){t, t, 3, 9, 0, 0};
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_NONE && t->elems[9] == (void *)0x20);
    o.a = 10;
    CHECK(test_catch(do_table_op, &o) == RT_TRAP_TABLE_OOB);
    rt_table_free(t);
}

/* ---- Types ---- */

static void test_types(void) {
    uint8_t p1[] = {WASM_I32, WASM_I64}, r1[] = {WASM_F32};
    wasm_functype a = {2, 1, p1, r1}, b = {2, 1, p1, r1}, c = {1, 1, p1, r1},
                  e = {0, 0, NULL, NULL};
    uint32_t ia = rt_type_intern(&a), ib = rt_type_intern(&b), ic = rt_type_intern(&c);
    uint32_t ie = rt_type_intern(&e);
    CHECK(ia && ia == ib && ia != ic && ie && ie != ia && ie != ic);
    const wasm_functype *back = rt_type_lookup(ia);
    CHECK(back && back->nparams == 2 && back->params[1] == WASM_I64 &&
          back->results[0] == WASM_F32);
    CHECK(rt_type_lookup(0) == NULL && rt_type_lookup(9999999) == NULL);
    uint32_t is;
    CHECK(rt_type_parse_signature("iI:f", &is) && is == ia);
    CHECK(rt_type_parse_signature(":", &is) && is == ie);
    CHECK(!rt_type_parse_signature("", &is) && !rt_type_parse_signature("q:", &is));
    /* Many types: ids stay stable while the table grows. */
    uint8_t params[20];
    for (int i = 0; i < 20; i++)
        params[i] = WASM_I32;
    uint32_t ids[2000];
    for (int n = 0; n < 2000; n++) {
        wasm_functype t = {(uint32_t)(n % 20), (uint32_t)(n / 20 % 2), params, r1};
        params[0] = n % 3 ? WASM_I32 : WASM_F64;
        ids[n] = rt_type_intern(&t);
    }
    for (int n = 0; n < 2000; n++) {
        wasm_functype t = {(uint32_t)(n % 20), (uint32_t)(n / 20 % 2), params, r1};
        params[0] = n % 3 ? WASM_I32 : WASM_F64;
        CHECK(rt_type_intern(&t) == ids[n]);
    }
    CHECK(strcmp(rt_trap_kind_message(RT_TRAP_DIV_ZERO), "integer divide by zero") == 0);
    CHECK(strcmp(rt_trap_kind_message(RT_TRAP_INDIRECT_OOB), "undefined element") == 0);
    CHECK(strcmp(rt_trap_kind_message(RT_TRAP_WAIT_UNSHARED), "expected shared memory") == 0);
    CHECK(strcmp(rt_trap_kind_message((rt_trap_kind)999), "unknown trap") == 0);
    CHECK(strstr(rt_features(), "threads"));
}

/* ---- Loading errors ---- */

static void test_load_errors(void) {
    rt_error err;
    const uint8_t junk[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
    CHECK(!rt_module_check(junk, sizeof junk, &err) && err.msg[0]);
    const uint8_t empty[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    CHECK(rt_module_check(empty, sizeof empty, &err));
    CHECK(!rt_module_check(NULL, 0, &err) && err.msg[0]);
    CHECK(!rt_module_check(NULL, 5, &err) && err.msg[0]);
    CHECK(!rt_module_load(NULL, 0, NULL, NULL, &err) && err.msg[0]);
    CHECK(!rt_module_check(empty, 7, &err) && err.msg[0]);
    size_t len;
    char path[1024];
    snprintf(path, sizeof path, "%s/mod_basic.wasm", RT_TEST_DIR);
    uint8_t *bytes = test_read_file(path, &len);
    snprintf(path, sizeof path, "%s/mod_trap.so", RT_TEST_DIR);
    CHECK(!rt_module_from_so(bytes, len, path, &err)); /* 7 functions, not 6 */
    CHECK(strstr(err.msg, "defines 7 functions"));
    CHECK(!rt_module_from_so(bytes, len, "/nonexistent.so", &err));
    CHECK(strstr(err.msg, "cannot load"));
    free(bytes);
}

/* ---- Several threads interning types and instantiating one module at once ---- */

enum { CONC_THREADS = 4, CONC_TYPES = 300, CONC_INSTANCES = 20 };

typedef struct conc {
    rt_module *m;
    resolver *r;
    uint32_t ids[CONC_TYPES];
    bool ok;
} conc;

static void *conc_thread(void *arg) {
    conc *c = arg;
    uint8_t params[8];
    for (int n = 0; n < CONC_TYPES; n++) {
        for (int i = 0; i < 8; i++)
            params[i] = (n >> i) & 1 ? WASM_I64 : WASM_F32;
        wasm_functype t = {(uint32_t)(n % 9), 0, params, NULL};
        if (n % 9 == 8) t.nparams = 8;
        c->ids[n] = rt_type_intern(&t);
    }
    for (int k = 0; k < CONC_INSTANCES; k++) {
        rt_trap_info trap;
        rt_error err;
        rt_instance *inst = instantiate(c->m, c->r, NULL, &trap, &err);
        CHECK(inst);
        CHECK(invoke_i32(inst, "call_add", (uint32_t)k, 1) == (uint32_t)k + 1);
        CHECK(invoke3(inst, "load", 70000, 0, 0) == RT_TRAP_MEMORY_OOB);
        rt_instance_free(inst);
    }
    c->ok = true;
    return NULL;
}

static void test_concurrency(void) {
    rt_module *m = test_load_module("mod_basic");
    rt_host_registry *hosts = rt_host_registry_new();
    CHECK(rt_host_register(hosts, "env", "add", "ii:i", host_add, (void *)0x1234));
    rt_global *g = rt_global_new(WASM_I32, false, (rt_value){.i32 = 0});
    resolver r = {.hosts = hosts};
    add_global(&r, "g", g);
    conc c[CONC_THREADS];
    pthread_t t[CONC_THREADS];
    for (int i = 0; i < CONC_THREADS; i++) {
        c[i] = (conc){.m = m, .r = &r};
        CHECK(pthread_create(&t[i], NULL, conc_thread, &c[i]) == 0);
    }
    for (int i = 0; i < CONC_THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < CONC_THREADS; i++) {
        CHECK(c[i].ok);
        CHECK(memcmp(c[i].ids, c[0].ids, sizeof c[0].ids) == 0);
    }
    rt_global_free(g);
    rt_host_registry_free(hosts);
    rt_module_free(m);
}

int main(void) {
    RUN(test_types);
    RUN(test_basic);
    RUN(test_link_errors);
    RUN(test_data_segments);
    RUN(test_tables);
    RUN(test_elem_oob);
    RUN(test_table_services);
    RUN(test_load_errors);
    RUN(test_concurrency);
    return 0;
}

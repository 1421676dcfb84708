/*
 * wast_spectest.c — the spectest host module (see wast_spectest.h).
 *
 * Functions live in an rt_host_registry under module "spectest"; each is registered with a
 * print_fn record as its data, which names the function and its signature so one host function
 * serves all seven. The table, memories and globals are standalone runtime objects owned here and
 * handed out by pointer, so every importer of `spectest.memory` in a script shares one memory.
 */
#include "wast/wast_spectest.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct print_fn {
    const char *name;
    const char *sig; /* rt_host_register signature: params ':' results */
    const bool *verbose;
} print_fn;

static const struct {
    const char *name;
    const char *sig;
} print_fns[] = {
    {"print", ":"},      {"print_i32", "i:"},      {"print_i64", "I:"},      {"print_f32", "f:"},
    {"print_f64", "F:"}, {"print_i32_f32", "if:"}, {"print_f64_f64", "FF:"},
};

#define PRINT_FN_COUNT (sizeof print_fns / sizeof print_fns[0])

struct wast_spectest {
    bool verbose;
    rt_host_registry *registry;
    print_fn fns[PRINT_FN_COUNT];
    rt_global *global_i32, *global_i64, *global_f32, *global_f64;
    rt_table *table;
    rt_memory *memory;
    rt_memory *shared_memory;
};

static void spectest_print(rt_instance *caller, void *data, rt_value *io) {
    (void)caller;
    const print_fn *fn = data;
    if (!*fn->verbose) return;
    fprintf(stderr, "spectest.%s(", fn->name);
    for (const char *p = fn->sig; *p && *p != ':'; p++) {
        const rt_value *v = &io[p - fn->sig];
        const char *sep = p == fn->sig ? "" : ", ";
        switch (*p) {
        case 'i': fprintf(stderr, "%s%" PRIi32 " : i32", sep, (int32_t)v->i32); break;
        case 'I': fprintf(stderr, "%s%" PRIi64 " : i64", sep, (int64_t)v->i64); break;
        case 'f': fprintf(stderr, "%s%g : f32", sep, (double)v->f32); break;
        case 'F': fprintf(stderr, "%s%g : f64", sep, v->f64); break;
        default: assert(0); break;
        }
    }
    fprintf(stderr, ")\n");
}

wast_spectest *wast_spectest_new(bool verbose, rt_error *err) {
    wast_spectest *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    s->verbose = verbose;
    s->registry = rt_host_registry_new();
    if (s->registry == NULL) {
        snprintf(err->msg, sizeof err->msg, "cannot create the spectest host registry");
        wast_spectest_free(s);
        return NULL;
    }
    for (size_t i = 0; i < PRINT_FN_COUNT; i++) {
        s->fns[i] = (print_fn){print_fns[i].name, print_fns[i].sig, &s->verbose};
        if (!rt_host_register(s->registry, "spectest", print_fns[i].name, print_fns[i].sig,
                              spectest_print, &s->fns[i])) {
            snprintf(err->msg, sizeof err->msg, "cannot register spectest.%s", print_fns[i].name);
            wast_spectest_free(s);
            return NULL;
        }
    }
    s->global_i32 = rt_global_new(0x7F, false, (rt_value){.i32 = 666});
    s->global_i64 = rt_global_new(0x7E, false, (rt_value){.i64 = 666});
    s->global_f32 = rt_global_new(0x7D, false, (rt_value){.f32 = 666.6f});
    s->global_f64 = rt_global_new(0x7C, false, (rt_value){.f64 = 666.6});
    if (!s->global_i32 || !s->global_i64 || !s->global_f32 || !s->global_f64) {
        snprintf(err->msg, sizeof err->msg, "cannot create the spectest globals");
        wast_spectest_free(s);
        return NULL;
    }
    s->table = rt_table_new(0x70, 10, 20, true, err);
    if (s->table == NULL) goto fail;
    s->memory = rt_memory_new(1, 2, true, false, err);
    if (s->memory == NULL) goto fail;
    s->shared_memory = rt_memory_new(1, 2, true, true, err);
    if (s->shared_memory == NULL) goto fail;
    return s;
fail:
    wast_spectest_free(s);
    return NULL;
}

void wast_spectest_free(wast_spectest *s) {
    if (s == NULL) return;
    if (s->registry) rt_host_registry_free(s->registry);
    if (s->global_i32) rt_global_free(s->global_i32);
    if (s->global_i64) rt_global_free(s->global_i64);
    if (s->global_f32) rt_global_free(s->global_f32);
    if (s->global_f64) rt_global_free(s->global_f64);
    if (s->table) rt_table_free(s->table);
    if (s->memory) rt_memory_free(s->memory);
    if (s->shared_memory) rt_memory_free(s->shared_memory);
    free(s);
}

static bool name_is(const wasm_name *name, const char *s) {
    return name->len == strlen(s) && memcmp(name->bytes, s, name->len) == 0;
}

static void global_extern(rt_global *g, rt_extern *out) {
    memset(out, 0, sizeof *out);
    out->kind = WASM_EXTERN_GLOBAL;
    out->u.global = &g->value;
    out->global_valtype = g->valtype;
    out->global_mutable = g->mutable_;
}

bool wast_spectest_lookup(wast_spectest *s, const wasm_name *name, wasm_extern_kind kind,
                          rt_extern *out) {
    (void)kind;
    rt_global *globals[] = {s->global_i32, s->global_i64, s->global_f32, s->global_f64};
    const char *global_names[] = {"global_i32", "global_i64", "global_f32", "global_f64"};
    for (size_t i = 0; i < 4; i++) {
        if (name_is(name, global_names[i])) {
            global_extern(globals[i], out);
            return true;
        }
    }
    memset(out, 0, sizeof *out);
    if (name_is(name, "table")) {
        out->kind = WASM_EXTERN_TABLE;
        out->u.table = s->table;
        return true;
    }
    if (name_is(name, "memory") || name_is(name, "shared_memory")) {
        out->kind = WASM_EXTERN_MEMORY;
        out->u.memory = name_is(name, "memory") ? s->memory : s->shared_memory;
        return true;
    }
    for (size_t i = 0; i < PRINT_FN_COUNT; i++) {
        if (name_is(name, print_fns[i].name)) {
            wasm_name module = {"spectest", 8};
            return rt_host_resolve(s->registry, &module, name, WASM_EXTERN_FUNC, out);
        }
    }
    return false;
}

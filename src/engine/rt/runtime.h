/*
 * runtime.h — the engine's public API: load a module (decode, validate, translate to C, compile or
 * fetch from the cache, dlopen), describe it, link and instantiate it, call its exports, and
 * register host functions. Everything other parts of Granny (WASI, cells, MPI, OpenMP, the CLI, the
 * spec-test runner) need from the engine goes through this header and rt_abi.h.
 *
 * Errors are reported as a message in an rt_error (never printed, never fatal). Traps in guest code
 * are caught per thread and returned as an rt_trap_info from rt_invoke; the process never dies of a
 * guest's fault.
 */
#ifndef GRANNY_ENGINE_RUNTIME_H
#define GRANNY_ENGINE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/wasm/module.h"
#include "engine/rt/rt_abi.h"

typedef struct rt_error {
    char msg[512];
} rt_error;

/* ---- Loading ---- */

typedef struct rt_load_options {
    const char *cache_dir; /* NULL: $GRANNY_CACHE, else $XDG_CACHE_HOME/granny, else ~/.cache/granny */
    const char *cc;        /* NULL: $GRANNY_CC, else "cc" */
    int opt_level;         /* C compiler -O level; default (0 here means default) is 2 */
    int jobs;              /* parallel compiler processes; 0: number of online CPUs */
    bool no_cache;         /* compile into a temporary directory and do not keep the result */
    bool verbose;          /* log compiler commands to stderr */
} rt_load_options;

typedef struct rt_module rt_module; /* decoded + validated + compiled; immutable, shareable */

/* Statistics of the last load, for tests and `granny run -v`. */
typedef struct rt_load_stats {
    bool cache_hit;     /* true when no C compiler ran */
    double decode_ms, validate_ms, translate_ms, compile_ms, dlopen_ms;
    char so_path[1024]; /* the shared object used */
} rt_load_stats;

rt_module *rt_module_load(const uint8_t *bytes, size_t len, const rt_load_options *opts,
                          rt_load_stats *stats, rt_error *err);
/* Decode and validate only (no compilation), for assert_invalid / assert_malformed and tools. */
bool rt_module_check(const uint8_t *bytes, size_t len, rt_error *err);
void rt_module_free(rt_module *m);
const wasm_module *rt_module_ir(const rt_module *m);
/* The 32-byte content hash that names the module in the cache (hex in out[65]). */
void rt_module_hash_hex(const rt_module *m, char out[65]);

/* ---- Module descriptor (what snapshots need to know about a module) ---- */

typedef struct rt_global_desc {
    uint8_t valtype;
    bool mutable_;
    bool imported;
    uint32_t slot; /* defined: index into rt_instance.globals; imported: into global_imports */
    const char *export_name; /* first export name or NULL */
} rt_global_desc;

typedef struct rt_descriptor {
    bool has_memory, memory_imported, memory_shared;
    uint32_t memory_min_pages, memory_max_pages;
    uint32_t nglobals;
    const rt_global_desc *globals;
    uint32_t ntables;
    const wasm_tabletype *tables;
    uint32_t nimports;
    const wasm_import *imports;
    uint32_t nexports;
    const wasm_export *exports;
} rt_descriptor;

const rt_descriptor *rt_module_descriptor(const rt_module *m);

/* ---- Extern values and linking ---- */

typedef struct rt_global {
    rt_value value; /* the cell; instances that import it point here */
    uint8_t valtype;
    bool mutable_;
} rt_global;

typedef struct rt_extern {
    wasm_extern_kind kind;
    union {
        rt_funcref *func;
        rt_table *table;
        rt_memory *memory;
        rt_value *global; /* points to the value cell */
    } u;
    /* For globals: the type, needed for import matching. For tables/memories the object has it. */
    uint8_t global_valtype;
    bool global_mutable;
} rt_extern;

/* Resolves one import; returns false when unknown (instantiation then fails naming the import). */
typedef bool (*rt_resolver_fn)(void *ctx, const wasm_name *module, const wasm_name *name,
                               wasm_extern_kind kind, rt_extern *out);

/* ---- Host functions ---- */

/* A host function; `caller` is the calling instance (memory via caller->memory, cell state via
 * caller->user). Arguments in io[0..nparams), results to io[0..nresults). To fail, call
 * rt_trap_host(msg) (never returns). */
typedef void (*rt_host_fn)(rt_instance *caller, void *data, rt_value *io);

/* A registry of host functions by (module, name). The signature is given as a string of value
 * types: params, ':' then results, with i=i32 I=i64 f=f32 F=f64 r=externref R=funcref, e.g.
 * "iiii:i" for fd_write. A signature mismatch at link time is an instantiation error. */
typedef struct rt_host_registry rt_host_registry;

rt_host_registry *rt_host_registry_new(void);
void rt_host_registry_free(rt_host_registry *r);
bool rt_host_register(rt_host_registry *r, const char *module, const char *name, const char *sig,
                      rt_host_fn fn, void *data);
/* A resolver over a registry, usable as rt_resolver_fn with ctx = the registry. */
bool rt_host_resolve(void *registry, const wasm_name *module, const wasm_name *name,
                     wasm_extern_kind kind, rt_extern *out);

/* ---- Standalone objects (e.g. the spectest module's table, memory and globals) ---- */

rt_memory *rt_memory_new(uint32_t min_pages, uint32_t max_pages, bool has_max, bool shared,
                         rt_error *err);
void rt_memory_free(rt_memory *m);
rt_table *rt_table_new(uint8_t elemtype, uint32_t min, uint32_t max, bool has_max, rt_error *err);
void rt_table_free(rt_table *t);
rt_global *rt_global_new(uint8_t valtype, bool mutable_, rt_value init);
void rt_global_free(rt_global *g);

/* ---- Instances ---- */

typedef struct rt_instance_options {
    rt_resolver_fn resolve;
    void *resolve_ctx;
    void *user;             /* becomes instance->user */
    rt_memory *use_memory;  /* thread cells: share this memory instead of creating one
                               (must match the module's memory type; it is already initialised,
                               so active data segments are dropped without being written again,
                               while element segments still fill this instance's own tables) */
    uint64_t max_memory_pages; /* 0: no extra limit; else cap on growth (--mem-max) */
    bool skip_start;        /* do not run the start function (snapshots restore state instead) */
    bool skip_init;         /* do not apply active data/elem segments (ditto) */
} rt_instance_options;

typedef struct rt_trap_info {
    rt_trap_kind kind;
    int exit_code;     /* RT_TRAP_EXIT */
    char msg[256];     /* human-readable, spec wording first (e.g. "integer divide by zero") */
    uint32_t func_index; /* wasm function executing when the trap was raised, or UINT32_MAX */
    const rt_module *module; /* the module func_index belongs to (it may be another module than
                                the one invoked), or NULL; name via rt_module_func_name */
} rt_trap_info;

/* Links imports, allocates memory/tables/globals, applies segments, runs the start function.
 * Link errors (unknown import, incompatible import type) and start-function traps are both
 * reported: link errors in err with *trap->kind == RT_TRAP_NONE, start traps in *trap. */
rt_instance *rt_instance_new(rt_module *m, const rt_instance_options *opts, rt_trap_info *trap,
                             rt_error *err);
void rt_instance_free(rt_instance *inst);
rt_module *rt_instance_module(const rt_instance *inst);
bool rt_instance_export(rt_instance *inst, const char *name, rt_extern *out);

/* Calls a function reference with arguments io[0..nparams); results in io[0..nresults).
 * Returns false with *trap filled when the guest trapped (including proc_exit as RT_TRAP_EXIT).
 * Safe to call from any thread; nested calls (guest -> host -> guest) are allowed. */
bool rt_invoke(rt_instance *caller, rt_funcref *f, rt_value *io, rt_trap_info *trap);
bool rt_invoke_export(rt_instance *inst, const char *name, rt_value *io, rt_trap_info *trap,
                      rt_error *err);
const wasm_functype *rt_funcref_type(const rt_funcref *f); /* interned type of any funcref */

/* Raise a trap from host code with a message (never returns). */
__attribute__((noreturn)) void rt_trap_host(const char *fmt, ...);
__attribute__((noreturn)) void rt_trap_exit(int code);

/* Canonical signature ids (runtime-wide). */
uint32_t rt_type_intern(const wasm_functype *t);

const char *rt_trap_kind_message(rt_trap_kind k);

/* Name of function `func_index` from the name section, or NULL. */
const char *rt_module_func_name(const rt_module *m, uint32_t func_index);

/* The wasm features this engine supports, as a space-separated list (for `granny --version`). */
const char *rt_features(void);

/* Run fn(arg) on a fresh thread whose stack has `stack_size` bytes and a guard region that turns
 * overflow into RT_TRAP_STACK_EXHAUSTED; returns when it finishes. 0 = default (8 MiB). */
int rt_run_on_thread(size_t stack_size, void (*fn)(void *), void *arg);

#endif

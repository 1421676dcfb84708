/*
 * internal.h — what the runtime's files share with each other (and with the runtime's own tests),
 * but not with the rest of Granny. Public API: runtime.h and rt_abi.h.
 *
 * Objects and their private parts
 * - rt_memory, rt_table: the public struct is the first member of a private one (rt_memory_impl,
 *   rt_table_impl), so the runtime casts the pointer it handed out back to the private struct.
 *   Both are reference counted: whoever creates one holds a reference, every instance that
 *   defines or imports it holds one, and the last release frees it. So a memory shared by thread
 *   cells, or a table imported from another instance, stays valid as long as anyone uses it.
 * - rt_instance: `rt_private` points to an rt_instance_private with the module, the arrays behind
 *   the public pointers and the evaluated element segments.
 * - rt_module: fully private (declared in runtime.h as an opaque type), defined here.
 *
 * Traps: a trap frame is a sigjmp_buf plus the record of the trap, pushed on a per-thread stack by
 * rt_catch(). Everything that runs guest code (rt_invoke, instantiation's segment initialisation
 * and start function) goes through rt_catch.
 */
#ifndef GRANNY_ENGINE_RT_INTERNAL_H
#define GRANNY_ENGINE_RT_INTERNAL_H

#include <assert.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt/runtime.h"

/* ---- Memory (memory.c) ---- */

/* The mapping behind a linear memory: RT_MEMORY_GUARD_BELOW bytes, then base and the 8 GiB of
 * rt_abi.h plus one guard page of slack, so that an access of up to 16 bytes at the maximal
 * address + offset still faults inside the mapping. */
#define RT_MEMORY_MAPPING (RT_MEMORY_GUARD_BELOW + RT_MEMORY_RESERVE + RT_PAGE_SIZE)
#define RT_MAX_PAGES      65536u

typedef struct rt_memory_impl {
    rt_memory pub;        /* first member: (rt_memory *) <-> (rt_memory_impl *) */
    bool has_max;         /* declared maximum present (import matching) */
    uint32_t cap_pages;   /* growth cap from --mem-max (RT_MAX_PAGES when none) */
    int refs;             /* atomic reference count */
    int slot;             /* index in the fault registry (signals.c) */
    pthread_mutex_t lock; /* serialises grow */
} rt_memory_impl;

static inline rt_memory_impl *rt_memory_impl_of(rt_memory *m) {
    return (rt_memory_impl *)m;
}
void rt_memory_retain(rt_memory *m);
/* Sets the growth cap (pages); used by the instance that creates the memory. */
void rt_memory_set_cap(rt_memory *m, uint32_t cap_pages);

/* ---- Tables (table.c) ---- */

/* Tables never grow beyond this many elements (table.grow returns -1): 80 MB of references. */
#define RT_TABLE_LIMIT 10000000u

typedef struct rt_table_impl {
    rt_table pub;      /* first member */
    bool has_max;      /* declared maximum present (import matching) */
    uint32_t capacity; /* allocated elements (>= size) */
    int refs;          /* atomic reference count */
} rt_table_impl;

static inline rt_table_impl *rt_table_impl_of(rt_table *t) {
    return (rt_table_impl *)t;
}
void rt_table_retain(rt_table *t);

/* ---- Fault registry and signal handling (signals.c) ---- */

/* Installs the SIGSEGV/SIGBUS handlers once per process (idempotent, thread-safe). */
void rt_signals_install(void);
/* Registers [base, base+len) as a linear-memory reservation; returns the slot or -1 when full. */
int rt_fault_register(void *base, size_t len);
void rt_fault_unregister(int slot);
/* True when addr lies inside a registered reservation (async-signal-safe). */
bool rt_fault_in_memory(uintptr_t addr);

/* ---- Per-thread state: stack bounds and alternate signal stack (thread.c) ---- */

/* Prepares the calling thread to run guest code: handlers installed, an alternate signal stack,
 * and the bounds of its stack known (computed once per thread). Cheap after the first call. */
void rt_thread_prepare(void);
/* True when addr lies in the calling thread's stack guard region (async-signal-safe). */
bool rt_thread_stack_fault(uintptr_t addr);

/* ---- Traps (trap.c) ---- */

/* Return addresses kept per trap for attribution (rt_trap and rt_trap_host walk the stack up to
 * the first frame of generated code, which lies a few frames up at most). */
#define RT_TRAP_PCS 16

typedef struct rt_trap_frame {
    sigjmp_buf jb;
    struct rt_trap_frame *prev;
    rt_trap_kind kind;
    int exit_code;
    /* Where the trap was raised, innermost first: the faulting PC, the address of the call to
     * rt_trap_in, or the stack of an rt_trap / rt_trap_host call; the first one in a loaded
     * module names the module and, unless `func` does, the function. */
    uintptr_t pcs[RT_TRAP_PCS];
    uint32_t npcs;
    uint32_t func;         /* function index given by rt_trap_in, or UINT32_MAX */
    const rt_module *hint; /* module the code most likely belongs to (attribution) */
    char msg[256];         /* host message (RT_TRAP_HOST) */
} rt_trap_frame;

/* Runs fn(arg) with a trap frame; returns true when it returned, false with *out filled when it
 * trapped. Nests. */
bool rt_catch(void (*fn)(void *), void *arg, rt_trap_info *out);
/* The same, naming the module whose code runs: when several loaded modules share one shared object
 * (the same wasm loaded twice), a trap is attributed to this one. */
bool rt_catch_in(const rt_module *hint, void (*fn)(void *), void *arg, rt_trap_info *out);
/* The calling thread's innermost frame, or NULL (async-signal-safe). */
rt_trap_frame *rt_trap_current_frame(void);
/* Leaves through the innermost frame after a fault (called by the signal handler). */
__attribute__((noreturn)) void rt_trap_from_signal(rt_trap_frame *f, rt_trap_kind kind,
                                                   uintptr_t pc);

/* ---- Types (types.c) ---- */

const wasm_functype *rt_type_lookup(uint32_t id); /* NULL for an unknown id */
/* Parses a host signature string ("iiii:i"); the returned type is interned (never freed). */
bool rt_type_parse_signature(const char *sig, uint32_t *id_out);

/* ---- Modules (module.c) ---- */

struct rt_module {
    wasm_module ir;
    void *dl; /* dlopen handle, NULL for modules without code */
    const rt_module_code *code;
    uint32_t *type_ids; /* [ir.ntypes] canonical ids */
    rt_descriptor desc;
    rt_global_desc *global_descs;
    char hash[65];
    /* Trap attribution: the object's load address and its code ranges (aot_code_map). */
    uintptr_t so_base;
    struct aot_code_range *ranges;
    size_t nranges;
    struct rt_module *next_loaded; /* registry of loaded modules (module.c) */
    /* Instances whose instantiation trapped: spec semantics keep their functions reachable from
     * tables they wrote to, so they live until the module is freed. */
    pthread_mutex_t zombie_lock;
    rt_instance *zombies;
};

/* Maps a code address to (module, function index), preferring `hint` (may be NULL) among modules
 * of the same shared object; false when it is in no loaded module. *func_index is UINT32_MAX when
 * the address is in the module's object but in no function's code (a helper gcc did not inline). */
bool rt_code_lookup(uintptr_t pc, const rt_module *hint, const rt_module **module,
                    uint32_t *func_index);

/* Test hook: decode and validate `bytes`, then use the already built shared object `so_path`
 * (which must export RT_MODULE_SYMBOL for this module) instead of translating. */
rt_module *rt_module_from_so(const uint8_t *bytes, size_t len, const char *so_path, rt_error *err);

/* ---- Instances (instance.c) ---- */

typedef struct rt_instance_private {
    rt_module *module;
    rt_funcref *own_funcs;     /* [ir.nfuncs] references of the defined functions */
    rt_funcref **funcs;        /* [imported + defined] */
    rt_table **tables;         /* [ntables], each retained */
    rt_value **global_imports; /* [nglobals_imported] */
    uint8_t *data_dropped;     /* [ndatas] */
    uint8_t *elem_dropped;     /* [nelems] */
    void ***elem_items;        /* [nelems] evaluated references of each element segment */
    rt_instance *next_zombie;
} rt_instance_private;

static inline rt_instance_private *rt_instance_private_of(const rt_instance *inst) {
    return (rt_instance_private *)inst->rt_private;
}
/* Frees an instance without looking at the zombie list (module.c frees its zombies). */
void rt_instance_destroy(rt_instance *inst);

/* ---- Misc ---- */

void rt_error_set(rt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
double rt_now_ms(void);

#endif

/*
 * rt_abi.h — the contract between translated modules (generated C, compiled to a shared object)
 * and the runtime. The translator copies this header verbatim into every generated file set (it is
 * embedded at build time), so a cached shared object depends on exactly this text: any change to it
 * must bump RT_ABI_VERSION, which is part of the cache key.
 *
 * Calling convention of translated code
 * - Every wasm function defined by a module becomes a C function whose first parameter is the
 *   instance (`rt_instance *`), followed by the wasm parameters as C values (i32 -> uint32_t,
 *   i64 -> uint64_t, f32 -> float, f64 -> double, funcref/externref -> void *). A function with no
 *   result returns void, one result returns it, several results return a struct generated per
 *   function type. This is the "typed" entry.
 * - Every defined function also gets a "generic" entry (rt_generic_fn): arguments are read from
 *   `io[0..nparams)`, results written to `io[0..nresults)`. Hosts and the invoke API use it; host
 *   functions only have this entry.
 * - A function reference is an rt_funcref: a canonical signature id (runtime-wide interning, so
 *   call_indirect across modules compares one integer), the typed entry (NULL for host functions),
 *   the generic entry, and the environment: the owning instance for wasm functions, the host
 *   closure for host functions. Calls through a reference pass `env` as the instance of typed
 *   entries; generic entries also receive the *calling* instance so host code reaches its caller's
 *   memory and per-cell state.
 *
 * Memory: base never moves (a reservation of RT_MEMORY_RESERVE bytes, of which `size` bytes are
 * accessible; the rest faults, and so do RT_MEMORY_GUARD_BELOW bytes below base). An access to base
 * + (uint64_t)addr + offset with addr and offset 32-bit can never leave the reservation, so
 * generated loads and stores carry no bounds check. Traps are raised with rt_trap_in() (or
 * rt_trap()), which never return (siglongjmp to the current invoke).
 *
 * ABI history: 2 added rt_trap_in, the guard below memory (RT_MEMORY_GUARD_BELOW) and capped
 * memory growth at 65535 pages (RT_GROW_MAX_PAGES).
 */
#ifndef GRANNY_ENGINE_RT_ABI_H
#define GRANNY_ENGINE_RT_ABI_H

#include <stdint.h>

#define RT_ABI_VERSION 2u

#define RT_PAGE_SIZE 65536u
/* 4 GiB of addressable memory + 4 GiB of maximal static offset, plus a guard page. */
#define RT_MEMORY_RESERVE ((uint64_t)8 << 30)
/* Below base, this many bytes are reserved and inaccessible too: generated code may access
 * base + addr - d for d <= 65536 (an address computed as `p - d` that wraps in wasm must trap,
 * and does so there; see xlat_addr.c). */
#define RT_MEMORY_GUARD_BELOW ((uint64_t)128 << 10)

typedef enum rt_trap_kind {
    RT_TRAP_NONE = 0,
    RT_TRAP_UNREACHABLE,
    RT_TRAP_MEMORY_OOB,         /* "out of bounds memory access" */
    RT_TRAP_TABLE_OOB,          /* "out of bounds table access" */
    RT_TRAP_INDIRECT_NULL,      /* "uninitialized element" */
    RT_TRAP_INDIRECT_OOB,       /* "undefined element" */
    RT_TRAP_INDIRECT_TYPE,      /* "indirect call type mismatch" */
    RT_TRAP_INT_OVERFLOW,       /* "integer overflow" */
    RT_TRAP_DIV_ZERO,           /* "integer divide by zero" */
    RT_TRAP_INVALID_CONVERSION, /* "invalid conversion to integer" */
    RT_TRAP_STACK_EXHAUSTED,    /* "call stack exhausted" */
    RT_TRAP_UNALIGNED_ATOMIC,   /* "unaligned atomic" */
    RT_TRAP_WAIT_UNSHARED,      /* "expected shared memory" (wait on unshared memory) */
    RT_TRAP_NULL_REFERENCE,     /* reserved */
    RT_TRAP_HOST,               /* a host function failed; message in the trap record */
    RT_TRAP_EXIT,               /* proc_exit: not an error, exit code in the trap record */
    RT_TRAP_SUSPEND,            /* reserved for cell suspension */
    RT_TRAP_KIND_COUNT
} rt_trap_kind;

typedef union rt_value {
    uint32_t i32;
    uint64_t i64;
    float f32;
    double f64;
    void *ref;
    uint8_t v128[16];
} rt_value;

typedef struct rt_instance rt_instance;

typedef void (*rt_generic_fn)(rt_instance *caller, void *env, rt_value *io);

typedef struct rt_funcref {
    uint32_t type_id;      /* canonical signature id (rt_type_intern) */
    void *typed;           /* typed entry, or NULL for host functions */
    rt_generic_fn generic; /* always set */
    void *env;             /* rt_instance * of the defining module, or a host closure */
} rt_funcref;

typedef struct rt_memory {
    uint8_t *base; /* never changes */
    uint64_t size; /* accessible bytes = pages * RT_PAGE_SIZE; read with __atomic for shared */
    uint32_t pages;
    uint32_t max_pages; /* effective maximum (declared or 65536) */
    uint8_t shared;
    /* runtime-private fields follow in the runtime's allocation */
} rt_memory;

typedef struct rt_table {
    void **elems; /* rt_funcref * or externref values; NULL is ref.null */
    uint32_t size;
    uint32_t max;     /* effective maximum (declared or UINT32_MAX) */
    uint8_t elemtype; /* 0x70 funcref, 0x6F externref */
} rt_table;

/* What the shared object of a translated module exports, under the symbol RT_MODULE_SYMBOL. */
typedef struct rt_module_code {
    uint32_t abi_version;         /* RT_ABI_VERSION */
    uint32_t nfuncs;              /* defined functions */
    void *const *typed;           /* [nfuncs] typed entries */
    const rt_generic_fn *generic; /* [nfuncs] generic entries */
} rt_module_code;

#define RT_MODULE_SYMBOL "granny_module_code"

/*
 * The instance. Generated code reads the fields before `rt_private`; the runtime allocates the
 * whole thing (with the defined globals inline at the end) and owns the rest.
 */
struct rt_instance {
    uint8_t *mem_base;         /* memory->base, or NULL without memory */
    rt_memory *memory;         /* the single memory (imported or defined), or NULL */
    rt_table **tables;         /* [ntables], imported ones point to the exporter's table */
    rt_funcref **funcs;        /* [nfuncs total]: reference object of every function index */
    rt_value **global_imports; /* [nglobals_imported]: cells owned by the exporter */
    const uint32_t *type_ids;  /* [ntypes] canonical id of each module type index */
    uint8_t *data_dropped;     /* [ndatas] 1 after data.drop (or after active init) */
    uint8_t *elem_dropped;     /* [nelems] 1 after elem.drop (or after active/declarative init) */
    void *user;                /* per-cell host state (WASI descriptor table, MPI rank, ...) */
    void *rt_private;          /* runtime bookkeeping */
    rt_value globals[];        /* defined globals, inline (exported mutable ones are shared by
                                  pointer with importers) */
};

/* ---- Runtime services called by generated code (implemented in the runtime, exported by the
 * granny executable / engine library with default visibility). ---- */

__attribute__((noreturn)) void rt_trap(rt_trap_kind kind);
/* The same, naming the wasm function (module index, imports included) that raises the trap, so the
 * report is exact even where the C compiler inlined that function into another one. */
__attribute__((noreturn, cold)) void rt_trap_in(rt_trap_kind kind, uint32_t func_index);

/* memory.grow: returns the old size in pages, or -1 (as uint32_t 0xFFFFFFFF) on failure. Growth
 * never makes a memory reach RT_GROW_MAX_PAGES + 1 = 65536 pages (a grow may always fail, says the
 * spec), whoever grows it (generated code, hosts, other threads of a shared memory): generated code
 * relies on every access above 0xFFFF0000 faulting in a memory that started below 65536 pages. */
#define RT_GROW_MAX_PAGES 65535u

uint32_t rt_memory_grow(rt_memory *mem, uint32_t delta_pages);
uint32_t rt_memory_pages(rt_memory *mem); /* memory.size, atomic for shared memories */
/* Bulk memory: bounds-checked, trap RT_TRAP_MEMORY_OOB before writing anything. */
void rt_memory_fill(rt_memory *mem, uint32_t dst, uint32_t value, uint32_t n);
void rt_memory_copy(rt_memory *mem, uint32_t dst, uint32_t src, uint32_t n);
void rt_memory_init(rt_instance *inst, uint32_t data_index, uint32_t dst, uint32_t src, uint32_t n);
void rt_data_drop(rt_instance *inst, uint32_t data_index);

/* Tables (reference types + bulk). Out of range traps RT_TRAP_TABLE_OOB. */
void *rt_table_get(rt_table *t, uint32_t i);
void rt_table_set(rt_table *t, uint32_t i, void *ref);
uint32_t rt_table_grow(rt_table *t, void *init, uint32_t delta); /* old size or 0xFFFFFFFF */
void rt_table_fill(rt_table *t, uint32_t i, void *ref, uint32_t n);
void rt_table_copy(rt_table *dst, rt_table *src, uint32_t d, uint32_t s, uint32_t n);
void rt_table_init(rt_instance *inst, uint32_t table_index, uint32_t elem_index, uint32_t d,
                   uint32_t s, uint32_t n);
void rt_elem_drop(rt_instance *inst, uint32_t elem_index);

/* Threads: wait returns 0 "ok", 1 "not-equal", 2 "timed-out"; traps on unshared memory.
 * timeout_ns < 0 waits forever. notify returns the number of waiters woken. Addresses are already
 * bounds- and alignment-checked by generated code (effective address, offset included). */
uint32_t rt_atomic_wait32(rt_memory *mem, uint64_t addr, uint32_t expected, int64_t timeout_ns);
uint32_t rt_atomic_wait64(rt_memory *mem, uint64_t addr, uint64_t expected, int64_t timeout_ns);
uint32_t rt_atomic_notify(rt_memory *mem, uint64_t addr, uint32_t count);

#endif

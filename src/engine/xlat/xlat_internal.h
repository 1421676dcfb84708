/*
 * xlat_internal.h — what the translator's files share (not part of the public API).
 *
 * The translator works one C file at a time (xlat_module.c decides which wasm functions go into
 * which file) and one function at a time inside a file (xlat_func.c). A function is translated
 * in a single pass over its instructions with a compile-time model of the wasm operand stack:
 * every stack position holds a value type, and position d of type t lives in the C variable
 * `s<t><d>` (t = i/j/f/d/r for i32/i64/f32/f64/reference), so an instruction becomes one C
 * statement that reads and writes such variables, and gcc's SSA construction removes the copies.
 * Wasm locals are the C variables `l<n>` (parameters included).
 *
 * The instruction groups (xlat_numeric.c, xlat_memory.c, xlat_table.c, xlat_atomic.c) each
 * export one `xlat_<group>(fn, instr)` that returns false when the instruction is not theirs;
 * they emit through the small stack API below:
 *   - xlat_op(fn, tmpl, nin, out): pops nin operands, pushes a result of type `out` (0: none) and
 *     emits `result = <tmpl>;` where $0 $1 $2 in tmpl name the operands, $r the result slot and
 *     $f the function's module index (what helpers that trap pass to rt_trap_in, so that a trap
 *     names its wasm function even after gcc inlined it into another one).
 *
 * Traps of unused loads. Wasm requires an out-of-bounds load to trap even when its value is
 * dropped, but gcc deletes loads whose results are unused (and the guard region then never sees
 * the access). So every stack value carries a taint bit: it depends on a load or a call. When a
 * tainted value is discarded (drop, or values left below a branch's operands), the translator
 * emits x_keep_<t>(value), an empty asm that needs the value in a register, so the load stays.
 * Values that reach locals, globals, memory or results are used anyway.
 *
 * Addresses: what the translator knows about them and the pointer induction variables of loops,
 * see xlat_memory.c, xlat_addr.c and xlat_loop.c. No assumption reaches the C compiler.
 * The emitted C never declares variables inside statements except in `{ ... }` blocks that are
 * never jumped into, so gotos between labels stay legal.
 */
#ifndef GRANNY_ENGINE_XLAT_INTERNAL_H
#define GRANNY_ENGINE_XLAT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/wasm/module.h"
#include "engine/wasm/opcodes.h"
#include "xlat.h"
#include "xlat_buf.h"

/* The C text following rt_abi.h in every generated file (xlat_prelude.c). */
extern const char xlat_prelude_text[];

/* ---- value types in C (xlat_module.c) ---- */
const char *xlat_ctype(uint8_t valtype); /* "uint32_t", "uint64_t", "float", "double", "void *" */
char xlat_letter(uint8_t valtype);       /* 'i', 'j', 'f', 'd', 'r' */
const char *xlat_value_field(uint8_t valtype); /* rt_value member: "i32", "i64", "f32", ... */
/* C return type of a function of type index t: "void", a scalar type, or "x_res<t>". */
void xlat_return_type(xlat_buf *b, const wasm_module *m, uint32_t type_index);
/* "RET name(rt_instance *I, T l0, ...)" (param names only when `named`). */
void xlat_prototype(xlat_buf *b, const wasm_module *m, uint32_t type_index, const char *name,
                    bool named);

/* ---- per C file ---- */
typedef struct xlat_file {
    const wasm_module *m;
    uint32_t index;                 /* this file's number */
    const uint32_t *func_file;      /* [nfuncs] file of every defined function */
    const uint8_t *called_directly; /* [nfuncs] some `call` names it: it gets a typed wrapper */
    const uint8_t *recursive;       /* [nfuncs] on a cycle of direct calls (xlat_callgraph.c) */
    uint8_t *need_extern;           /* [nfuncs] xf<j> of another file is called here */
    uint8_t *need_dispatch;         /* [ntypes] x_call<t> (call through a funcref) used here */
    uint8_t *need_indirect;         /* [ntypes] x_ci<t> (call_indirect) used here */
    bool assume_addresses;          /* memory stays below 65536 pages (see xlat_module.c) */
    bool cold;                      /* compiled at -O1 (xlat_cold.c) */
    xlat_buf code;                  /* function bodies of this file */
} xlat_file;

/* ---- per function (xlat_func.c) ---- */
typedef enum xlat_ctl_kind {
    XLAT_CTL_FUNC,
    XLAT_CTL_BLOCK,
    XLAT_CTL_LOOP,
    XLAT_CTL_IF
} xlat_ctl_kind;

typedef struct xlat_ctl {
    xlat_ctl_kind kind;
    uint32_t label; /* C label L<label> (block/if: after the end; loop: at the start) */
    uint32_t loop;  /* loop: index in xlat_fn.loops, or UINT32_MAX without induction variables */
    uint32_t base;  /* stack height below the block's parameters */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    bool label_used;    /* a branch targets L<label> (block/if) */
    bool else_seen;     /* if: `else` reached */
    bool then_live_end; /* if: the then-arm fell through to `else` */
    bool do_open;       /* loop: emitted as `do {`, its `} while` not yet emitted */
} xlat_ctl;

/* What the translator knows about an i32 value as an address (xlat_addr.c). Knowledge is per
 * straight-line stretch of code: every label forgets it. */
typedef struct xlat_addrinfo {
    uint32_t slack; /* the value is <= 0xFFFF0000 + slack; UINT32_MAX: nothing known */
    uint32_t local; /* the local holding the same value, or UINT32_MAX */
    uint32_t cval;  /* the value, when produced by i32.const */
    bool is_const;
    /* the value is l<base_local> + base_disp (see xlat_addr.c for negative displacements), as
     * long as that local still has version base_ver; base_local UINT32_MAX: no such relation */
    uint32_t base_local, base_ver;
    int64_t base_disp;
    /* the value is l<sh_base> + l<sh_iv> + sh_add with sh_iv an induction variable of loop
     * fn->loops[sh_loop] (sh_base UINT32_MAX: no base), while sh_iv keeps version sh_ver: a
     * candidate for a shadow pointer (xlat_loop.c); sh_loop UINT32_MAX: none */
    uint32_t sh_loop, sh_base, sh_iv, sh_ver, sh_add;
} xlat_addrinfo;

extern const xlat_addrinfo xlat_addr_unknown;

/* The same knowledge about a wasm local, kept across local.set/local.get. */
typedef struct xlat_localinfo {
    uint32_t slack, slack_gen; /* slack valid while slack_gen is the function's gen */
    uint32_t ver;              /* bumped by every assignment */
    uint32_t rel_gen;          /* relation valid while rel_gen is the function's gen */
    uint32_t rel_local, rel_ver;
    int64_t rel_disp;
    uint32_t sh_gen; /* shadow candidate valid while sh_gen is the function's gen */
    uint32_t sh_loop, sh_base, sh_iv, sh_ver, sh_add;
} xlat_localinfo;

/* A loop with induction variables (xlat_loop.c). */
typedef struct xlat_loop {
    size_t out_pos;     /* where in the function's statements its label begins */
    xlat_buf pre;       /* statements before the label: shadow initialisations */
    uint32_t *assigned; /* locals assigned in the body, sorted, with repetitions */
    uint32_t nassigned;
    uint32_t *ivs, *iv_step; /* induction variables (x = x + step at the top level) */
    uint8_t *iv_done;        /* the increment has been translated */
    uint32_t nivs;
    bool simple;   /* innermost, no calls, one way out: a loop gcc can vectorise and unroll */
    bool do_while; /* simple, and its only back edge is a br_if 0 that ends it: a C do-while */
    bool small;    /* a body of at most UNROLL_MAX_INSTRS instructions (xlat_loop.c) */
    bool is_do;    /* emitted as a do-while (a do_while loop without parameters: xlat_func.c) */
} xlat_loop;

/* A shadow pointer x_p<k> = mb + (l<base> + l<iv> + add) of a loop (xlat_loop.c). */
typedef struct xlat_shadow {
    uint32_t loop, base, iv, add;
    bool anchored; /* accessed at the loop's top level before the increment */
} xlat_shadow;

typedef struct xlat_fn {
    xlat_file *file;
    const wasm_module *m;
    uint32_t func; /* defined function index (module index - imports) */
    const wasm_functype *type;
    uint8_t *local_types; /* [nparams + nlocals] */
    uint64_t nlocal_all;

    uint8_t *stack; /* value types, [0, sp) */
    uint8_t *taint; /* [0, sp): the value depends on a load or call gcc could delete if unused */
    xlat_addrinfo *addr;    /* [0, sp) */
    xlat_localinfo *locals; /* [nlocal_all] */
    uint32_t gen;           /* bumped at every label (xlat_addr_forget) */
    uint32_t sp, stack_cap;
    uint8_t *slot_used; /* [slot_cap] bit per type letter index: which s<t><d> to declare */
    uint32_t slot_cap;

    xlat_ctl *ctl;
    uint32_t nctl, ctl_cap;
    uint32_t next_label;

    bool dead;          /* the current position is unreachable */
    uint32_t dead_nest; /* blocks opened inside the unreachable region */

    const uint8_t *pos, *end; /* the code after the instruction being translated */
    xlat_loop *loops;         /* loops with induction variables, in order of appearance */
    uint32_t nloops, loops_cap;
    xlat_shadow *shadows; /* x_p<k> */
    uint32_t nshadows, shadows_cap;
    uint64_t scan_budget; /* instructions the loop scans may still read */

    bool op_taints;       /* set by a group before xlat_op: the result comes from a load */
    bool loop_accesses;   /* has accesses in loops: gets the loop analysis (xlat_loop.c) */
    uint32_t loop_depth;  /* open `loop` blocks */
    bool uses_mem;        /* declare mb */
    uint32_t prev_opcode; /* the previous reachable instruction (peepholes) */
    xlat_buf out;         /* statements */
    bool oom;
} xlat_fn;

/* Stack API (xlat_func.c). */
uint32_t xlat_push(xlat_fn *fn, uint8_t valtype); /* returns the new slot's depth */
uint32_t xlat_pop(xlat_fn *fn);                   /* returns the popped slot's depth */
uint8_t xlat_type_at(const xlat_fn *fn, uint32_t depth);
/* Writes the slot name of stack position `depth` (its current type) into b. */
void xlat_slot(xlat_buf *b, const xlat_fn *fn, uint32_t depth);
void xlat_op(xlat_fn *fn, const char *tmpl, unsigned nin, uint8_t out);
void xlat_emitf(xlat_fn *fn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint32_t xlat_func_index(const xlat_fn *fn); /* module index of the function (imports included) */

/* Address knowledge (xlat_addr.c). */
void xlat_note_const(xlat_fn *fn, uint32_t depth, uint32_t value);
/* The result of i32.add / i32.sub at `depth` from operands a and b. */
void xlat_note_add(xlat_fn *fn, xlat_addrinfo a, xlat_addrinfo b, uint32_t depth);
void xlat_note_sub(xlat_fn *fn, xlat_addrinfo a, xlat_addrinfo b, uint32_t depth);
/* Writes the C address of an access at stack position `depth` + offset into b: mb + base + off,
 * with the base as a local in 64-bit arithmetic when a relation allows (an affine form the
 * vectoriser understands), else the slot zero-extended. */
void xlat_address(xlat_buf *b, const xlat_fn *fn, uint32_t depth, uint32_t offset);
/* Records, for the addresses of later accesses, what an access at `depth` + offset tells once it
 * has executed: that address is below 4 GiB - 64 KiB (emits no code; see xlat_memory.c). */
void xlat_address_accessed(xlat_fn *fn, uint32_t depth, uint32_t offset);
void xlat_addr_forget(xlat_fn *fn);                            /* at a label */
void xlat_addr_local_set(xlat_fn *fn, uint32_t x, uint32_t d); /* local x = position d */
void xlat_addr_local_get(xlat_fn *fn, uint32_t x, uint32_t d); /* position d = local x */

/* Shadow pointers of loops (xlat_loop.c). */
void xlat_loop_enter(xlat_fn *fn, xlat_ctl *c); /* at `loop`, before its label is emitted */
void xlat_loop_free(xlat_loop *l);
/* Fills the shadow candidate of r for the sum of locals a and b (b UINT32_MAX: a alone). */
bool xlat_loop_candidate(const xlat_fn *fn, uint32_t a, uint32_t b, xlat_addrinfo *r);
/* The shadow an access at position `depth` may use (made if need be) and the displacement to
 * add to it; false: none. */
bool xlat_loop_address(xlat_fn *fn, uint32_t depth, uint32_t *shadow, uint32_t *disp);
void xlat_loop_assigned(xlat_fn *fn, uint32_t x); /* after local x was assigned */
void xlat_shadow_init(xlat_buf *b, const xlat_shadow *sh, uint32_t s);

/* Instruction groups: each returns false when `in` is not one of its instructions. */
bool xlat_numeric(xlat_fn *fn, const wasm_instr *in);
bool xlat_memory(xlat_fn *fn, const wasm_instr *in);
bool xlat_table(xlat_fn *fn, const wasm_instr *in);
bool xlat_atomic(xlat_fn *fn, const wasm_instr *in);

/* Marks the obviously cold defined functions (xlat_cold.c); returns how many. */
uint32_t xlat_cold_functions(const wasm_module *m, uint8_t *cold);

/* Direct call graph facts per defined function (xlat_callgraph.c); false when out of memory. */
bool xlat_callgraph(const wasm_module *m, uint8_t *called_directly, uint8_t *recursive);

/* Translates defined function `func` into file->code. False with a message on failure. */
bool xlat_function(xlat_file *file, uint32_t func, char *err, size_t errlen);

#endif

/*
 * xlat_memory.c — loads, stores, memory.size/grow and the bulk memory instructions.
 *
 * A load or store is one access of the value's type (prelude helpers x_ld32, x_st32, ...) at
 *     mb + (uint64_t)address + offset
 * where `mb` is the function's copy of I->mem_base. There is no bounds check: address and offset
 * are both below 2^32, so the effective address stays inside the runtime's 8 GiB reservation,
 * whose inaccessible part faults and becomes RT_TRAP_MEMORY_OOB. Because the base never moves
 * (memory.grow only changes protections), `mb` stays valid across calls, and gcc keeps it in a
 * register. Narrow loads sign- or zero-extend with C casts; narrow stores truncate. Everything
 * that must check bounds before touching memory (fill, copy, init) or changes the memory (grow)
 * is a call: fill and copy check their bounds inline (x_memory_fill, x_memory_copy: so that the
 * trap names the function, rt_trap_in) and then are a memset / memmove; init and grow call the
 * runtime's rt_memory_* services.
 *
 * Address assumptions (what lets gcc vectorise loops). Address arithmetic is 32-bit and may wrap,
 * so gcc cannot treat `(uint64_t)(base + 8*i)` as an affine function of i and gives up on every
 * loop over linear memory. But memory never reaches 65536 pages (rt_memory_grow caps it at 65535,
 * RT_GROW_MAX_PAGES, as a grow may fail), so an access at address + offset > 0xFFFF0000 always
 * faults; x_addr_ok
 * states this to gcc with __builtin_unreachable before each access inside a loop, and then the
 * address computations provably do not wrap.
 *
 * The assumption is false exactly on the executions that trap at that access, which is fine as
 * long as gcc cannot *prove* an access out of bounds at compile time (a constant address near
 * 4 GiB, say): it would then treat the path to it as impossible, redirect the branches leading
 * there, and where none is left (the function's entry, the return of a call) emit nothing, so that
 * execution would fall into whatever code follows. A function with assumptions therefore calls
 * x_guard() on entry and after every call that returns: an opaque branch to a trap that never
 * fires at run time, but is the alternative gcc takes instead of falling off (it is always
 * inlined: a call to it would itself be a call "followed by the impossible"). An access proven out
 * of bounds thus still ends in RT_TRAP_MEMORY_OOB (possibly before side effects of the same path
 * that the wasm would have performed first). Only accesses inside loops get assumptions, so
 * functions without loops carry no guards.
 *
 * An assumption is skipped when the address is already covered: the same value was assumed
 * before, or it is such a value plus a small constant (xlat_addrinfo). Besides saving work this
 * matters: gcc keeps (as control flow that blocks the vectoriser) an assumption on `p + 16`
 * after one on `p` when p had other uses in between.
 */
#include <stdio.h>

#include "xlat_internal.h"

typedef struct mem_access {
    uint16_t op;
    const char *fmt; /* template with %s for the address expression; $1 the value stored */
} mem_access;

#define EA "%s" /* the address, from xlat_address */

static const mem_access accesses[] = {
    {WASM_OP_I32_LOAD, "x_ld32(" EA ")"},
    {WASM_OP_I64_LOAD, "x_ld64(" EA ")"},
    {WASM_OP_F32_LOAD, "x_ldf32(" EA ")"},
    {WASM_OP_F64_LOAD, "x_ldf64(" EA ")"},
    {WASM_OP_I32_LOAD8_S, "(uint32_t)(int8_t)*(" EA ")"},
    {WASM_OP_I32_LOAD8_U, "(uint32_t)*(" EA ")"},
    {WASM_OP_I32_LOAD16_S, "(uint32_t)(int16_t)x_ld16(" EA ")"},
    {WASM_OP_I32_LOAD16_U, "x_ld16(" EA ")"},
    {WASM_OP_I64_LOAD8_S, "(uint64_t)(int8_t)*(" EA ")"},
    {WASM_OP_I64_LOAD8_U, "(uint64_t)*(" EA ")"},
    {WASM_OP_I64_LOAD16_S, "(uint64_t)(int16_t)x_ld16(" EA ")"},
    {WASM_OP_I64_LOAD16_U, "(uint64_t)x_ld16(" EA ")"},
    {WASM_OP_I64_LOAD32_S, "(uint64_t)(int32_t)x_ld32(" EA ")"},
    {WASM_OP_I64_LOAD32_U, "(uint64_t)x_ld32(" EA ")"},
    {WASM_OP_I32_STORE, "x_st32(" EA ", $1)"},
    {WASM_OP_I64_STORE, "x_st64(" EA ", $1)"},
    {WASM_OP_F32_STORE, "x_stf32(" EA ", $1)"},
    {WASM_OP_F64_STORE, "x_stf64(" EA ", $1)"},
    {WASM_OP_I32_STORE8, "*(" EA ") = (uint8_t)$1"},
    {WASM_OP_I32_STORE16, "x_st16(" EA ", (uint16_t)$1)"},
    {WASM_OP_I64_STORE8, "*(" EA ") = (uint8_t)$1"},
    {WASM_OP_I64_STORE16, "x_st16(" EA ", (uint16_t)$1)"},
    {WASM_OP_I64_STORE32, "x_st32(" EA ", (uint32_t)$1)"},
};

static bool emit_access(xlat_fn *fn, const wasm_instr *in) {
    for (size_t i = 0; i < sizeof accesses / sizeof accesses[0]; i++) {
        if (accesses[i].op != in->opcode) continue;
        uint32_t a = fn->sp - in->info->nin; /* the address operand */
        uint32_t shadow, disp;
        bool via_shadow = xlat_loop_address(fn, a, &shadow, &disp);
        if (!via_shadow && fn->guarded && fn->loop_depth > 0)
            xlat_address_assume(fn, a, in->offset);
        xlat_buf addr;
        xlat_buf_init(&addr);
        if (via_shadow)
            xlat_buf_printf(&addr, "x_p%u + %lluull", shadow,
                            (unsigned long long)disp + in->offset);
        else
            xlat_address(&addr, fn, a, in->offset);
        char tmpl[256];
        snprintf(tmpl, sizeof tmpl, accesses[i].fmt, addr.data ? addr.data : "");
        if (addr.oom) fn->oom = true;
        xlat_buf_free(&addr);
        const wasm_opinfo *info = in->info;
        fn->uses_mem = true;
        fn->op_taints = (info->flags & WASM_OPF_LOAD) != 0;
        xlat_op(fn, tmpl, info->nin, info->nout ? info->out[0] : 0);
        return true;
    }
    return false;
}

bool xlat_memory(xlat_fn *fn, const wasm_instr *in) {
    char tmpl[96];
    fn->op_calls = in->opcode == WASM_OP_MEMORY_GROW || in->opcode == WASM_OP_MEMORY_FILL ||
                   in->opcode == WASM_OP_MEMORY_COPY || in->opcode == WASM_OP_MEMORY_INIT ||
                   in->opcode == WASM_OP_DATA_DROP;
    switch (in->opcode) {
    case WASM_OP_MEMORY_SIZE:
        xlat_op(fn, "__atomic_load_n(&I->memory->pages, __ATOMIC_ACQUIRE)", 0, WASM_I32);
        return true;
    case WASM_OP_MEMORY_GROW:
        xlat_op(fn, "rt_memory_grow(I->memory, $0)", 1, WASM_I32);
        return true;
    case WASM_OP_MEMORY_FILL:
        fn->uses_mem = true;
        xlat_op(fn, "x_memory_fill(I->memory, mb, $0, $1, $2, $f)", 3, 0);
        return true;
    case WASM_OP_MEMORY_COPY:
        fn->uses_mem = true;
        xlat_op(fn, "x_memory_copy(I->memory, mb, $0, $1, $2, $f)", 3, 0);
        return true;
    case WASM_OP_MEMORY_INIT:
        snprintf(tmpl, sizeof tmpl, "x_memory_init(I, %uu, %uu, $0, $1, $2, $f)", in->idx,
                 fn->m->datas[in->idx].len);
        xlat_op(fn, tmpl, 3, 0);
        return true;
    case WASM_OP_DATA_DROP:
        snprintf(tmpl, sizeof tmpl, "rt_data_drop(I, %uu)", in->idx);
        xlat_op(fn, tmpl, 0, 0);
        return true;
    default: return emit_access(fn, in);
    }
}

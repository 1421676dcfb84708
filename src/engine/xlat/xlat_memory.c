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
 * Addresses in loops (what lets gcc vectorise them). Address arithmetic is 32-bit and may wrap,
 * so gcc cannot treat `(uint64_t)(base + 8*i)` as an affine function of i. The translator gives
 * such loops pointer induction variables instead (xlat_loop.c), exact by its own reasoning, and
 * writes neighbouring accesses from one base (xlat_addr.c). An earlier design told gcc with
 * __builtin_unreachable that no access reaches above 0xFFFF0000; a program whose access does
 * (it traps) could then crash the host, because gcc deleted the path to the access (found by
 * tests/engine/xlat/diff). Nothing of the kind reaches the C compiler now: every fact the
 * translator uses holds on every execution, and with pointer induction variables the
 * assumptions had stopped paying off (the same instruction counts on the benchmark kernels).
 *
 * What the translator records for its own use (xlat_address_accessed): once an access at v +
 * offset has executed, v <= 0xFFFF0000, because memory stays below 65536 pages; later accesses
 * at v + c may then be written without wrap-around. Were such a later access moved before the
 * first one by gcc, its un-wrapped address lies beyond 4 GiB only when the first access traps
 * anyway, and there it faults: the outcome is the same trap.
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
        if (!via_shadow && fn->loop_accesses && fn->loop_depth > 0)
            xlat_address_accessed(fn, a, in->offset);
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

/*
 * xlat_atomic.c — the threads proposal's 0xFE instructions.
 *
 * Every atomic access is a gcc __atomic builtin with sequentially consistent ordering on
 * `mb + address + offset`, after an explicit alignment check (x_atomic_addr in the prelude:
 * misaligned -> RT_TRAP_UNALIGNED_ATOMIC, or RT_TRAP_MEMORY_OOB when the access is also out of
 * bounds). Bounds are otherwise left to the guard region, as for plain accesses. Narrow accesses
 * operate on uint8_t/uint16_t/uint32_t and zero-extend their result; cmpxchg wraps the expected
 * and replacement values to the access width (prelude x_cmpxchgN returns the loaded value).
 *
 * wait/notify check the effective address against the memory's current size (read atomically,
 * another thread may grow it) and alignment in x_atomic_checked, then call the runtime, which
 * traps on unshared memories for wait.
 *
 * The row of each instruction is derived from the opcode numbering: loads 0x10-0x16, stores
 * 0x17-0x1D, then seven read-modify-write groups of seven (add, sub, and, or, xor, xchg, cmpxchg).
 */
#include <stdio.h>

#include "xlat_internal.h"

static const char *uint_type(unsigned bytes) {
    switch (bytes) {
    case 1: return "uint8_t";
    case 2: return "uint16_t";
    case 4: return "uint32_t";
    default: return "uint64_t";
    }
}

static const char *const rmw_builtins[6] = {
    "__atomic_fetch_add", "__atomic_fetch_sub", "__atomic_fetch_and",
    "__atomic_fetch_or",  "__atomic_fetch_xor", "__atomic_exchange_n",
};

bool xlat_atomic(xlat_fn *fn, const wasm_instr *in) {
    uint32_t op = in->opcode;
    if (op < 0xFE00 || op > 0xFEFF) return false;
    char tmpl[256];
    switch (op) {
    case WASM_OP_ATOMIC_FENCE:
        xlat_op(fn, "__atomic_thread_fence(__ATOMIC_SEQ_CST)", 0, 0);
        return true;
    case WASM_OP_MEMORY_ATOMIC_NOTIFY:
        snprintf(tmpl, sizeof tmpl,
                 "rt_atomic_notify(I->memory, x_atomic_checked(I, $0, %uu, 4, $f), $1)",
                 in->offset);
        xlat_op(fn, tmpl, 2, WASM_I32);
        return true;
    case WASM_OP_MEMORY_ATOMIC_WAIT32:
        snprintf(
            tmpl, sizeof tmpl,
            "rt_atomic_wait32(I->memory, x_atomic_wait_addr(I, $0, %uu, 4, $f), $1, (int64_t)$2)",
            in->offset);
        xlat_op(fn, tmpl, 3, WASM_I32);
        return true;
    case WASM_OP_MEMORY_ATOMIC_WAIT64:
        snprintf(
            tmpl, sizeof tmpl,
            "rt_atomic_wait64(I->memory, x_atomic_wait_addr(I, $0, %uu, 8, $f), $1, (int64_t)$2)",
            in->offset);
        xlat_op(fn, tmpl, 3, WASM_I32);
        return true;
    default: break;
    }
    const wasm_opinfo *info = in->info;
    if (op < WASM_OP_I32_ATOMIC_LOAD || op > WASM_OP_I64_ATOMIC_RMW32_CMPXCHG_U || !info)
        return false;
    unsigned n = info->mem_size;
    const char *ut = uint_type(n);
    uint8_t out = info->nout ? info->out[0] : 0;
    const char *rt = out == WASM_I64 ? "uint64_t" : "uint32_t";
    char addr[96];
    snprintf(addr, sizeof addr, "x_atomic_addr(I, mb, $0, %uu, %u, $f)", in->offset, n);
    fn->uses_mem = true;
    if (op <= WASM_OP_I64_ATOMIC_LOAD32_U) {
        snprintf(tmpl, sizeof tmpl, "(%s)__atomic_load_n((%s *)%s, __ATOMIC_SEQ_CST)", rt, ut,
                 addr);
        xlat_op(fn, tmpl, 1, out);
    } else if (op <= WASM_OP_I64_ATOMIC_STORE32) {
        snprintf(tmpl, sizeof tmpl, "__atomic_store_n((%s *)%s, (%s)$1, __ATOMIC_SEQ_CST)", ut,
                 addr, ut);
        xlat_op(fn, tmpl, 2, 0);
    } else if (op < WASM_OP_I32_ATOMIC_RMW_CMPXCHG) {
        unsigned group = (op - WASM_OP_I32_ATOMIC_RMW_ADD) / 7;
        snprintf(tmpl, sizeof tmpl, "(%s)%s((%s *)%s, (%s)$1, __ATOMIC_SEQ_CST)", rt,
                 rmw_builtins[group], ut, addr, ut);
        xlat_op(fn, tmpl, 2, out);
    } else {
        snprintf(tmpl, sizeof tmpl, "(%s)x_cmpxchg%u(%s, (%s)$1, (%s)$2)", rt, n * 8, addr, ut, ut);
        xlat_op(fn, tmpl, 3, out);
    }
    return true;
}

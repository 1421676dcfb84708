/*
 * xlat_table.c — reference instructions (ref.null, ref.is_null, ref.func) and table
 * instructions (table.get/set/size/grow/fill/copy/init, elem.drop).
 *
 * References are `void *` in C: NULL is ref.null, a funcref is the rt_funcref * the runtime keeps
 * for every function index in I->funcs (so ref.func is a load), an externref is whatever the host
 * passed. table.get/set are a bounds check and one access (x_table_get/set in the prelude), fill,
 * copy and init a bounds check and a call to the runtime's rt_table_*, grow a call: the checks are
 * inline so that RT_TRAP_TABLE_OOB names the function (rt_trap_in); table.size reads the table
 * header directly. Tables are never shared between threads, so plain accesses are enough.
 */
#include <stdio.h>

#include "xlat_internal.h"

bool xlat_table(xlat_fn *fn, const wasm_instr *in) {
    char tmpl[128];
    const wasm_module *m = fn->m;
    switch (in->opcode) {
    case WASM_OP_REF_NULL: xlat_op(fn, "(void *)0", 0, in->valtype); return true;
    case WASM_OP_REF_IS_NULL: xlat_op(fn, "$0 == 0", 1, WASM_I32); return true;
    case WASM_OP_REF_FUNC:
        snprintf(tmpl, sizeof tmpl, "(void *)I->funcs[%u]", in->idx);
        xlat_op(fn, tmpl, 0, WASM_FUNCREF);
        return true;
    case WASM_OP_TABLE_GET:
        snprintf(tmpl, sizeof tmpl, "x_table_get(I->tables[%u], $0, $f)", in->idx);
        xlat_op(fn, tmpl, 1, m->tables[in->idx].elemtype);
        return true;
    case WASM_OP_TABLE_SET:
        snprintf(tmpl, sizeof tmpl, "x_table_set(I->tables[%u], $0, $1, $f)", in->idx);
        xlat_op(fn, tmpl, 2, 0);
        return true;
    case WASM_OP_TABLE_SIZE:
        snprintf(tmpl, sizeof tmpl, "I->tables[%u]->size", in->idx);
        xlat_op(fn, tmpl, 0, WASM_I32);
        return true;
    case WASM_OP_TABLE_GROW:
        snprintf(tmpl, sizeof tmpl, "rt_table_grow(I->tables[%u], $0, $1)", in->idx);
        xlat_op(fn, tmpl, 2, WASM_I32);
        return true;
    case WASM_OP_TABLE_FILL:
        snprintf(tmpl, sizeof tmpl, "x_table_fill(I->tables[%u], $0, $1, $2, $f)", in->idx);
        xlat_op(fn, tmpl, 3, 0);
        return true;
    case WASM_OP_TABLE_COPY:
        snprintf(tmpl, sizeof tmpl, "x_table_copy(I->tables[%u], I->tables[%u], $0, $1, $2, $f)",
                 in->idx, in->idx2);
        xlat_op(fn, tmpl, 3, 0);
        return true;
    case WASM_OP_TABLE_INIT:
        snprintf(tmpl, sizeof tmpl, "x_table_init(I, %uu, %uu, %uu, $0, $1, $2, $f)", in->idx2,
                 in->idx, m->elems[in->idx].nitems);
        xlat_op(fn, tmpl, 3, 0);
        return true;
    case WASM_OP_ELEM_DROP:
        snprintf(tmpl, sizeof tmpl, "rt_elem_drop(I, %uu)", in->idx);
        xlat_op(fn, tmpl, 0, 0);
        return true;
    default: return false;
    }
}

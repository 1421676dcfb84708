/*
 * xlat_func.c — one wasm function body -> one C function: control flow, the operand stack,
 * locals, globals, calls.
 *
 * Single pass, no IR: instructions are read with wasm_read_instr and translated as they come.
 *
 * The operand stack is modelled at translation time (see xlat_internal.h): stack position d of
 * type t is the C variable s<t><d>, declared at the top of the function (only those used). A
 * block's parameters and results therefore live at fixed variables — a block entered at height
 * h with n parameters keeps them in positions h-n.., and its results end up in the same
 * positions — so falling out of a block needs no code, and a branch copies the values on top of
 * the stack down into the target's positions (in increasing order, which is safe because the
 * source is never below the destination) and jumps.
 *
 * Control flow is flat: a block is a label after its end, a loop a label at its start, an `if` a
 * conditional goto to its else-label; nothing nests in C, so deeply nested wasm costs gcc no
 * recursion. br_table becomes a switch whose cases are grouped by target. A branch to the
 * function's own label is a return. Results of functions with several results travel in the
 * struct x_res<type> declared per function type.
 *
 * Unreachable code (after br, br_table, return, unreachable, or the end of a block nobody
 * reaches) is skipped: only block nesting is counted until the `else`/`end` that closes the
 * current block, where the stack is reset to what the block type says.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlat_internal.h"

enum { SLOT_I = 1, SLOT_J = 2, SLOT_F = 4, SLOT_D = 8, SLOT_R = 16 };

static uint8_t slot_bit(uint8_t valtype) {
    switch (valtype) {
    case WASM_I32: return SLOT_I;
    case WASM_I64: return SLOT_J;
    case WASM_F32: return SLOT_F;
    case WASM_F64: return SLOT_D;
    default: return SLOT_R;
    }
}

static bool grow_array(void **p, uint32_t *cap, uint32_t need, size_t elem) {
    if (need <= *cap) return true;
    uint32_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q) return false;
    memset((char *)q + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
    *p = q;
    *cap = n;
    return true;
}

/* Marks s<type><depth> as declared-needed. */
static void mark_slot(xlat_fn *fn, uint32_t depth, uint8_t valtype) {
    if (!grow_array((void **)&fn->slot_used, &fn->slot_cap, depth + 1, 1)) {
        fn->oom = true;
        return;
    }
    fn->slot_used[depth] |= slot_bit(valtype);
}

uint32_t xlat_push(xlat_fn *fn, uint8_t valtype) {
    uint32_t cap1 = fn->stack_cap, cap2 = fn->stack_cap;
    if (!grow_array((void **)&fn->stack, &cap1, fn->sp + 1, 1) ||
        !grow_array((void **)&fn->addr, &cap2, fn->sp + 1, sizeof(xlat_addrinfo)) ||
        !grow_array((void **)&fn->taint, &fn->stack_cap, fn->sp + 1, 1)) {
        fn->oom = true;
        return fn->sp ? fn->sp - 1 : 0; /* keeps going harmlessly; the caller sees fn->oom */
    }
    fn->stack[fn->sp] = valtype;
    fn->taint[fn->sp] = 0;
    fn->addr[fn->sp] = xlat_addr_unknown;
    mark_slot(fn, fn->sp, valtype);
    return fn->sp++;
}

uint32_t xlat_pop(xlat_fn *fn) {
    assert(fn->sp > 0);
    return --fn->sp;
}

/* The type of stack slot `depth`. Instructions name the slots of the operands they just popped
 * (e.g. local.set stores from the popped slot), so a slot at or above sp is valid too: its entry
 * still holds the type it was pushed with until a push overwrites it. */
uint8_t xlat_type_at(const xlat_fn *fn, uint32_t depth) {
    assert(depth < fn->stack_cap);
    return fn->stack[depth];
}

static void put_slot(xlat_buf *b, uint8_t valtype, uint32_t depth) {
    xlat_buf_printf(b, "s%c%u", xlat_letter(valtype), depth);
}

void xlat_slot(xlat_buf *b, const xlat_fn *fn, uint32_t depth) {
    put_slot(b, xlat_type_at(fn, depth), depth);
}

void xlat_emitf(xlat_fn *fn, const char *fmt, ...) {
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fn->oom = true;
        return;
    }
    xlat_buf_puts(&fn->out, "  ");
    if ((size_t)n < sizeof small) {
        xlat_buf_put(&fn->out, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (!big) {
            fn->oom = true;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        xlat_buf_put(&fn->out, big, (size_t)n);
        free(big);
    }
    xlat_buf_puts(&fn->out, "\n");
}

void xlat_op(xlat_fn *fn, const char *tmpl, unsigned nin, uint8_t out) {
    assert(fn->sp >= nin);
    uint32_t base = fn->sp - nin;
    uint8_t in_types[3] = {0, 0, 0};
    bool taint = fn->op_taints;
    fn->op_taints = false;
    assert(nin <= 3);
    for (unsigned i = 0; i < nin; i++) {
        in_types[i] = fn->stack[base + i];
        taint |= fn->taint[base + i];
    }
    fn->sp = base;
    xlat_buf *b = &fn->out;
    xlat_buf_puts(b, "  ");
    if (out) {
        uint32_t d = xlat_push(fn, out);
        if (!fn->oom) fn->taint[d] = taint;
        put_slot(b, out, base);
        xlat_buf_puts(b, " = ");
    }
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '$' && p[1] >= '0' && p[1] <= '2') {
            unsigned k = (unsigned)(p[1] - '0');
            assert(k < nin);
            put_slot(b, in_types[k], base + k);
            p++;
        } else if (p[0] == '$' && p[1] == 'f') {
            xlat_buf_printf(b, "%uu", xlat_func_index(fn));
            p++;
        } else if (p[0] == '$' && p[1] == 'r') {
            assert(out);
            put_slot(b, out, base);
            p++;
        } else {
            xlat_buf_put(b, p, 1);
        }
    }
    xlat_buf_puts(b, ";\n");
}

uint32_t xlat_func_index(const xlat_fn *fn) {
    return fn->m->nfuncs_imported + fn->func;
}

/* Keeps the tainted values in stack positions [from, to) alive (see xlat_internal.h). */
static void keep_values(xlat_fn *fn, uint32_t from, uint32_t to) {
    for (uint32_t d = from; d < to; d++) {
        if (!fn->taint[d]) continue;
        xlat_buf_printf(&fn->out, "  x_keep_%c(", xlat_letter(fn->stack[d]));
        put_slot(&fn->out, fn->stack[d], d);
        xlat_buf_puts(&fn->out, ");\n");
    }
}

/* ---- control ---- */

static const uint8_t single_types[256] = {
    [WASM_I32] = WASM_I32, [WASM_I64] = WASM_I64,         [WASM_F32] = WASM_F32,
    [WASM_F64] = WASM_F64, [WASM_FUNCREF] = WASM_FUNCREF, [WASM_EXTERNREF] = WASM_EXTERNREF,
};

static void blocktype_sig(const xlat_fn *fn, int64_t bt, xlat_ctl *c) {
    c->nparams = c->nresults = 0;
    c->params = c->results = NULL;
    if (bt == WASM_BLOCKTYPE_EMPTY) return;
    if (wasm_blocktype_is_index(bt)) {
        const wasm_functype *t = &fn->m->types[bt];
        c->nparams = t->nparams;
        c->params = t->params;
        c->nresults = t->nresults;
        c->results = t->results;
        return;
    }
    uint8_t vt = wasm_blocktype_valtype(bt);
    c->nresults = 1;
    c->results = &single_types[vt];
}

static xlat_ctl *push_ctl(xlat_fn *fn, xlat_ctl_kind kind) {
    if (!grow_array((void **)&fn->ctl, &fn->ctl_cap, fn->nctl + 1, sizeof(xlat_ctl))) {
        fn->oom = true;
        return NULL;
    }
    xlat_ctl *c = &fn->ctl[fn->nctl++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->label = fn->next_label++;
    c->loop = UINT32_MAX;
    return c;
}

static void emit_return_values(xlat_fn *fn) {
    const wasm_functype *t = fn->type;
    uint32_t src = fn->sp - t->nresults;
    keep_values(fn, 0, src);
    xlat_buf *b = &fn->out;
    if (t->nresults == 0) {
        xlat_emitf(fn, "return;");
    } else if (t->nresults == 1) {
        xlat_buf_puts(b, "  return ");
        xlat_slot(b, fn, src);
        xlat_buf_puts(b, ";\n");
    } else {
        xlat_buf_printf(b, "  return (x_res%u){", fn->m->funcs[fn->func].type_index);
        for (uint32_t i = 0; i < t->nresults; i++) {
            if (i) xlat_buf_puts(b, ", ");
            xlat_slot(b, fn, src + i);
        }
        xlat_buf_puts(b, "};\n");
    }
}

/* Copies the branch values of target `c` from the top of the stack to c's positions and jumps. */
static void emit_branch_to(xlat_fn *fn, xlat_ctl *c) {
    if (c->kind == XLAT_CTL_FUNC) {
        emit_return_values(fn);
        return;
    }
    bool loop = c->kind == XLAT_CTL_LOOP;
    uint32_t n = loop ? c->nparams : c->nresults;
    const uint8_t *types = loop ? c->params : c->results;
    assert(fn->sp >= n);
    uint32_t src = fn->sp - n;
    keep_values(fn, c->base, src);
    for (uint32_t i = 0; i < n; i++) {
        if (src + i == c->base + i) continue;
        mark_slot(fn, c->base + i, types[i]);
        xlat_buf_puts(&fn->out, "  ");
        put_slot(&fn->out, types[i], c->base + i);
        xlat_buf_puts(&fn->out, " = ");
        put_slot(&fn->out, types[i], src + i);
        xlat_buf_puts(&fn->out, ";\n");
    }
    if (!loop) c->label_used = true;
    xlat_emitf(fn, "goto L%u;", c->label);
}

static xlat_ctl *target(xlat_fn *fn, uint32_t depth) {
    assert(depth < fn->nctl);
    return &fn->ctl[fn->nctl - 1 - depth];
}

static void set_dead(xlat_fn *fn) {
    fn->dead = true;
    fn->dead_nest = 0;
}

static void do_block(xlat_fn *fn, const wasm_instr *in) {
    uint32_t cond = 0;
    if (in->opcode == WASM_OP_IF) cond = xlat_pop(fn);
    xlat_ctl_kind kind = in->opcode == WASM_OP_BLOCK  ? XLAT_CTL_BLOCK
                         : in->opcode == WASM_OP_LOOP ? XLAT_CTL_LOOP
                                                      : XLAT_CTL_IF;
    xlat_ctl *c = push_ctl(fn, kind);
    if (!c) return;
    blocktype_sig(fn, in->blocktype, c);
    assert(fn->sp >= c->nparams);
    c->base = fn->sp - c->nparams;
    if (kind == XLAT_CTL_LOOP) {
        fn->loop_depth++;
        xlat_addr_forget(fn);
        xlat_loop_enter(fn, c);
        /* A loop whose only back edge is the br_if that ends it becomes a C do-while, so that
         * it can carry an unroll pragma (see assemble). */
        if (c->loop != UINT32_MAX && fn->loops[c->loop].do_while && c->nparams == 0) {
            xlat_emitf(fn, "do {");
            c->do_open = true;
            fn->loops[c->loop].is_do = true;
        }
        xlat_emitf(fn, "L%u:__attribute__((unused));", c->label);
    } else if (kind == XLAT_CTL_IF) {
        xlat_emitf(fn, "if (!si%u) goto E%u;", cond, c->label);
    }
}

/* The stack after a block's end (its results) or at an `else` (its parameters). The values may
 * come from loads on some path, so they count as tainted. */
static void reset_stack(xlat_fn *fn, uint32_t base, uint32_t n, const uint8_t *types) {
    fn->sp = base;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t d = xlat_push(fn, types[i]);
        if (!fn->oom) fn->taint[d] = 1;
    }
}

static void do_else(xlat_fn *fn) {
    xlat_ctl *c = target(fn, 0);
    assert(c->kind == XLAT_CTL_IF && !c->else_seen);
    c->then_live_end = !fn->dead;
    if (!fn->dead) {
        c->label_used = true;
        xlat_emitf(fn, "goto L%u;", c->label);
    }
    xlat_emitf(fn, "E%u:;", c->label);
    c->else_seen = true;
    reset_stack(fn, c->base, c->nparams, c->params);
    xlat_addr_forget(fn);
    fn->dead = false;
}

static void do_end(xlat_fn *fn) {
    xlat_ctl *c = target(fn, 0);
    bool live_end = !fn->dead;
    bool after_live = live_end;
    switch (c->kind) {
    case XLAT_CTL_FUNC:
        if (live_end)
            emit_return_values(fn);
        else if (fn->type->nresults)
            xlat_emitf(fn, "__builtin_unreachable();");
        fn->nctl--;
        return;
    case XLAT_CTL_BLOCK: after_live = live_end || c->label_used; break;
    case XLAT_CTL_LOOP:
        fn->loop_depth--;
        if (c->do_open) xlat_emitf(fn, "} while (0);"); /* its br_if was dead code */
        break;
    case XLAT_CTL_IF:
        if (!c->else_seen) {
            xlat_emitf(fn, "E%u:;", c->label);
            after_live = true; /* the implicit else passes the parameters through */
        } else {
            after_live = live_end || c->then_live_end || c->label_used;
        }
        break;
    }
    if (c->label_used) xlat_emitf(fn, "L%u:;", c->label);
    reset_stack(fn, c->base, c->nresults, c->results);
    xlat_addr_forget(fn);
    fn->nctl--;
    fn->dead = !after_live;
    fn->dead_nest = 0;
}

static void do_br_table(xlat_fn *fn, const wasm_instr *in) {
    uint32_t idx = xlat_pop(fn);
    uint32_t n = in->br_count;
    uint32_t *depths = malloc(((size_t)n + 1) * sizeof *depths);
    uint8_t *done = calloc((size_t)n + 1, 1);
    if (!depths || !done) {
        free(depths);
        free(done);
        fn->oom = true;
        return;
    }
    const uint8_t *cur = in->br_targets;
    bool all_same = true;
    for (uint32_t i = 0; i < n; i++) {
        depths[i] = wasm_br_table_next(&cur);
        if (depths[i] != in->br_default) all_same = false;
    }
    depths[n] = in->br_default;
    if (all_same) {
        emit_branch_to(fn, target(fn, in->br_default));
    } else {
        xlat_emitf(fn, "switch (si%u) {", idx);
        /* One group per distinct target, in order of first appearance; O(n * targets). */
        for (uint32_t i = 0; i <= n; i++) {
            if (done[i]) continue;
            uint32_t d = depths[i];
            for (uint32_t k = i; k <= n; k++) {
                if (done[k] || depths[k] != d) continue;
                done[k] = 1;
                if (k == n)
                    xlat_emitf(fn, "default:");
                else
                    xlat_emitf(fn, "case %u:", k);
            }
            emit_branch_to(fn, target(fn, d));
        }
        xlat_emitf(fn, "}");
    }
    free(depths);
    free(done);
    set_dead(fn);
}

/* Emits a call expression `callee(I, args...)` (prefix given, e.g. "f3(I") with the arguments on
 * top of the stack, then stores the results in their positions. */
static void emit_call(xlat_fn *fn, uint32_t type_index, const char *callee) {
    const wasm_functype *t = &fn->m->types[type_index];
    assert(fn->sp >= t->nparams);
    uint32_t base = fn->sp - t->nparams;
    xlat_buf call;
    xlat_buf_init(&call);
    xlat_buf_puts(&call, callee);
    for (uint32_t i = 0; i < t->nparams; i++) {
        xlat_buf_puts(&call, ", ");
        xlat_slot(&call, fn, base + i);
    }
    xlat_buf_puts(&call, ")");
    if (call.oom) fn->oom = true;
    fn->sp = base;
    xlat_buf *b = &fn->out;
    if (t->nresults == 0) {
        xlat_buf_printf(b, "  %s;\n", call.data ? call.data : "");
    } else if (t->nresults == 1) {
        uint32_t d = xlat_push(fn, t->results[0]);
        if (!fn->oom) fn->taint[d] = 1;
        xlat_buf_puts(b, "  ");
        xlat_slot(b, fn, d);
        xlat_buf_printf(b, " = %s;\n", call.data ? call.data : "");
    } else {
        xlat_buf_printf(b, "  { x_res%u r = %s;", type_index, call.data ? call.data : "");
        for (uint32_t i = 0; i < t->nresults; i++) {
            uint32_t d = xlat_push(fn, t->results[i]);
            if (!fn->oom) fn->taint[d] = 1;
            xlat_buf_puts(b, " ");
            xlat_slot(b, fn, d);
            xlat_buf_printf(b, " = r.r%u;", i);
        }
        xlat_buf_puts(b, " }\n");
    }
    xlat_buf_free(&call);
}

static void do_call(xlat_fn *fn, uint32_t func) {
    const wasm_module *m = fn->m;
    char callee[64];
    uint32_t type_index;
    if (func < m->nfuncs_imported) {
        type_index = m->import_func_types[func];
        fn->file->need_dispatch[type_index] = 1;
        snprintf(callee, sizeof callee, "x_call%u(I, I->funcs[%u]", type_index, func);
    } else {
        uint32_t j = func - m->nfuncs_imported;
        type_index = m->funcs[j].type_index;
        if (fn->file->func_file[j] == fn->file->index) {
            snprintf(callee, sizeof callee, "f%u(I", j);
        } else {
            fn->file->need_extern[j] = 1;
            snprintf(callee, sizeof callee, "xf%u(I", j);
        }
    }
    emit_call(fn, type_index, callee);
}

static void do_call_indirect(xlat_fn *fn, const wasm_instr *in) {
    uint32_t type_index = in->idx, table = in->idx2;
    uint32_t elem = xlat_pop(fn);
    char callee[96];
    snprintf(callee, sizeof callee, "x_ci%u(I, I->tables[%u], %uu, si%u", type_index, table,
             xlat_func_index(fn), elem);
    fn->file->need_indirect[type_index] = 1;
    fn->file->need_dispatch[type_index] = 1;
    emit_call(fn, type_index, callee);
}

static void do_global(xlat_fn *fn, const wasm_instr *in) {
    const wasm_module *m = fn->m;
    uint32_t g = in->idx;
    uint8_t vt = m->global_types[g].valtype;
    char ref[64];
    if (g < m->nglobals_imported)
        snprintf(ref, sizeof ref, "I->global_imports[%u]->%s", g, xlat_value_field(vt));
    else
        snprintf(ref, sizeof ref, "I->globals[%u].%s", g - m->nglobals_imported,
                 xlat_value_field(vt));
    if (in->opcode == WASM_OP_GLOBAL_GET) {
        xlat_op(fn, ref, 0, vt);
    } else {
        uint32_t s = xlat_pop(fn);
        xlat_buf_printf(&fn->out, "  %s = ", ref);
        xlat_slot(&fn->out, fn, s);
        xlat_buf_puts(&fn->out, ";\n");
    }
}

static void do_local(xlat_fn *fn, const wasm_instr *in) {
    uint32_t x = in->idx;
    assert(x < fn->nlocal_all);
    uint8_t vt = fn->local_types[x];
    xlat_buf *b = &fn->out;
    switch (in->opcode) {
    case WASM_OP_LOCAL_GET: {
        uint32_t d = xlat_push(fn, vt);
        xlat_buf_puts(b, "  ");
        xlat_slot(b, fn, d);
        xlat_buf_printf(b, " = l%u;\n", x);
        xlat_addr_local_get(fn, x, d);
        break;
    }
    case WASM_OP_LOCAL_SET: {
        uint32_t s = xlat_pop(fn);
        xlat_buf_printf(b, "  l%u = ", x);
        xlat_slot(b, fn, s);
        xlat_buf_puts(b, ";\n");
        xlat_addr_local_set(fn, x, s);
        break;
    }
    default: /* tee */
        xlat_buf_printf(b, "  l%u = ", x);
        xlat_slot(b, fn, fn->sp - 1);
        xlat_buf_puts(b, ";\n");
        xlat_addr_local_set(fn, x, fn->sp - 1);
        if (!fn->oom) fn->addr[fn->sp - 1].local = x;
        break;
    }
}

static void do_select(xlat_fn *fn) {
    uint32_t cond = xlat_pop(fn);
    uint32_t second = xlat_pop(fn);
    uint32_t first = fn->sp - 1;
    xlat_buf *b = &fn->out;
    xlat_buf_printf(b, "  if (!si%u) ", cond);
    xlat_slot(b, fn, first);
    xlat_buf_puts(b, " = ");
    put_slot(b, xlat_type_at(fn, first), second);
    xlat_buf_puts(b, ";\n");
}

/* The translator assumes a validated module, but checks what it indexes with or pops before it
 * does so, so that an invalid module gets an error instead of a crash. */
static const char *operands_problem(const xlat_fn *fn, const wasm_instr *in) {
    const wasm_module *m = fn->m;
    const wasm_opinfo *info = in->info;
    uint32_t need = 0;
    if (info && (info->flags & WASM_OPF_FIXED)) need = info->nin;
    if (info && (info->flags & WASM_OPF_MEMORY) && m->nmemories == 0) return "no memory";
    switch (in->opcode) {
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF:
        if (wasm_blocktype_is_index(in->blocktype)) {
            if ((uint64_t)in->blocktype >= m->ntypes) return "unknown type";
            need = m->types[in->blocktype].nparams;
        }
        need += in->opcode == WASM_OP_IF;
        break;
    case WASM_OP_ELSE:
        if (fn->ctl[fn->nctl - 1].kind != XLAT_CTL_IF || fn->ctl[fn->nctl - 1].else_seen)
            return "else without if";
        break;
    case WASM_OP_BR:
    case WASM_OP_BR_IF:
        if (in->idx >= fn->nctl) return "unknown label";
        need = in->opcode == WASM_OP_BR_IF;
        break;
    case WASM_OP_BR_TABLE: {
        const uint8_t *cur = in->br_targets;
        for (uint32_t i = 0; i < in->br_count; i++)
            if (wasm_br_table_next(&cur) >= fn->nctl) return "unknown label";
        if (in->br_default >= fn->nctl) return "unknown label";
        need = 1;
        break;
    }
    case WASM_OP_CALL:
        if (in->idx >= m->nfuncs_imported + m->nfuncs) return "unknown function";
        need = wasm_module_func_type(m, in->idx)->nparams;
        break;
    case WASM_OP_CALL_INDIRECT:
        if (in->idx >= m->ntypes) return "unknown type";
        if (in->idx2 >= m->ntables) return "unknown table";
        need = m->types[in->idx].nparams + 1;
        break;
    case WASM_OP_DROP: need = 1; break;
    case WASM_OP_SELECT:
    case WASM_OP_SELECT_T: need = 3; break;
    case WASM_OP_LOCAL_GET:
    case WASM_OP_LOCAL_SET:
    case WASM_OP_LOCAL_TEE:
        if (in->idx >= fn->nlocal_all) return "unknown local";
        need = in->opcode != WASM_OP_LOCAL_GET;
        break;
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_GLOBAL_SET:
        if (in->idx >= m->nglobals) return "unknown global";
        need = in->opcode == WASM_OP_GLOBAL_SET;
        break;
    case WASM_OP_REF_FUNC:
        if (in->idx >= m->nfuncs_imported + m->nfuncs) return "unknown function";
        break;
    case WASM_OP_TABLE_GET:
    case WASM_OP_TABLE_SET:
    case WASM_OP_TABLE_SIZE:
    case WASM_OP_TABLE_GROW:
    case WASM_OP_TABLE_FILL:
        if (in->idx >= m->ntables) return "unknown table";
        need = in->opcode == WASM_OP_TABLE_SIZE   ? 0
               : in->opcode == WASM_OP_TABLE_FILL ? 3
               : in->opcode == WASM_OP_TABLE_GET  ? 1
                                                  : 2;
        break;
    case WASM_OP_TABLE_COPY:
        if (in->idx >= m->ntables || in->idx2 >= m->ntables) return "unknown table";
        break;
    case WASM_OP_TABLE_INIT:
        if (in->idx2 >= m->ntables) return "unknown table";
        if (in->idx >= m->nelems) return "unknown elem segment";
        break;
    case WASM_OP_MEMORY_INIT:
        if (in->idx >= m->ndatas) return "unknown data segment";
        break;
    default: break;
    }
    if (fn->sp < need) return "operand stack underflow";
    return NULL;
}

/* Translates one reachable instruction. Returns false for an instruction nobody handles. */
static bool translate(xlat_fn *fn, const wasm_instr *in) {
    switch (in->opcode) {
    case WASM_OP_UNREACHABLE:
        keep_values(fn, 0, fn->sp);
        xlat_emitf(fn, "rt_trap_in(RT_TRAP_UNREACHABLE, %uu);", xlat_func_index(fn));
        set_dead(fn);
        return true;
    case WASM_OP_NOP: return true;
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF: do_block(fn, in); return true;
    case WASM_OP_ELSE: do_else(fn); return true;
    case WASM_OP_END: do_end(fn); return true;
    case WASM_OP_BR:
        emit_branch_to(fn, target(fn, in->idx));
        set_dead(fn);
        return true;
    case WASM_OP_BR_IF: {
        uint32_t cond = xlat_pop(fn);
        xlat_ctl *t = target(fn, in->idx);
        if (t->do_open) { /* the back edge of a do-while loop (the loop's last instruction) */
            assert(in->idx == 0 && t->nparams == 0);
            keep_values(fn, t->base, fn->sp); /* the values the back edge discards */
            xlat_emitf(fn, "} while (si%u);", cond);
            t->do_open = false;
            return true;
        }
        xlat_emitf(fn, "if (si%u) {", cond);
        emit_branch_to(fn, target(fn, in->idx));
        xlat_emitf(fn, "}");
        return true;
    }
    case WASM_OP_BR_TABLE: do_br_table(fn, in); return true;
    case WASM_OP_RETURN:
        emit_return_values(fn);
        set_dead(fn);
        return true;
    case WASM_OP_CALL: do_call(fn, in->idx); return true;
    case WASM_OP_CALL_INDIRECT: do_call_indirect(fn, in); return true;
    case WASM_OP_DROP:
        keep_values(fn, fn->sp - 1, fn->sp);
        xlat_pop(fn);
        return true;
    case WASM_OP_SELECT:
    case WASM_OP_SELECT_T: do_select(fn); return true;
    case WASM_OP_LOCAL_GET:
    case WASM_OP_LOCAL_SET:
    case WASM_OP_LOCAL_TEE: do_local(fn, in); return true;
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_GLOBAL_SET: do_global(fn, in); return true;
    default: break;
    }
    return xlat_numeric(fn, in) || xlat_memory(fn, in) || xlat_table(fn, in) || xlat_atomic(fn, in);
}

/* In unreachable code: count nesting, act only on the else/end that closes the current block. */
static void skip_dead(xlat_fn *fn, const wasm_instr *in) {
    switch (in->opcode) {
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF: fn->dead_nest++; break;
    case WASM_OP_ELSE:
        if (fn->dead_nest == 0) do_else(fn);
        break;
    case WASM_OP_END:
        if (fn->dead_nest == 0)
            do_end(fn);
        else
            fn->dead_nest--;
        break;
    default: break;
    }
}

/* Does the body access memory inside a loop? Those accesses get address assumptions, and the
 * function then needs guards (xlat_memory.c). */
static bool accesses_in_loops(const wasm_func *f) {
    const uint8_t *p = f->code, *end = f->code + f->code_len;
    uint8_t kinds[64]; /* 1 = loop, for the innermost 64 open blocks; deeper ones count as loops */
    uint32_t depth = 0, loops = 0;
    char err[8];
    wasm_instr in;
    while (p < end && wasm_read_instr(&p, end, &in, err, sizeof err)) {
        switch (in.opcode) {
        case WASM_OP_BLOCK:
        case WASM_OP_LOOP:
        case WASM_OP_IF: {
            uint8_t is_loop = in.opcode == WASM_OP_LOOP || depth >= 64;
            if (depth < 64) kinds[depth] = is_loop;
            depth++;
            loops += is_loop;
            break;
        }
        case WASM_OP_END:
            if (depth == 0) break;
            depth--;
            loops -= depth < 64 ? kinds[depth] : 1;
            break;
        default:
            if (loops > 0 && in.info && (in.info->flags & (WASM_OPF_LOAD | WASM_OPF_STORE)) &&
                !(in.info->flags & WASM_OPF_ATOMIC))
                return true;
        }
    }
    return false;
}

static bool init_locals(xlat_fn *fn) {
    const wasm_func *f = &fn->m->funcs[fn->func];
    uint64_t n = (uint64_t)fn->type->nparams + f->nlocals;
    fn->nlocal_all = n;
    fn->local_types = malloc(n ? n : 1);
    fn->locals = calloc(n ? n : 1, sizeof *fn->locals);
    fn->gen = 1; /* generation 0: nothing known */
    if (!fn->local_types || !fn->locals) return false;
    memcpy(fn->local_types, fn->type->params, fn->type->nparams);
    uint64_t k = fn->type->nparams;
    for (uint32_t i = 0; i < f->nlocaldecls; i++) {
        memset(fn->local_types + k, f->localdecls[i].valtype, f->localdecls[i].count);
        k += f->localdecls[i].count;
    }
    assert(k == n);
    return true;
}

/* The function header, locals and slot declarations, then the body. */
static void assemble(xlat_fn *fn, xlat_buf *dst) {
    const wasm_module *m = fn->m;
    uint32_t ti = m->funcs[fn->func].type_index;
    uint32_t fidx = m->nfuncs_imported + fn->func;
    if (m->func_names && m->func_names[fidx].bytes) {
        /* the name as a comment, with anything that could end the comment replaced */
        xlat_buf_puts(dst, "/* ");
        const wasm_name *nm = &m->func_names[fidx];
        for (uint32_t i = 0; i < nm->len && i < 80; i++) {
            char ch = nm->bytes[i];
            bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '_' || ch == '$' || ch == '.';
            xlat_buf_put(dst, ok ? &ch : "?", 1);
        }
        xlat_buf_printf(dst, " (function %u) */\n", fidx);
    }
    char name[32];
    snprintf(name, sizeof name, "f%u", fn->func);
    xlat_buf_puts(dst, "static ");
    xlat_prototype(dst, m, ti, name, true);
    xlat_buf_puts(dst, " {\n");
    if (fn->uses_mem) xlat_buf_puts(dst, "  uint8_t *const mb = I->mem_base;\n");
    for (uint64_t i = fn->type->nparams; i < fn->nlocal_all; i++)
        xlat_buf_printf(dst, "  X_UNUSED %s l%llu = 0;\n", xlat_ctype(fn->local_types[i]),
                        (unsigned long long)i);
    static const uint8_t kinds[5] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_FUNCREF};
    for (int k = 0; k < 5; k++) {
        uint8_t bit = slot_bit(kinds[k]);
        uint32_t on_line = 0;
        for (uint32_t d = 0; d < fn->slot_cap; d++) {
            if (!(fn->slot_used[d] & bit)) continue;
            if (on_line == 0)
                xlat_buf_printf(dst, "  X_UNUSED %s ", xlat_ctype(kinds[k]));
            else
                xlat_buf_puts(dst, ", ");
            xlat_buf_printf(dst, "%ss%c%u = 0", kinds[k] == WASM_FUNCREF ? "*" : "",
                            xlat_letter(kinds[k]), d);
            if (++on_line == 8) {
                xlat_buf_puts(dst, ";\n");
                on_line = 0;
            }
        }
        if (on_line) xlat_buf_puts(dst, ";\n");
    }
    for (uint32_t k = 0; k < fn->nshadows; k++)
        xlat_buf_printf(dst, "%s*x_p%u", k == 0 ? "  uint8_t " : ", ", k);
    if (fn->nshadows) xlat_buf_puts(dst, ";\n");
    /* A recursive function is made impure (see xlat_callgraph.c). It costs no instruction. */
    if (fn->file->recursive[fn->func]) xlat_buf_puts(dst, "  __asm__ volatile(\"\");\n");
    /* the statements, with each loop's shadow initialisations before its label */
    size_t done = 0;
    for (uint32_t k = 0; k < fn->nloops; k++) {
        const xlat_loop *l = &fn->loops[k];
        assert(l->out_pos >= done && l->out_pos <= fn->out.len);
        if (l->pre.len == 0) continue;
        xlat_buf_put(dst, fn->out.data + done, l->out_pos - done);
        xlat_buf_append(dst, &l->pre);
        /* A simple loop over arrays is unrolled, as native compilers unroll vector loops (one
         * that clang already unrolled by 2 otherwise becomes one 2-lane vector per iteration);
         * loops with several exits (searches) or big bodies lose by unrolling: left alone. */
        if (l->is_do && l->small) xlat_buf_puts(dst, "#pragma GCC unroll 4\n");
        if (l->pre.oom) dst->oom = true;
        done = l->out_pos;
    }
    if (fn->out.len > done) xlat_buf_put(dst, fn->out.data + done, fn->out.len - done);
    xlat_buf_puts(dst, "}\n\n");
}

bool xlat_function(xlat_file *file, uint32_t func, char *err, size_t errlen) {
    const wasm_module *m = file->m;
    assert(func < m->nfuncs);
    const wasm_func *f = &m->funcs[func];
    xlat_fn fn;
    memset(&fn, 0, sizeof fn);
    fn.file = file;
    fn.m = m;
    fn.func = func;
    fn.type = &m->types[f->type_index];
    fn.loop_accesses = file->assume_addresses && accesses_in_loops(f);
    fn.scan_budget = 4 * (uint64_t)f->code_len + 65536; /* loop scans: linear time */
    xlat_buf_init(&fn.out);
    bool ok = init_locals(&fn);
    xlat_ctl *top = ok ? push_ctl(&fn, XLAT_CTL_FUNC) : NULL;
    if (top) {
        top->nresults = fn.type->nresults;
        top->results = fn.type->results;
    }
    const uint8_t *p = f->code, *end = f->code + f->code_len;
    while (ok && !fn.oom && fn.nctl > 0 && p < end) {
        wasm_instr in;
        size_t at = (size_t)(p - m->bytes);
        if (!wasm_read_instr(&p, end, &in, err, errlen)) {
            ok = false;
            break;
        }
        fn.pos = p;
        fn.end = end;
        if (fn.dead) {
            skip_dead(&fn, &in);
            continue;
        }
        const char *problem = operands_problem(&fn, &in);
        if (problem) {
            snprintf(err, errlen, "translator: invalid module: %s at %s (offset %zu)", problem,
                     in.info ? in.info->name : "?", at);
            ok = false;
            break;
        }
        bool handled = translate(&fn, &in);
        fn.prev_opcode = in.opcode;
        if (!handled) {
            snprintf(err, errlen, "translator: unsupported instruction %s at offset %zu",
                     in.info ? in.info->name : "?", at);
            ok = false;
        }
    }
    if (ok && !fn.oom && fn.nctl != 0) {
        snprintf(err, errlen, "translator: function %u ends before its last `end`",
                 m->nfuncs_imported + func);
        ok = false;
    }
    if (ok && !fn.oom) assemble(&fn, &file->code);
    if (fn.oom || fn.out.oom) {
        snprintf(err, errlen, "translator: out of memory");
        ok = false;
    }
    free(fn.local_types);
    free(fn.stack);
    free(fn.taint);
    free(fn.addr);
    free(fn.locals);
    for (uint32_t k = 0; k < fn.nloops; k++)
        xlat_loop_free(&fn.loops[k]);
    free(fn.loops);
    free(fn.shadows);
    free(fn.slot_used);
    free(fn.ctl);
    xlat_buf_free(&fn.out);
    return ok;
}

/*
 * validate_func.c — type-checks one function body: the algorithm of the spec's validation
 * appendix, with an operand stack of value types and a stack of control frames.
 *
 * Each control frame records the block's parameter and result types, the operand stack height at
 * its start, and whether the rest of the block is unreachable. In unreachable code the operand
 * stack is polymorphic: popping below the frame's height yields VT_UNKNOWN, which matches any
 * type. Instructions whose stack effect is fixed (numeric ops, loads, stores, atomics, most bulk
 * memory ops) are checked straight from their opcode table row; the rest have a case each.
 *
 * Limits that the spec leaves to implementations: the operand stack may hold at most
 * VALIDATE_MAX_STACK values (a hostile module could otherwise make us allocate without bound).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/wasm/opcodes.h"
#include "engine/wasm/validate_internal.h"

enum { VT_UNKNOWN = 0, VALIDATE_MAX_STACK = 1 << 24 };

typedef struct ctrl_frame {
    uint32_t opcode; /* WASM_OP_BLOCK/LOOP/IF/ELSE; the function's own frame uses BLOCK */
    bool unreachable;
    size_t height;
    const uint8_t *params;
    uint32_t nparams;
    const uint8_t *results;
    uint32_t nresults;
} ctrl_frame;

typedef struct fstate {
    const wasm_vctx *c;
    const wasm_module *m;
    uint32_t func_index;       /* in the function index space, for messages */
    const wasm_functype *type; /* the function's type */
    const wasm_func *f;
    uint64_t *local_ends; /* cumulative counts of f->localdecls */
    uint8_t *vals;        /* operand stack */
    size_t nvals, capvals;
    ctrl_frame *ctrls; /* control stack */
    size_t nctrls, capctrls;
    uint8_t *scratch; /* for br_table: values popped and pushed back */
    size_t capscratch;
    const uint8_t *at; /* the instruction being checked */
    const char *opname;
} fstate;

/* One byte of each value type, so a single-result block type can point at its result. */
static const uint8_t single_types[] = {WASM_I32, WASM_I64,     WASM_F32,
                                       WASM_F64, WASM_FUNCREF, WASM_EXTERNREF};

static bool fail(fstate *s, const char *fmt, ...) {
    char *err = s->c->err;
    size_t len = s->c->errlen;
    if (len == 0) return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err, len, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < len)
        snprintf(err + n, len - (size_t)n, " (function %u, at byte 0x%zx%s%s)", s->func_index,
                 (size_t)(s->at - s->m->bytes), s->opname ? ", in " : "",
                 s->opname ? s->opname : "");
    return false;
}

static const char *tname(uint8_t t) {
    return t == VT_UNKNOWN ? "unknown" : wasm_valtype_name(t);
}

/* ---- operand stack ---- */

static bool push_val(fstate *s, uint8_t t) {
    if (s->nvals == s->capvals) {
        if (s->capvals >= VALIDATE_MAX_STACK)
            return fail(s, "operand stack too deep (implementation limit)");
        size_t cap = s->capvals ? s->capvals * 2 : 64;
        uint8_t *v = realloc(s->vals, cap);
        if (v == NULL) return fail(s, "out of memory");
        s->vals = v;
        s->capvals = cap;
    }
    s->vals[s->nvals++] = t;
    return true;
}

/* Pops one value; `expect` VT_UNKNOWN accepts any. *got receives the actual type. */
static bool pop_val(fstate *s, uint8_t expect, uint8_t *got) {
    const ctrl_frame *top = &s->ctrls[s->nctrls - 1];
    uint8_t actual = 0;
    if (s->nvals == top->height) {
        if (!top->unreachable)
            return fail(s, "type mismatch: expected %s, but the stack is empty", tname(expect));
        actual = VT_UNKNOWN;
    } else {
        actual = s->vals[--s->nvals];
    }
    if (expect != VT_UNKNOWN && actual != VT_UNKNOWN && actual != expect)
        return fail(s, "type mismatch: expected %s, got %s", tname(expect), tname(actual));
    if (got) *got = actual;
    return true;
}

static bool pop_expect(fstate *s, uint8_t expect) {
    return pop_val(s, expect, NULL);
}

static bool pop_vals(fstate *s, const uint8_t *types, uint32_t n) {
    for (uint32_t i = n; i-- > 0;)
        if (!pop_expect(s, types[i])) return false;
    return true;
}

static bool push_vals(fstate *s, const uint8_t *types, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (!push_val(s, types[i])) return false;
    return true;
}

/* ---- control stack ---- */

static bool push_ctrl(fstate *s, uint32_t opcode, const uint8_t *params, uint32_t nparams,
                      const uint8_t *results, uint32_t nresults) {
    if (s->nctrls == s->capctrls) {
        size_t cap = s->capctrls ? s->capctrls * 2 : 16;
        ctrl_frame *v = realloc(s->ctrls, cap * sizeof *v);
        if (v == NULL) return fail(s, "out of memory");
        s->ctrls = v;
        s->capctrls = cap;
    }
    s->ctrls[s->nctrls++] =
        (ctrl_frame){opcode, false, s->nvals, params, nparams, results, nresults};
    return push_vals(s, params, nparams);
}

static bool pop_ctrl(fstate *s, ctrl_frame *out) {
    assert(s->nctrls > 0);
    ctrl_frame *top = &s->ctrls[s->nctrls - 1];
    if (!pop_vals(s, top->results, top->nresults)) return false;
    if (s->nvals != top->height)
        return fail(s, "type mismatch: %zu value(s) left on the stack at the end of the block",
                    s->nvals - top->height);
    *out = *top;
    s->nctrls--;
    return true;
}

static void set_unreachable(fstate *s) {
    ctrl_frame *top = &s->ctrls[s->nctrls - 1];
    s->nvals = top->height;
    top->unreachable = true;
}

/* The types a branch to `frame` carries: a loop's parameters, any other block's results. */
static void label_types(const ctrl_frame *frame, const uint8_t **types, uint32_t *n) {
    if (frame->opcode == WASM_OP_LOOP) {
        *types = frame->params;
        *n = frame->nparams;
    } else {
        *types = frame->results;
        *n = frame->nresults;
    }
}

static bool get_label(fstate *s, uint32_t depth, const ctrl_frame **out) {
    if (depth >= s->nctrls) return fail(s, "unknown label %u", depth);
    *out = &s->ctrls[s->nctrls - 1 - depth];
    return true;
}

/* ---- lookups ---- */

static bool block_type(fstate *s, int64_t bt, const uint8_t **params, uint32_t *nparams,
                       const uint8_t **results, uint32_t *nresults) {
    *params = NULL;
    *nparams = 0;
    *results = NULL;
    *nresults = 0;
    if (bt == WASM_BLOCKTYPE_EMPTY) return true;
    if (wasm_blocktype_is_index(bt)) {
        if (bt >= s->m->ntypes) return fail(s, "unknown type %lld", (long long)bt);
        const wasm_functype *ft = &s->m->types[bt];
        *params = ft->params;
        *nparams = ft->nparams;
        *results = ft->results;
        *nresults = ft->nresults;
        return true;
    }
    uint8_t t = wasm_blocktype_valtype(bt);
    for (size_t i = 0; i < sizeof single_types; i++) {
        if (single_types[i] == t) {
            *results = &single_types[i];
            *nresults = 1;
            return true;
        }
    }
    return fail(s, "malformed block type");
}

static bool local_type(fstate *s, uint32_t idx, uint8_t *out) {
    if (idx < s->type->nparams) {
        *out = s->type->params[idx];
        return true;
    }
    uint64_t k = (uint64_t)idx - s->type->nparams;
    uint32_t n = s->f->nlocaldecls;
    if (n == 0 || k >= s->local_ends[n - 1]) return fail(s, "unknown local %u", idx);
    uint32_t lo = 0, hi = n - 1; /* first decl whose end is > k */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->local_ends[mid] > k)
            hi = mid;
        else
            lo = mid + 1;
    }
    *out = s->f->localdecls[lo].valtype;
    return true;
}

static uint32_t total_funcs(const wasm_module *m) {
    return m->nfuncs_imported + m->nfuncs;
}

static bool need_table(fstate *s, uint32_t t) {
    if (t >= s->m->ntables) return fail(s, "unknown table %u", t);
    return true;
}

static bool need_memory(fstate *s) {
    if (s->m->nmemories == 0) return fail(s, "unknown memory 0");
    return true;
}

static bool need_elem(fstate *s, uint32_t e) {
    if (e >= s->m->nelems) return fail(s, "unknown elem segment %u", e);
    return true;
}

static bool need_data(fstate *s, uint32_t d) {
    if (!s->m->has_datacount) return fail(s, "data count section required");
    if (d >= s->m->datacount) return fail(s, "unknown data segment %u", d);
    return true;
}

static bool check_memarg(fstate *s, const wasm_instr *in) {
    const wasm_opinfo *info = in->info;
    assert(info->mem_size > 0);
    if (in->align >= 32 || (1u << in->align) > info->mem_size)
        return fail(s, "alignment must not be larger than natural");
    if ((info->flags & WASM_OPF_ATOMIC) && (1u << in->align) != info->mem_size)
        return fail(s, "atomic alignment must be natural");
    return true;
}

/* ---- instructions with their own rules ---- */

static bool check_branching(fstate *s, const wasm_instr *in) {
    const ctrl_frame *target = NULL;
    const uint8_t *types;
    uint32_t n = 0;
    switch (in->opcode) {
    case WASM_OP_BR:
        if (!get_label(s, in->idx, &target)) return false;
        label_types(target, &types, &n);
        if (!pop_vals(s, types, n)) return false;
        set_unreachable(s);
        return true;
    case WASM_OP_BR_IF:
        if (!pop_expect(s, WASM_I32) || !get_label(s, in->idx, &target)) return false;
        label_types(target, &types, &n);
        return pop_vals(s, types, n) && push_vals(s, types, n);
    case WASM_OP_BR_TABLE: {
        if (!pop_expect(s, WASM_I32) || !get_label(s, in->br_default, &target)) return false;
        uint32_t arity = 0;
        label_types(target, &types, &arity);
        if (arity > s->capscratch) {
            uint8_t *v = realloc(s->scratch, arity);
            if (v == NULL) return fail(s, "out of memory");
            s->scratch = v;
            s->capscratch = arity;
        }
        const uint8_t *cursor = in->br_targets;
        for (uint32_t i = 0; i < in->br_count; i++) {
            uint32_t depth = wasm_br_table_next(&cursor);
            if (!get_label(s, depth, &target)) return false;
            label_types(target, &types, &n);
            if (n != arity)
                return fail(s, "type mismatch: br_table targets with different arities");
            for (uint32_t k = n; k-- > 0;)
                if (!pop_val(s, types[k], &s->scratch[k])) return false;
            for (uint32_t k = 0; k < n; k++)
                if (!push_val(s, s->scratch[k])) return false;
        }
        if (!get_label(s, in->br_default, &target)) return false;
        label_types(target, &types, &n);
        if (!pop_vals(s, types, n)) return false;
        set_unreachable(s);
        return true;
    }
    case WASM_OP_RETURN:
        if (!pop_vals(s, s->type->results, s->type->nresults)) return false;
        set_unreachable(s);
        return true;
    default: assert(0); return false;
    }
}

static bool check_structured(fstate *s, const wasm_instr *in, bool *done) {
    const uint8_t *params, *results;
    uint32_t nparams, nresults;
    ctrl_frame frame;
    switch (in->opcode) {
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF:
        if (!block_type(s, in->blocktype, &params, &nparams, &results, &nresults)) return false;
        if (in->opcode == WASM_OP_IF && !pop_expect(s, WASM_I32)) return false;
        if (!pop_vals(s, params, nparams)) return false;
        return push_ctrl(s, in->opcode, params, nparams, results, nresults);
    case WASM_OP_ELSE:
        if (s->ctrls[s->nctrls - 1].opcode != WASM_OP_IF) return fail(s, "else without if");
        if (!pop_ctrl(s, &frame)) return false;
        return push_ctrl(s, WASM_OP_ELSE, frame.params, frame.nparams, frame.results,
                         frame.nresults);
    case WASM_OP_END:
        if (!pop_ctrl(s, &frame)) return false;
        if (frame.opcode == WASM_OP_IF) {
            /* An if without else: the missing else passes the parameters through. */
            if (frame.nparams != frame.nresults ||
                (frame.nparams > 0 && memcmp(frame.params, frame.results, frame.nparams) != 0))
                return fail(s, "type mismatch: if without else must have matching types");
        }
        if (s->nctrls == 0) {
            *done = true;
            return true;
        }
        return push_vals(s, frame.results, frame.nresults);
    default: assert(0); return false;
    }
}

static bool check_call(fstate *s, const wasm_instr *in) {
    const wasm_functype *ft;
    if (in->opcode == WASM_OP_CALL) {
        if (in->idx >= total_funcs(s->m)) return fail(s, "unknown function %u", in->idx);
        ft = wasm_module_func_type(s->m, in->idx);
    } else {
        if (!need_table(s, in->idx2)) return false;
        if (s->m->tables[in->idx2].elemtype != WASM_FUNCREF)
            return fail(s, "type mismatch: call_indirect on a table of externref");
        if (in->idx >= s->m->ntypes) return fail(s, "unknown type %u", in->idx);
        ft = &s->m->types[in->idx];
        if (!pop_expect(s, WASM_I32)) return false;
    }
    return pop_vals(s, ft->params, ft->nparams) && push_vals(s, ft->results, ft->nresults);
}

static bool check_variable(fstate *s, const wasm_instr *in) {
    uint8_t t = 0;
    switch (in->opcode) {
    case WASM_OP_LOCAL_GET: return local_type(s, in->idx, &t) && push_val(s, t);
    case WASM_OP_LOCAL_SET: return local_type(s, in->idx, &t) && pop_expect(s, t);
    case WASM_OP_LOCAL_TEE: return local_type(s, in->idx, &t) && pop_expect(s, t) && push_val(s, t);
    case WASM_OP_GLOBAL_GET:
        if (in->idx >= s->m->nglobals) return fail(s, "unknown global %u", in->idx);
        return push_val(s, s->m->global_types[in->idx].valtype);
    case WASM_OP_GLOBAL_SET:
        if (in->idx >= s->m->nglobals) return fail(s, "unknown global %u", in->idx);
        if (!s->m->global_types[in->idx].mutable_) return fail(s, "global is immutable");
        return pop_expect(s, s->m->global_types[in->idx].valtype);
    default: assert(0); return false;
    }
}

static bool check_parametric(fstate *s, const wasm_instr *in) {
    uint8_t t1, t2;
    switch (in->opcode) {
    case WASM_OP_DROP: return pop_val(s, VT_UNKNOWN, NULL);
    case WASM_OP_SELECT:
        if (!pop_expect(s, WASM_I32) || !pop_val(s, VT_UNKNOWN, &t1) ||
            !pop_val(s, VT_UNKNOWN, &t2))
            return false;
        if ((t1 != VT_UNKNOWN && !wasm_is_numtype(t1)) ||
            (t2 != VT_UNKNOWN && !wasm_is_numtype(t2)))
            return fail(s, "type mismatch: select without a type needs numeric operands");
        if (t1 != t2 && t1 != VT_UNKNOWN && t2 != VT_UNKNOWN)
            return fail(s, "type mismatch: select operands %s and %s", tname(t2), tname(t1));
        return push_val(s, t1 == VT_UNKNOWN ? t2 : t1);
    case WASM_OP_SELECT_T:
        if (in->idx != 1) return fail(s, "invalid result arity");
        return pop_expect(s, WASM_I32) && pop_expect(s, in->valtype) &&
               pop_expect(s, in->valtype) && push_val(s, in->valtype);
    default: assert(0); return false;
    }
}

static bool check_reference(fstate *s, const wasm_instr *in) {
    uint8_t t = 0;
    switch (in->opcode) {
    case WASM_OP_REF_NULL: return push_val(s, in->valtype);
    case WASM_OP_REF_IS_NULL:
        if (!pop_val(s, VT_UNKNOWN, &t)) return false;
        if (t != VT_UNKNOWN && !wasm_is_reftype(t))
            return fail(s, "type mismatch: ref.is_null on %s", tname(t));
        return push_val(s, WASM_I32);
    case WASM_OP_REF_FUNC:
        if (in->idx >= total_funcs(s->m)) return fail(s, "unknown function %u", in->idx);
        if (!wasm_vctx_ref_declared(s->c, in->idx))
            return fail(s, "undeclared function reference %u", in->idx);
        return push_val(s, WASM_FUNCREF);
    default: assert(0); return false;
    }
}

static bool check_table(fstate *s, const wasm_instr *in) {
    uint8_t t = 0;
    switch (in->opcode) {
    case WASM_OP_TABLE_GET:
        if (!need_table(s, in->idx)) return false;
        return pop_expect(s, WASM_I32) && push_val(s, s->m->tables[in->idx].elemtype);
    case WASM_OP_TABLE_SET:
        if (!need_table(s, in->idx)) return false;
        return pop_expect(s, s->m->tables[in->idx].elemtype) && pop_expect(s, WASM_I32);
    case WASM_OP_TABLE_GROW:
        if (!need_table(s, in->idx)) return false;
        t = s->m->tables[in->idx].elemtype;
        return pop_expect(s, WASM_I32) && pop_expect(s, t) && push_val(s, WASM_I32);
    case WASM_OP_TABLE_FILL:
        if (!need_table(s, in->idx)) return false;
        t = s->m->tables[in->idx].elemtype;
        return pop_expect(s, WASM_I32) && pop_expect(s, t) && pop_expect(s, WASM_I32);
    default: assert(0); return false;
    }
}

/* Instructions with a fixed signature: the index immediates still need checking. */
static bool check_fixed_immediates(fstate *s, const wasm_instr *in) {
    const wasm_opinfo *info = in->info;
    if ((info->flags & WASM_OPF_MEMORY) && !need_memory(s)) return false;
    if (info->imm == WASM_IMM_MEMARG && !check_memarg(s, in)) return false;
    switch (in->opcode) {
    case WASM_OP_MEMORY_INIT:
    case WASM_OP_DATA_DROP: return need_data(s, in->idx);
    case WASM_OP_TABLE_SIZE: return need_table(s, in->idx);
    case WASM_OP_ELEM_DROP: return need_elem(s, in->idx);
    case WASM_OP_TABLE_INIT:
        if (!need_table(s, in->idx2) || !need_elem(s, in->idx)) return false;
        if (s->m->tables[in->idx2].elemtype != s->m->elems[in->idx].elemtype)
            return fail(s, "type mismatch: table.init element and table types differ");
        return true;
    case WASM_OP_TABLE_COPY:
        if (!need_table(s, in->idx) || !need_table(s, in->idx2)) return false;
        if (s->m->tables[in->idx].elemtype != s->m->tables[in->idx2].elemtype)
            return fail(s, "type mismatch: table.copy between tables of different types");
        return true;
    default: return true;
    }
}

static bool check_instr(fstate *s, const wasm_instr *in, bool *done) {
    const wasm_opinfo *info = in->info;
    if (info->flags & WASM_OPF_FIXED) {
        if (!check_fixed_immediates(s, in)) return false;
        return pop_vals(s, info->in, info->nin) && push_vals(s, info->out, info->nout);
    }
    switch (in->opcode) {
    case WASM_OP_UNREACHABLE: set_unreachable(s); return true;
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF:
    case WASM_OP_ELSE:
    case WASM_OP_END: return check_structured(s, in, done);
    case WASM_OP_BR:
    case WASM_OP_BR_IF:
    case WASM_OP_BR_TABLE:
    case WASM_OP_RETURN: return check_branching(s, in);
    case WASM_OP_CALL:
    case WASM_OP_CALL_INDIRECT: return check_call(s, in);
    case WASM_OP_DROP:
    case WASM_OP_SELECT:
    case WASM_OP_SELECT_T: return check_parametric(s, in);
    case WASM_OP_LOCAL_GET:
    case WASM_OP_LOCAL_SET:
    case WASM_OP_LOCAL_TEE:
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_GLOBAL_SET: return check_variable(s, in);
    case WASM_OP_REF_NULL:
    case WASM_OP_REF_IS_NULL:
    case WASM_OP_REF_FUNC: return check_reference(s, in);
    case WASM_OP_TABLE_GET:
    case WASM_OP_TABLE_SET:
    case WASM_OP_TABLE_GROW:
    case WASM_OP_TABLE_FILL: return check_table(s, in);
    default: return fail(s, "internal error: no validation rule for %s", info->name);
    }
}

static bool validate_body(fstate *s) {
    const wasm_func *f = s->f;
    const uint8_t *p = f->code, *end = f->code + f->code_len;
    if (!push_ctrl(s, WASM_OP_BLOCK, NULL, 0, s->type->results, s->type->nresults)) return false;
    /* The function frame starts with an empty operand stack: parameters are locals. */
    bool done = false;
    while (!done) {
        s->at = p;
        s->opname = NULL;
        if (p >= end) return fail(s, "END opcode expected");
        wasm_instr in;
        char why[128];
        if (!wasm_read_instr(&p, end, &in, why, sizeof why)) return fail(s, "%s", why);
        s->opname = in.info->name;
        if (!check_instr(s, &in, &done)) return false;
    }
    s->at = p;
    s->opname = NULL;
    if (p != end) return fail(s, "section size mismatch: code after the function's end");
    return true;
}

bool wasm_validate_func(const wasm_vctx *c, uint32_t index) {
    const wasm_module *m = c->m;
    assert(index < m->nfuncs);
    fstate s = {0};
    s.c = c;
    s.m = m;
    s.f = &m->funcs[index];
    s.func_index = m->nfuncs_imported + index;
    s.at = s.f->code;
    if (s.f->type_index >= m->ntypes) return fail(&s, "unknown type %u", s.f->type_index);
    s.type = &m->types[s.f->type_index];
    s.local_ends = malloc((s.f->nlocaldecls ? s.f->nlocaldecls : 1) * sizeof *s.local_ends);
    if (s.local_ends == NULL) return fail(&s, "out of memory");
    uint64_t sum = 0;
    for (uint32_t i = 0; i < s.f->nlocaldecls; i++) {
        sum += s.f->localdecls[i].count;
        s.local_ends[i] = sum;
    }
    bool ok = validate_body(&s);
    free(s.local_ends);
    free(s.vals);
    free(s.ctrls);
    free(s.scratch);
    return ok;
}

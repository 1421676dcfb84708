/*
 * xlat_gen.c — random valid WebAssembly modules (text format) for differential testing of the
 * wasm->C translator against wabt's interpreter (xlat_diff.c runs both).
 *
 * What a module holds. One memory of 1-2 pages (maximum 3-4, so memory.grow sometimes fails), a
 * passive data segment, a mutable i64 global `$gacc` that functions fold their work into, a few
 * functions `$f<i>` with i32/i64/f64 parameters and 0-2 results, the checksum function `$run`
 * (three i32 parameters, an i64 result), and XGEN_RUNS exports `run<k>` that reset memory and
 * globals (memory.fill + memory.init) and call `$run` with fixed arguments. Resetting makes every
 * run independent of the previous one, even after a trap (memory after a trap may differ between
 * engines, docs/engine.md "Known limits of the trap semantics").
 *
 * Code is generated as structured statements (net stack effect zero) and typed expressions, so
 * validity holds by construction: a stack of labels records what a branch to each label carries.
 * Aimed at xlat_loop.c / xlat_addr.c: loops with induction variables `X = X + C` (step small,
 * sometimes large, sometimes X also assigned elsewhere), accesses of every width at B + X + c
 * with offsets, some out of bounds or wrapping around 2^32, loops in the do-while shape the
 * translator recognises (body, then `cnt - 1; local.tee cnt; br_if 0`) and in a general shape
 * (counter tested at the top, back edges anywhere), loops and blocks with parameters and results.
 *
 * Termination. Every loop has a counter local that no other code writes. A do-while loop's only
 * back edge is its final br_if on the decremented counter, and nothing else may branch to its
 * label (`no_back`); a general loop tests and decrements its counter at its top, so any branch
 * back pays one count. Calls go only from $f<i> to $f<j>, j > i (no recursion). Loop counts are
 * chosen against a budget of estimated work (`mult`: the product of the enclosing counts), so a
 * run stays well below a second in the interpreter.
 *
 * Determinism. NaN bit patterns are not portable (the spec lets engines pick them), so every f64
 * that becomes bits (store, reinterpret, copysign's sign) first goes through `$canon` (NaN -> 0).
 */
#include "xlat_gen.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_FUNCS = 6,
    MAX_LOCALS = 128,
    MAX_LABELS = 48,
    MAX_TYPES = 3,
    MAX_EXPR_DEPTH = 3,
    MAX_STMT_DEPTH = 5,
    MAX_LOOP_DEPTH = 3,
    MAX_IVS = 8
};

#define WORK_BUDGET 150000.0 /* estimated instructions per call of $run */

typedef enum { T_I32, T_I64, T_F64, T_COUNT } xg_type;
static const char *const type_name[T_COUNT] = {"i32", "i64", "f64"};

typedef struct {
    xg_type t[MAX_TYPES];
    int n;
} xg_types;

typedef struct {
    xg_types params, results;
    double cost; /* estimated work of one call */
} xg_func;

typedef struct {
    xg_types branch; /* what a branch to this label carries */
    bool no_back;    /* a do-while loop: branching here would skip its counter */
} xg_label;

typedef struct {
    int local;     /* the induction variable */
    uint32_t step; /* its increment */
} xg_iv;

typedef struct {
    char *p;
    size_t n, cap;
    bool oom;
} xg_buf;

typedef struct {
    uint64_t rng;
    xg_buf body;
    int nfuncs;
    xg_func funcs[MAX_FUNCS];
    int cur; /* function being generated; nfuncs for $run */
    int nparams, nlocals;
    xg_type ltype[MAX_LOCALS];
    bool reserved[MAX_LOCALS]; /* counters and the accumulator: no random writes */
    int base[2];               /* i32 locals used as loop-invariant bases */
    int acc;                   /* i64 accumulator */
    xg_types fresults;         /* results of the function being generated */
    xg_label labels[MAX_LABELS];
    int nlabels;
    int expr_depth, stmt_depth, loop_depth;
    double mult, cost;
    xg_iv ivs[MAX_IVS];
    int niv;
    int simple_floor;   /* >= 0: inside a simple loop whose label has this index (no calls, no
                           nested loop, branches only to labels inside it) */
    uint32_t mem_bytes; /* initial memory size */
} xg;

/* ---- randomness ---- */

static uint64_t rnd(xg *g) {
    /* xorshift64* */
    g->rng ^= g->rng >> 12;
    g->rng ^= g->rng << 25;
    g->rng ^= g->rng >> 27;
    return g->rng * 2685821657736338717ull;
}
static uint32_t below(xg *g, uint32_t n) {
    assert(n > 0);
    return (uint32_t)(rnd(g) >> 33) % n;
}
static bool chance(xg *g, int percent) {
    return (int)below(g, 100) < percent;
}
static xg_type any_type(xg *g) {
    uint32_t r = below(g, 10);
    return r < 5 ? T_I32 : r < 8 ? T_I64 : T_F64;
}

/* ---- text output ---- */

static void buf_vprintf(xg_buf *b, const char *fmt, va_list ap) {
    if (b->oom) return;
    va_list ap2;
    va_copy(ap2, ap);
    int need = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (need < 0) {
        b->oom = true;
        return;
    }
    if (b->n + (size_t)need + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + (size_t)need + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    b->n += (size_t)need;
}

static void buf_printf(xg_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* One instruction on its own line, indented by the label depth. */
static void ins(xg *g, const char *fmt, ...) {
    buf_printf(&g->body, "%*s", 4 + 2 * g->nlabels, "");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&g->body, fmt, ap);
    va_end(ap);
    buf_printf(&g->body, "\n");
}

/* "(param i32 i64)" / "(result f64)" or "" */
static void block_type(const char *what, const xg_types *ts, char *out, size_t len) {
    out[0] = 0;
    if (ts->n == 0) return;
    size_t k = (size_t)snprintf(out, len, " (%s", what);
    for (int i = 0; i < ts->n && k < len; i++)
        k += (size_t)snprintf(out + k, len - k, " %s", type_name[ts->t[i]]);
    if (k < len) snprintf(out + k, len - k, ")");
}

/* ---- locals and labels ---- */

static int new_local(xg *g, xg_type t, bool reserved) {
    if (g->nlocals >= MAX_LOCALS) return -1;
    g->ltype[g->nlocals] = t;
    g->reserved[g->nlocals] = reserved;
    return g->nlocals++;
}

/* A random local of type t that random code may write (params included); -1 if none. */
static int pick_local(xg *g, xg_type t) {
    int cand[MAX_LOCALS], n = 0;
    for (int i = 0; i < g->nlocals; i++)
        if (g->ltype[i] == t && !g->reserved[i]) cand[n++] = i;
    return n ? cand[below(g, (uint32_t)n)] : -1;
}

static void push_label(xg *g, const xg_types *branch, bool no_back) {
    assert(g->nlabels < MAX_LABELS);
    g->labels[g->nlabels].branch = *branch;
    g->labels[g->nlabels].no_back = no_back;
    g->nlabels++;
}

static void pop_label(xg *g) {
    assert(g->nlabels > 0);
    g->nlabels--;
}

/* A random branch target (relative depth) that carries `want` (NULL: any); -1 if none. */
static int pick_target(xg *g, const xg_types *want) {
    int cand[MAX_LABELS], n = 0;
    for (int i = 0; i < g->nlabels; i++) {
        const xg_label *l = &g->labels[i];
        if (l->no_back || (g->simple_floor >= 0 && i <= g->simple_floor)) continue;
        if (want && (l->branch.n != want->n ||
                     memcmp(l->branch.t, want->t, sizeof(xg_type) * (size_t)want->n) != 0))
            continue;
        cand[n++] = g->nlabels - 1 - i;
    }
    return n ? cand[below(g, (uint32_t)n)] : -1;
}

static void random_types(xg *g, xg_types *ts, int max) {
    ts->n = (int)below(g, (uint32_t)max + 1);
    for (int i = 0; i < ts->n; i++)
        ts->t[i] = any_type(g);
}

/* ---- expressions ---- */

static void gen_expr(xg *g, xg_type t);
static void gen_stmts(xg *g, int n);

static void gen_const(xg *g, xg_type t) {
    static const int32_t small[] = {0, 1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 255, -1, -2, -8};
    static const char *const floats[] = {"0",    "-0",    "1",          "0.5",   "-3.25",
                                         "1e10", "-1e-5", "2147483648", "65536", "nan",
                                         "inf",  "-inf",  "1.5",        "-7"};
    switch (t) {
    case T_I32:
        if (chance(g, 60))
            ins(g, "i32.const %d", small[below(g, sizeof small / sizeof small[0])]);
        else
            ins(g, "i32.const %d", (int32_t)(uint32_t)rnd(g));
        break;
    case T_I64:
        if (chance(g, 60))
            ins(g, "i64.const %d", small[below(g, sizeof small / sizeof small[0])]);
        else
            ins(g, "i64.const %lld", (long long)rnd(g));
        break;
    default: ins(g, "f64.const %s", floats[below(g, sizeof floats / sizeof floats[0])]); break;
    }
}

static void gen_leaf(xg *g, xg_type t) {
    int l = -1;
    if (chance(g, 70)) {
        int cand[MAX_LOCALS], n = 0;
        for (int i = 0; i < g->nlocals; i++)
            if (g->ltype[i] == t) cand[n++] = i;
        if (n) l = cand[below(g, (uint32_t)n)];
    }
    if (l >= 0)
        ins(g, "local.get %d", l);
    else
        gen_const(g, t);
}

/* An i32 address for an access of `width` bytes: mostly in bounds, shaped like compiled code. */
static void gen_addr(xg *g, uint32_t width) {
    uint32_t r = below(g, 100);
    if (g->niv > 0 && r < 45) {
        const xg_iv *iv = &g->ivs[below(g, (uint32_t)g->niv)];
        int b = g->base[below(g, 2)];
        switch (below(g, 4)) {
        case 0: /* B + X + c */
            ins(g, "local.get %d", b);
            ins(g, "local.get %d", iv->local);
            ins(g, "i32.add");
            ins(g, "i32.const %u", below(g, 8) * width);
            ins(g, "i32.add");
            break;
        case 1: /* X + B */
            ins(g, "local.get %d", iv->local);
            ins(g, "local.get %d", b);
            ins(g, "i32.add");
            break;
        case 2: /* X + c */
            ins(g, "local.get %d", iv->local);
            if (chance(g, 70)) {
                ins(g, "i32.const %u", below(g, 64));
                ins(g, "i32.add");
            }
            break;
        default: /* B + X, kept in a local first (a relation through a local) */
            ins(g, "local.get %d", b);
            ins(g, "local.get %d", iv->local);
            ins(g, "i32.add");
            {
                int l = pick_local(g, T_I32);
                if (l >= 0) {
                    ins(g, "local.tee %d", l);
                    ins(g, "drop");
                    ins(g, "local.get %d", l);
                }
            }
            break;
        }
    } else if (r < 60) { /* B + c */
        ins(g, "local.get %d", g->base[below(g, 2)]);
        ins(g, "i32.const %u", below(g, 256));
        ins(g, "i32.add");
    } else if (r < 66) { /* p - 8: wraps below zero when p is small */
        ins(g, "local.get %d", g->base[below(g, 2)]);
        ins(g, "i32.const %d", -(int)(width * (1 + below(g, 4))));
        ins(g, "i32.add");
    } else if (r < 95) { /* any value, masked into the first page */
        gen_expr(g, T_I32);
        ins(g, "i32.const %u", 0xFFFFu & ~(width - 1));
        ins(g, "i32.and");
    } else if (r < 99) {
        ins(g, "i32.const %u", below(g, 1024) * width);
    } else { /* anything: mostly out of bounds */
        gen_expr(g, T_I32);
    }
}

/* " offset=N align=A" for an access of `width` bytes */
static void mem_arg(xg *g, uint32_t width, char *out, size_t len) {
    uint32_t r = below(g, 100), off = 0;
    if (r < 60)
        off = 0;
    else if (r < 90)
        off = below(g, 16) * width;
    else if (r < 99)
        off = below(g, 4096);
    else
        off = chance(g, 50) ? 65536u : 0xFFFFFFF0u;
    uint32_t align = width;
    if (chance(g, 20)) align = 1u << below(g, 4);
    if (align > width) align = width;
    if (off)
        snprintf(out, len, " offset=%u align=%u", off, align);
    else
        snprintf(out, len, " align=%u", align);
}

static void gen_load(xg *g, xg_type t) {
    static const char *const i32_ops[] = {"i32.load8_s", "i32.load8_u", "i32.load16_s",
                                          "i32.load16_u", "i32.load"};
    static const uint32_t i32_w[] = {1, 1, 2, 2, 4};
    static const char *const i64_ops[] = {"i64.load8_s",  "i64.load8_u",  "i64.load16_s",
                                          "i64.load16_u", "i64.load32_s", "i64.load32_u",
                                          "i64.load"};
    static const uint32_t i64_w[] = {1, 1, 2, 2, 4, 4, 8};
    char ma[64];
    if (t == T_I32) {
        uint32_t k = below(g, 5);
        gen_addr(g, i32_w[k]);
        mem_arg(g, i32_w[k], ma, sizeof ma);
        ins(g, "%s%s", i32_ops[k], ma);
    } else if (t == T_I64) {
        uint32_t k = below(g, 7);
        gen_addr(g, i64_w[k]);
        mem_arg(g, i64_w[k], ma, sizeof ma);
        ins(g, "%s%s", i64_ops[k], ma);
    } else if (chance(g, 70)) {
        gen_addr(g, 8);
        mem_arg(g, 8, ma, sizeof ma);
        ins(g, "f64.load%s", ma);
    } else {
        gen_addr(g, 4);
        mem_arg(g, 4, ma, sizeof ma);
        ins(g, "f32.load%s", ma);
        ins(g, "f64.promote_f32");
    }
}

static void gen_binop(xg *g, xg_type t) {
    static const char *const int_ops[] = {"add",   "sub",   "mul",   "div_s", "div_u",
                                          "rem_s", "rem_u", "and",   "or",    "xor",
                                          "shl",   "shr_s", "shr_u", "rotl",  "rotr"};
    static const char *const f_ops[] = {"add", "sub", "mul", "div", "min", "max", "copysign"};
    if (t == T_F64) {
        const char *op = f_ops[below(g, 7)];
        gen_expr(g, t);
        gen_expr(g, t);
        if (!strcmp(op, "copysign")) ins(g, "call $canon");
        ins(g, "f64.%s", op);
        return;
    }
    const char *op = int_ops[below(g, 15)];
    gen_expr(g, t);
    gen_expr(g, t);
    bool divides = op[0] == 'd' || op[0] == 'r' ? op[1] == 'i' || op[1] == 'e' : false;
    if (divides && chance(g, 97)) { /* usually a divisor that cannot be zero */
        ins(g, "%s.const 1", type_name[t]);
        ins(g, "%s.or", type_name[t]);
    }
    ins(g, "%s.%s", type_name[t], op);
}

static void gen_unop(xg *g, xg_type t) {
    static const char *const int_ops[] = {"clz", "ctz", "popcnt", "extend8_s", "extend16_s"};
    static const char *const f_ops[] = {"abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"};
    gen_expr(g, t);
    if (t == T_F64)
        ins(g, "f64.%s", f_ops[below(g, 7)]);
    else
        ins(g, "%s.%s", type_name[t], int_ops[below(g, 5)]);
}

/* A value of type t computed from a value of another type. */
static void gen_convert(xg *g, xg_type t) {
    xg_type from = (xg_type)((t + 1 + below(g, 2)) % T_COUNT);
    if (t == T_I32 && chance(g, 30)) { /* comparisons */
        static const char *const icmp[] = {"eq", "ne", "lt_s", "lt_u", "gt_s", "le_u", "ge_s"};
        static const char *const fcmp[] = {"eq", "ne", "lt", "gt", "le", "ge"};
        gen_expr(g, from);
        if (from == T_F64) {
            gen_expr(g, from);
            ins(g, "f64.%s", fcmp[below(g, 6)]);
        } else if (chance(g, 30)) {
            ins(g, "%s.eqz", type_name[from]);
        } else {
            gen_expr(g, from);
            ins(g, "%s.%s", type_name[from], icmp[below(g, 7)]);
        }
        return;
    }
    gen_expr(g, from);
    bool trapping = chance(g, 3);
    switch (t * 3 + from) {
    case T_I32 * 3 + T_I64: ins(g, "i32.wrap_i64"); break;
    case T_I32 * 3 + T_F64:
        ins(g, trapping        ? "i32.trunc_f64_s"
               : chance(g, 50) ? "i32.trunc_sat_f64_s"
                               : "i32.trunc_sat_f64_u");
        break;
    case T_I64 * 3 + T_I32: ins(g, chance(g, 50) ? "i64.extend_i32_s" : "i64.extend_i32_u"); break;
    case T_I64 * 3 + T_F64:
        if (chance(g, 20)) {
            ins(g, "call $canon");
            ins(g, "i64.reinterpret_f64");
        } else {
            ins(g, trapping ? "i64.trunc_f64_u" : "i64.trunc_sat_f64_s");
        }
        break;
    case T_F64 * 3 + T_I32:
        ins(g, chance(g, 50) ? "f64.convert_i32_s" : "f64.convert_i32_u");
        break;
    default: /* f64 from i64 */
        ins(g, chance(g, 20) ? "f64.reinterpret_i64" : "f64.convert_i64_s");
        break;
    }
}

/* Leaves only the first result of a call on the stack (others into locals or dropped), then
 * makes it a t (a constant when there is no result). */
static void keep_first_as(xg *g, const xg_types *rs, xg_type t) {
    for (int i = rs->n - 1; i >= 1; i--) {
        int l = pick_local(g, rs->t[i]);
        if (l >= 0 && chance(g, 60))
            ins(g, "local.set %d", l);
        else
            ins(g, "drop");
    }
    if (rs->n == 0) {
        gen_const(g, t);
        return;
    }
    xg_type have = rs->t[0];
    if (have == t) return;
    static const char *const conv[T_COUNT][T_COUNT] = {
        {NULL, "i32.wrap_i64", "i32.trunc_sat_f64_s"},
        {"i64.extend_i32_u", NULL, "i64.trunc_sat_f64_s"},
        {"f64.convert_i32_s", "f64.convert_i64_u", NULL}};
    ins(g, "%s", conv[t][have]);
}

/* A callee of $f<cur> (index > cur) whose cost fits the budget; -1 if none. */
static int pick_callee(xg *g) {
    int cand[MAX_FUNCS], n = 0;
    for (int j = g->cur + 1; j < g->nfuncs; j++)
        if (g->mult * (g->funcs[j].cost + 10) + g->cost < WORK_BUDGET) cand[n++] = j;
    return n ? cand[below(g, (uint32_t)n)] : -1;
}

static void gen_call(xg *g, int callee) {
    const xg_func *f = &g->funcs[callee];
    for (int i = 0; i < f->params.n; i++)
        gen_expr(g, f->params.t[i]);
    ins(g, "call $f%d", callee);
    g->cost += g->mult * (f->cost + 10);
}

static void gen_expr(xg *g, xg_type t) {
    if (g->expr_depth >= MAX_EXPR_DEPTH || chance(g, 25)) {
        gen_leaf(g, t);
        return;
    }
    g->expr_depth++;
    uint32_t r = below(g, 100);
    if (r < 25) {
        gen_binop(g, t);
    } else if (r < 33) {
        gen_unop(g, t);
    } else if (r < 53) {
        gen_load(g, t);
    } else if (r < 65) {
        gen_convert(g, t);
    } else if (r < 71) {
        gen_expr(g, t);
        gen_expr(g, t);
        gen_expr(g, T_I32);
        ins(g, "select");
    } else if (r < 78) {
        int l = pick_local(g, t);
        gen_expr(g, t);
        if (l >= 0) ins(g, "local.tee %d", l);
    } else if (r < 84 && g->simple_floor < 0) {
        int c = pick_callee(g);
        if (c >= 0) {
            gen_call(g, c);
            keep_first_as(g, &g->funcs[c].results, t);
        } else {
            gen_leaf(g, t);
        }
    } else if (r < 89 && g->stmt_depth < MAX_STMT_DEPTH) { /* block with a result */
        xg_types rt = {{t}, 1};
        ins(g, "block (result %s)", type_name[t]);
        push_label(g, &rt, false);
        g->stmt_depth++;
        gen_stmts(g, (int)below(g, 3));
        gen_expr(g, t);
        g->stmt_depth--;
        pop_label(g);
        ins(g, "end");
    } else if (r < 94 && g->stmt_depth < MAX_STMT_DEPTH) { /* if with a result */
        xg_types rt = {{t}, 1};
        gen_expr(g, T_I32);
        ins(g, "if (result %s)", type_name[t]);
        push_label(g, &rt, false);
        g->stmt_depth++;
        gen_stmts(g, (int)below(g, 2));
        gen_expr(g, t);
        pop_label(g);
        ins(g, "else");
        push_label(g, &rt, false);
        gen_stmts(g, (int)below(g, 2));
        gen_expr(g, t);
        g->stmt_depth--;
        pop_label(g);
        ins(g, "end");
    } else if (r < 97 && t == T_I32) {
        if (chance(g, 80) || g->simple_floor >= 0) {
            ins(g, "memory.size");
        } else {
            ins(g, "i32.const %u", below(g, 2));
            ins(g, "memory.grow");
        }
    } else {
        gen_leaf(g, t);
    }
    g->expr_depth--;
}

/* ---- statements ---- */

/* Consumes values of types ts (the last on top): into locals, the accumulator, or dropped. */
static void consume(xg *g, const xg_types *ts) {
    for (int i = ts->n - 1; i >= 0; i--) {
        int l = pick_local(g, ts->t[i]);
        uint32_t r = below(g, 10);
        if (r < 5 && l >= 0) {
            ins(g, "local.set %d", l);
        } else if (r < 8) {
            if (ts->t[i] == T_I32) ins(g, "i64.extend_i32_u");
            if (ts->t[i] == T_F64) ins(g, "i64.trunc_sat_f64_s");
            ins(g, "local.get %d", g->acc);
            ins(g, "i64.const 1000003");
            ins(g, "i64.mul");
            ins(g, "i64.xor");
            ins(g, "local.set %d", g->acc);
        } else {
            ins(g, "drop");
        }
    }
}

static void push_values(xg *g, const xg_types *ts) {
    for (int i = 0; i < ts->n; i++)
        gen_expr(g, ts->t[i]);
}

static void gen_store(xg *g) {
    static const char *const ops[] = {"i32.store8", "i32.store16", "i32.store",
                                      "i64.store8", "i64.store16", "i64.store32",
                                      "i64.store",  "f64.store",   "f32.store"};
    static const uint32_t width[] = {1, 2, 4, 1, 2, 4, 8, 8, 4};
    static const xg_type vt[] = {T_I32, T_I32, T_I32, T_I64, T_I64, T_I64, T_I64, T_F64, T_F64};
    uint32_t k = below(g, 9);
    char ma[64];
    gen_addr(g, width[k]);
    gen_expr(g, vt[k]);
    if (vt[k] == T_F64) ins(g, "call $canon");
    if (k == 8) ins(g, "f32.demote_f64");
    mem_arg(g, width[k], ma, sizeof ma);
    ins(g, "%s%s", ops[k], ma);
}

/* A block or if with random parameters and results. */
static void gen_block(xg *g, bool is_if) {
    xg_types ps, rs;
    random_types(g, &ps, 2);
    random_types(g, &rs, 2);
    char pt[64], rt[64];
    block_type("param", &ps, pt, sizeof pt);
    block_type("result", &rs, rt, sizeof rt);
    push_values(g, &ps);
    if (is_if) gen_expr(g, T_I32);
    ins(g, "%s%s%s", is_if ? "if" : "block", pt, rt);
    g->stmt_depth++;
    for (int arm = 0; arm < (is_if ? 2 : 1); arm++) {
        if (arm == 1) ins(g, "else");
        push_label(g, &rs, false);
        consume(g, &ps);
        gen_stmts(g, 1 + (int)below(g, 2));
        if (chance(g, 15)) { /* ends with an unconditional branch: the rest is unreachable */
            int d = pick_target(g, NULL);
            if (d >= 0) {
                push_values(g, &g->labels[g->nlabels - 1 - d].branch);
                ins(g, "br %d", d);
            } else {
                push_values(g, &rs);
            }
        } else {
            push_values(g, &rs);
        }
        pop_label(g);
    }
    g->stmt_depth--;
    ins(g, "end");
    consume(g, &rs);
}

/* A loop: a counter (never written elsewhere), 0-2 induction variables, parameters sometimes,
 * in the do-while shape or the general one. */
static void gen_loop(xg *g) {
    int cnt = new_local(g, T_I32, true);
    if (cnt < 0) return;
    double room = (WORK_BUDGET - g->cost) / (g->mult * 40.0);
    if (room < 1) room = 1;
    uint32_t r = below(g, 100), n;
    if (r < 15)
        n = 1 + below(g, 3);
    else if (r < 60)
        n = 4 + below(g, 30);
    else
        n = 50 + below(g, 2000);
    if (n > room) n = (uint32_t)room;
    if (n < 1) n = 1;
    ins(g, "i32.const %u", n);
    ins(g, "local.set %d", cnt);

    /* induction variables, initialised before the loop */
    int niv0 = g->niv, nnew = (int)below(g, 3);
    for (int i = 0; i < nnew && g->niv < MAX_IVS; i++) {
        int x = pick_local(g, T_I32);
        if (x < 0 || x == g->base[0] || x == g->base[1]) continue;
        static const uint32_t steps[] = {1, 2, 4, 8, 8, 16, 4, 24, 4096, 65535, 65536, 0x7FFFFFF8};
        uint32_t s = steps[below(g, chance(g, 85) ? 8 : 12)];
        if ((uint64_t)s * n > 30000 && chance(g, 85)) s = 1u << below(g, 3);
        if ((uint64_t)s * n > 30000 && chance(g, 85)) s = 1;
        if (chance(g, 70)) {
            ins(g, "i32.const %u", below(g, 64) * 8);
        } else {
            gen_expr(g, T_I32);
            ins(g, "i32.const 0x3ff8");
            ins(g, "i32.and");
        }
        ins(g, "local.set %d", x);
        g->ivs[g->niv].local = x;
        g->ivs[g->niv].step = s;
        g->niv++;
    }

    bool do_while = chance(g, 60);
    xg_types ps = {{T_I32}, 0}, rs;
    if (chance(g, 25)) random_types(g, &ps, 2);
    char pt[64], rt[64];
    block_type("param", &ps, pt, sizeof pt);
    push_values(g, &ps);
    double saved_mult = g->mult;
    g->cost += g->mult * n * 20;
    g->mult *= n;
    g->loop_depth++;
    g->stmt_depth++;
    int saved_floor = g->simple_floor;
    if (do_while) {
        rs = ps; /* the final br_if leaves the parameters as results */
        block_type("result", &rs, rt, sizeof rt);
        ins(g, "loop%s%s", pt, rt);
        if (chance(g, 60)) g->simple_floor = g->nlabels;
        push_label(g, &ps, true);
        consume(g, &ps);
    } else {
        random_types(g, &rs, 1);
        block_type("result", &rs, rt, sizeof rt);
        ins(g, "block%s%s", pt, rt);
        xg_types none = {{T_I32}, 0};
        push_label(g, &rs, false);
        ins(g, "loop%s%s", pt, rt);
        push_label(g, &ps, false);
        /* the counter at the top: leave with results when it is zero */
        ins(g, "local.get %d", cnt);
        ins(g, "i32.eqz");
        ins(g, "if");
        push_label(g, &none, false);
        for (int i = 0; i < rs.n; i++)
            gen_const(g, rs.t[i]); /* no code that could branch back */
        ins(g, "br 2");
        pop_label(g);
        ins(g, "end");
        ins(g, "local.get %d", cnt);
        ins(g, "i32.const 1");
        ins(g, "i32.sub");
        ins(g, "local.set %d", cnt);
        consume(g, &ps);
    }
    /* body: statements, the increments at top level, statements after them */
    gen_stmts(g, 1 + (int)below(g, 3));
    for (int i = niv0; i < g->niv; i++) {
        ins(g, "local.get %d", g->ivs[i].local);
        ins(g, "i32.const %u", g->ivs[i].step);
        ins(g, "i32.add");
        ins(g, "local.set %d", g->ivs[i].local);
    }
    if (chance(g, 60)) gen_stmts(g, 1 + (int)below(g, 2));
    if (do_while) {
        push_values(g, &ps);
        ins(g, "local.get %d", cnt);
        ins(g, "i32.const 1");
        ins(g, "i32.sub");
        ins(g, "local.tee %d", cnt);
        ins(g, "br_if 0");
        pop_label(g);
        ins(g, "end");
    } else {
        uint32_t how = below(g, 3);
        if (how == 0) { /* unconditional back edge */
            push_values(g, &ps);
            ins(g, "br 0");
        } else if (how == 1 && ps.n == 0) { /* conditional back edge, then fall out */
            gen_expr(g, T_I32);
            ins(g, "br_if 0");
            push_values(g, &rs);
        } else { /* falls off the end: one iteration unless a branch repeated it */
            push_values(g, &rs);
        }
        pop_label(g);
        ins(g, "end");
        pop_label(g);
        ins(g, "end");
    }
    g->simple_floor = saved_floor;
    g->stmt_depth--;
    g->loop_depth--;
    g->mult = saved_mult;
    g->niv = niv0;
    consume(g, &rs);
}

static void gen_br_table(xg *g) {
    int nb = 1 + (int)below(g, 3);
    xg_types none = {{T_I32}, 0};
    for (int i = 0; i < nb; i++) {
        ins(g, "block");
        push_label(g, &none, false);
    }
    gen_expr(g, T_I32);
    if (chance(g, 70)) {
        ins(g, "i32.const %d", nb + 1);
        ins(g, "i32.rem_u");
    }
    char list[256];
    size_t k = 0;
    int ntargets = 1 + (int)below(g, 4);
    for (int i = 0; i <= ntargets && k < sizeof list; i++) {
        int d = chance(g, 75) ? (int)below(g, (uint32_t)nb) : pick_target(g, &none);
        if (d < 0) d = 0;
        k += (size_t)snprintf(list + k, sizeof list - k, " %d", d);
    }
    ins(g, "br_table%s", list);
    for (int i = 0; i < nb; i++) {
        pop_label(g);
        ins(g, "end");
        if (i + 1 < nb) gen_stmts(g, (int)below(g, 2));
    }
}

static void gen_stmt(xg *g) {
    uint32_t r = below(g, 100);
    bool deep = g->stmt_depth >= MAX_STMT_DEPTH;
    if (g->simple_floor >= 0) { /* locals, stores, folds, blocks, ifs, br_if inside */
        uint32_t k = below(g, 100);
        r = k < 25   ? below(g, 15)
            : k < 60 ? 15 + below(g, 17)
            : k < 72 ? 32
            : k < 82 ? 60
            : k < 90 ? 67
                     : 74;
    }
    if (r < 15) {
        xg_type t = any_type(g);
        int l = pick_local(g, t);
        gen_expr(g, t);
        if (l >= 0)
            ins(g, "local.set %d", l);
        else
            ins(g, "drop");
    } else if (r < 32) {
        gen_store(g);
    } else if (r < 42) {
        xg_types one = {{any_type(g)}, 1};
        push_values(g, &one);
        consume(g, &one);
    } else if (r < 60 && !deep && g->loop_depth < MAX_LOOP_DEPTH) {
        gen_loop(g);
    } else if (r < 67 && !deep) {
        gen_block(g, false);
    } else if (r < 74 && !deep) {
        gen_block(g, true);
    } else if (r < 82) { /* br_if to a random label, the values it leaves consumed */
        int d = pick_target(g, NULL);
        if (d < 0) return;
        xg_types bt = g->labels[g->nlabels - 1 - d].branch;
        push_values(g, &bt);
        gen_expr(g, T_I32);
        if (chance(g, 50)) {
            ins(g, "i32.const 3");
            ins(g, "i32.and");
            ins(g, "i32.eqz");
        }
        ins(g, "br_if %d", d);
        consume(g, &bt);
    } else if (r < 86 && !deep) {
        gen_br_table(g);
    } else if (r < 91) {
        int c = pick_callee(g);
        if (c < 0) return;
        gen_call(g, c);
        consume(g, &g->funcs[c].results);
    } else if (r < 93) { /* return, under a condition */
        xg_types none = {{T_I32}, 0};
        gen_expr(g, T_I32);
        ins(g, "i32.const 15");
        ins(g, "i32.and");
        ins(g, "i32.eqz");
        ins(g, "if");
        push_label(g, &none, false);
        push_values(g, &g->fresults);
        ins(g, "return");
        pop_label(g);
        ins(g, "end");
    } else if (r < 94) { /* unreachable, under a rare condition */
        gen_expr(g, T_I32);
        ins(g, "i32.const 0x3ff");
        ins(g, "i32.and");
        ins(g, "i32.const 77");
        ins(g, "i32.eq");
        ins(g, "if");
        ins(g, "  unreachable");
        ins(g, "end");
    } else if (r < 96) {
        ins(g, "i32.const %u", below(g, 2));
        ins(g, "memory.grow");
        xg_types one = {{T_I32}, 1};
        consume(g, &one);
    } else { /* reassign a base (invariance broken for enclosing loops) */
        ins(g, "local.get %d", g->base[below(g, 2)]);
        ins(g, "i32.const %u", below(g, 4) * 8);
        ins(g, "i32.add");
        ins(g, "local.set %d", g->base[below(g, 2)]);
    }
}

static void gen_stmts(xg *g, int n) {
    int saved = g->expr_depth;
    for (int i = 0; i < n; i++) {
        g->expr_depth = 0;
        gen_stmt(g);
    }
    g->expr_depth = saved;
}

/* ---- functions and the module ---- */

/* Starts a function: parameters, the general locals, the bases, the accumulator. */
static void begin_func(xg *g, const xg_types *params, const xg_types *results) {
    g->nlocals = 0;
    for (int i = 0; i < params->n; i++)
        new_local(g, params->t[i], false);
    g->nparams = g->nlocals;
    for (int i = 0; i < 4; i++)
        new_local(g, T_I32, false);
    for (int i = 0; i < 2; i++)
        new_local(g, T_I64, false);
    for (int i = 0; i < 2; i++)
        new_local(g, T_F64, false);
    g->base[0] = new_local(g, T_I32, true);
    g->base[1] = new_local(g, T_I32, true);
    g->acc = new_local(g, T_I64, true);
    g->fresults = *results;
    g->nlabels = 0;
    g->niv = 0;
    g->mult = 1;
    g->cost = 0;
    g->loop_depth = g->stmt_depth = g->expr_depth = 0;
    g->simple_floor = -1;
    g->body.n = 0;
    /* bases: from an i32 parameter masked into memory, or a constant */
    for (int b = 0; b < 2; b++) {
        int p = -1;
        for (int i = 0; i < g->nparams; i++)
            if (g->ltype[i] == T_I32 && chance(g, 60)) p = i;
        if (p >= 0) {
            ins(g, "local.get %d", p);
            ins(g, "i32.const %u", chance(g, 85) ? 0x3FF8u : 0xFFFFFu);
            ins(g, "i32.and");
            ins(g, "i32.const 256");
            ins(g, "i32.add");
        } else {
            ins(g, "i32.const %u", 256 + below(g, 2048) * 8);
        }
        ins(g, "local.set %d", g->base[b]);
    }
}

static void write_locals(xg *g, FILE *out) {
    if (g->nlocals == g->nparams) return;
    fprintf(out, "    (local");
    for (int i = g->nparams; i < g->nlocals; i++)
        fprintf(out, " %s", type_name[g->ltype[i]]);
    fprintf(out, ")\n");
}

static void write_sig(FILE *out, const xg_types *ps, const xg_types *rs) {
    char pt[64], rt[64];
    block_type("param", ps, pt, sizeof pt);
    block_type("result", rs, rt, sizeof rt);
    fprintf(out, "%s%s\n", pt, rt);
}

static void gen_func(xg *g, int j, FILE *out) {
    xg_func *f = &g->funcs[j];
    g->cur = j;
    begin_func(g, &f->params, &f->results);
    gen_stmts(g, 2 + (int)below(g, 4));
    ins(g, "global.get $gacc");
    ins(g, "i64.const 31");
    ins(g, "i64.mul");
    ins(g, "local.get %d", g->acc);
    ins(g, "i64.add");
    ins(g, "global.set $gacc");
    push_values(g, &f->results);
    f->cost = g->cost + 50;
    fprintf(out, "  (func $f%d", j);
    write_sig(out, &f->params, &f->results);
    write_locals(g, out);
    fwrite(g->body.p, 1, g->body.n, out);
    fprintf(out, "  )\n");
}

static void gen_run(xg *g, FILE *out) {
    xg_types ps = {{T_I32, T_I32, T_I32}, 3}, rs = {{T_I64}, 1};
    g->cur = g->nfuncs;
    begin_func(g, &ps, &rs);
    g->cur = -1; /* $run may call every $f<i> */
    gen_stmts(g, 3 + (int)below(g, 5));
    g->cur = g->nfuncs;
    ins(g, "local.get %d", g->acc);
    ins(g, "call $hash");
    ins(g, "i64.xor");
    ins(g, "global.get $gacc");
    ins(g, "i64.add");
    fprintf(out, "  (func $run");
    write_sig(out, &ps, &rs);
    write_locals(g, out);
    fwrite(g->body.p, 1, g->body.n, out);
    fprintf(out, "  )\n");
}

/* The fixed part: $canon, $hash (FNV-like over the first page, a do-while loop itself). */
static const char fixed_funcs[] =
    "  (func $canon (param f64) (result f64)\n"
    "    local.get 0 f64.const 0 local.get 0 local.get 0 f64.eq select)\n"
    "  (func $hash (result i64) (local i32 i64)\n"
    "    i64.const 0xcbf29ce484222325 local.set 1\n"
    "    loop\n"
    "      local.get 1 local.get 0 i64.load i64.xor i64.const 0x100000001b3 i64.mul local.set 1\n"
    "      local.get 0 i32.const 8 i32.add local.tee 0 i32.const 65536 i32.lt_u br_if 0\n"
    "    end\n"
    "    local.get 1)\n";

bool xgen_write_module(uint64_t seed, FILE *out) {
    xg *g = calloc(1, sizeof *g);
    if (!g) return false;
    g->rng = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    for (int i = 0; i < 4; i++)
        rnd(g);
    uint32_t pages = 1 + below(g, 2);
    g->mem_bytes = pages * 65536u;
    fprintf(out, ";; generated by xlat_gen, seed %llu\n(module\n", (unsigned long long)seed);
    fprintf(out, "  (memory %u %u)\n", pages, pages + 1 + below(g, 2));
    fprintf(out, "  (global $gacc (mut i64) (i64.const 0))\n");
    uint32_t dlen = 16 + below(g, 240), doff = below(g, 4096);
    fprintf(out, "  (data $d0 \"");
    for (uint32_t i = 0; i < dlen; i++)
        fprintf(out, "\\%02x", (unsigned)(rnd(g) >> 56));
    fprintf(out, "\")\n");
    fputs(fixed_funcs, out);

    g->nfuncs = (int)below(g, MAX_FUNCS + 1);
    for (int j = 0; j < g->nfuncs; j++) {
        random_types(g, &g->funcs[j].params, 3);
        random_types(g, &g->funcs[j].results, 2);
    }
    for (int j = g->nfuncs - 1; j >= 0; j--)
        gen_func(g, j, out);
    gen_run(g, out);

    static const uint32_t fixed_args[][3] = {{0, 0, 0}, {0xFFFFFFFF, 0x80000000, 7}};
    for (int k = 0; k < XGEN_RUNS; k++) {
        uint32_t a[3];
        for (int i = 0; i < 3; i++)
            a[i] = k < 2 ? fixed_args[k][i] : chance(g, 50) ? below(g, 5000) : (uint32_t)rnd(g);
        fprintf(out,
                "  (func (export \"run%d\") (result i64)\n"
                "    i32.const 0 i32.const 0 memory.size i32.const 16 i32.shl memory.fill\n"
                "    i32.const %u i32.const 0 i32.const %u memory.init $d0\n"
                "    i64.const 0 global.set $gacc\n"
                "    i32.const %u i32.const %u i32.const %u call $run)\n",
                k, doff, dlen, a[0], a[1], a[2]);
    }
    fprintf(out, ")\n");
    bool ok = !g->body.oom && !ferror(out);
    free(g->body.p);
    free(g);
    return ok;
}

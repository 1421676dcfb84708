/*
 * xlat_loop.c — pointer induction variables for the addresses of loops ("shadows").
 *
 * The problem. clang compiles `for (j...) out[j] = up[j] + down[j]` to wasm as one byte-offset
 * induction variable X (X += 8 per iteration) and loop-invariant bases B, with addresses B + X.
 * The C form of such an address, mb + (uint64_t)(uint32_t)(B + X), must wrap at 2^32 as wasm
 * does, so gcc cannot see it as an affine function of the iteration: it recomputes every address
 * in 32 bits, cannot use addressing modes with two registers, cannot vectorise the loop.
 *
 * Shadows. For an access at B + X + c inside a loop L, where X is an induction variable of L (its
 * only assignment in L is `X = X + C` at L's top level, 0 < C < 65536), B is not assigned in L
 * (or absent: the address is X + c) and c is a small constant, the translator keeps a pointer
 *     x_p<k> = mb + (uint64_t)(uint32_t)(B + X + c)        set before L's label (its preheader)
 *     x_p<k> += C                                          right after X's increment
 * and writes the access as x_p<k> + offset: a pointer induction variable, which gcc strength-
 * reduces and vectorises like native code.
 *
 * Why it is exact. Let D = x_p<k> - mb; at the preheader D is the wasm value v = (B+X+c) mod 2^32.
 * After an increment D and v differ only if D + C reached 2^32. A shadow is "anchored" when some
 * access through it sits at L's top level before X's increment: every iteration that reaches the
 * increment has then performed that access, which did not trap, so D <= memory size <= 2^32 -
 * 65536 (memories stay below 65536 pages, RT_GROW_MAX_PAGES; only files that assume addresses use
 * shadows) and D + C < 2^32: D stays exact in every iteration. A shadow without an anchor is
 * recomputed after the increment instead (exact, but no faster than the plain form).
 *
 * An access at B + X + c' after an anchor of the shadow of B + X + c (c < c', translated earlier,
 * so it precedes the access in every iteration) uses that shadow + (c' - c) instead of a shadow
 * of its own (unrolled loops access p, p+1, p+2, ...), within the bound explained at shadow_for.
 *
 * Which locals are induction variables is found by a scan of the loop body when the translator
 * reaches `loop` (bounded by a per-function budget, so deeply nested loops cost linear time);
 * shadows are made on demand when an access uses one (xlat_addr.c keeps the candidate B, X, c of
 * each value), and only before X's increment has been translated (later ones would miss it).
 *
 * Loop shapes. The same scan finds the loops that gcc can vectorise and unroll: innermost, no
 * call, one way out, whose only back edge is the br_if that ends them. xlat_func.c writes those
 * as C do-while loops, and puts `#pragma GCC unroll 4` before the small ones with shadows (array
 * loops): native compilers unroll such loops after vectorising them, and a loop that clang
 * already unrolled by 2 would otherwise run one 2-lane vector per iteration.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "xlat_internal.h"

enum {
    IV_STEP_MAX = 65535,
    /* Loops of at most this many instructions are unrolled (xlat_func.c): enough for a loop
     * that clang unrolled by 2 (dgemm's: 45), while big bodies (nbody's: 120) gain nothing */
    UNROLL_MAX_INSTRS = 64
};

static int u32_cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool push_u32(uint32_t **a, uint32_t *n, uint32_t *cap, uint32_t v) {
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 16;
        uint32_t *p = realloc(*a, (size_t)c * sizeof *p);
        if (!p) return false;
        *a = p;
        *cap = c;
    }
    (*a)[(*n)++] = v;
    return true;
}

/* Scans the body of the loop that starts at fn->pos: the locals it assigns (sorted, with
 * repetitions), its candidate increments (top level `X = X + C`), and its shape: simple
 * (innermost, no call, at most one way out: a branch out, a return or falling off its end),
 * do_while (simple, and its only branch back to the loop is the br_if 0 it ends with) and small.
 * False when the scan gives up (budget, malformed code) or runs out of memory. */
static bool scan_body(xlat_fn *fn, xlat_loop *l, uint32_t **incs, uint32_t *ninc) {
    const uint8_t *p = fn->pos, *end = fn->end;
    uint32_t depth = 0, cap = 0, inc_cap = 0, exits = 0, to_loop = 0, ninstr = 0;
    bool inner = true; /* no nested loop and no call */
    wasm_instr w[3];   /* the three instructions before the current one */
    memset(w, 0, sizeof w);
    char err[8];
    while (p < end) {
        if (fn->scan_budget == 0) return false;
        fn->scan_budget--;
        wasm_instr in;
        if (!wasm_read_instr(&p, end, &in, err, sizeof err)) return false;
        ninstr++;
        switch (in.opcode) {
        case WASM_OP_LOOP: inner = false; /* fall through */
        case WASM_OP_BLOCK:
        case WASM_OP_IF: depth++; break;
        case WASM_OP_CALL:
        case WASM_OP_CALL_INDIRECT: inner = false; break;
        case WASM_OP_BR:
        case WASM_OP_BR_IF:
            exits += in.idx > depth;
            to_loop += in.idx == depth;
            break;
        case WASM_OP_BR_TABLE: exits += 2; break;
        case WASM_OP_RETURN: exits++; break;
        case WASM_OP_END:
            if (depth == 0) {
                /* the body falls through its end unless it ends in a jump */
                uint32_t last = w[2].opcode;
                if (last != WASM_OP_BR && last != WASM_OP_RETURN && last != WASM_OP_UNREACHABLE &&
                    last != WASM_OP_BR_TABLE)
                    exits++;
                l->simple = inner && exits <= 1;
                l->do_while = l->simple && to_loop == 1 && last == WASM_OP_BR_IF && w[2].idx == 0;
                l->small = ninstr <= UNROLL_MAX_INSTRS;
                if (l->nassigned > 1)
                    qsort(l->assigned, l->nassigned, sizeof *l->assigned, u32_cmp);
                return true;
            }
            depth--;
            break;
        case WASM_OP_LOCAL_SET:
        case WASM_OP_LOCAL_TEE:
            if (!push_u32(&l->assigned, &l->nassigned, &cap, in.idx)) return false;
            if (depth == 0 && w[0].opcode == WASM_OP_LOCAL_GET && w[0].idx == in.idx &&
                w[1].opcode == WASM_OP_I32_CONST && w[1].i32 > 0 && w[1].i32 <= IV_STEP_MAX &&
                w[2].opcode == WASM_OP_I32_ADD) {
                if (!push_u32(incs, ninc, &inc_cap, in.idx) ||
                    !push_u32(incs, ninc, &inc_cap, w[1].i32))
                    return false;
            }
            break;
        default: break;
        }
        w[0] = w[1];
        w[1] = w[2];
        w[2] = in;
    }
    return false;
}

/* How often local x is assigned in the loop body (binary search in the sorted list). */
static uint32_t assignments(const xlat_loop *l, uint32_t x) {
    uint32_t lo = 0, hi = l->nassigned;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (l->assigned[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t n = 0;
    while (lo + n < l->nassigned && l->assigned[lo + n] == x)
        n++;
    return n;
}

void xlat_loop_enter(xlat_fn *fn, xlat_ctl *c) {
    c->loop = UINT32_MAX;
    if (fn->oom || !fn->file->assume_addresses || !fn->loop_accesses) return;
    if (fn->nloops == fn->loops_cap) {
        uint32_t cap = fn->loops_cap ? fn->loops_cap * 2 : 8;
        xlat_loop *p = realloc(fn->loops, (size_t)cap * sizeof *p);
        if (!p) {
            fn->oom = true;
            return;
        }
        fn->loops = p;
        fn->loops_cap = cap;
    }
    xlat_loop *l = &fn->loops[fn->nloops];
    memset(l, 0, sizeof *l);
    xlat_buf_init(&l->pre);
    l->out_pos = fn->out.len;
    uint32_t *incs = NULL, ninc = 0;
    bool ok = scan_body(fn, l, &incs, &ninc);
    if (ok && ninc > 0) {
        l->ivs = malloc((size_t)ninc / 2 * sizeof *l->ivs);
        l->iv_step = malloc((size_t)ninc / 2 * sizeof *l->iv_step);
        l->iv_done = calloc(ninc / 2, 1);
        ok = l->ivs && l->iv_step && l->iv_done;
        if (!ok) fn->oom = true;
    }
    for (uint32_t i = 0; ok && i < ninc; i += 2) {
        if (assignments(l, incs[i]) != 1) continue; /* the increment must be its only assignment */
        l->ivs[l->nivs] = incs[i];
        l->iv_step[l->nivs] = incs[i + 1];
        l->nivs++;
    }
    free(incs);
    if (!ok || l->nivs == 0) { /* nothing to do in this loop */
        xlat_loop_free(l);
        return;
    }
    c->loop = fn->nloops++;
}

void xlat_loop_free(xlat_loop *l) {
    free(l->assigned);
    free(l->ivs);
    free(l->iv_step);
    free(l->iv_done);
    xlat_buf_free(&l->pre);
    memset(l, 0, sizeof *l);
}

/* Index of local x among loop l's induction variables, or -1. */
static int iv_index(const xlat_loop *l, uint32_t x) {
    for (uint32_t i = 0; i < l->nivs; i++)
        if (l->ivs[i] == x) return (int)i;
    return -1;
}

bool xlat_loop_candidate(const xlat_fn *fn, uint32_t a, uint32_t b, xlat_addrinfo *r) {
    if (fn->nloops == 0) return false;
    /* innermost enclosing loop first: there the value changes most often */
    for (uint32_t k = fn->nctl; k-- > 0;) {
        const xlat_ctl *c = &fn->ctl[k];
        if (c->kind != XLAT_CTL_LOOP || c->loop == UINT32_MAX) continue;
        const xlat_loop *l = &fn->loops[c->loop];
        for (int swap = 0; swap < 2; swap++) {
            uint32_t x = swap ? b : a, base = swap ? a : b;
            if (x == UINT32_MAX || x == base || iv_index(l, x) < 0) continue;
            if (base != UINT32_MAX && assignments(l, base) != 0) continue;
            r->sh_loop = c->loop;
            r->sh_base = base;
            r->sh_iv = x;
            r->sh_ver = fn->locals[x].ver;
            r->sh_add = 0;
            return true;
        }
    }
    return false;
}

/* The shadow for a candidate, made if need be, and the displacement to add to it; UINT32_MAX
 * when there can be none. */
static uint32_t shadow_for(xlat_fn *fn, const xlat_addrinfo *a, uint32_t *disp) {
    xlat_loop *l = &fn->loops[a->sh_loop];
    int iv = iv_index(l, a->sh_iv);
    assert(iv >= 0);
    uint32_t near = UINT32_MAX;
    for (uint32_t s = 0; s < fn->nshadows; s++) {
        const xlat_shadow *sh = &fn->shadows[s];
        if (sh->loop != a->sh_loop || sh->base != a->sh_base || sh->iv != a->sh_iv) continue;
        if (sh->add == a->sh_add) {
            *disp = 0;
            return s;
        }
        /* An anchored shadow of the same base and variable with a smaller constant: its anchor
         * precedes this access in every iteration (it was translated earlier, at the top level),
         * so its D <= memory size here, or <= memory size + step after the increment, and
         * D + (add - sh->add) cannot reach 2^32 while step + that difference <= 65536. */
        if (sh->anchored && sh->add < a->sh_add &&
            (uint64_t)(a->sh_add - sh->add) + l->iv_step[iv] <= 65536 &&
            (near == UINT32_MAX || sh->add > fn->shadows[near].add))
            near = s;
    }
    if (near != UINT32_MAX) {
        *disp = a->sh_add - fn->shadows[near].add;
        return near;
    }
    if (l->iv_done[iv]) return UINT32_MAX; /* its increment is behind us */
    if (fn->nshadows == fn->shadows_cap) {
        uint32_t cap = fn->shadows_cap ? fn->shadows_cap * 2 : 8;
        xlat_shadow *p = realloc(fn->shadows, (size_t)cap * sizeof *p);
        if (!p) {
            fn->oom = true;
            return UINT32_MAX;
        }
        fn->shadows = p;
        fn->shadows_cap = cap;
    }
    uint32_t s = fn->nshadows++;
    fn->shadows[s] = (xlat_shadow){a->sh_loop, a->sh_base, a->sh_iv, a->sh_add, false};
    xlat_shadow_init(&l->pre, &fn->shadows[s], s);
    *disp = 0;
    return s;
}

void xlat_shadow_init(xlat_buf *b, const xlat_shadow *sh, uint32_t s) {
    xlat_buf_printf(b, "  x_p%u = mb + (uint64_t)(uint32_t)(", s);
    if (sh->base != UINT32_MAX) xlat_buf_printf(b, "l%u + ", sh->base);
    xlat_buf_printf(b, "l%u + %uu);\n", sh->iv, sh->add);
}

bool xlat_loop_address(xlat_fn *fn, uint32_t depth, uint32_t *shadow, uint32_t *disp) {
    if (fn->oom) return false;
    xlat_addrinfo *a = &fn->addr[depth];
    /* the address is an induction variable itself */
    if (a->sh_loop == UINT32_MAX && a->local != UINT32_MAX)
        xlat_loop_candidate(fn, a->local, UINT32_MAX, a);
    if (a->sh_loop == UINT32_MAX || fn->locals[a->sh_iv].ver != a->sh_ver) return false;
    uint32_t s = shadow_for(fn, a, disp);
    if (s == UINT32_MAX) return false;
    xlat_loop *l = &fn->loops[a->sh_loop];
    /* an anchor: an access through the shadow itself at the top level of its loop, before the
     * increment */
    const xlat_ctl *top = &fn->ctl[fn->nctl - 1];
    if (*disp == 0 && top->kind == XLAT_CTL_LOOP && top->loop == a->sh_loop &&
        !l->iv_done[iv_index(l, a->sh_iv)])
        fn->shadows[s].anchored = true;
    *shadow = s;
    return true;
}

void xlat_loop_assigned(xlat_fn *fn, uint32_t x) {
    if (fn->nloops == 0) return;
    for (uint32_t k = fn->nctl; k-- > 0;) {
        const xlat_ctl *c = &fn->ctl[k];
        if (c->kind != XLAT_CTL_LOOP || c->loop == UINT32_MAX) continue;
        xlat_loop *l = &fn->loops[c->loop];
        int iv = iv_index(l, x);
        if (iv < 0) continue;
        /* the scan found this to be x's only assignment in the loop: its increment */
        l->iv_done[iv] = 1;
        for (uint32_t s = 0; s < fn->nshadows; s++) {
            const xlat_shadow *sh = &fn->shadows[s];
            if (sh->loop != c->loop || sh->iv != x) continue;
            if (sh->anchored)
                xlat_buf_printf(&fn->out, "  x_p%u += %uu;\n", s, l->iv_step[iv]);
            else
                xlat_shadow_init(&fn->out, sh, s);
        }
        return;
    }
}

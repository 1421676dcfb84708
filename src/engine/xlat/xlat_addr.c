/*
 * xlat_addr.c — what the translator knows about i32 values as addresses, and how it writes the
 * address of a load or store from that knowledge.
 *
 * Every access is at wasm address E = ((v mod 2^32) + offset), where v is the address operand.
 * The plain C form is `mb + (uint64_t)v + offset` (the 32-bit v zero-extended), always right. Two
 * kinds of knowledge allow better forms (see xlat_memory.c for why they matter to gcc):
 *
 * Slack: v <= X_ADDR_LIMIT + slack (0xFFFF0000 + slack) is known, because an access at v has
 * executed (xlat_address_accessed: at a larger address it would have trapped) or it was derived
 * from such a value by adding a small constant. Then v + c (c <= 0xFFFF - slack) cannot wrap around
 * 2^32.
 *
 * Relations: v == l<b> + disp, exactly as integers (no wrap), for a local b as long as b keeps the
 * version it had (every assignment to a local bumps its version):
 *   - disp >= 0 comes from adding a small constant to a value with slack: the address is then
 *     written `mb + (uint64_t)l<b> + (disp + offset)`, so that accesses to neighbouring fields
 *     share one base and one register;
 *   - disp < 0 (down to -65536) comes from adding a small negative constant (clang's `p - 8`,
 *     `i32.add (local.get p) (i32.const -8)`) to any local. With offset 0 the address is written
 *     `mb + (uint64_t)l<b> - |disp|`. That is exact when l<b> >= |disp|; otherwise the wasm
 *     address wraps to 2^32 - something <= 65536, above every memory that starts below 65536
 *     pages (memory.grow never reaches 65536 pages, RT_GROW_MAX_PAGES), so the access must trap,
 *     and the C address lies in the RT_MEMORY_GUARD_BELOW bytes the runtime keeps inaccessible
 *     below every memory, so it does. With an offset the C address could land inside memory
 *     instead, so offsets fall back to the plain form. Only files that assume addresses (memory
 *     below 65536 pages, xlat_module.c) use negative relations.
 * A relation travels through local.set/tee into the assigned local and back out of local.get.
 *
 * Shadow candidates: the value is l<b> + l<x> + c (or l<x> + c) where x is an induction variable
 * of an enclosing loop and b is invariant in it; an access at such a value may use a pointer that
 * the loop maintains (xlat_loop.c). They travel through locals like relations.
 *
 * Knowledge is per straight-line stretch of code: every label forgets it (values may arrive from
 * elsewhere), which `gen` implements for locals: their knowledge is valid while its generation is
 * the current one.
 */
#include <stdio.h>

#include "xlat_internal.h"

/* The highest address + offset an access can have without trapping (memory < 65536 pages). */
#define X_ADDR_LIMIT   0xFFFF0000u
#define ADDR_SLACK_MAX 0xFFFFu
#define NEG_DISP_MAX   65536 /* |disp| of negative relations; RT_MEMORY_GUARD_BELOW covers it */

const xlat_addrinfo xlat_addr_unknown = {
    .slack = UINT32_MAX, .local = UINT32_MAX, .base_local = UINT32_MAX, .sh_loop = UINT32_MAX};

void xlat_note_const(xlat_fn *fn, uint32_t depth, uint32_t value) {
    if (fn->oom) return;
    fn->addr[depth].is_const = true;
    fn->addr[depth].cval = value;
}

/* Sets the relation of position `depth` to l<base> + disp. */
static void set_relation(xlat_fn *fn, uint32_t depth, uint32_t base, uint32_t ver, int64_t disp) {
    xlat_addrinfo *r = &fn->addr[depth];
    r->base_local = base;
    r->base_ver = ver;
    r->base_disp = disp;
}

/* The relation of `a` if it is still valid (its base local unchanged). */
static bool relation_of(const xlat_fn *fn, const xlat_addrinfo *a) {
    return a->base_local != UINT32_MAX && fn->locals[a->base_local].ver == a->base_ver;
}

/* v + c for a constant c taken as signed (c >= 2^31 is a negative number). */
static void note_add_const(xlat_fn *fn, xlat_addrinfo a, uint32_t c, uint32_t depth) {
    xlat_addrinfo *r = &fn->addr[depth];
    if (c < 0x80000000u) { /* small positive: needs the slack of a */
        if (a.slack == UINT32_MAX || c > ADDR_SLACK_MAX - a.slack) return;
        r->slack = a.slack + c;
        if (a.local != UINT32_MAX)
            set_relation(fn, depth, a.local, fn->locals[a.local].ver, (int64_t)c);
        else if (relation_of(fn, &a) && a.base_disp >= 0)
            set_relation(fn, depth, a.base_local, a.base_ver, a.base_disp + (int64_t)c);
        return;
    }
    int64_t neg = (int64_t)c - ((int64_t)1 << 32); /* -2^31 .. -1 */
    if (!fn->file->assume_addresses || neg < -NEG_DISP_MAX) return;
    if (relation_of(fn, &a) && a.base_disp >= 0) { /* (l + d) - n: d is exact, so is the sum */
        int64_t disp = a.base_disp + neg;
        if (disp >= -NEG_DISP_MAX) set_relation(fn, depth, a.base_local, a.base_ver, disp);
    } else if (a.local != UINT32_MAX) {
        set_relation(fn, depth, a.local, fn->locals[a.local].ver, neg);
    }
}

/* The shadow candidate of a value: its own, or that of the local it mirrors. */
static bool candidate_of(const xlat_fn *fn, const xlat_addrinfo *a, xlat_addrinfo *r) {
    if (a->sh_loop != UINT32_MAX && fn->locals[a->sh_iv].ver == a->sh_ver) {
        r->sh_loop = a->sh_loop;
        r->sh_base = a->sh_base;
        r->sh_iv = a->sh_iv;
        r->sh_ver = a->sh_ver;
        r->sh_add = a->sh_add;
        return true;
    }
    return a->local != UINT32_MAX && xlat_loop_candidate(fn, a->local, UINT32_MAX, r);
}

void xlat_note_add(xlat_fn *fn, xlat_addrinfo a, xlat_addrinfo b, uint32_t depth) {
    if (fn->oom) return;
    if (a.is_const && !b.is_const) {
        xlat_addrinfo t = a;
        a = b;
        b = t;
    }
    xlat_addrinfo *r = &fn->addr[depth];
    if (b.is_const && !a.is_const) {
        note_add_const(fn, a, b.cval, depth);
        /* base + iv + c: a shadow candidate with a larger constant */
        if (b.cval <= ADDR_SLACK_MAX && candidate_of(fn, &a, r) &&
            r->sh_add + b.cval <= ADDR_SLACK_MAX)
            r->sh_add += b.cval;
        else
            r->sh_loop = UINT32_MAX;
        return;
    }
    if (a.local != UINT32_MAX && b.local != UINT32_MAX && a.sh_loop == UINT32_MAX &&
        b.sh_loop == UINT32_MAX && !xlat_loop_candidate(fn, a.local, b.local, r))
        r->sh_loop = UINT32_MAX;
}

void xlat_note_sub(xlat_fn *fn, xlat_addrinfo a, xlat_addrinfo b, uint32_t depth) {
    if (fn->oom || a.is_const || !b.is_const || b.cval == 0) return;
    note_add_const(fn, a, 0u - b.cval, depth);
}

/* The relation usable for an access at `depth` + offset: base and displacement, or false. */
static bool usable_relation(const xlat_fn *fn, uint32_t depth, uint32_t offset, uint32_t *base,
                            int64_t *disp) {
    if (fn->oom) return false;
    const xlat_addrinfo *a = &fn->addr[depth];
    if (!relation_of(fn, a) || (a->base_disp < 0 && offset != 0)) return false;
    *base = a->base_local;
    *disp = a->base_disp + offset;
    return true;
}

void xlat_address(xlat_buf *b, const xlat_fn *fn, uint32_t depth, uint32_t offset) {
    uint32_t base;
    int64_t disp;
    if (usable_relation(fn, depth, offset, &base, &disp)) {
        if (disp >= 0)
            xlat_buf_printf(b, "mb + (uint64_t)l%u + %lluull", base, (unsigned long long)disp);
        else
            xlat_buf_printf(b, "mb + (uint64_t)l%u - %lld", base, (long long)-disp);
        return;
    }
    xlat_buf_puts(b, "mb + (uint64_t)");
    xlat_slot(b, fn, depth);
    xlat_buf_printf(b, " + %uu", offset);
}

void xlat_address_accessed(xlat_fn *fn, uint32_t depth, uint32_t offset) {
    if (fn->oom || offset > X_ADDR_LIMIT || fn->addr[depth].slack != UINT32_MAX) return;
    xlat_addrinfo *a = &fn->addr[depth];
    uint32_t base;
    int64_t disp;
    if (usable_relation(fn, depth, offset, &base, &disp) && disp < 0) {
        /* 0 <= l<base> + disp <= limit, else the access faults (below or above memory) */
        a->slack = 0;
        xlat_localinfo *l = &fn->locals[base];
        if (-disp <= ADDR_SLACK_MAX) {
            l->slack = (uint32_t)-disp;
            l->slack_gen = fn->gen;
        }
        return;
    }
    a->slack = 0;
    if (a->local != UINT32_MAX) {
        fn->locals[a->local].slack = 0;
        fn->locals[a->local].slack_gen = fn->gen;
    }
}

void xlat_addr_forget(xlat_fn *fn) {
    fn->gen++;
    if (fn->oom) return;
    for (uint32_t d = 0; d < fn->sp; d++)
        fn->addr[d] = xlat_addr_unknown;
}

void xlat_addr_local_set(xlat_fn *fn, uint32_t x, uint32_t d) {
    if (fn->oom) return;
    for (uint32_t k = 0; k < fn->sp; k++) /* positions mirroring the old value no longer do */
        if (fn->addr[k].local == x) fn->addr[k].local = UINT32_MAX;
    xlat_localinfo *l = &fn->locals[x];
    const xlat_addrinfo *a = &fn->addr[d];
    l->slack = a->slack;
    l->slack_gen = fn->gen;
    l->rel_gen = 0;
    /* x = l<b> + disp; a relation of x to itself would refer to its old value: none */
    if (relation_of(fn, a) && a->base_local != x) {
        l->rel_gen = fn->gen;
        l->rel_local = a->base_local;
        l->rel_ver = a->base_ver;
        l->rel_disp = a->base_disp;
    }
    l->sh_gen = 0;
    if (a->sh_loop != UINT32_MAX && a->sh_iv != x) {
        l->sh_gen = fn->gen;
        l->sh_loop = a->sh_loop;
        l->sh_base = a->sh_base;
        l->sh_iv = a->sh_iv;
        l->sh_ver = a->sh_ver;
        l->sh_add = a->sh_add;
    }
    l->ver++;
    xlat_loop_assigned(fn, x);
}

void xlat_addr_local_get(xlat_fn *fn, uint32_t x, uint32_t d) {
    if (fn->oom) return;
    xlat_localinfo *l = &fn->locals[x];
    xlat_addrinfo *a = &fn->addr[d];
    a->local = x;
    if (l->slack_gen == fn->gen) a->slack = l->slack;
    if (l->rel_gen == fn->gen) set_relation(fn, d, l->rel_local, l->rel_ver, l->rel_disp);
    if (l->sh_gen == fn->gen) {
        a->sh_loop = l->sh_loop;
        a->sh_base = l->sh_base;
        a->sh_iv = l->sh_iv;
        a->sh_ver = l->sh_ver;
        a->sh_add = l->sh_add;
    }
}

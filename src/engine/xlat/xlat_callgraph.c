/*
 * xlat_callgraph.c — the module's direct call graph, for two decisions of the translator:
 *
 *   called_directly[j]  some `call` names defined function j: it gets a typed-entry wrapper so
 *                       that f<j> itself stays local to gcc (see xlat_module.c);
 *   recursive[j]        j lies on a cycle of direct calls (including calling itself): its body
 *                       starts with an empty volatile asm, which makes it impure to gcc, so a
 *                       call to it can never be deleted as side-effect free — infinite recursion
 *                       must exhaust the stack and trap, not vanish (the spec tests check it).
 *                       Non-recursive functions get no asm, so inlining them never puts one into
 *                       a loop (where it would stop the vectoriser).
 *
 * Cycles are the strongly connected components found by Tarjan's algorithm, run iteratively
 * (modules have tens of thousands of functions; recursion on the C stack would be a liability).
 * Calls through tables cannot be removed by gcc anyway, so only `call` edges matter.
 */
#include <stdlib.h>
#include <string.h>

#include "xlat_internal.h"

typedef struct edges {
    uint32_t *from, *to;
    size_t n, cap;
} edges;

static bool add_edge(edges *e, uint32_t from, uint32_t to) {
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 256;
        uint32_t *f = realloc(e->from, cap * sizeof *f);
        if (!f) return false;
        e->from = f;
        uint32_t *t = realloc(e->to, cap * sizeof *t);
        if (!t) return false;
        e->to = t;
        e->cap = cap;
    }
    e->from[e->n] = from;
    e->to[e->n] = to;
    e->n++;
    return true;
}

/* Tarjan over the CSR graph (first[v]..first[v+1] index into succ). */
static bool find_cycles(uint32_t n, const size_t *first, const uint32_t *succ, uint8_t *recursive) {
    uint32_t *index = malloc((size_t)n * sizeof *index);
    uint32_t *low = malloc((size_t)n * sizeof *low);
    uint32_t *stack = malloc((size_t)n * sizeof *stack);
    uint8_t *on_stack = calloc(n, 1);
    uint32_t *call_v = malloc((size_t)n * sizeof *call_v); /* DFS frames: vertex, next edge */
    size_t *call_e = malloc((size_t)n * sizeof *call_e);
    bool ok = index && low && stack && on_stack && call_v && call_e;
    const uint32_t unvisited = UINT32_MAX;
    if (ok) {
        for (uint32_t v = 0; v < n; v++)
            index[v] = unvisited;
        uint32_t next_index = 0, sp = 0;
        for (uint32_t root = 0; root < n; root++) {
            if (index[root] != unvisited) continue;
            uint32_t depth = 0;
            call_v[0] = root;
            call_e[0] = first[root];
            index[root] = low[root] = next_index++;
            stack[sp++] = root;
            on_stack[root] = 1;
            while (true) {
                uint32_t v = call_v[depth];
                if (call_e[depth] < first[v + 1]) {
                    uint32_t w = succ[call_e[depth]++];
                    if (index[w] == unvisited) {
                        index[w] = low[w] = next_index++;
                        stack[sp++] = w;
                        on_stack[w] = 1;
                        depth++;
                        call_v[depth] = w;
                        call_e[depth] = first[w];
                    } else if (on_stack[w] && index[w] < low[v]) {
                        low[v] = index[w];
                    }
                    continue;
                }
                if (low[v] == index[v]) { /* v is the root of a component: pop it */
                    uint32_t size = 0, w;
                    size_t top = sp;
                    do {
                        w = stack[--sp];
                        on_stack[w] = 0;
                        size++;
                    } while (w != v);
                    if (size > 1)
                        for (size_t k = sp; k < top; k++)
                            recursive[stack[k]] = 1;
                }
                if (depth == 0) break;
                depth--;
                uint32_t parent = call_v[depth];
                if (low[v] < low[parent]) low[parent] = low[v];
            }
        }
    }
    free(index);
    free(low);
    free(stack);
    free(on_stack);
    free(call_v);
    free(call_e);
    return ok;
}

bool xlat_callgraph(const wasm_module *m, uint8_t *called_directly, uint8_t *recursive) {
    uint32_t n = m->nfuncs;
    memset(called_directly, 0, n);
    memset(recursive, 0, n);
    edges e = {0};
    bool ok = true;
    for (uint32_t j = 0; ok && j < n; j++) {
        const uint8_t *p = m->funcs[j].code, *end = p + m->funcs[j].code_len;
        char err[8];
        wasm_instr in;
        /* bodies were checked by the decoder; stop quietly at anything unreadable */
        while (ok && p < end && wasm_read_instr(&p, end, &in, err, sizeof err)) {
            if (in.opcode != WASM_OP_CALL || in.idx < m->nfuncs_imported ||
                in.idx - m->nfuncs_imported >= n)
                continue;
            uint32_t k = in.idx - m->nfuncs_imported;
            called_directly[k] = 1;
            if (k == j)
                recursive[j] = 1;
            else
                ok = add_edge(&e, j, k);
        }
    }
    size_t *first = ok ? calloc((size_t)n + 1, sizeof *first) : NULL;
    uint32_t *succ = ok ? malloc((e.n ? e.n : 1) * sizeof *succ) : NULL;
    ok = ok && first && succ;
    if (ok) {
        for (size_t i = 0; i < e.n; i++)
            first[e.from[i] + 1]++;
        for (uint32_t v = 0; v < n; v++)
            first[v + 1] += first[v];
        size_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
        ok = fill != NULL;
        if (ok) {
            memcpy(fill, first, ((size_t)n + 1) * sizeof *fill);
            for (size_t i = 0; i < e.n; i++)
                succ[fill[e.from[i]]++] = e.to[i];
            free(fill);
            ok = find_cycles(n, first, succ, recursive);
        }
    }
    free(first);
    free(succ);
    free(e.from);
    free(e.to);
    return ok;
}

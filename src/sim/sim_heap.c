/*
 * sim_heap.c - binary min-heap of simulator events (see sim_heap.h).
 */
#include "sim/sim_heap.h"

#include <stdio.h>
#include <stdlib.h>

static int event_before(const sim_event *a, const sim_event *b) {
    if (a->t != b->t) return a->t < b->t;
    return a->seq < b->seq;
}

void sim_heap_free(sim_heap *h) {
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

void sim_heap_push(sim_heap *h, double t, sim_event_type type, uint32_t a, uint32_t version) {
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 1024;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        if (!h->v) {
            fprintf(stderr, "sim: out of memory\n");
            abort();
        }
    }
    sim_event e = {t, h->next_seq++, type, a, version};
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!event_before(&e, &h->v[parent])) break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = e;
}

int sim_heap_pop(sim_heap *h, sim_event *out) {
    if (h->n == 0) return 0;
    *out = h->v[0];
    sim_event last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->n) break;
        if (child + 1 < h->n && event_before(&h->v[child + 1], &h->v[child])) child++;
        if (!event_before(&h->v[child], &last)) break;
        h->v[i] = h->v[child];
        i = child;
    }
    if (h->n > 0) h->v[i] = last;
    return 1;
}

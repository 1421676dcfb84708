/*
 * sim_heap.h - the simulator's event queue: a binary min-heap ordered by (time, sequence).
 *
 * The sequence number is the order of insertion, so events at the same instant come out in the
 * order they were scheduled and every run is deterministic.
 */
#ifndef GRANNY_SIM_HEAP_H
#define GRANNY_SIM_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    SIM_EV_SUBMIT = 0, /* a: job index */
    SIM_EV_PROGRESS,   /* a: job index, version: its progress version when scheduled */
    SIM_EV_EVICT_TICK, /* the eviction model picks VMs */
    SIM_EV_VM_REMOVE,  /* a: VM id */
    SIM_EV_VM_ADD,     /* a: VM id */
} sim_event_type;

typedef struct sim_event {
    double t;
    uint64_t seq;
    sim_event_type type;
    uint32_t a;
    uint32_t version;
} sim_event;

typedef struct sim_heap {
    sim_event *v;
    size_t n, cap;
    uint64_t next_seq;
} sim_heap;

void sim_heap_free(sim_heap *h);
void sim_heap_push(sim_heap *h, double t, sim_event_type type, uint32_t a, uint32_t version);
int sim_heap_pop(sim_heap *h, sim_event *out); /* 0 when empty */

#endif

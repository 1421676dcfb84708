/*
 * planner_state.h - the core's cluster state, and the only functions that change it (internal).
 *
 * VMs and jobs live in dense arrays addressed by index; caller ids map to indexes through
 * planner_idmap. A removed VM's slot is recycled through a free list, so arrays stay as large as
 * the most VMs present at once. Jobs are never removed (finished jobs keep their metrics); they
 * live in fixed-size blocks, so that adding one never copies the others (no decision pays for
 * moving a large array).
 *
 * Where every cell runs: a running job has `team` cells, and cell_vm[rank] is the index of the VM
 * that holds rank. An MPI job's team is its size; an OpenMP job's team may grow (elastic) and
 * shrink back, but never below its size, and all its cells are on one VM. A VM's `used` is the
 * number of cells on it.
 *
 * Every change of placement goes through the functions below: they keep the counters (used slots,
 * requested slots, cross-VM links), the queue and the running list consistent, emit the matching
 * decision, and count it in the metrics. Policies choose; these functions apply. planner_check()
 * (planner_check.c) recomputes everything from scratch and compares.
 */
#ifndef GRANNY_PLANNER_STATE_H
#define GRANNY_PLANNER_STATE_H

#include "planner/planner.h"
#include "planner/planner_idmap.h"
#include "planner/planner_metrics.h"

#include <stddef.h>
#include <stdint.h>

typedef struct planner_policy planner_policy;

typedef struct planner_vm {
    uint32_t id;
    uint32_t slots, used;
    uint8_t spot, noticed, present;
    double deadline;
    uint32_t next_free; /* free-list link while not present */
} planner_vm;

typedef struct planner_job {
    uint32_t id;
    planner_job_kind kind;
    planner_job_state state;
    uint32_t size; /* requested */
    uint32_t team; /* cells now (0 unless running) */
    uint32_t cap;  /* capacity of cell_vm */
    uint32_t *cell_vm;
    uint8_t frozen;
    uint32_t links, vms;
    uint32_t running_pos; /* index in planner.running while running */
    double submit_t, start_t, end_t;
    uint32_t migrations, freezes, requeues, evictions_survived, scale_changes;
} planner_job;

/* A candidate VM for a placement, with the room a policy may use on it and the job's cells there.
 */
typedef struct planner_cand {
    uint32_t vm, room, cur;
    uint32_t taken;
} planner_cand;

/* A placement plan: `n` VMs and the number of cells to put on each, in rank order. */
typedef struct planner_plan {
    uint32_t *vm;
    uint32_t *count;
    size_t n;
} planner_plan;

struct planner {
    planner_config cfg;
    const planner_policy *policy;

    planner_vm *vms;
    size_t n_vms, cap_vms; /* n_vms: slots in use, present or on the free list */
    uint32_t vm_free;      /* head of the free list, PLANNER_ID_NONE if empty */
    planner_idmap vm_ids;
    uint32_t vms_present, vms_spot;
    uint64_t slots_total;     /* all present VMs */
    uint64_t slots_usable;    /* present VMs without an eviction notice */
    uint64_t slots_used;      /* cells running */
    uint64_t slots_requested; /* sum of the sizes of running jobs */
    uint64_t links_total;

    planner_job **job_blocks; /* PLANNER_JOB_BLOCK jobs each */
    size_t n_jobs, cap_blocks;
    planner_idmap job_ids;

    uint32_t *queue; /* ring of job indexes */
    size_t q_head, q_len, q_cap;
    uint32_t *running; /* job indexes, unordered */
    size_t n_running, cap_running;

    /* Scratch arrays with one entry per VM slot (cap_vms); vm_count is all zero between uses. */
    uint32_t *vm_count;
    uint32_t *vm_target;
    uint32_t *vm_list;
    planner_cand *cand;
    planner_plan plan;

    planner_decisions *out;
    double now;
    planner_metrics metrics;
    char err[256];
};

#define PLANNER_JOB_BLOCK 1024u

static inline planner_job *planner_job_at(const planner *p, uint32_t j) {
    return &p->job_blocks[j / PLANNER_JOB_BLOCK][j % PLANNER_JOB_BLOCK];
}

/* Memory: these abort on exhaustion (the core has no other failure mode for it). */
void *planner_xmalloc(size_t n);
void *planner_xrealloc(void *p, size_t n);

/* Lookup: index or PLANNER_ID_NONE. */
uint32_t planner_find_vm(const planner *p, uint32_t id);
uint32_t planner_find_job(const planner *p, uint32_t id);
static inline int planner_vm_usable(const planner_vm *v) {
    return v->present && !v->noticed;
}
static inline uint32_t planner_vm_free_slots(const planner_vm *v) {
    return v->slots - v->used;
}

/* VMs. */
uint32_t planner_add_vm(planner *p, uint32_t id, uint32_t slots, int spot);
void planner_notice_vm(planner *p, uint32_t vm, double deadline);
void planner_remove_vm(planner *p, uint32_t vm); /* no cells may be left on it */

/* Jobs and the queue. */
uint32_t planner_add_job(planner *p, uint32_t id, planner_job_kind kind, uint32_t size, double t);
void planner_queue_push_back(planner *p, uint32_t j);
void planner_queue_push_front(planner *p, uint32_t j);
uint32_t planner_queue_head(const planner *p); /* PLANNER_ID_NONE if empty */
void planner_queue_pop(planner *p);

/* Placement changes; each emits its decisions. */
void planner_emit(planner *p, const planner_decision *d);
void planner_emit_wait(planner *p, uint32_t j);
void planner_start_job(planner *p, uint32_t j, const planner_plan *plan); /* j is dequeued */
/* Moves cells so that the job has vm_target[v] cells on each VM v it uses or should use; the
   entries of vm_target that are not zero are listed in `vms`. Clears vm_target. */
void planner_move_job(planner *p, uint32_t j, const uint32_t *vms, size_t n);
void planner_scale_job(planner *p, uint32_t j, uint32_t team);
/* Stops a running job and requeues it at the head: FREEZE keeps a snapshot, REQUEUE loses it. */
void planner_stop_job(planner *p, uint32_t j, planner_decision_kind why);
void planner_finish_job(planner *p, uint32_t j);

/* Counting: fills vm_count for the job's cells and lists the VMs in `vms` (room for team
   entries); returns how many. The caller must zero vm_count for them again (planner_count_clear).
 */
size_t planner_count_cells(planner *p, uint32_t j, uint32_t *vms);
void planner_count_clear(planner *p, const uint32_t *vms, size_t n);
/* Cross-VM links of a job with these per-VM counts: sum r_h * (N - r_h) / 2. */
uint32_t planner_links_of_counts(const uint32_t *counts, size_t n, uint32_t total);
/* Recomputes the job's links and VM span after its placement changed. */
void planner_update_links(planner *p, uint32_t j);
/* Whether any cell of the job sits on a VM with an eviction notice. */
int planner_job_on_noticed_vm(const planner *p, uint32_t j);

#endif

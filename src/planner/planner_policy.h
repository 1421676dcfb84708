/*
 * planner_policy.h - the interface every placement policy implements (internal).
 *
 * A policy is a table of two functions over the core's state (planner_state.h):
 *   place    may the job at the head of the FIFO queue start now, and where? A policy that says
 *            yes fills p->plan and calls planner_start_job(). With dry_run it only answers.
 *   barrier  all cells of a running job reached a barrier control point: migrate, scale, freeze,
 *            or let it continue (planner_emit_wait()).
 * The core owns the event loop, the strict FIFO order of the queue (the head blocks the rest, as
 * in the GRANNY experiments), the handling of removed VMs (cells there are lost: REQUEUE), and the
 * rule that no policy places anything new on a VM with an eviction notice.
 */
#ifndef GRANNY_PLANNER_POLICY_H
#define GRANNY_PLANNER_POLICY_H

#include "planner/planner_state.h"

struct planner_policy {
    const char *name;
    int (*place)(planner *p, uint32_t j, int dry_run);
    void (*barrier)(planner *p, uint32_t j);
};

extern const planner_policy planner_policy_batch;  /* planner_batch.c */
extern const planner_policy planner_policy_slurm;  /* planner_slurm.c */
extern const planner_policy planner_policy_granny; /* planner_granny.c */

#endif

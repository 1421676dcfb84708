/*
 * planner_batch.c - the `batch` policy: VM granularity, like Azure Batch.
 *
 * A job waits until enough whole VMs are free, and never shares a VM with another job: an MPI job
 * of N ranks takes the first empty VMs (in VM order) until their vCPUs cover N and packs its ranks
 * onto them, so it spans as few VMs as possible and has optimal locality; an OpenMP job takes the
 * first empty VM with enough vCPUs. The vCPUs its VMs have beyond N stay idle until it finishes:
 * locality bought with utilisation. Placements are never changed at runtime.
 */
#include "planner/planner_policy.h"

static int batch_place(planner *p, uint32_t j, int dry_run) {
    const planner_job *job = planner_job_at(p, j);
    planner_plan *plan = &p->plan;
    uint32_t need = job->size;
    plan->n = 0;
    for (size_t v = 0; v < p->n_vms && need > 0; v++) {
        const planner_vm *vm = &p->vms[v];
        if (!planner_vm_usable(vm) || vm->used != 0) continue;
        if (job->kind == PLANNER_JOB_OMP && vm->slots < need) continue;
        uint32_t take = vm->slots < need ? vm->slots : need;
        plan->vm[plan->n] = (uint32_t)v;
        plan->count[plan->n] = take;
        plan->n++;
        need -= take;
    }
    if (need > 0) return 0;
    if (!dry_run) planner_start_job(p, j, plan);
    return 1;
}

const planner_policy planner_policy_batch = {
    .name = "batch",
    .place = batch_place,
    .barrier = planner_emit_wait,
};

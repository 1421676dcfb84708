/*
 * planner_slurm.c - the `slurm` policy: core granularity, first fit, no migration.
 *
 * A job starts as soon as enough vCPUs are free anywhere: an MPI job's ranks fill the free slots of
 * the VMs in VM order (first fit) until all are placed, wherever that scatters them; an OpenMP job
 * takes the first VM with enough free vCPUs. This keeps utilisation high but fragments jobs over
 * VMs as the cluster churns, and nothing is ever moved to repair it.
 */
#include "planner/planner_policy.h"

static int slurm_place(planner *p, uint32_t j, int dry_run) {
    const planner_job *job = planner_job_at(p, j);
    planner_plan *plan = &p->plan;
    uint32_t need = job->size;
    plan->n = 0;
    if (job->kind == PLANNER_JOB_MPI && p->slots_usable < need) return 0;
    for (size_t v = 0; v < p->n_vms && need > 0; v++) {
        const planner_vm *vm = &p->vms[v];
        uint32_t free = planner_vm_free_slots(vm);
        if (!planner_vm_usable(vm) || free == 0) continue;
        if (job->kind == PLANNER_JOB_OMP && free < need) continue;
        uint32_t take = free < need ? free : need;
        plan->vm[plan->n] = (uint32_t)v;
        plan->count[plan->n] = take;
        plan->n++;
        need -= take;
    }
    if (need > 0) return 0;
    if (!dry_run) planner_start_job(p, j, plan);
    return 1;
}

const planner_policy planner_policy_slurm = {
    .name = "slurm",
    .place = slurm_place,
    .barrier = planner_emit_wait,
};

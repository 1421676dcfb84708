/*
 * planner_granny.c - the `granny` policy: core granularity, compaction, elasticity, spot awareness.
 *
 * Placement. A job starts as soon as enough vCPUs are free (core granularity, like slurm) but only
 * while the slots requested by running jobs stay within a target utilisation of the usable vCPUs
 * (e.g. 95%; an empty cluster always takes the head). The slack that leaves is what compaction
 * migrates into. Cells go where locality is best: the one VM that fits the whole job most tightly,
 * else the VMs with the most free slots first, with the remainder on the tightest VM that holds it.
 *
 * Compaction (MPI jobs, at their barriers). The job's cells may use, on each usable VM, the free
 * slots plus the slots it already holds. Cross-VM links are sum r_h (N - r_h) / 2 = (N^2 - sum
 * r_h^2) / 2, so fewest links means the largest sum of squares: filling the largest rooms first is
 * optimal (its vector of counts majorises every other feasible one), and it also uses the fewest
 * VMs. That fixes the multiset of counts; to move as few ranks as possible, each count (largest
 * first) goes to the VM, among those with room for it, that already holds most of the job's cells.
 * The job migrates only if that lowers its links (or, at equal links, the VMs it spans).
 *
 * Elastic scale-up (OpenMP jobs, at their forks). A team grows to the idle vCPUs of its VM (up to
 * max_team). When the queue's head is blocked, a team above its requested size first shrinks, as
 * little as possible, if that lets the head start: elasticity harvests idle cores but yields them
 * to waiting jobs.
 *
 * Spot awareness. Nothing new goes onto a VM with an eviction notice (the core's rule). At its next
 * barrier a job with cells there migrates them away (the compaction target, computed without the
 * noticed VMs; an OpenMP team moves whole, at its requested size, to the tightest VM that fits);
 * when there is no room, the job is frozen: snapshotted, stopped and requeued at the head.
 */
#include "planner/planner_policy.h"

#include <assert.h>
#include <stdlib.h>

/* Whether the target utilisation allows starting this job now. */
static int granny_gate(const planner *p, const planner_job *job) {
    if (p->n_running == 0) return 1;
    double limit = p->cfg.target_utilisation * (double)p->slots_usable;
    return (double)(p->slots_requested + job->size) <= limit + 1e-9;
}

/* Orders candidates by room (most first), then the job's cells there (most first), then VM. */
static int cand_compare(const void *a, const void *b) {
    const planner_cand *x = a, *y = b;
    if (x->room != y->room) return x->room > y->room ? -1 : 1;
    if (x->cur != y->cur) return x->cur > y->cur ? -1 : 1;
    return x->vm < y->vm ? -1 : x->vm > y->vm;
}

/* The usable VM with the least free room that is at least `need` (and not `skip`), or none. */
static uint32_t tightest_vm(const planner *p, uint32_t need, uint32_t skip) {
    uint32_t best = PLANNER_ID_NONE, best_free = 0;
    for (size_t v = 0; v < p->n_vms; v++) {
        const planner_vm *vm = &p->vms[v];
        uint32_t free = planner_vm_free_slots(vm);
        if (v == skip || !planner_vm_usable(vm) || free < need) continue;
        if (best == PLANNER_ID_NONE || free < best_free) {
            best = (uint32_t)v;
            best_free = free;
        }
    }
    return best;
}

static int plan_mpi(planner *p, const planner_job *job) {
    planner_plan *plan = &p->plan;
    uint32_t single = tightest_vm(p, job->size, PLANNER_ID_NONE);
    if (single != PLANNER_ID_NONE) {
        plan->vm[0] = single;
        plan->count[0] = job->size;
        plan->n = 1;
        return 1;
    }
    size_t n = 0;
    uint64_t room = 0;
    for (size_t v = 0; v < p->n_vms; v++) {
        const planner_vm *vm = &p->vms[v];
        uint32_t free = planner_vm_free_slots(vm);
        if (!planner_vm_usable(vm) || free == 0) continue;
        p->cand[n] = (planner_cand){(uint32_t)v, free, 0, 0};
        room += free;
        n++;
    }
    if (room < job->size) return 0;
    qsort(p->cand, n, sizeof *p->cand, cand_compare);
    uint32_t need = job->size;
    size_t i = 0;
    plan->n = 0;
    while (need > p->cand[i].room) {
        plan->vm[plan->n] = p->cand[i].vm;
        plan->count[plan->n++] = p->cand[i].room;
        need -= p->cand[i].room;
        i++;
    }
    /* The remainder goes to the tightest VM left that holds it (rooms are sorted, most first). */
    size_t last = i;
    while (last + 1 < n && p->cand[last + 1].room >= need)
        last++;
    plan->vm[plan->n] = p->cand[last].vm;
    plan->count[plan->n++] = need;
    return 1;
}

static int granny_place(planner *p, uint32_t j, int dry_run) {
    const planner_job *job = planner_job_at(p, j);
    if (!granny_gate(p, job)) return 0;
    if (job->kind == PLANNER_JOB_MPI) {
        if (!plan_mpi(p, job)) return 0;
    } else {
        uint32_t v = tightest_vm(p, job->size, PLANNER_ID_NONE);
        if (v == PLANNER_ID_NONE) return 0;
        p->plan.vm[0] = v;
        p->plan.count[0] = job->size;
        p->plan.n = 1;
    }
    if (!dry_run) planner_start_job(p, j, &p->plan);
    return 1;
}

static void survived_eviction(planner *p, uint32_t j) {
    planner_job_at(p, j)->evictions_survived++;
    p->metrics.evictions_survived++;
}

/* Chooses, for each count of the target (largest first), the VM with room for it that holds most
   of the job's cells already; writes vm_target and the list of target VMs into plan.vm. */
static size_t assign_targets(planner *p, const uint32_t *counts, size_t k, size_t n_cand) {
    size_t limit = 0;
    for (size_t i = 0; i < k; i++) {
        while (limit < n_cand && p->cand[limit].room >= counts[i])
            limit++;
        size_t best = n_cand;
        uint32_t best_keep = 0;
        for (size_t c = 0; c < limit; c++) {
            if (p->cand[c].taken) continue;
            uint32_t keep = p->cand[c].cur < counts[i] ? p->cand[c].cur : counts[i];
            if (best == n_cand || keep > best_keep ||
                (keep == best_keep && p->cand[c].cur > p->cand[best].cur)) {
                best = c;
                best_keep = keep;
            }
        }
        assert(best < n_cand);
        p->cand[best].taken = 1;
        p->vm_target[p->cand[best].vm] = counts[i];
        p->plan.vm[i] = p->cand[best].vm;
    }
    return k;
}

static void granny_barrier_mpi(planner *p, uint32_t j) {
    planner_job *job = planner_job_at(p, j);
    int forced = p->cfg.spot_aware && planner_job_on_noticed_vm(p, j);
    if (!forced && (!p->cfg.compaction || job->team == 1)) {
        planner_emit_wait(p, j);
        return;
    }
    size_t n_cur = planner_count_cells(p, j, p->vm_list);
    size_t n = 0;
    uint64_t room = 0;
    for (size_t v = 0; v < p->n_vms; v++) {
        const planner_vm *vm = &p->vms[v];
        if (!planner_vm_usable(vm)) continue;
        uint32_t r = planner_vm_free_slots(vm) + p->vm_count[v];
        if (r == 0) continue;
        p->cand[n++] = (planner_cand){(uint32_t)v, r, p->vm_count[v], 0};
        room += r;
    }
    planner_count_clear(p, p->vm_list, n_cur);
    if (room < job->team) {
        assert(forced);
        survived_eviction(p, j);
        planner_stop_job(p, j, PLANNER_DO_FREEZE);
        return;
    }
    qsort(p->cand, n, sizeof *p->cand, cand_compare);
    /* The counts of the best placement: the largest rooms filled, then the remainder. */
    uint32_t *counts = p->plan.count;
    size_t k = 0;
    uint32_t need = job->team;
    while (need > p->cand[k].room) {
        counts[k] = p->cand[k].room;
        need -= p->cand[k].room;
        k++;
    }
    counts[k++] = need;
    uint32_t links = planner_links_of_counts(counts, k, job->team);
    if (!forced && !(links < job->links || (links == job->links && k < job->vms))) {
        planner_emit_wait(p, j);
        return;
    }
    assign_targets(p, counts, k, n);
    if (forced) survived_eviction(p, j);
    planner_move_job(p, j, p->plan.vm, k);
}

/* Whether the head of the queue could start if job j's team were `team` instead. */
static int head_fits_with_team(planner *p, uint32_t j, uint32_t team) {
    planner_job *job = planner_job_at(p, j);
    planner_vm *vm = &p->vms[job->cell_vm[0]];
    uint32_t give = job->team - team;
    vm->used -= give;
    p->slots_used -= give;
    int fits = granny_place(p, planner_queue_head(p), 1);
    vm->used += give;
    p->slots_used += give;
    return fits;
}

static void granny_barrier_omp(planner *p, uint32_t j) {
    planner_job *job = planner_job_at(p, j);
    uint32_t v = job->cell_vm[0];
    const planner_vm *vm = &p->vms[v];
    if (p->cfg.spot_aware && vm->noticed) {
        uint32_t to = tightest_vm(p, job->size, v);
        survived_eviction(p, j);
        if (to == PLANNER_ID_NONE) {
            planner_stop_job(p, j, PLANNER_DO_FREEZE);
            return;
        }
        if (job->team != job->size) planner_scale_job(p, j, job->size);
        p->vm_target[to] = job->size;
        planner_move_job(p, j, &to, 1);
        return;
    }
    if (!p->cfg.elastic) {
        planner_emit_wait(p, j);
        return;
    }
    if (job->team > job->size && p->q_len > 0) {
        for (uint32_t t = job->team; t-- > job->size;) {
            if (head_fits_with_team(p, j, t)) {
                planner_scale_job(p, j, t);
                return;
            }
        }
    }
    uint32_t max = vm->slots;
    if (p->cfg.max_team && p->cfg.max_team < max) max = p->cfg.max_team;
    uint32_t free = planner_vm_free_slots(vm);
    if (free > 0 && job->team < max) {
        uint32_t team = job->team + free < max ? job->team + free : max;
        planner_scale_job(p, j, team);
        return;
    }
    planner_emit_wait(p, j);
}

static void granny_barrier(planner *p, uint32_t j) {
    if (planner_job_at(p, j)->kind == PLANNER_JOB_MPI)
        granny_barrier_mpi(p, j);
    else
        granny_barrier_omp(p, j);
}

const planner_policy planner_policy_granny = {
    .name = "granny",
    .place = granny_place,
    .barrier = granny_barrier,
};

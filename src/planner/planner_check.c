/*
 * planner_check.c - the invariant checker of the core's state (planner_check() in planner.h).
 *
 * It trusts nothing derived: it recounts every VM's cells from the jobs' placements, recomputes
 * every job's cross-VM links and every total, and walks the queue, the running list, the id maps
 * and the VM free list. The invariants:
 *   - no slot is over-committed: a VM's used slots equal the cells on it and never exceed its
 *     slots; removed VMs hold nothing;
 *   - every running cell is placed exactly once, on a present VM; an MPI job runs exactly its size
 *     in cells, an OpenMP job at least its size and all on one VM;
 *   - every job is in exactly one place: once in the queue (queued), once in the running list
 *     (running), or finished; none is lost or duplicated, however often it was frozen or requeued;
 *   - every cached counter equals its recomputation, and the scratch arrays are clean.
 * Tests call it after every event; the simulator after every event with --check.
 */
#include "planner/planner.h"
#include "planner/planner_state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct check_ctx {
    char *err;
    size_t errlen;
} check_ctx;

static int bad(check_ctx *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int check_vms(const planner *p, check_ctx *c, const uint32_t *cells_on) {
    uint64_t total = 0, usable = 0, used = 0;
    uint32_t present = 0, spot = 0;
    for (size_t v = 0; v < p->n_vms; v++) {
        const planner_vm *vm = &p->vms[v];
        if (p->vm_count[v] || p->vm_target[v])
            return bad(c, "scratch arrays dirty at VM slot %zu", v);
        if (!vm->present) {
            if (vm->used || cells_on[v]) return bad(c, "removed VM slot %zu holds cells", v);
            continue;
        }
        if (planner_find_vm(p, vm->id) != v) return bad(c, "VM %u: id map is wrong", vm->id);
        if (vm->used != cells_on[v])
            return bad(c, "VM %u: used %u but %u cells placed on it", vm->id, vm->used,
                       cells_on[v]);
        if (vm->used > vm->slots)
            return bad(c, "VM %u: over-committed, %u cells on %u slots", vm->id, vm->used,
                       vm->slots);
        present++;
        spot += vm->spot;
        total += vm->slots;
        usable += vm->noticed ? 0 : vm->slots;
        used += vm->used;
    }
    if (present != p->vms_present || spot != p->vms_spot) return bad(c, "VM counts are wrong");
    if (present != p->vm_ids.n)
        return bad(c, "VM id map has %zu ids for %u VMs", p->vm_ids.n, present);
    if (total != p->slots_total || usable != p->slots_usable || used != p->slots_used)
        return bad(c, "slot totals are wrong (total %llu/%llu usable %llu/%llu used %llu/%llu)",
                   (unsigned long long)total, (unsigned long long)p->slots_total,
                   (unsigned long long)usable, (unsigned long long)p->slots_usable,
                   (unsigned long long)used, (unsigned long long)p->slots_used);
    size_t free_n = 0;
    for (uint32_t v = p->vm_free; v != PLANNER_ID_NONE; v = p->vms[v].next_free) {
        if (v >= p->n_vms || p->vms[v].present || ++free_n > p->n_vms)
            return bad(c, "VM free list is corrupt");
    }
    if (free_n + present != p->n_vms) return bad(c, "VM free list misses slots");
    return 0;
}

static int check_running_job(const planner *p, check_ctx *c, uint32_t j, uint32_t *cells_on,
                             uint32_t *count) {
    const planner_job *job = planner_job_at(p, j);
    if (job->team < 1) return bad(c, "job %u: running without cells", job->id);
    if (job->kind == PLANNER_JOB_MPI && job->team != job->size)
        return bad(c, "job %u: MPI job runs %u ranks, not %u", job->id, job->team, job->size);
    if (job->kind == PLANNER_JOB_OMP && job->team < job->size)
        return bad(c, "job %u: OpenMP team %u is below its size %u", job->id, job->team, job->size);
    if (job->running_pos >= p->n_running || p->running[job->running_pos] != j)
        return bad(c, "job %u: not in the running list", job->id);
    if (job->start_t < job->submit_t) return bad(c, "job %u: started before submitted", job->id);
    uint64_t sum = 0;
    uint32_t vms = 0;
    for (uint32_t r = 0; r < job->team; r++) {
        uint32_t v = job->cell_vm[r];
        if (v >= p->n_vms || !p->vms[v].present)
            return bad(c, "cell (%u, %u) is on a VM that is not present", job->id, r);
        if (job->kind == PLANNER_JOB_OMP && v != job->cell_vm[0])
            return bad(c, "job %u: OpenMP threads span VMs", job->id);
        cells_on[v]++;
        if (count[v]++ == 0) vms++;
    }
    for (uint32_t r = 0; r < job->team; r++) {
        uint32_t v = job->cell_vm[r];
        if (count[v]) sum += (uint64_t)count[v] * (job->team - count[v]);
        count[v] = 0;
    }
    if (job->links != sum / 2 || job->vms != vms)
        return bad(c, "job %u: links %u (expected %llu) over %u VMs (expected %u)", job->id,
                   job->links, (unsigned long long)(sum / 2), job->vms, vms);
    return 0;
}

static int check_jobs(const planner *p, check_ctx *c, uint32_t *cells_on, uint32_t *count,
                      uint8_t *in_queue) {
    for (size_t i = 0; i < p->q_len; i++) {
        uint32_t j = p->queue[(p->q_head + i) % p->q_cap];
        if (j >= p->n_jobs) return bad(c, "queue entry %zu is not a job", i);
        if (in_queue[j]) return bad(c, "job %u is queued twice", planner_job_at(p, j)->id);
        in_queue[j] = 1;
    }
    uint64_t links = 0, requested = 0;
    size_t queued = 0, running = 0, finished = 0;
    for (size_t j = 0; j < p->n_jobs; j++) {
        const planner_job *job = planner_job_at(p, j);
        if (planner_find_job(p, job->id) != j) return bad(c, "job %u: id map is wrong", job->id);
        if (job->state != PLANNER_QUEUED && in_queue[j])
            return bad(c, "job %u is in the queue but not queued", job->id);
        switch (job->state) {
        case PLANNER_QUEUED:
            if (!in_queue[j]) return bad(c, "job %u is lost: queued but not in the queue", job->id);
            if (job->team || job->links) return bad(c, "job %u: queued with cells", job->id);
            queued++;
            break;
        case PLANNER_RUNNING:
            if (check_running_job(p, c, (uint32_t)j, cells_on, count)) return -1;
            links += job->links;
            requested += job->size;
            running++;
            break;
        case PLANNER_FINISHED:
            if (job->team || job->links) return bad(c, "job %u: finished with cells", job->id);
            if (job->end_t < job->start_t || job->start_t < 0)
                return bad(c, "job %u: finished at a bad time", job->id);
            finished++;
            break;
        default: return bad(c, "job %u: bad state %d", job->id, (int)job->state);
        }
    }
    if (queued != p->q_len) return bad(c, "queue holds %zu jobs, %zu are queued", p->q_len, queued);
    if (running != p->n_running)
        return bad(c, "running list holds %zu jobs, %zu are running", p->n_running, running);
    if (queued + running + finished != p->n_jobs || p->n_jobs != p->metrics.submitted ||
        p->n_jobs != p->job_ids.n)
        return bad(
            c, "jobs are not conserved: %zu queued + %zu running + %zu finished, %llu submitted",
            queued, running, finished, (unsigned long long)p->metrics.submitted);
    if (finished != p->metrics.finished) return bad(c, "finished count is wrong");
    if (links != p->links_total) return bad(c, "cross-VM links total is wrong");
    if (requested != p->slots_requested) return bad(c, "requested slots total is wrong");
    return 0;
}

int planner_check(const planner *p, char *err, size_t errlen) {
    check_ctx c = {err, errlen};
    uint32_t *cells_on = calloc(p->n_vms + 1, sizeof *cells_on);
    uint32_t *count = calloc(p->n_vms + 1, sizeof *count);
    uint8_t *in_queue = calloc(p->n_jobs + 1, 1);
    int rc;
    if (!cells_on || !count || !in_queue) {
        rc = bad(&c, "out of memory while checking");
    } else {
        rc = check_jobs(p, &c, cells_on, count, in_queue);
        if (rc == 0) rc = check_vms(p, &c, cells_on);
    }
    free(cells_on);
    free(count);
    free(in_queue);
    if (rc == 0 && errlen) err[0] = '\0';
    return rc;
}

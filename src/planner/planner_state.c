/*
 * planner_state.c - the functions that change the core's state (see planner_state.h).
 *
 * Each function here keeps the derived counters in step with the arrays (slots used and requested,
 * cross-VM links, the queue and the running list) and emits the decision that tells the caller what
 * to do. Policies never write the arrays themselves, so that planner_check() has one place to
 * distrust.
 */
#include "planner/planner_state.h"
#include "planner/planner_policy.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void *planner_xmalloc(size_t n) {
    void *r = malloc(n ? n : 1);
    if (!r) abort();
    return r;
}

void *planner_xrealloc(void *p, size_t n) {
    void *r = realloc(p, n ? n : 1);
    if (!r) abort();
    return r;
}

uint32_t planner_find_vm(const planner *p, uint32_t id) {
    return planner_idmap_get(&p->vm_ids, id);
}

uint32_t planner_find_job(const planner *p, uint32_t id) {
    return planner_idmap_get(&p->job_ids, id);
}

/* ---- VMs ---- */

static void *grow_zeroed(void *old, size_t old_n, size_t new_n, size_t elem) {
    char *r = planner_xrealloc(old, new_n * elem);
    memset(r + old_n * elem, 0, (new_n - old_n) * elem);
    return r;
}

static void grow_vm_arrays(planner *p) {
    size_t old = p->cap_vms, cap = old ? old * 2 : 16;
    p->vms = grow_zeroed(p->vms, old, cap, sizeof *p->vms);
    p->vm_count = grow_zeroed(p->vm_count, old, cap, sizeof *p->vm_count);
    p->vm_target = grow_zeroed(p->vm_target, old, cap, sizeof *p->vm_target);
    p->vm_list = grow_zeroed(p->vm_list, old, cap, sizeof *p->vm_list);
    p->cand = grow_zeroed(p->cand, old, cap, sizeof *p->cand);
    p->plan.vm = grow_zeroed(p->plan.vm, old, cap, sizeof *p->plan.vm);
    p->plan.count = grow_zeroed(p->plan.count, old, cap, sizeof *p->plan.count);
    p->cap_vms = cap;
}

uint32_t planner_add_vm(planner *p, uint32_t id, uint32_t slots, int spot) {
    uint32_t v;
    if (p->vm_free != PLANNER_ID_NONE) {
        v = p->vm_free;
        p->vm_free = p->vms[v].next_free;
    } else {
        if (p->n_vms == p->cap_vms) grow_vm_arrays(p);
        v = (uint32_t)p->n_vms++;
    }
    planner_vm *vm = &p->vms[v];
    memset(vm, 0, sizeof *vm);
    vm->id = id;
    vm->slots = slots;
    vm->spot = spot ? 1 : 0;
    vm->present = 1;
    vm->next_free = PLANNER_ID_NONE;
    planner_idmap_put(&p->vm_ids, id, v);
    p->vms_present++;
    p->vms_spot += vm->spot;
    p->slots_total += slots;
    p->slots_usable += slots;
    return v;
}

void planner_notice_vm(planner *p, uint32_t v, double deadline) {
    planner_vm *vm = &p->vms[v];
    assert(vm->present);
    if (!vm->noticed) {
        vm->noticed = 1;
        vm->deadline = deadline;
        p->slots_usable -= vm->slots;
    } else if (deadline < vm->deadline) {
        vm->deadline = deadline;
    }
}

void planner_remove_vm(planner *p, uint32_t v) {
    planner_vm *vm = &p->vms[v];
    assert(vm->present && vm->used == 0);
    p->slots_total -= vm->slots;
    if (!vm->noticed) p->slots_usable -= vm->slots;
    p->vms_present--;
    p->vms_spot -= vm->spot;
    planner_idmap_del(&p->vm_ids, vm->id);
    vm->present = 0;
    vm->next_free = p->vm_free;
    p->vm_free = v;
}

/* ---- jobs and the queue ---- */

uint32_t planner_add_job(planner *p, uint32_t id, planner_job_kind kind, uint32_t size, double t) {
    size_t block = p->n_jobs / PLANNER_JOB_BLOCK;
    if (p->n_jobs % PLANNER_JOB_BLOCK == 0) {
        if (block == p->cap_blocks) {
            size_t cap = p->cap_blocks ? p->cap_blocks * 2 : 16;
            p->job_blocks = grow_zeroed(p->job_blocks, p->cap_blocks, cap, sizeof *p->job_blocks);
            p->cap_blocks = cap;
        }
        p->job_blocks[block] = planner_xmalloc(PLANNER_JOB_BLOCK * sizeof(planner_job));
    }
    uint32_t j = (uint32_t)p->n_jobs++;
    planner_job *job = planner_job_at(p, j);
    memset(job, 0, sizeof *job);
    job->id = id;
    job->kind = kind;
    job->state = PLANNER_QUEUED;
    job->size = size;
    job->submit_t = t;
    job->start_t = -1.0;
    job->end_t = -1.0;
    planner_idmap_put(&p->job_ids, id, j);
    return j;
}

static void queue_grow(planner *p) {
    size_t cap = p->q_cap ? p->q_cap * 2 : 64;
    uint32_t *q = planner_xmalloc(cap * sizeof *q);
    for (size_t i = 0; i < p->q_len; i++)
        q[i] = p->queue[(p->q_head + i) % p->q_cap];
    free(p->queue);
    p->queue = q;
    p->q_cap = cap;
    p->q_head = 0;
}

void planner_queue_push_back(planner *p, uint32_t j) {
    if (p->q_len == p->q_cap) queue_grow(p);
    p->queue[(p->q_head + p->q_len) % p->q_cap] = j;
    p->q_len++;
}

void planner_queue_push_front(planner *p, uint32_t j) {
    if (p->q_len == p->q_cap) queue_grow(p);
    p->q_head = (p->q_head + p->q_cap - 1) % p->q_cap;
    p->queue[p->q_head] = j;
    p->q_len++;
}

uint32_t planner_queue_head(const planner *p) {
    return p->q_len ? p->queue[p->q_head] : PLANNER_ID_NONE;
}

void planner_queue_pop(planner *p) {
    assert(p->q_len > 0);
    p->q_head = (p->q_head + 1) % p->q_cap;
    p->q_len--;
}

static void running_add(planner *p, uint32_t j) {
    if (p->n_running == p->cap_running) {
        p->cap_running = p->cap_running ? p->cap_running * 2 : 64;
        p->running = planner_xrealloc(p->running, p->cap_running * sizeof *p->running);
    }
    planner_job_at(p, j)->running_pos = (uint32_t)p->n_running;
    p->running[p->n_running++] = j;
}

static void running_remove(planner *p, uint32_t j) {
    uint32_t pos = planner_job_at(p, j)->running_pos;
    assert(pos < p->n_running && p->running[pos] == j);
    uint32_t last = p->running[--p->n_running];
    p->running[pos] = last;
    planner_job_at(p, last)->running_pos = pos;
}

/* ---- decisions ---- */

void planner_emit(planner *p, const planner_decision *d) {
    planner_decisions *out = p->out;
    assert(out != NULL);
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 32;
        out->v = planner_xrealloc(out->v, out->cap * sizeof *out->v);
    }
    out->v[out->n++] = *d;
}

static planner_decision decision(planner_decision_kind kind, uint32_t job) {
    planner_decision d = {kind, job, 0, PLANNER_ID_NONE, PLANNER_ID_NONE, 0, 0};
    return d;
}

void planner_emit_wait(planner *p, uint32_t j) {
    planner_decision d = decision(PLANNER_DO_WAIT, planner_job_at(p, j)->id);
    planner_emit(p, &d);
}

/* ---- counting cells and links ---- */

size_t planner_count_cells(planner *p, uint32_t j, uint32_t *vms) {
    const planner_job *job = planner_job_at(p, j);
    size_t n = 0;
    for (uint32_t r = 0; r < job->team; r++) {
        uint32_t v = job->cell_vm[r];
        if (p->vm_count[v]++ == 0) vms[n++] = v;
    }
    return n;
}

void planner_count_clear(planner *p, const uint32_t *vms, size_t n) {
    for (size_t i = 0; i < n; i++)
        p->vm_count[vms[i]] = 0;
}

uint32_t planner_links_of_counts(const uint32_t *counts, size_t n, uint32_t total) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        assert(counts[i] <= total);
        sum += (uint64_t)counts[i] * (total - counts[i]);
    }
    assert(sum % 2 == 0);
    return (uint32_t)(sum / 2);
}

void planner_update_links(planner *p, uint32_t j) {
    planner_job *job = planner_job_at(p, j);
    size_t n = planner_count_cells(p, j, p->vm_list);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = p->vm_count[p->vm_list[i]];
        sum += (uint64_t)c * (job->team - c);
    }
    planner_count_clear(p, p->vm_list, n);
    p->links_total -= job->links;
    job->links = (uint32_t)(sum / 2);
    job->vms = (uint32_t)n;
    p->links_total += job->links;
}

int planner_job_on_noticed_vm(const planner *p, uint32_t j) {
    const planner_job *job = planner_job_at(p, j);
    for (uint32_t r = 0; r < job->team; r++)
        if (p->vms[job->cell_vm[r]].noticed) return 1;
    return 0;
}

/* ---- placement changes ---- */

static void job_reserve(planner_job *job, uint32_t cells) {
    if (cells <= job->cap) return;
    job->cap = cells;
    job->cell_vm = planner_xrealloc(job->cell_vm, cells * sizeof *job->cell_vm);
}

void planner_start_job(planner *p, uint32_t j, const planner_plan *plan) {
    planner_job *job = planner_job_at(p, j);
    assert(planner_queue_head(p) == j && job->state == PLANNER_QUEUED);
    planner_queue_pop(p);
    uint32_t team = 0;
    for (size_t i = 0; i < plan->n; i++)
        team += plan->count[i];
    assert(team >= job->size);
    assert(job->kind == PLANNER_JOB_MPI ? team == job->size : plan->n == 1);
    job_reserve(job, team);
    uint32_t rank = 0;
    for (size_t i = 0; i < plan->n; i++) {
        planner_vm *vm = &p->vms[plan->vm[i]];
        assert(planner_vm_usable(vm) && plan->count[i] <= planner_vm_free_slots(vm));
        for (uint32_t c = 0; c < plan->count[i]; c++) {
            job->cell_vm[rank] = plan->vm[i];
            planner_decision d = decision(PLANNER_DO_PLACE, job->id);
            d.rank = rank;
            d.to_vm = vm->id;
            d.restore = job->frozen;
            planner_emit(p, &d);
            rank++;
        }
        vm->used += plan->count[i];
    }
    job->team = team;
    job->state = PLANNER_RUNNING;
    job->frozen = 0;
    if (job->start_t < 0) job->start_t = p->now;
    p->slots_used += team;
    p->slots_requested += job->size;
    running_add(p, j);
    planner_update_links(p, j);
    p->metrics.placements++;
}

void planner_move_job(planner *p, uint32_t j, const uint32_t *vms, size_t n) {
    planner_job *job = planner_job_at(p, j);
    assert(job->state == PLANNER_RUNNING);
    uint32_t want = 0;
    for (size_t i = 0; i < n; i++)
        want += p->vm_target[vms[i]];
    assert(want == job->team);
    size_t n_cur = planner_count_cells(p, j, p->vm_list);
    size_t dest = 0;
    uint32_t moved = 0;
    for (uint32_t r = 0; r < job->team; r++) {
        uint32_t from = job->cell_vm[r];
        if (p->vm_count[from] <= p->vm_target[from]) continue;
        while (dest < n && p->vm_count[vms[dest]] >= p->vm_target[vms[dest]])
            dest++;
        assert(dest < n);
        uint32_t to = vms[dest];
        assert(planner_vm_usable(&p->vms[to]) && p->vms[to].used < p->vms[to].slots);
        p->vm_count[from]--;
        p->vm_count[to]++;
        p->vms[from].used--;
        p->vms[to].used++;
        job->cell_vm[r] = to;
        planner_decision d = decision(PLANNER_DO_MIGRATE, job->id);
        d.rank = r;
        d.from_vm = p->vms[from].id;
        d.to_vm = p->vms[to].id;
        planner_emit(p, &d);
        moved++;
    }
    planner_count_clear(p, p->vm_list, n_cur);
    planner_count_clear(p, vms, n);
    for (size_t i = 0; i < n; i++)
        p->vm_target[vms[i]] = 0;
    job->migrations += moved;
    p->metrics.migrations += moved;
    planner_update_links(p, j);
}

void planner_scale_job(planner *p, uint32_t j, uint32_t team) {
    planner_job *job = planner_job_at(p, j);
    assert(job->kind == PLANNER_JOB_OMP && job->state == PLANNER_RUNNING);
    assert(team >= job->size && team != job->team);
    uint32_t v = job->cell_vm[0];
    planner_vm *vm = &p->vms[v];
    if (team > job->team) {
        assert(team - job->team <= planner_vm_free_slots(vm));
        job_reserve(job, team);
        for (uint32_t r = job->team; r < team; r++)
            job->cell_vm[r] = v;
        vm->used += team - job->team;
        p->slots_used += team - job->team;
        p->metrics.scale_ups++;
    } else {
        vm->used -= job->team - team;
        p->slots_used -= job->team - team;
        p->metrics.scale_downs++;
    }
    job->team = team;
    job->scale_changes++;
    planner_decision d = decision(PLANNER_DO_SCALE, job->id);
    d.from_vm = vm->id;
    d.size = team;
    planner_emit(p, &d);
}

static void release_cells(planner *p, planner_job *job) {
    for (uint32_t r = 0; r < job->team; r++)
        p->vms[job->cell_vm[r]].used--;
    p->slots_used -= job->team;
    p->slots_requested -= job->size;
    p->links_total -= job->links;
    job->links = 0;
    job->vms = 0;
    job->team = 0;
}

void planner_stop_job(planner *p, uint32_t j, planner_decision_kind why) {
    planner_job *job = planner_job_at(p, j);
    assert(job->state == PLANNER_RUNNING);
    assert(why == PLANNER_DO_FREEZE || why == PLANNER_DO_REQUEUE);
    planner_decision d = decision(why, job->id);
    d.size = job->team;
    release_cells(p, job);
    running_remove(p, j);
    job->state = PLANNER_QUEUED;
    job->frozen = why == PLANNER_DO_FREEZE;
    if (why == PLANNER_DO_FREEZE) {
        job->freezes++;
        p->metrics.freezes++;
    } else {
        job->requeues++;
        p->metrics.requeues++;
    }
    planner_queue_push_front(p, j);
    planner_emit(p, &d);
}

void planner_finish_job(planner *p, uint32_t j) {
    planner_job *job = planner_job_at(p, j);
    assert(job->state == PLANNER_RUNNING);
    release_cells(p, job);
    running_remove(p, j);
    job->state = PLANNER_FINISHED;
    job->end_t = p->now;
    p->metrics.finished++;
    p->metrics.last_finish = p->now;
}

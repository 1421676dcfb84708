/*
 * sim_engine.c - the discrete-event loop (see sim_engine.h).
 *
 * Each job's progress is a piecewise-linear function of virtual time: `done` work at `last_t`,
 * growing at `rate` from max(last_t, resume_t) on (resume_t is when a migration, scaling or restore
 * pause ends). The only scheduled event per job is its next control point (or its end), at the
 * time the current rate reaches it; any change of rate bumps the job's version, which voids the
 * event already in the heap. So the loop advances a job only when something happens to it.
 *
 * After each planner call the decisions are applied job by job, in a fixed order: progress up to
 * now at the old rate; a stop (freeze keeps progress, requeue loses it); a start (a restore pays
 * for the snapshot transfer); migration and scaling pauses; then the new rate from the planner's
 * placement, and the next control point is scheduled.
 */
#include "sim/sim_engine.h"
#include "sim/sim_heap.h"
#include "sim/sim_rng.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct sim_job {
    const sim_model *model;
    uint32_t id;
    planner_job_kind kind;
    uint32_t size;
    double work, done, rate, last_t, resume_t, next_cp;
    double submit_t, lost;
    uint32_t version;
    int running;
    /* what the latest planner call did to it */
    uint64_t stamp;
    int stopped; /* PLANNER_DO_FREEZE or PLANNER_DO_REQUEUE, or -1 */
    int placed, restore, scaled;
    uint32_t migrated;
} sim_job;

typedef struct sim_id_index {
    uint32_t id, index;
} sim_id_index;

typedef struct sim_vm_entry {
    uint32_t id;
    int noticed;
} sim_vm_entry;

typedef struct sim_state {
    const sim_options *o;
    planner *p;
    planner_decisions d;
    sim_heap heap;
    sim_job *jobs;
    size_t n_jobs;
    sim_id_index *by_id; /* jobs sorted by id, for decisions */
    sim_vm_entry *vms;
    size_t n_vms, cap_vms;
    uint32_t next_vm_id;
    sim_rng rng;
    double now;
    size_t finished, pending_submits, pending_adds, pending_removes;
    uint64_t stamp;
    uint32_t *touched;
    size_t n_touched;
    sim_result *r;
    char *err;
    size_t errlen;
} sim_state;

static int sim_fail(sim_state *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, s->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static uint64_t clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t job_index(const sim_state *s, uint32_t id) {
    size_t lo = 0, hi = s->n_jobs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t mid_id = s->by_id[mid].id;
        if (mid_id == id) return s->by_id[mid].index;
        if (mid_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return UINT32_MAX;
}

/* ---- job progress ---- */

static void advance(sim_job *j, double now) {
    if (j->running) {
        double from = j->last_t > j->resume_t ? j->last_t : j->resume_t;
        if (now > from) j->done += (now - from) * j->rate;
        if (j->done > j->next_cp) j->done = j->next_cp; /* rounding: never past the next event */
    }
    j->last_t = now;
}

static void schedule_progress(sim_state *s, uint32_t idx) {
    sim_job *j = &s->jobs[idx];
    j->version++;
    if (!j->running) return;
    double start = j->resume_t > s->now ? j->resume_t : s->now;
    double t = start + (j->next_cp - j->done) / j->rate;
    sim_heap_push(&s->heap, t, SIM_EV_PROGRESS, idx, j->version);
}

static double transfer_s(const sim_state *s, const sim_job *j, uint32_t cells) {
    const sim_models *m = s->o->models;
    double snapshots = j->kind == PLANNER_JOB_OMP ? 1.0 : (double)cells;
    return m->migrate_latency_s + snapshots * j->model->snapshot_mb / m->bandwidth_mb_s;
}

static void pause_for(sim_state *s, sim_job *j, double seconds) {
    double from = j->resume_t > s->now ? j->resume_t : s->now;
    j->resume_t = from + seconds;
}

static void update_rate(sim_state *s, sim_job *j) {
    planner_job_info info;
    planner_job_get(s->p, j->id, &info);
    j->rate = sim_model_rate(j->model, j->size, info.team, info.links);
}

/* ---- planner calls and their decisions ---- */

static void touch(sim_state *s, uint32_t idx) {
    sim_job *j = &s->jobs[idx];
    if (j->stamp == s->stamp) return;
    j->stamp = s->stamp;
    j->stopped = -1;
    j->placed = j->restore = j->scaled = 0;
    j->migrated = 0;
    s->touched[s->n_touched++] = idx;
}

static void apply_job(sim_state *s, uint32_t idx) {
    sim_job *j = &s->jobs[idx];
    advance(j, s->now);
    if (j->stopped >= 0) {
        if (j->stopped == PLANNER_DO_REQUEUE) {
            j->lost += j->done;
            j->done = 0;
            j->next_cp = fmin(j->model->control_point_s, j->work);
        }
        j->running = 0;
        j->rate = 0;
    }
    if (j->placed) {
        j->running = 1;
        j->last_t = s->now;
        j->resume_t = s->now;
        if (j->restore) pause_for(s, j, transfer_s(s, j, j->size));
    }
    if (j->running && j->migrated) pause_for(s, j, transfer_s(s, j, j->migrated));
    if (j->running && j->scaled) pause_for(s, j, s->o->models->scale_cost_s);
    if (j->running) update_rate(s, j);
    schedule_progress(s, idx);
}

static int apply_decisions(sim_state *s) {
    s->stamp++;
    s->n_touched = 0;
    for (size_t i = 0; i < s->d.n; i++) {
        const planner_decision *d = &s->d.v[i];
        uint32_t idx = job_index(s, d->job);
        if (idx == UINT32_MAX) return sim_fail(s, "the planner named an unknown job %u", d->job);
        sim_job *j = &s->jobs[idx];
        switch (d->kind) {
        case PLANNER_DO_WAIT: continue;
        case PLANNER_DO_PLACE:
            touch(s, idx);
            j->placed = 1;
            j->restore = d->restore;
            break;
        case PLANNER_DO_MIGRATE:
            touch(s, idx);
            j->migrated++;
            break;
        case PLANNER_DO_SCALE:
            touch(s, idx);
            j->scaled = 1;
            break;
        case PLANNER_DO_FREEZE:
        case PLANNER_DO_REQUEUE:
            touch(s, idx);
            j->stopped = (int)d->kind;
            break;
        }
    }
    for (size_t i = 0; i < s->n_touched; i++)
        apply_job(s, s->touched[i]);
    return 0;
}

static int call_planner(sim_state *s, const planner_event *ev) {
    const sim_options *o = s->o;
    int timed = o->latency_ns && s->r->n_latency < o->latency_cap;
    uint64_t cpu0 = timed && o->latency_cpu_ns ? clock_ns(CLOCK_THREAD_CPUTIME_ID) : 0;
    uint64_t t0 = timed ? clock_ns(CLOCK_MONOTONIC) : 0;
    int rc = planner_handle(s->p, ev, &s->d);
    if (timed) {
        o->latency_ns[s->r->n_latency] = clock_ns(CLOCK_MONOTONIC) - t0;
        if (o->latency_cpu_ns)
            o->latency_cpu_ns[s->r->n_latency] = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
        s->r->n_latency++;
    }
    if (rc != 0) {
        char buf[160];
        planner_event_format(ev, buf, sizeof buf);
        return sim_fail(s, "planner refused '%s': %s", buf, planner_error(s->p));
    }
    if (o->check) {
        char why[256];
        if (planner_check(s->p, why, sizeof why) != 0) {
            char buf[160];
            planner_event_format(ev, buf, sizeof buf);
            return sim_fail(s, "planner invariant violated after '%s': %s", buf, why);
        }
    }
    s->r->events++;
    s->r->decisions += s->d.n;
    return apply_decisions(s);
}

/* ---- VMs and evictions ---- */

static int add_vm(sim_state *s) {
    if (s->n_vms == s->cap_vms) {
        s->cap_vms = s->cap_vms ? s->cap_vms * 2 : 64;
        sim_vm_entry *v = realloc(s->vms, s->cap_vms * sizeof *v);
        if (!v) return sim_fail(s, "out of memory");
        s->vms = v;
    }
    uint32_t id = s->next_vm_id++;
    s->vms[s->n_vms++] = (sim_vm_entry){id, 0};
    planner_event ev = {.kind = PLANNER_EV_VM_ADD,
                        .time = s->now,
                        .vm = id,
                        .slots = s->o->models->vm_slots,
                        .spot = (uint8_t)(s->o->spot != 0)};
    return call_planner(s, &ev);
}

static int remove_vm(sim_state *s, uint32_t id) {
    for (size_t i = 0; i < s->n_vms; i++) {
        if (s->vms[i].id == id) {
            s->vms[i] = s->vms[--s->n_vms];
            break;
        }
    }
    planner_event ev = {.kind = PLANNER_EV_VM_REMOVE, .time = s->now, .vm = id};
    return call_planner(s, &ev);
}

static int eviction_tick(sim_state *s) {
    const sim_evictions *e = &s->o->models->evictions;
    size_t candidates = 0;
    for (size_t i = 0; i < s->n_vms; i++)
        candidates += !s->vms[i].noticed;
    size_t k = (size_t)llround(e->fraction * (double)s->n_vms);
    if (k > candidates) k = candidates;
    for (size_t n = 0; n < k; n++) {
        /* the r-th VM without a notice */
        uint32_t r = sim_rng_range(&s->rng, 0, (uint32_t)(candidates - n - 1));
        size_t i = 0;
        for (;; i++) {
            if (s->vms[i].noticed) continue;
            if (r-- == 0) break;
        }
        s->vms[i].noticed = 1;
        s->r->vms_noticed++;
        planner_event ev = {.kind = PLANNER_EV_VM_NOTICE,
                            .time = s->now,
                            .vm = s->vms[i].id,
                            .deadline = s->now + e->grace_s};
        if (call_planner(s, &ev)) return -1;
        sim_heap_push(&s->heap, s->now + e->grace_s, SIM_EV_VM_REMOVE, s->vms[i].id, 0);
        s->pending_removes++;
        if (e->replace_after_s >= 0) {
            sim_heap_push(&s->heap, s->now + e->replace_after_s, SIM_EV_VM_ADD, 0, 0);
            s->pending_adds++;
        }
    }
    sim_heap_push(&s->heap, s->now + e->period_s, SIM_EV_EVICT_TICK, 0, 0);
    return 0;
}

/* ---- the loop ---- */

static int handle_progress(sim_state *s, const sim_event *e) {
    sim_job *j = &s->jobs[e->a];
    if (e->version != j->version || !j->running) return 0; /* voided by a later change */
    j->done = j->next_cp;
    j->last_t = s->now;
    planner_event ev = {.time = s->now, .job = j->id};
    if (j->done >= j->work) {
        j->running = 0;
        j->rate = 0;
        j->version++;
        s->finished++;
        ev.kind = PLANNER_EV_JOB_FINISH;
        return call_planner(s, &ev);
    }
    j->next_cp = fmin(j->done + j->model->control_point_s, j->work);
    ev.kind = PLANNER_EV_BARRIER;
    if (call_planner(s, &ev)) return -1;
    if (j->stamp != s->stamp) schedule_progress(s, e->a); /* untouched: on to the next one */
    return 0;
}

static int handle_event(sim_state *s, const sim_event *e) {
    switch (e->type) {
    case SIM_EV_SUBMIT: {
        sim_job *j = &s->jobs[e->a];
        s->pending_submits--;
        planner_event ev = {.kind = PLANNER_EV_JOB_SUBMIT,
                            .time = s->now,
                            .job = j->id,
                            .job_kind = j->kind,
                            .size = j->size};
        return call_planner(s, &ev);
    }
    case SIM_EV_PROGRESS: return handle_progress(s, e);
    case SIM_EV_EVICT_TICK: return eviction_tick(s);
    case SIM_EV_VM_REMOVE: s->pending_removes--; return remove_vm(s, e->a);
    case SIM_EV_VM_ADD: s->pending_adds--; return add_vm(s);
    }
    return sim_fail(s, "internal: bad event type %d", (int)e->type);
}

static int compare_by_id(const void *a, const void *b) {
    uint32_t x = ((const sim_id_index *)a)->id, y = ((const sim_id_index *)b)->id;
    return x < y ? -1 : x > y;
}

static int setup_jobs(sim_state *s, const sim_trace *t) {
    const sim_options *o = s->o;
    uint64_t cluster = (uint64_t)o->vms * o->models->vm_slots;
    s->n_jobs = t->n;
    s->jobs = calloc(t->n + 1, sizeof *s->jobs);
    s->by_id = calloc(t->n + 1, sizeof *s->by_id);
    s->touched = calloc(t->n + 1, sizeof *s->touched);
    if (!s->jobs || !s->by_id || !s->touched) return sim_fail(s, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        const sim_trace_job *tj = &t->jobs[i];
        sim_job *j = &s->jobs[i];
        j->model = sim_models_find(o->models, tj->model);
        if (!j->model) return sim_fail(s, "job %u: unknown model %s", tj->id, tj->model);
        if (tj->kind == PLANNER_JOB_OMP && tj->size > o->models->vm_slots)
            return sim_fail(s, "job %u: %u OpenMP threads cannot fit a VM of %u vCPUs", tj->id,
                            tj->size, o->models->vm_slots);
        if (tj->size > cluster)
            return sim_fail(s, "job %u: %u ranks cannot fit the cluster's %llu vCPUs", tj->id,
                            tj->size, (unsigned long long)cluster);
        j->id = tj->id;
        j->kind = tj->kind;
        j->size = tj->size;
        j->work = tj->work_s;
        j->submit_t = tj->submit_s;
        j->next_cp = fmin(j->model->control_point_s, j->work);
        j->stopped = -1;
        s->by_id[i] = (sim_id_index){tj->id, (uint32_t)i};
        sim_heap_push(&s->heap, tj->submit_s, SIM_EV_SUBMIT, (uint32_t)i, 0);
        s->pending_submits++;
    }
    qsort(s->by_id, s->n_jobs, sizeof *s->by_id, compare_by_id);
    for (size_t i = 1; i < s->n_jobs; i++)
        if (s->by_id[i].id == s->by_id[i - 1].id)
            return sim_fail(s, "job id %u appears twice in the trace", s->by_id[i].id);
    return 0;
}

static int run_loop(sim_state *s) {
    const sim_options *o = s->o;
    double max_time = o->max_time_s > 0 ? o->max_time_s : 1e7;
    for (uint32_t v = 0; v < o->vms; v++)
        if (add_vm(s)) return -1;
    if (o->evictions && o->models->evictions.fraction > 0)
        sim_heap_push(&s->heap, o->models->evictions.period_s, SIM_EV_EVICT_TICK, 0, 0);
    sim_event e;
    while (s->finished < s->n_jobs) {
        if (!sim_heap_pop(&s->heap, &e)) return sim_fail(s, "internal: no events left");
        if (e.t > max_time)
            return sim_fail(
                s, "the run did not finish within %g s of virtual time (%zu of %zu jobs done)",
                max_time, s->finished, s->n_jobs);
        s->now = e.t;
        if (handle_event(s, &e)) return -1;
        if (planner_running_count(s->p) == 0 && planner_queue_length(s->p) > 0 &&
            s->pending_submits == 0 && s->pending_adds == 0 && s->pending_removes == 0)
            return sim_fail(s,
                            "job %u can never start: nothing runs and the cluster will not change",
                            planner_queue_at(s->p, 0));
    }
    return 0;
}

static void collect(sim_state *s) {
    sim_result *r = s->r;
    r->jobs = calloc(s->n_jobs + 1, sizeof *r->jobs);
    if (!r->jobs) return;
    r->n_jobs = s->n_jobs;
    for (size_t i = 0; i < s->n_jobs; i++) {
        const sim_job *j = &s->jobs[i];
        planner_job_info info;
        planner_job_get(s->p, j->id, &info);
        sim_job_result *jr = &r->jobs[i];
        jr->id = j->id;
        jr->kind = j->kind;
        jr->size = j->size;
        jr->work_s = j->work;
        jr->submit_s = info.submit_t;
        jr->start_s = info.start_t;
        jr->end_s = info.end_t;
        jr->lost_work_s = j->lost;
        jr->migrations = info.migrations;
        jr->freezes = info.freezes;
        jr->requeues = info.requeues;
        jr->scale_changes = info.scale_changes;
        jr->evictions_survived = info.evictions_survived;
        r->lost_work_s += j->lost;
    }
    r->makespan_s = planner_metrics_makespan(planner_get_metrics(s->p));
}

int sim_run(const sim_options *o, const sim_trace *t, sim_result *r, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    sim_state s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.r = r;
    s.err = err;
    s.errlen = errlen;
    sim_rng_seed(&s.rng, o->seed ^ 0x5EEDE71C7ull);
    int rc = 0;
    if (o->vms < 1) rc = sim_fail(&s, "the cluster needs at least one VM");
    if (rc == 0 && t->n == 0) rc = sim_fail(&s, "the trace has no jobs");
    if (rc == 0) {
        char why[256];
        if (planner_create(&s.p, &o->planner, why, sizeof why) != 0)
            rc = sim_fail(&s, "planner: %s", why);
    }
    if (rc == 0) rc = setup_jobs(&s, t);
    if (rc == 0) rc = run_loop(&s);
    if (rc == 0) collect(&s);
    if (rc == 0 && !r->jobs) rc = sim_fail(&s, "out of memory");
    r->p = s.p;
    if (rc != 0) sim_result_free(r);
    planner_decisions_free(&s.d);
    sim_heap_free(&s.heap);
    free(s.jobs);
    free(s.by_id);
    free(s.touched);
    free(s.vms);
    return rc;
}

void sim_result_free(sim_result *r) {
    planner_destroy(r->p);
    free(r->jobs);
    memset(r, 0, sizeof *r);
}

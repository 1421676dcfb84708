/*
 * tp.c - the planner test harness (see tp.h).
 */
#include "tp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tp_failures;

void tp_expect(int ok, const char *what, const char *file, int line) {
    if (ok) return;
    fprintf(stderr, "%s:%d: expected %s\n", file, line, what);
    tp_failures++;
}

static void tp_die(const char *msg) {
    fprintf(stderr, "fatal: %s\n", msg);
    exit(1);
}

void tp_init_config(tp *t, const planner_config *c) {
    char err[256];
    memset(t, 0, sizeof *t);
    if (planner_create(&t->p, c, err, sizeof err) != 0) tp_die(err);
    t->shadow = calloc(TP_MAX_JOBS, sizeof *t->shadow);
    if (!t->shadow) tp_die("out of memory");
}

void tp_init(tp *t, const char *policy) {
    planner_config c;
    if (planner_config_default(&c, policy) != 0) tp_die("unknown policy");
    c.record_series = 1;
    tp_init_config(t, &c);
}

void tp_free(tp *t) {
    planner_destroy(t->p);
    planner_decisions_free(&t->d);
    free(t->shadow);
}

/* Applies the decisions to the shadow placement, as a worker would. */
static void tp_replay(tp *t) {
    for (size_t i = 0; i < t->d.n; i++) {
        const planner_decision *d = &t->d.v[i];
        if (d->job >= TP_MAX_JOBS) continue;
        tp_shadow_job *s = &t->shadow[d->job];
        switch (d->kind) {
        case PLANNER_DO_PLACE:
            if (d->rank >= TP_MAX_TEAM) tp_die("rank too large for the shadow");
            s->vm[d->rank] = d->to_vm;
            if (d->rank + 1 > s->team) s->team = d->rank + 1;
            break;
        case PLANNER_DO_MIGRATE:
            if (d->rank >= s->team || s->vm[d->rank] != d->from_vm)
                tp_die("migrate decision from a VM the cell is not on");
            s->vm[d->rank] = d->to_vm;
            break;
        case PLANNER_DO_SCALE:
            if (d->size > TP_MAX_TEAM) tp_die("team too large for the shadow");
            for (uint32_t r = s->team; r < d->size; r++)
                s->vm[r] = d->from_vm;
            s->team = d->size;
            break;
        case PLANNER_DO_FREEZE:
        case PLANNER_DO_REQUEUE:
            if (d->size != s->team) tp_die("freeze/requeue cell count differs from the shadow");
            s->team = 0;
            break;
        case PLANNER_DO_WAIT: break;
        }
    }
}

static void tp_compare_shadow(tp *t) {
    for (uint32_t id = 0; id < t->id_limit; id++) {
        planner_job_info info;
        if (planner_job_get(t->p, id, &info) != 0) continue;
        tp_shadow_job *s = &t->shadow[id];
        if (info.team != s->team) {
            fprintf(stderr, "job %u: planner team %u, replayed decisions say %u\n", id, info.team,
                    s->team);
            tp_die("shadow placement differs");
        }
        for (uint32_t r = 0; r < info.team; r++) {
            uint32_t vm;
            if (planner_cell_vm(t->p, id, r, &vm) != 0 || vm != s->vm[r])
                tp_die("shadow cell placement differs");
        }
    }
}

int tp_send(tp *t, const planner_event *ev) {
    int rc = planner_handle(t->p, ev, &t->d);
    char err[256];
    if (planner_check(t->p, err, sizeof err) != 0) {
        fprintf(stderr, "invariant violated after event: %s\n", err);
        exit(1);
    }
    if (rc == 0) {
        if (ev->kind == PLANNER_EV_JOB_SUBMIT && ev->job < TP_MAX_JOBS && ev->job >= t->id_limit)
            t->id_limit = ev->job + 1;
        if (ev->kind == PLANNER_EV_JOB_FINISH && ev->job < TP_MAX_JOBS) t->shadow[ev->job].team = 0;
        tp_replay(t);
        tp_compare_shadow(t);
    }
    return rc;
}

static void tp_must(tp *t, const planner_event *ev) {
    if (tp_send(t, ev) != 0) {
        fprintf(stderr, "event refused: %s\n", planner_error(t->p));
        exit(1);
    }
}

void tp_vm(tp *t, uint32_t id, uint32_t slots, int spot) {
    planner_event ev = {
        .kind = PLANNER_EV_VM_ADD, .time = t->now, .vm = id, .slots = slots, .spot = (uint8_t)spot};
    tp_must(t, &ev);
}

void tp_submit(tp *t, uint32_t id, planner_job_kind kind, uint32_t size) {
    planner_event ev = {
        .kind = PLANNER_EV_JOB_SUBMIT, .time = t->now, .job = id, .job_kind = kind, .size = size};
    tp_must(t, &ev);
}

void tp_finish(tp *t, uint32_t id) {
    planner_event ev = {.kind = PLANNER_EV_JOB_FINISH, .time = t->now, .job = id};
    tp_must(t, &ev);
}

void tp_barrier(tp *t, uint32_t id) {
    planner_event ev = {.kind = PLANNER_EV_BARRIER, .time = t->now, .job = id};
    tp_must(t, &ev);
}

void tp_notice(tp *t, uint32_t vm, double deadline) {
    planner_event ev = {
        .kind = PLANNER_EV_VM_NOTICE, .time = t->now, .vm = vm, .deadline = deadline};
    tp_must(t, &ev);
}

void tp_remove(tp *t, uint32_t vm) {
    planner_event ev = {.kind = PLANNER_EV_VM_REMOVE, .time = t->now, .vm = vm};
    tp_must(t, &ev);
}

size_t tp_count(const tp *t, planner_decision_kind kind, uint32_t job) {
    size_t n = 0;
    for (size_t i = 0; i < t->d.n; i++)
        if (t->d.v[i].kind == kind && (job == PLANNER_ID_NONE || t->d.v[i].job == job)) n++;
    return n;
}

uint32_t tp_cell(const tp *t, uint32_t job, uint32_t rank) {
    uint32_t vm;
    return planner_cell_vm(t->p, job, rank, &vm) == 0 ? vm : PLANNER_ID_NONE;
}

planner_job_info tp_job(const tp *t, uint32_t job) {
    planner_job_info info;
    if (planner_job_get(t->p, job, &info) != 0) tp_die("unknown job");
    return info;
}

void tp_print_decisions(const tp *t) {
    char buf[128];
    for (size_t i = 0; i < t->d.n; i++) {
        planner_decision_format(&t->d.v[i], buf, sizeof buf);
        fprintf(stderr, "  %s\n", buf);
    }
}

/*
 * test_planner_stress.c - error paths, and invariants under long random event streams.
 *
 * Bad events must be refused with a message and leave the state as it was. Random streams (VMs
 * joining, noticed and removed; MPI and OpenMP jobs submitted, reaching barriers, finishing) run
 * against every policy; the harness checks every invariant after each event and replays the
 * decisions onto a shadow placement, and at the end every job must have finished exactly once: no
 * job lost or duplicated through freeze and requeue. The same stream twice yields the same
 * decisions, byte for byte. The id map is also checked against a plain array under churn.
 */
#include "planner/planner_idmap.h"
#include "tp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t rng_below(uint64_t *s, uint32_t n) {
    return (uint32_t)(rng_next(s) % n);
}

static void expect_refused(tp *t, planner_event ev, const char *needle) {
    size_t jobs = planner_job_count(t->p), queued = planner_queue_length(t->p);
    size_t running = planner_running_count(t->p);
    int rc = tp_send(t, &ev);
    EXPECT(rc == -1);
    EXPECT(strstr(planner_error(t->p), needle) != NULL);
    if (rc != -1 || !strstr(planner_error(t->p), needle))
        fprintf(stderr, "  error was: '%s', wanted '%s'\n", planner_error(t->p), needle);
    EXPECT(t->d.n == 0);
    EXPECT(planner_job_count(t->p) == jobs && planner_queue_length(t->p) == queued &&
           planner_running_count(t->p) == running);
}

static void test_errors(void) {
    planner *p;
    char err[256];
    planner_config c;
    EXPECT(planner_config_default(&c, "fifo") == -1);
    planner_config_default(&c, "granny");
    c.policy = "nope";
    EXPECT(planner_create(&p, &c, err, sizeof err) == -1 && strstr(err, "unknown policy"));
    planner_config_default(&c, "granny");
    c.target_utilisation = 0;
    EXPECT(planner_create(&p, &c, err, sizeof err) == -1 && strstr(err, "target"));
    c.target_utilisation = 1.5;
    EXPECT(planner_create(&p, &c, err, sizeof err) == -1);
    c.target_utilisation = NAN;
    EXPECT(planner_create(&p, &c, err, sizeof err) == -1);

    tp t;
    tp_init(&t, "granny");
    tp_vm(&t, 1, 8, 0);
    tp_submit(&t, 1, PLANNER_JOB_MPI, 4);
    tp_submit(&t, 2, PLANNER_JOB_OMP, 8);
    t.now = 10;
    tp_barrier(&t, 1);
    planner_event ev;
    ev = (planner_event){.kind = PLANNER_EV_JOB_FINISH, .time = 10, .job = 99};
    expect_refused(&t, ev, "unknown job 99");
    ev = (planner_event){.kind = PLANNER_EV_BARRIER, .time = 10, .job = 2};
    expect_refused(&t, ev, "is queued, not running");
    ev = (planner_event){.kind = PLANNER_EV_JOB_SUBMIT, .time = 10, .job = 1, .size = 2};
    expect_refused(&t, ev, "already submitted");
    ev = (planner_event){.kind = PLANNER_EV_JOB_SUBMIT, .time = 10, .job = 3, .size = 0};
    expect_refused(&t, ev, "size 0");
    ev = (planner_event){.kind = PLANNER_EV_JOB_SUBMIT, .time = 10, .job = 3, .size = 1u << 20};
    expect_refused(&t, ev, "is not in 1..");
    ev = (planner_event){.kind = PLANNER_EV_JOB_SUBMIT,
                         .time = 10,
                         .job = 3,
                         .size = 1,
                         .job_kind = (planner_job_kind)7};
    expect_refused(&t, ev, "unknown kind");
    ev = (planner_event){
        .kind = PLANNER_EV_JOB_SUBMIT, .time = 10, .job = PLANNER_ID_NONE, .size = 1};
    expect_refused(&t, ev, "reserved");
    ev = (planner_event){.kind = PLANNER_EV_VM_ADD, .time = 10, .vm = 1, .slots = 8};
    expect_refused(&t, ev, "already in the cluster");
    ev = (planner_event){.kind = PLANNER_EV_VM_ADD, .time = 10, .vm = 2, .slots = 0};
    expect_refused(&t, ev, "slots 0");
    ev = (planner_event){.kind = PLANNER_EV_VM_REMOVE, .time = 10, .vm = 5};
    expect_refused(&t, ev, "unknown VM 5");
    ev = (planner_event){.kind = PLANNER_EV_VM_NOTICE, .time = 10, .vm = 5, .deadline = 20};
    expect_refused(&t, ev, "unknown VM 5");
    ev = (planner_event){.kind = PLANNER_EV_VM_NOTICE, .time = 10, .vm = 1, .deadline = INFINITY};
    expect_refused(&t, ev, "deadline");
    ev = (planner_event){.kind = PLANNER_EV_BARRIER, .time = 9, .job = 1};
    expect_refused(&t, ev, "before the previous event");
    ev = (planner_event){.kind = PLANNER_EV_BARRIER, .time = NAN, .job = 1};
    expect_refused(&t, ev, "not a finite number");
    ev = (planner_event){.kind = (planner_event_kind)42, .time = 10};
    expect_refused(&t, ev, "unknown event kind");
    /* After all that, the planner still works. */
    tp_finish(&t, 1);
    tp_finish(&t, 2);
    EXPECT(planner_get_metrics(t.p)->finished == 2);
    EXPECT(planner_job_get(t.p, 77, &(planner_job_info){0}) == -1);
    uint32_t vm;
    EXPECT(planner_cell_vm(t.p, 1, 0, &vm) == -1);
    EXPECT(planner_vm_get(t.p, 9, &(planner_vm_info){0}) == -1);
    EXPECT(planner_queue_at(t.p, 5) == PLANNER_ID_NONE);
    tp_free(&t);
}

typedef struct stream_vm {
    uint32_t id;
    int noticed;
} stream_vm;

/* What the random streams exercised, summed over all runs (each path must have been taken). */
static uint64_t seen_migrations, seen_freezes, seen_requeues, seen_scale_ups, seen_scale_downs;

static uint64_t fnv(uint64_t h, const char *s) {
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001B3ull;
    return h;
}

/* Runs a random stream of `steps` events; returns a hash of every decision taken. */
static uint64_t random_stream(const planner_config *c, uint64_t seed, int steps) {
    tp t;
    tp_init_config(&t, c);
    uint64_t rng = seed, hash = 0xCBF29CE484222325ull;
    stream_vm vms[512];
    size_t n_vms = 0;
    uint32_t next_vm = 100, next_job = 0;
    uint32_t running[TP_MAX_JOBS];
    char buf[160];
    for (int step = 0; step < steps; step++) {
        t.now += (double)rng_below(&rng, 1000) / 100.0;
        size_t n_run = 0;
        for (uint32_t id = 0; id < next_job; id++) {
            planner_job_info info;
            if (planner_job_get(t.p, id, &info) == 0 && info.state == PLANNER_RUNNING)
                running[n_run++] = id;
        }
        uint32_t dice = rng_below(&rng, 100);
        planner_event ev = {.time = t.now};
        if (n_vms == 0 || (dice < 6 && n_vms < 500)) {
            ev.kind = PLANNER_EV_VM_ADD;
            ev.vm = next_vm++;
            ev.slots = 1 + rng_below(&rng, 8);
            ev.spot = (uint8_t)rng_below(&rng, 2);
            vms[n_vms++] = (stream_vm){ev.vm, 0};
        } else if (dice < 35 && next_job < TP_MAX_JOBS) {
            ev.kind = PLANNER_EV_JOB_SUBMIT;
            ev.job = next_job++;
            ev.job_kind = rng_below(&rng, 2) ? PLANNER_JOB_OMP : PLANNER_JOB_MPI;
            ev.size =
                ev.job_kind == PLANNER_JOB_OMP ? 1 + rng_below(&rng, 7) : 1 + rng_below(&rng, 15);
        } else if (dice < 75 && n_run > 0) {
            ev.kind = PLANNER_EV_BARRIER;
            ev.job = running[rng_below(&rng, (uint32_t)n_run)];
        } else if (dice < 90 && n_run > 0) {
            ev.kind = PLANNER_EV_JOB_FINISH;
            ev.job = running[rng_below(&rng, (uint32_t)n_run)];
        } else if (dice < 95) {
            size_t i = rng_below(&rng, (uint32_t)n_vms);
            ev.kind = PLANNER_EV_VM_NOTICE;
            ev.vm = vms[i].id;
            ev.deadline = t.now + 60;
            vms[i].noticed = 1;
        } else {
            size_t i = rng_below(&rng, (uint32_t)n_vms);
            for (size_t k = 0; k < n_vms; k++) /* prefer a noticed VM */
                if (vms[k].noticed) i = k;
            ev.kind = PLANNER_EV_VM_REMOVE;
            ev.vm = vms[i].id;
            vms[i] = vms[--n_vms];
        }
        if (tp_send(&t, &ev) != 0) {
            planner_event_format(&ev, buf, sizeof buf);
            fprintf(stderr, "random stream: refused %s: %s\n", buf, planner_error(t.p));
            exit(1);
        }
        for (size_t i = 0; i < t.d.n; i++) {
            planner_decision_format(&t.d.v[i], buf, sizeof buf);
            hash = fnv(hash, buf);
        }
    }
    /* Drain: a big VM for the widest job, then finish whatever runs until nothing is left. */
    t.now += 1;
    tp_vm(&t, 99999, 16, 0);
    for (int guard = 0; planner_running_count(t.p) + planner_queue_length(t.p) > 0; guard++) {
        if (guard > 100000) {
            fprintf(stderr, "random stream: the queue does not drain\n");
            exit(1);
        }
        t.now += 1;
        for (uint32_t id = 0; id < next_job; id++) {
            planner_job_info info;
            if (planner_job_get(t.p, id, &info) == 0 && info.state == PLANNER_RUNNING) {
                tp_finish(&t, id);
                break;
            }
        }
    }
    const planner_metrics *m = planner_get_metrics(t.p);
    EXPECT(m->finished == next_job && m->submitted == next_job);
    seen_migrations += m->migrations;
    seen_freezes += m->freezes;
    seen_requeues += m->requeues;
    seen_scale_ups += m->scale_ups;
    seen_scale_downs += m->scale_downs;
    for (uint32_t id = 0; id < next_job; id++)
        EXPECT(tp_job(&t, id).state == PLANNER_FINISHED);
    tp_free(&t);
    return hash;
}

static void test_random_streams(void) {
    const char *policies[] = {"batch", "slurm", "granny", "granny"};
    for (size_t i = 0; i < 4; i++) {
        planner_config c;
        planner_config_default(&c, policies[i]);
        if (i == 3) { /* granny without elasticity, at a lower target */
            c.elastic = 0;
            c.target_utilisation = 0.7;
        }
        c.record_series = 1;
        for (uint64_t seed = 1; seed <= 3; seed++) {
            uint64_t a = random_stream(&c, seed, 2000);
            uint64_t b = random_stream(&c, seed, 2000);
            EXPECT(a == b); /* deterministic */
        }
    }
    printf("random streams: %llu migrations, %llu freezes, %llu requeues, %llu scale-ups, "
           "%llu scale-downs\n",
           (unsigned long long)seen_migrations, (unsigned long long)seen_freezes,
           (unsigned long long)seen_requeues, (unsigned long long)seen_scale_ups,
           (unsigned long long)seen_scale_downs);
    EXPECT(seen_migrations > 0 && seen_freezes > 0 && seen_requeues > 0);
    EXPECT(seen_scale_ups > 0 && seen_scale_downs > 0);
}

static void test_idmap(void) {
    planner_idmap m = {0};
    enum { N = 5000 };
    static uint32_t ref[N]; /* ref[key] = value + 1, or 0 */
    uint64_t rng = 42;
    for (int i = 0; i < 200000; i++) {
        uint32_t key = rng_below(&rng, N);
        if (ref[key]) {
            EXPECT(planner_idmap_get(&m, key) == ref[key] - 1);
            planner_idmap_del(&m, key);
            ref[key] = 0;
        } else {
            EXPECT(planner_idmap_get(&m, key) == PLANNER_ID_NONE);
            uint32_t val = rng_below(&rng, 1000000);
            planner_idmap_put(&m, key, val);
            ref[key] = val + 1;
        }
    }
    size_t n = 0;
    for (uint32_t k = 0; k < N; k++) {
        n += ref[k] != 0;
        EXPECT(planner_idmap_get(&m, k) == (ref[k] ? ref[k] - 1 : PLANNER_ID_NONE));
    }
    EXPECT(n == m.n);
    EXPECT(planner_idmap_get(&m, PLANNER_ID_NONE) == PLANNER_ID_NONE);
    planner_idmap_free(&m);
}

int main(void) {
    test_errors();
    test_idmap();
    test_random_streams();
    if (tp_failures) {
        fprintf(stderr, "test_planner_stress: %d failures\n", tp_failures);
        return 1;
    }
    printf("test_planner_stress: ok\n");
    return 0;
}

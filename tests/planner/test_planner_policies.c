/*
 * test_planner_policies.c - each policy's decisions on hand-built scenarios.
 *
 * Every event goes through the harness (tp.c), which checks all invariants after it and replays
 * the decisions onto a shadow placement. Scenarios: batch's whole-VM placement; slurm's first fit
 * without migration; granny's locality-first placement, target utilisation, compaction (the seed's
 * Fig. 2 in miniature, and moving as few ranks as possible), elastic scale-up and its yielding to
 * the queue, spot eviction (migrate away, or freeze and requeue at the head), and lost cells.
 */
#include "tp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MPI  PLANNER_JOB_MPI
#define OMP  PLANNER_JOB_OMP
#define NONE PLANNER_ID_NONE

static void test_batch(void) {
    tp t;
    tp_init(&t, "batch");
    for (uint32_t v = 0; v < 3; v++)
        tp_vm(&t, v, 8, 0);
    tp_submit(&t, 1, MPI, 10); /* two whole VMs, packed: 8 + 2 */
    EXPECT(tp_count(&t, PLANNER_DO_PLACE, 1) == 10);
    EXPECT(tp_cell(&t, 1, 0) == 0 && tp_cell(&t, 1, 7) == 0 && tp_cell(&t, 1, 8) == 1);
    EXPECT(tp_job(&t, 1).links == 16);
    tp_submit(&t, 2, MPI, 3); /* VM2 is the only empty VM */
    EXPECT(tp_cell(&t, 2, 0) == 2 && tp_cell(&t, 2, 2) == 2);
    tp_submit(&t, 3, OMP, 2); /* VM1 has 6 free slots, but batch never shares a VM */
    EXPECT(tp_count(&t, PLANNER_DO_WAIT, 3) == 1 && tp_job(&t, 3).state == PLANNER_QUEUED);
    tp_submit(&t, 4, MPI, 1); /* FIFO: behind job 3 */
    EXPECT(tp_job(&t, 4).state == PLANNER_QUEUED);
    t.now = 5;
    tp_barrier(&t, 2);
    EXPECT(t.d.n == 1 && tp_count(&t, PLANNER_DO_WAIT, 2) == 1);
    tp_finish(&t, 2); /* VM2 empties: job 3 takes it, job 4 waits for another empty VM */
    EXPECT(tp_cell(&t, 3, 0) == 2 && tp_job(&t, 3).team == 2);
    EXPECT(tp_job(&t, 4).state == PLANNER_QUEUED);
    t.now = 7;
    tp_finish(&t, 1);
    EXPECT(tp_cell(&t, 4, 0) == 0);
    tp_free(&t);
}

static void test_slurm(void) {
    tp t;
    tp_init(&t, "slurm");
    for (uint32_t v = 0; v < 3; v++)
        tp_vm(&t, v, 4, 0);
    tp_submit(&t, 1, MPI, 3);
    tp_submit(&t, 2, MPI, 3); /* first fit: one rank on VM0, two on VM1 */
    EXPECT(tp_cell(&t, 2, 0) == 0 && tp_cell(&t, 2, 1) == 1 && tp_cell(&t, 2, 2) == 1);
    EXPECT(tp_job(&t, 2).links == 2);
    tp_submit(&t, 3, OMP, 3); /* threads need one VM with 3 free slots: VM2 */
    EXPECT(tp_cell(&t, 3, 0) == 2 && tp_cell(&t, 3, 2) == 2);
    tp_submit(&t, 4, OMP, 3); /* 3 free slots in all, but none on one VM */
    EXPECT(tp_job(&t, 4).state == PLANNER_QUEUED);
    t.now = 1;
    tp_finish(&t, 1);
    EXPECT(tp_cell(&t, 4, 0) == 0);
    tp_barrier(&t, 2); /* slurm never migrates */
    EXPECT(tp_count(&t, PLANNER_DO_MIGRATE, NONE) == 0 && tp_count(&t, PLANNER_DO_WAIT, 2) == 1);
    EXPECT(tp_job(&t, 2).links == 2);
    tp_barrier(&t, 3); /* nor scales */
    EXPECT(tp_count(&t, PLANNER_DO_SCALE, NONE) == 0 && tp_job(&t, 3).team == 3);
    tp_free(&t);
}

static tp granny(double target) {
    tp t;
    planner_config c;
    planner_config_default(&c, "granny");
    c.target_utilisation = target;
    c.record_series = 1;
    tp_init_config(&t, &c);
    return t;
}

/* The seed's Fig. 2 in miniature: the yellow job starts eagerly over fragmented free slots; when
   the red job completes, yellow's cells are migrated together onto one VM at its next barrier. */
static void test_granny_fig2(void) {
    tp t = granny(1.0);
    for (uint32_t v = 0; v < 3; v++)
        tp_vm(&t, v, 4, 0);
    enum { RED = 1, BLUE = 2, GREEN = 3, YELLOW = 4 };
    tp_submit(&t, RED, MPI, 2);   /* all VMs empty: the first tightest fit, VM0 */
    tp_submit(&t, BLUE, MPI, 3);  /* VM0 has 2 free: VM1 */
    tp_submit(&t, GREEN, MPI, 3); /* VM2 */
    EXPECT(tp_cell(&t, RED, 1) == 0 && tp_cell(&t, BLUE, 0) == 1 && tp_cell(&t, GREEN, 0) == 2);
    tp_submit(&t, YELLOW, MPI, 4); /* 2 + 1 + 1 free: starts at once, fragmented */
    EXPECT(tp_job(&t, YELLOW).state == PLANNER_RUNNING && tp_job(&t, YELLOW).vms == 3);
    EXPECT(tp_job(&t, YELLOW).links == 5);
    t.now = 1;
    tp_barrier(&t, YELLOW); /* nothing better yet */
    EXPECT(tp_count(&t, PLANNER_DO_WAIT, YELLOW) == 1);
    t.now = 2;
    tp_finish(&t, RED);
    tp_barrier(&t, YELLOW); /* VM0 now has room for all four: two ranks move, two stay */
    EXPECT(tp_count(&t, PLANNER_DO_MIGRATE, YELLOW) == 2);
    for (size_t i = 0; i < t.d.n; i++)
        EXPECT(t.d.v[i].kind == PLANNER_DO_MIGRATE && t.d.v[i].to_vm == 0);
    EXPECT(tp_job(&t, YELLOW).links == 0 && tp_job(&t, YELLOW).vms == 1);
    EXPECT(tp_job(&t, YELLOW).migrations == 2);
    EXPECT(planner_get_metrics(t.p)->migrations == 2);
    tp_barrier(&t, YELLOW); /* already compact */
    EXPECT(tp_count(&t, PLANNER_DO_WAIT, YELLOW) == 1);
    tp_free(&t);

    /* Slurm's first fit fragments a job the same way, and never repairs it. */
    tp_init(&t, "slurm");
    for (uint32_t v = 0; v < 3; v++)
        tp_vm(&t, v, 4, 0);
    tp_submit(&t, RED, MPI, 3);    /* VM0 */
    tp_submit(&t, BLUE, MPI, 3);   /* 1 on VM0, 2 on VM1 */
    tp_submit(&t, YELLOW, MPI, 4); /* 2 on VM1, 2 on VM2 */
    EXPECT(tp_job(&t, YELLOW).vms == 2 && tp_job(&t, YELLOW).links == 4);
    t.now = 2;
    tp_finish(&t, RED);
    tp_barrier(&t, YELLOW);
    EXPECT(tp_count(&t, PLANNER_DO_MIGRATE, NONE) == 0 && tp_job(&t, YELLOW).links == 4);
    tp_free(&t);

    /* And under batch: yellow waits for an empty VM and runs there without fragmentation. */
    tp_init(&t, "batch");
    for (uint32_t v = 0; v < 3; v++)
        tp_vm(&t, v, 4, 0);
    tp_submit(&t, RED, MPI, 2);
    tp_submit(&t, BLUE, MPI, 3);
    tp_submit(&t, GREEN, MPI, 3);
    tp_submit(&t, YELLOW, MPI, 4);
    EXPECT(tp_job(&t, YELLOW).state == PLANNER_QUEUED);
    t.now = 2;
    tp_finish(&t, RED);
    EXPECT(tp_job(&t, YELLOW).state == PLANNER_RUNNING && tp_job(&t, YELLOW).links == 0);
    tp_free(&t);
}

/* Compaction moves as few ranks as possible: the ranks already on the target VM stay. */
static void test_granny_minimal_moves(void) {
    tp t = granny(1.0);
    tp_vm(&t, 10, 8, 0);
    tp_vm(&t, 11, 8, 0);
    tp_submit(&t, 1, MPI, 4); /* VM10 */
    tp_submit(&t, 2, MPI, 6); /* tightest fit for 6: VM11 */
    tp_submit(&t, 3, MPI, 6); /* 4 on VM10, 2 on VM11 */
    EXPECT(tp_cell(&t, 1, 0) == 10 && tp_cell(&t, 2, 0) == 11);
    EXPECT(tp_job(&t, 3).links == 8 && tp_cell(&t, 3, 0) == 10 && tp_cell(&t, 3, 5) == 11);
    t.now = 3;
    tp_finish(&t, 1);
    tp_barrier(&t, 3);
    EXPECT(tp_count(&t, PLANNER_DO_MIGRATE, 3) == 2);
    for (size_t i = 0; i < t.d.n; i++)
        EXPECT(t.d.v[i].from_vm == 11 && t.d.v[i].to_vm == 10 && t.d.v[i].rank >= 4);
    EXPECT(tp_job(&t, 3).links == 0);
    /* Job 2 cannot improve (it is whole on VM11). */
    tp_barrier(&t, 2);
    EXPECT(tp_count(&t, PLANNER_DO_WAIT, 2) == 1);
    tp_free(&t);
}

/* A 12-rank job over 8-slot VMs: compaction lowers links and VMs, never raises them. */
static void test_granny_compaction_spans(void) {
    tp t = granny(1.0);
    for (uint32_t v = 0; v < 4; v++)
        tp_vm(&t, v, 8, 0);
    tp_submit(&t, 1, MPI, 5);  /* VM0 */
    tp_submit(&t, 2, MPI, 5);  /* VM0 has 3: VM1 */
    tp_submit(&t, 3, MPI, 6);  /* VM2 */
    tp_submit(&t, 4, MPI, 12); /* free: 3, 3, 2, 8: takes 8 + 3 + 1 */
    planner_job_info j4 = tp_job(&t, 4);
    EXPECT(j4.state == PLANNER_RUNNING && j4.vms == 3);
    EXPECT(j4.links == (8 * 4 + 3 * 9 + 1 * 11) / 2);
    t.now = 1;
    tp_finish(&t, 1);
    tp_finish(&t, 3);
    tp_barrier(&t, 4); /* rooms: VM3 8, VM0 8, VM2 8, VM1 3: best is 8 + 4 */
    planner_job_info after = tp_job(&t, 4);
    EXPECT(after.vms == 2 && after.links == 32);
    EXPECT(tp_count(&t, PLANNER_DO_MIGRATE, 4) <= 4);
    tp_free(&t);
}

static void test_granny_target_utilisation(void) {
    tp t = granny(0.8); /* 20 slots: new jobs may fill 16 */
    tp_vm(&t, 0, 10, 0);
    tp_vm(&t, 1, 10, 0);
    tp_submit(&t, 1, MPI, 8);
    tp_submit(&t, 2, MPI, 8);
    EXPECT(tp_job(&t, 2).state == PLANNER_RUNNING);
    tp_submit(&t, 3, MPI, 2); /* would reach 18 > 16: waits, leaving slack for compaction */
    EXPECT(tp_job(&t, 3).state == PLANNER_QUEUED && tp_count(&t, PLANNER_DO_WAIT, 3) == 1);
    t.now = 4;
    tp_finish(&t, 1);
    EXPECT(tp_job(&t, 3).state == PLANNER_RUNNING);
    tp_free(&t);

    /* An empty cluster always takes the head, whatever the target. */
    t = granny(0.5);
    tp_vm(&t, 0, 10, 0);
    tp_submit(&t, 1, MPI, 10);
    EXPECT(tp_job(&t, 1).state == PLANNER_RUNNING);
    tp_free(&t);
}

static void test_granny_elastic(void) {
    tp t = granny(1.0);
    tp_vm(&t, 0, 8, 0);
    tp_submit(&t, 1, OMP, 2);
    EXPECT(tp_job(&t, 1).team == 2);
    t.now = 1;
    tp_barrier(&t, 1); /* a fork: grow to the idle cores of its VM */
    EXPECT(tp_count(&t, PLANNER_DO_SCALE, 1) == 1 && t.d.v[0].size == 8 && t.d.v[0].from_vm == 0);
    EXPECT(tp_job(&t, 1).team == 8);
    tp_submit(&t, 2, OMP, 3); /* no room now */
    EXPECT(tp_job(&t, 2).state == PLANNER_QUEUED);
    t.now = 2;
    tp_barrier(&t, 1); /* shrinks just enough for the head to start: 8 - 3 = 5 */
    EXPECT(tp_job(&t, 1).team == 5 && tp_job(&t, 2).state == PLANNER_RUNNING);
    EXPECT(tp_count(&t, PLANNER_DO_SCALE, 1) == 1 && tp_count(&t, PLANNER_DO_PLACE, 2) == 3);
    tp_barrier(&t, 2); /* no idle core left */
    EXPECT(tp_count(&t, PLANNER_DO_WAIT, 2) == 1);
    tp_submit(&t, 3, OMP, 7); /* cannot fit even if job 1 shrank to 2: no yielding */
    tp_barrier(&t, 1);
    EXPECT(tp_job(&t, 1).team == 5 && tp_count(&t, PLANNER_DO_WAIT, 1) == 1);
    t.now = 3;
    tp_finish(&t, 2);  /* 3 idle cores, head needs 7 */
    tp_barrier(&t, 1); /* shrinking to 2 frees 6 of 8, not 7: so it grows instead */
    EXPECT(tp_job(&t, 1).team == 8);
    tp_finish(&t, 1);
    EXPECT(tp_job(&t, 3).state == PLANNER_RUNNING);
    const planner_metrics *m = planner_get_metrics(t.p);
    EXPECT(m->scale_ups == 2 && m->scale_downs == 1);
    tp_free(&t);

    /* max_team caps growth; elastic off never scales. */
    planner_config c;
    planner_config_default(&c, "granny");
    c.max_team = 4;
    tp_init_config(&t, &c);
    tp_vm(&t, 0, 8, 0);
    tp_submit(&t, 1, OMP, 2);
    tp_barrier(&t, 1);
    EXPECT(tp_job(&t, 1).team == 4);
    tp_free(&t);
    c.max_team = 0;
    c.elastic = 0;
    tp_init_config(&t, &c);
    tp_vm(&t, 0, 8, 0);
    tp_submit(&t, 1, OMP, 2);
    tp_barrier(&t, 1);
    EXPECT(tp_job(&t, 1).team == 2 && tp_count(&t, PLANNER_DO_WAIT, 1) == 1);
    tp_free(&t);
}

static void test_granny_spot_migrate(void) {
    tp t = granny(1.0);
    for (uint32_t v = 0; v < 3; v++)
        tp_vm(&t, v, 4, 1);
    tp_submit(&t, 1, MPI, 4);
    EXPECT(tp_cell(&t, 1, 0) == 0);
    t.now = 10;
    tp_notice(&t, 0, 70);
    EXPECT(t.d.n == 0);
    planner_vm_info vi;
    EXPECT(planner_vm_get(t.p, 0, &vi) == 0 && vi.noticed && vi.deadline == 70);
    tp_submit(&t, 2, MPI, 2); /* not onto the noticed VM */
    EXPECT(tp_cell(&t, 2, 0) == 1);
    t.now = 12;
    tp_barrier(&t, 1); /* moves whole onto VM2 */
    EXPECT(tp_count(&t, PLANNER_DO_MIGRATE, 1) == 4);
    EXPECT(tp_cell(&t, 1, 0) == 2 && tp_job(&t, 1).links == 0);
    EXPECT(tp_job(&t, 1).evictions_survived == 1);
    t.now = 70;
    tp_remove(&t, 0);
    EXPECT(tp_count(&t, PLANNER_DO_REQUEUE, NONE) == 0);
    EXPECT(tp_job(&t, 1).state == PLANNER_RUNNING);
    tp_free(&t);
}

static void test_granny_spot_freeze(void) {
    tp t = granny(1.0);
    tp_vm(&t, 0, 4, 1);
    tp_vm(&t, 1, 4, 1);
    tp_submit(&t, 1, MPI, 4);
    tp_submit(&t, 2, MPI, 4);
    t.now = 5;
    tp_notice(&t, 0, 65);
    tp_barrier(&t, 1); /* no room anywhere: snapshot, stop, requeue at the head */
    EXPECT(tp_count(&t, PLANNER_DO_FREEZE, 1) == 1 && t.d.v[0].size == 4);
    planner_job_info j1 = tp_job(&t, 1);
    EXPECT(j1.state == PLANNER_QUEUED && j1.frozen && j1.freezes == 1 && j1.start_t == 0);
    EXPECT(planner_queue_length(t.p) == 1 && planner_queue_at(t.p, 0) == 1);
    tp_submit(&t, 3, MPI, 1); /* behind the frozen job */
    EXPECT(planner_queue_at(t.p, 0) == 1 && planner_queue_at(t.p, 1) == 3);
    t.now = 65;
    tp_remove(&t, 0);
    EXPECT(tp_count(&t, PLANNER_DO_REQUEUE, NONE) == 0);
    t.now = 70;
    tp_vm(&t, 2, 4, 1); /* the replacement VM: job 1 resumes from its snapshot */
    EXPECT(tp_count(&t, PLANNER_DO_PLACE, 1) == 4);
    for (size_t i = 0; i < t.d.n; i++)
        if (t.d.v[i].job == 1) EXPECT(t.d.v[i].restore == 1 && t.d.v[i].to_vm == 2);
    EXPECT(tp_job(&t, 3).state == PLANNER_QUEUED);
    t.now = 80;
    tp_finish(&t, 1);
    EXPECT(tp_job(&t, 1).end_t == 80 && tp_job(&t, 1).start_t == 0);
    EXPECT(tp_job(&t, 3).state == PLANNER_RUNNING);
    tp_free(&t);
}

static void test_granny_spot_omp(void) {
    tp t = granny(1.0);
    tp_vm(&t, 0, 8, 1);
    tp_submit(&t, 1, OMP, 3);
    tp_barrier(&t, 1);
    EXPECT(tp_job(&t, 1).team == 8);
    tp_vm(&t, 1, 4, 1);
    t.now = 1;
    tp_notice(&t, 0, 61);
    tp_barrier(&t, 1); /* back to 3 threads, then all three move to VM1 */
    EXPECT(tp_count(&t, PLANNER_DO_SCALE, 1) == 1 && tp_count(&t, PLANNER_DO_MIGRATE, 1) == 3);
    EXPECT(tp_job(&t, 1).team == 3 && tp_cell(&t, 1, 2) == 1);
    tp_barrier(&t, 1); /* and it may grow on its new VM */
    EXPECT(tp_job(&t, 1).team == 4);
    tp_notice(&t, 1, 70);
    tp_barrier(&t, 1); /* nowhere to go */
    EXPECT(tp_count(&t, PLANNER_DO_FREEZE, 1) == 1 && tp_job(&t, 1).frozen);
    tp_free(&t);
}

/* Cells on a removed VM are lost, whatever the policy: the job restarts from the beginning. */
static void test_lost_cells(void) {
    const char *policies[] = {"batch", "slurm", "granny"};
    for (size_t i = 0; i < 3; i++) {
        tp t;
        tp_init(&t, policies[i]);
        tp_vm(&t, 0, 4, 1);
        tp_vm(&t, 1, 4, 1);
        tp_submit(&t, 1, MPI, 6);
        EXPECT(tp_job(&t, 1).state == PLANNER_RUNNING);
        tp_submit(&t, 2, MPI, 1);
        t.now = 1;
        tp_notice(&t, 0, 61);
        if (strcmp(policies[i], "granny") != 0) {
            tp_barrier(&t, 1); /* batch and slurm do not react to notices */
            EXPECT(tp_count(&t, PLANNER_DO_WAIT, 1) == 1);
        }
        t.now = 61;
        tp_remove(&t, 0);
        EXPECT(tp_count(&t, PLANNER_DO_REQUEUE, 1) == 1);
        planner_job_info j = tp_job(&t, 1);
        EXPECT(j.state == PLANNER_QUEUED && !j.frozen && j.requeues == 1);
        EXPECT(planner_queue_at(t.p, 0) == 1);
        t.now = 62;
        tp_vm(&t, 2, 4, 1);
        EXPECT(tp_job(&t, 1).state == PLANNER_RUNNING);
        for (size_t k = 0; k < t.d.n; k++)
            if (t.d.v[k].kind == PLANNER_DO_PLACE && t.d.v[k].job == 1) EXPECT(!t.d.v[k].restore);
        tp_free(&t);
    }
}

static void test_metrics(void) {
    tp t;
    tp_init(&t, "slurm");
    tp_vm(&t, 0, 4, 0);
    tp_vm(&t, 1, 4, 1);
    tp_submit(&t, 1, MPI, 6); /* 4 + 2: links 8 */
    t.now = 10;
    tp_submit(&t, 2, MPI, 2);
    t.now = 20;
    tp_finish(&t, 1);
    t.now = 30;
    tp_finish(&t, 2);
    const planner_metrics *m = planner_get_metrics(t.p);
    /* idle: 2 for 10 s, 0 for 10 s, 6 for 10 s; total 8 for 30 s */
    EXPECT(fabs(m->idle_integral - 80) < 1e-9 && fabs(m->total_integral - 240) < 1e-9);
    EXPECT(fabs(planner_metrics_idle_fraction(m) - 80.0 / 240) < 1e-12);
    EXPECT(fabs(m->links_integral - 8 * 20) < 1e-9);
    EXPECT(fabs(planner_metrics_makespan(m) - 30) < 1e-12);
    EXPECT(fabs(m->spot_vm_seconds - 30) < 1e-9 && fabs(m->ondemand_vm_seconds - 30) < 1e-9);
    /* 60 VM-seconds at 3600 per VM-hour, the spot half at 60% off: 30 + 12 */
    EXPECT(fabs(planner_metrics_cost(m, 3600, 0.6) - 42) < 1e-9);
    planner_job_info j2 = tp_job(&t, 2);
    EXPECT(j2.start_t == 10 && j2.end_t == 30 && j2.submit_t == 10);
    EXPECT(m->n_series >= 4 && planner_metrics_sample(m, 0)->t == 0);
    EXPECT(m->submitted == 2 && m->finished == 2 && m->placements == 2);
    tp_free(&t);
}

static int same_event(const planner_event *a, const planner_event *b) {
    return a->kind == b->kind && a->time == b->time && a->job == b->job &&
           a->job_kind == b->job_kind && a->size == b->size && a->vm == b->vm &&
           a->slots == b->slots && a->spot == b->spot && a->deadline == b->deadline;
}

static void test_formats(void) {
    char buf[128];
    planner_decision d = {PLANNER_DO_MIGRATE, 7, 3, 1, 2, 0, 0};
    planner_decision_format(&d, buf, sizeof buf);
    EXPECT(strcmp(buf, "migrate job=7 rank=3 from=1 to=2") == 0);
    planner_event ev = {.kind = PLANNER_EV_JOB_SUBMIT,
                        .time = 1.5,
                        .job = 4,
                        .job_kind = PLANNER_JOB_OMP,
                        .size = 6};
    planner_event_format(&ev, buf, sizeof buf);
    EXPECT(strcmp(buf, "1.500000 job_submit job=4 kind=omp size=6") == 0);
    EXPECT(strcmp(planner_decision_kind_name(PLANNER_DO_FREEZE), "freeze") == 0);
    /* every kind of event reads back from its text form */
    planner_event evs[] = {
        {.kind = PLANNER_EV_JOB_SUBMIT,
         .time = 2.25,
         .job = 9,
         .job_kind = PLANNER_JOB_MPI,
         .size = 15},
        {.kind = PLANNER_EV_JOB_FINISH, .time = 3, .job = 9},
        {.kind = PLANNER_EV_BARRIER, .time = 4.5, .job = 4000000000u},
        {.kind = PLANNER_EV_VM_ADD, .time = 5, .vm = 3, .slots = 8, .spot = 1},
        {.kind = PLANNER_EV_VM_NOTICE, .time = 6, .vm = 3, .deadline = 66.5},
        {.kind = PLANNER_EV_VM_REMOVE, .time = 66.5, .vm = 3},
    };
    char err[256];
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) {
        planner_event back;
        planner_event_format(&evs[i], buf, sizeof buf);
        EXPECT(planner_event_parse(buf, &back, err, sizeof err) == 0);
        EXPECT(same_event(&back, &evs[i]));
    }
    planner_event bad;
    const char *bads[] = {"",
                          "x job_submit job=1 kind=mpi size=2",
                          "1 submit job=1",
                          "1 job_submit job=1 kind=mpi",
                          "1 job_submit job=1 kind=gpu size=2",
                          "1 job_finish job=1 job=2",
                          "1 job_finish job=-1",
                          "1 job_finish job=99999999999",
                          "1 vm_add vm=1 slots=8 spot=2",
                          "1 vm_remove vm=1 size=3",
                          "1 vm_notice vm=1 deadline=inf",
                          "1 barrier job"};
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        EXPECT(planner_event_parse(bads[i], &bad, err, sizeof err) == -1 && strstr(err, "event"));
    }
    EXPECT(strcmp(planner_event_kind_name(PLANNER_EV_VM_NOTICE), "vm_notice") == 0);
}

int main(void) {
    test_batch();
    test_slurm();
    test_granny_fig2();
    test_granny_minimal_moves();
    test_granny_compaction_spans();
    test_granny_target_utilisation();
    test_granny_elastic();
    test_granny_spot_migrate();
    test_granny_spot_freeze();
    test_granny_spot_omp();
    test_lost_cells();
    test_metrics();
    test_formats();
    if (tp_failures) {
        fprintf(stderr, "test_planner_policies: %d failures\n", tp_failures);
        return 1;
    }
    printf("test_planner_policies: ok\n");
    return 0;
}

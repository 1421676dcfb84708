/*
 * test_sim.c - unit and end-to-end tests of the simulator.
 *
 * Pieces: the generator (deterministic, in range), the event heap (time then insertion order),
 * models (defaults, merging, every kind of bad input with a clear message, the JSON round trip,
 * the rate formula), traces (drawn within the workload's ranges, written and read back exactly,
 * bad files refused with their line). The engine: hand-computed runs (a job's duration under a
 * known fragmentation), invariants after every event under every policy with evictions, the same
 * seed giving the same results, a job that can never start. And the shape of the seed's results
 * on its own regime (32 VMs): compaction beats slurm and batch on makespan and slurm on links,
 * batch leaves the most vCPUs idle, elastic leaves fewest idle while jobs wait, and evictions slow
 * granny down far less than the baselines.
 */
#include "sim/sim_engine.h"
#include "sim/sim_heap.h"
#include "sim/sim_model.h"
#include "sim/sim_output.h"
#include "sim/sim_rng.h"
#include "sim/sim_trace.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define EXPECT(cond) expect((cond), #cond, __FILE__, __LINE__)
static void expect(int ok, const char *what, const char *file, int line) {
    if (ok) return;
    fprintf(stderr, "%s:%d: expected %s\n", file, line, what);
    failures++;
}

static char tmpdir[256];

static void tmp_path(char *buf, size_t n, const char *name) {
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static void test_rng_heap(void) {
    sim_rng a, b;
    sim_rng_seed(&a, 7);
    sim_rng_seed(&b, 7);
    for (int i = 0; i < 1000; i++)
        EXPECT(sim_rng_next(&a) == sim_rng_next(&b));
    uint32_t seen[16] = {0};
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        uint32_t v = sim_rng_range(&a, 2, 15);
        EXPECT(v >= 2 && v <= 15);
        seen[v]++;
        double u = sim_rng_uniform(&a);
        EXPECT(u >= 0 && u < 1);
        sum += u;
    }
    for (uint32_t v = 2; v <= 15; v++)
        EXPECT(seen[v] > 6000 && seen[v] < 8300);
    EXPECT(fabs(sum / 100000 - 0.5) < 0.01);
    EXPECT(sim_rng_range(&a, 5, 5) == 5);

    sim_heap h = {0};
    double times[] = {5, 1, 3, 1, 9, 0, 3};
    for (uint32_t i = 0; i < 7; i++)
        sim_heap_push(&h, times[i], SIM_EV_SUBMIT, i, 0);
    uint32_t order[7], k = 0;
    sim_event e;
    double last = -1;
    while (sim_heap_pop(&h, &e)) {
        EXPECT(e.t >= last);
        last = e.t;
        order[k++] = e.a;
    }
    EXPECT(k == 7);
    /* ties keep insertion order: 1 before 3 (both t=1), 2 before 6 (both t=3) */
    uint32_t want[7] = {5, 1, 3, 2, 6, 0, 4};
    EXPECT(memcmp(order, want, sizeof want) == 0);
    sim_heap_free(&h);
}

static void expect_model_error(const char *json, const char *needle) {
    sim_models m;
    char err[512];
    EXPECT(sim_models_default(&m, err, sizeof err) == 0);
    sim_models before = m;
    int rc = sim_models_merge_json(&m, json, "test.json", err, sizeof err);
    EXPECT(rc == -1 && strstr(err, needle) != NULL);
    if (rc != -1 || !strstr(err, needle)) fprintf(stderr, "  got '%s', wanted '%s'\n", err, needle);
    EXPECT(memcmp(&before, &m, sizeof m) == 0); /* a bad merge changes nothing */
}

static void test_models(void) {
    sim_models m;
    char err[512];
    EXPECT(sim_models_default(&m, err, sizeof err) == 0);
    EXPECT(m.vm_slots == 8 && m.n_discounts == 3 && m.target_utilisation == 0.95);
    const sim_workload *mpi = sim_workload_find(&m, "mpi");
    const sim_workload *omp = sim_workload_find(&m, "omp");
    EXPECT(mpi && mpi->size_min == 2 && mpi->size_max == 15 && !mpi->evictions);
    EXPECT(omp && omp->size_min == 1 && omp->size_max == 7);
    EXPECT(sim_workload_find(&m, "spot")->evictions);
    EXPECT(m.evictions.fraction == 0.25 && m.evictions.grace_s == 60 && m.evictions.period_s == 60);

    /* the calibration: 8 ranks split 4 + 4 (16 of 28 pairs cross) run 1.7x (compute-bound) and
       7.7x (network-bound) slower than on one VM */
    const sim_model *lammps = sim_models_find(&m, "lammps");
    const sim_model *a2a = sim_models_find(&m, "alltoall");
    EXPECT(fabs(1 / sim_model_rate(lammps, 8, 8, 16) - 1.7) < 1e-9);
    EXPECT(fabs(1 / sim_model_rate(a2a, 8, 8, 16) - 7.7) < 1e-9);
    EXPECT(sim_model_rate(lammps, 8, 8, 0) == 1.0);
    /* p2p: 6 threads are 4x as fast as 1 */
    const sim_model *p2p = sim_models_find(&m, "p2p");
    EXPECT(fabs(sim_model_rate(p2p, 1, 6, 0) - 4.0) < 1e-9);

    /* merging changes only what it names, and adds new entries */
    EXPECT(
        sim_models_merge_json(&m,
                              "{\"doc\": \"x\", \"cluster\": {\"vm_slots\": 16},"
                              " \"models\": [{\"name\": \"lammps\", \"network_penalty\": 2},"
                              "  {\"name\": \"tab\", \"kind\": \"omp\", \"speedup\": [1, 1.5, 2]}],"
                              " \"workloads\": [{\"name\": \"big\", \"model\": \"tab\","
                              "  \"size\": [4, 16], \"work_s\": [10, 20]}]}",
                              "merge", err, sizeof err) == 0);
    EXPECT(m.vm_slots == 16 && sim_models_find(&m, "lammps")->network_penalty == 2);
    EXPECT(sim_models_find(&m, "lammps")->control_point_s == 5);
    const sim_model *tab = sim_models_find(&m, "tab");
    EXPECT(tab && tab->n_speedup == 3 && sim_model_speedup(tab, 2) == 1.5);
    EXPECT(sim_model_speedup(tab, 10) == 2 && fabs(sim_model_rate(tab, 1, 3, 0) - 2) < 1e-12);
    EXPECT(sim_workload_find(&m, "big") != NULL);

    /* the JSON written reads back to the same models */
    char *text = sim_models_to_json(&m);
    sim_models again;
    memset(&again, 0, sizeof again);
    EXPECT(text && sim_models_merge_json(&again, text, "round trip", err, sizeof err) == 0);
    EXPECT(again.n_models == m.n_models && again.n_workloads == m.n_workloads);
    EXPECT(again.vm_slots == 16 && sim_models_find(&again, "tab")->n_speedup == 3);
    free(text);

    expect_model_error("{\"cluster\": {\"vm_slots\": 8,}", "invalid JSON near line 1");
    expect_model_error("{\n\n  \"models\": [ oops ]}", "line 3");
    expect_model_error("{\"cluster\": {\"vm_slot\": 8}}", "unknown key \"vm_slot\"");
    expect_model_error("{\"clusters\": {}}", "unknown top-level key");
    expect_model_error("{\"cluster\": {\"vm_slots\": -1}}", "whole number");
    expect_model_error("{\"cluster\": {\"vm_slots\": 2.5}}", "whole number");
    expect_model_error("{\"cluster\": {\"vm_slots\": 4}}", "cannot fit VMs of 4 vCPUs");
    expect_model_error("{\"cluster\": {\"bandwidth_mb_s\": 0}}", "bandwidth_mb_s must be > 0");
    expect_model_error("{\"cluster\": {\"target_utilisation\": 1.5}}", "target_utilisation");
    expect_model_error("{\"cluster\": {\"spot_discounts\": [0.5, 1]}}", "spot_discounts");
    expect_model_error("{\"evictions\": {\"fraction\": 2}}", "evictions.fraction");
    expect_model_error("{\"evictions\": {\"period_s\": \"often\"}}", "finite number");
    expect_model_error("{\"models\": [{\"kind\": \"mpi\"}]}", "needs a \"name\"");
    expect_model_error("{\"models\": [{\"name\": \"x\", \"kind\": \"gpu\"}]}",
                       "\"mpi\" or \"omp\"");
    expect_model_error("{\"models\": [{\"name\": \"lammps\", \"network_penalty\": -1}]}", ">= 0");
    expect_model_error("{\"models\": [{\"name\": \"lammps\", \"parallel_fraction\": 1.1}]}",
                       "parallel_fraction");
    expect_model_error("{\"models\": [{\"name\": \"lammps\", \"speedup\": [1, 0]}]}", "> 0");
    expect_model_error("{\"models\": [{\"name\": \"lammps\", \"control_point_s\": 0}]}",
                       "control_point_s");
    expect_model_error("{\"workloads\": [{\"name\": \"mpi\", \"model\": \"nope\"}]}",
                       "is not a model");
    expect_model_error("{\"workloads\": [{\"name\": \"mpi\", \"size\": [5, 2]}]}", "low <= high");
    expect_model_error("{\"workloads\": [{\"name\": \"mpi\", \"size\": [1]}]}", "[low, high]");
    expect_model_error("{\"workloads\": [{\"name\": \"mpi\", \"work_s\": [0, 2]}]}", "0 < low");
    expect_model_error("{\"workloads\": [{\"name\": \"mpi\", \"evictions\": 1}]}", "true or false");
    expect_model_error("[1, 2]", "top level must be an object");

    char path[512];
    tmp_path(path, sizeof path, "missing.json");
    EXPECT(sim_models_merge_file(&m, path, err, sizeof err) == -1 && strstr(err, "No such file"));
    tmp_path(path, sizeof path, "models.json");
    write_file(path, "{\"cluster\": {\"scale_cost_s\": 0.5}}");
    EXPECT(sim_models_merge_file(&m, path, err, sizeof err) == 0 && m.scale_cost_s == 0.5);
    write_file(path, "{\"cluster\": {\"scale_cost_s\": }");
    EXPECT(sim_models_merge_file(&m, path, err, sizeof err) == -1 && strstr(err, "models.json"));
}

static void expect_trace_error(const sim_models *m, const char *text, const char *needle) {
    char path[512], err[512];
    tmp_path(path, sizeof path, "bad.trace");
    write_file(path, text);
    sim_trace t = {0};
    int rc = sim_trace_read(&t, path, m, err, sizeof err);
    EXPECT(rc == -1 && strstr(err, needle) != NULL);
    if (rc != -1 || !strstr(err, needle)) fprintf(stderr, "  got '%s', wanted '%s'\n", err, needle);
    sim_trace_free(&t);
}

static void test_traces(void) {
    sim_models m;
    char err[512], path[512];
    sim_models_default(&m, err, sizeof err);
    const sim_workload *mpi = sim_workload_find(&m, "mpi");
    sim_trace t = {0}, again = {0};
    EXPECT(sim_trace_generate(&t, &m, mpi, 500, 3, err, sizeof err) == 0 && t.n == 500);
    for (size_t i = 0; i < t.n; i++) {
        EXPECT(t.jobs[i].size >= 2 && t.jobs[i].size <= 15 && t.jobs[i].kind == PLANNER_JOB_MPI);
        EXPECT(t.jobs[i].work_s >= 30 && t.jobs[i].work_s <= 90 && t.jobs[i].submit_s == 0);
    }
    tmp_path(path, sizeof path, "t.trace");
    EXPECT(sim_trace_write(&t, path, err, sizeof err) == 0);
    EXPECT(sim_trace_read(&again, path, &m, err, sizeof err) == 0 && again.n == t.n);
    for (size_t i = 0; i < t.n && i < again.n; i++)
        EXPECT(memcmp(&t.jobs[i], &again.jobs[i], sizeof t.jobs[i]) == 0);
    sim_trace_free(&t);
    sim_trace_free(&again);

    /* Poisson arrivals: increasing submit times */
    sim_workload w = *mpi;
    w.arrival_mean_s = 10;
    EXPECT(sim_trace_generate(&t, &m, &w, 200, 3, err, sizeof err) == 0);
    EXPECT(t.jobs[199].submit_s > 1000 && t.jobs[199].submit_s < 3000);
    for (size_t i = 1; i < t.n; i++)
        EXPECT(t.jobs[i].submit_s >= t.jobs[i - 1].submit_s);
    sim_trace_free(&t);

    expect_trace_error(&m, "", "empty file");
    expect_trace_error(&m, "job 0 0 mpi 4 10 lammps\n", "not a trace file");
    expect_trace_error(&m, "granny-trace 1\njob 0 0 mpi 4 10\n", "expected: job");
    expect_trace_error(&m, "granny-trace 1\n# c\n\njob 0 0 gpu 4 10 lammps\n", ":4: kind");
    expect_trace_error(&m, "granny-trace 1\njob 0 0 mpi 0 10 lammps\n", "size");
    expect_trace_error(&m, "granny-trace 1\njob 0 -1 mpi 4 10 lammps\n", "submit_s");
    expect_trace_error(&m, "granny-trace 1\njob 0 0 mpi 4 ten lammps\n", "work_s");
    expect_trace_error(&m, "granny-trace 1\njob 0 0 mpi 4 10 nope\n", "unknown model");
    expect_trace_error(&m, "granny-trace 1\njob 0 0 omp 4 10 lammps\n", "other kind");
    expect_trace_error(&m, "granny-trace 1\njob x 0 mpi 4 10 lammps\n", "bad job id");
    expect_trace_error(&m, "granny-trace 1\njob 1 0 mpi 4 10 lammps\njob 1 0 mpi 2 5 lammps\n",
                       "appears twice");
    tmp_path(path, sizeof path, "none.trace");
    EXPECT(sim_trace_read(&t, path, &m, err, sizeof err) == -1 && strstr(err, "No such file"));
}

/* One run of a trace given as text; the result must be freed. */
static int run_text(const sim_models *m, const char *policy, uint32_t vms, const char *trace_text,
                    int evictions, sim_result *r, char *err, size_t errlen) {
    char path[512];
    tmp_path(path, sizeof path, "run.trace");
    write_file(path, trace_text);
    sim_trace t = {0};
    if (sim_trace_read(&t, path, m, err, errlen) != 0) return -1;
    sim_options o;
    memset(&o, 0, sizeof o);
    o.models = m;
    planner_config_default(&o.planner, policy);
    o.planner.target_utilisation = strcmp(policy, "granny") == 0 ? 1.0 : 1.0;
    o.planner.record_series = 1;
    o.vms = vms;
    o.spot = o.evictions = evictions;
    o.seed = 1;
    o.check = 1;
    int rc = sim_run(&o, &t, r, err, errlen);
    sim_trace_free(&t);
    return rc;
}

static void test_engine_by_hand(void) {
    sim_models m;
    char err[512];
    sim_models_default(&m, err, sizeof err);
    m.migrate_latency_s = 0;
    m.scale_cost_s = 0;
    sim_result r;
    /* One job on one VM: it runs exactly its work. */
    EXPECT(run_text(&m, "slurm", 2, "granny-trace 1\njob 7 0 mpi 4 12.5 lammps\n", 0, &r, err,
                    sizeof err) == 0);
    EXPECT(fabs(r.makespan_s - 12.5) < 1e-9 && r.n_jobs == 1 && r.jobs[0].id == 7);
    EXPECT(fabs(r.jobs[0].end_s - 12.5) < 1e-9 && r.jobs[0].start_s == 0);
    sim_result_free(&r);
    /* slurm splits the second job 4 + 4 over two VMs (16 of 28 pairs cross): 1.7x its work. */
    EXPECT(run_text(&m, "slurm", 2,
                    "granny-trace 1\njob 1 0 mpi 4 100 lammps\njob 2 0 mpi 8 10 lammps\n", 0, &r,
                    err, sizeof err) == 0);
    EXPECT(fabs(r.jobs[1].end_s - 17) < 1e-9);
    sim_result_free(&r);
    /* batch never shares a VM: a 10-rank job waits for two empty VMs, from 100 s, and runs packed
       8 + 2 (16 of 45 pairs cross). */
    EXPECT(run_text(&m, "batch", 2,
                    "granny-trace 1\njob 1 0 mpi 4 100 lammps\njob 2 0 mpi 10 10 lammps\n", 0, &r,
                    err, sizeof err) == 0);
    EXPECT(fabs(r.jobs[1].start_s - 100) < 1e-9);
    EXPECT(fabs(r.jobs[1].end_s - (110 + 10 * 1.225 * 16 / 45)) < 1e-9);
    sim_result_free(&r);
    /* granny: job 3 starts fragmented 4 + 2 (8 of 15 pairs cross). Job 1 ends at 10 s; at job 3's
       next control point (every 5 s of work: at 2 x 5 x 1.6533 s) two ranks migrate (2 snapshots
       of 64 MB at 1250 MB/s) and the last 10 s of work run at full speed. */
    EXPECT(run_text(&m, "granny", 2,
                    "granny-trace 1\njob 1 0 mpi 4 10 lammps\njob 2 0 mpi 6 100 lammps\n"
                    "job 3 0 mpi 6 20 lammps\n",
                    0, &r, err, sizeof err) == 0);
    double slow = 1 + 1.225 * 8 / 15;
    EXPECT(fabs(r.jobs[2].end_s - (10 * slow + 2 * 64 / 1250.0 + 10)) < 1e-9);
    EXPECT(r.jobs[2].migrations == 2);
    sim_result_free(&r);
    /* OpenMP elastic: a 2-thread job alone on a VM grows to 8 at its first fork (5 s of work at
       2 threads), then runs S(8)/S(2) faster. */
    EXPECT(run_text(&m, "granny", 1, "granny-trace 1\njob 1 0 omp 2 25 p2p\n", 0, &r, err,
                    sizeof err) == 0);
    const sim_model *p2p = sim_models_find(&m, "p2p");
    double fast = sim_model_speedup(p2p, 8) / sim_model_speedup(p2p, 2);
    EXPECT(fabs(r.jobs[0].end_s - (5 + 20 / fast)) < 1e-9);
    sim_result_free(&r);
    /* A job that can never fit. */
    EXPECT(run_text(&m, "granny", 2, "granny-trace 1\njob 1 0 mpi 17 10 lammps\n", 0, &r, err,
                    sizeof err) == -1 &&
           strstr(err, "cannot fit the cluster's 16 vCPUs"));
    EXPECT(run_text(&m, "granny", 2, "granny-trace 1\njob 1 0 omp 8 10 p2p\n", 0, &r, err,
                    sizeof err) == 0);
    sim_result_free(&r);
    m.vm_slots = 4;
    EXPECT(run_text(&m, "granny", 2, "granny-trace 1\njob 1 0 omp 8 10 p2p\n", 0, &r, err,
                    sizeof err) == -1 &&
           strstr(err, "cannot fit a VM of 4 vCPUs"));
}

static int run_workload(const sim_models *m, const char *policy, const char *workload, uint32_t vms,
                        uint32_t jobs, uint64_t seed, int evictions, int check, sim_record *rec) {
    char err[512];
    const sim_workload *w = sim_workload_find(m, workload);
    sim_trace t = {0};
    if (sim_trace_generate(&t, m, w, jobs, seed, err, sizeof err)) return -1;
    sim_options o;
    memset(&o, 0, sizeof o);
    o.models = m;
    const char *base = strncmp(policy, "granny", 6) == 0 ? "granny" : policy;
    planner_config_default(&o.planner, base);
    if (strcmp(policy, "granny-no-elastic") == 0) o.planner.elastic = 0;
    o.planner.record_series = 1;
    o.vms = vms;
    o.spot = o.evictions = evictions;
    o.seed = seed;
    o.check = check;
    memset(rec, 0, sizeof *rec);
    snprintf(rec->policy, sizeof rec->policy, "%s", policy);
    rec->vms = vms;
    rec->jobs = jobs;
    rec->evictions = evictions;
    int rc = sim_run(&o, &t, &rec->result, err, sizeof err);
    if (rc)
        fprintf(stderr, "run failed: %s\n", err);
    else
        sim_record_summarise(rec);
    sim_trace_free(&t);
    return rc;
}

/* Every policy, with evictions, small clusters, invariants checked after every event. */
static void test_engine_checked(void) {
    sim_models m;
    char err[512];
    sim_models_default(&m, err, sizeof err);
    const char *policies[] = {"batch", "slurm", "granny", "granny-no-elastic"};
    const char *workloads[] = {"spot", "omp", "network"};
    for (size_t p = 0; p < 4; p++)
        for (size_t w = 0; w < 3; w++)
            for (uint64_t seed = 1; seed <= 2; seed++) {
                sim_record a, b;
                int evict = w != 2;
                EXPECT(run_workload(&m, policies[p], workloads[w], 6, 40, seed, evict, 1, &a) == 0);
                EXPECT(run_workload(&m, policies[p], workloads[w], 6, 40, seed, evict, 0, &b) == 0);
                EXPECT(a.result.n_jobs == 40 && a.makespan_s > 0);
                /* deterministic: the same run twice gives the same numbers */
                EXPECT(a.makespan_s == b.makespan_s && a.jct_mean_s == b.jct_mean_s &&
                       a.result.decisions == b.result.decisions);
                for (size_t i = 0; i < a.result.n_jobs; i++) { /* MPI jobs never beat their work */
                    const sim_job_result *j = &a.result.jobs[i];
                    EXPECT(j->kind == PLANNER_JOB_OMP || j->end_s - j->start_s >= j->work_s - 1e-6);
                }
                sim_result_free(&a.result);
                sim_result_free(&b.result);
            }
}

/* The seed's results have this shape; these are the figures of 5.1-5.3 at 32 VMs. */
static void test_seed_shape(void) {
    sim_models m;
    char err[512];
    sim_models_default(&m, err, sizeof err);
    sim_record batch, slurm, granny;
    EXPECT(run_workload(&m, "batch", "mpi", 32, 100, 1, 0, 0, &batch) == 0);
    EXPECT(run_workload(&m, "slurm", "mpi", 32, 100, 1, 0, 0, &slurm) == 0);
    EXPECT(run_workload(&m, "granny", "mpi", 32, 100, 1, 0, 0, &granny) == 0);
    EXPECT(granny.makespan_s < 0.95 * slurm.makespan_s &&
           granny.makespan_s < 0.95 * batch.makespan_s);
    EXPECT(granny.mean_links < 0.85 * slurm.mean_links);
    EXPECT(batch.idle_queued_fraction > 0.15 && slurm.idle_queued_fraction < 0.05);
    EXPECT(granny.idle_queued_fraction > 0.02 && granny.idle_queued_fraction < 0.12);
    EXPECT(granny.jct_p50_s < slurm.jct_p50_s);
    sim_result_free(&batch.result);
    sim_result_free(&slurm.result);
    sim_result_free(&granny.result);

    sim_record noel;
    EXPECT(run_workload(&m, "batch", "omp", 32, 200, 1, 0, 0, &batch) == 0);
    EXPECT(run_workload(&m, "slurm", "omp", 32, 200, 1, 0, 0, &slurm) == 0);
    EXPECT(run_workload(&m, "granny-no-elastic", "omp", 32, 200, 1, 0, 0, &noel) == 0);
    EXPECT(run_workload(&m, "granny", "omp", 32, 200, 1, 0, 0, &granny) == 0);
    EXPECT(batch.idle_queued_fraction > 0.4 && slurm.idle_queued_fraction > 0.05);
    EXPECT(granny.idle_queued_fraction < 0.5 * slurm.idle_queued_fraction);
    EXPECT(granny.makespan_s < noel.makespan_s && granny.makespan_s < 0.7 * batch.makespan_s);
    EXPECT(granny.jct_p50_s < noel.jct_p50_s);
    EXPECT(planner_get_metrics(granny.result.p)->scale_ups > 0);
    sim_result_free(&batch.result);
    sim_result_free(&slurm.result);
    sim_result_free(&noel.result);
    sim_result_free(&granny.result);

    const char *policies[] = {"batch", "slurm", "granny"};
    double slowdown[3];
    for (size_t p = 0; p < 3; p++) {
        sim_record base, spot;
        EXPECT(run_workload(&m, policies[p], "spot", 32, 100, 1, 0, 0, &base) == 0);
        EXPECT(run_workload(&m, policies[p], "spot", 32, 100, 1, 1, 0, &spot) == 0);
        slowdown[p] = spot.makespan_s / base.makespan_s;
        sim_result_free(&base.result);
        sim_result_free(&spot.result);
    }
    EXPECT(slowdown[0] > 1.4 && slowdown[1] > 1.4);
    EXPECT(slowdown[2] < 1.25 && slowdown[2] >= 1.0);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/granny-test-sim-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_rng_heap();
    test_models();
    test_traces();
    test_engine_by_hand();
    test_engine_checked();
    test_seed_shape();
    const char *names[] = {"missing.json", "models.json", "bad.trace",
                           "t.trace",      "run.trace",   "none.trace"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        tmp_path(path, sizeof path, names[i]);
        unlink(path);
    }
    rmdir(tmpdir);
    if (failures) {
        fprintf(stderr, "test_sim: %d failures\n", failures);
        return 1;
    }
    printf("test_sim: ok\n");
    return 0;
}

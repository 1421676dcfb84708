/*
 * sim_main.c - the simulator's command line (see sim.h): options, runs, outputs.
 *
 * For each cluster size (--vms and --jobs pair up when given as lists) one trace is drawn from the
 * workload (or read with --trace), and every policy runs on that same trace. A workload with
 * evictions runs each policy twice: on on-demand VMs without evictions, and on spot VMs with the
 * eviction model; the pair gives the spot slowdown and the relative cost.
 */
#include "sim/sim.h"
#include "sim/sim_engine.h"
#include "sim/sim_model.h"
#include "sim/sim_output.h"
#include "sim/sim_plot.h"
#include "sim/sim_trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SIM_MAX_SIZES    16
#define SIM_MAX_POLICIES 8

/* The policies the command line knows: a planner policy and its granny switches. */
typedef struct sim_policy_variant {
    const char *name;
    const char *base;
    int compaction, elastic, spot_aware;
} sim_policy_variant;

static const sim_policy_variant sim_policies[] = {
    {"batch", "batch", 0, 0, 0},
    {"slurm", "slurm", 0, 0, 0},
    {"granny", "granny", 1, 1, 1},
    {"granny-no-elastic", "granny", 1, 0, 1},
    {"granny-no-compaction", "granny", 0, 1, 1},
    {"granny-no-spot", "granny", 1, 1, 0},
};

typedef struct sim_cli {
    const char *policy, *workload, *out, *models_file, *trace_file, *write_trace;
    uint32_t vms[SIM_MAX_SIZES], jobs[SIM_MAX_SIZES];
    size_t n_vms, n_jobs;
    uint64_t seed;
    double target_util, max_time;
    int check, no_plots, quiet, print_models;
} sim_cli;

static void sim_usage(FILE *f, const char *prog) {
    fprintf(
        f,
        "usage: %s [options]\n"
        "Simulates a cluster under the batch, slurm and granny planner policies (a model,\n"
        "not a measurement) and reports makespan, job completion times, idle vCPUs,\n"
        "cross-VM links, migrations, spot slowdown and cost.\n\n"
        "  --policy P        batch | slurm | granny | granny-no-elastic |\n"
        "                    granny-no-compaction | granny-no-spot | all (default all:\n"
        "                    batch, slurm, granny, and granny-no-elastic for OpenMP)\n"
        "  --workload W      a workload of the models: mpi | network | omp | spot (default mpi)\n"
        "  --vms N[,N...]    VMs in the cluster (default 32)\n"
        "  --jobs N[,N...]   jobs in the trace (default 100); two lists pair up by position\n"
        "  --seed S          seed of the trace and the evictions (default 1)\n"
        "  --out DIR         write CSV, JSON and SVG plots into DIR (created if needed)\n"
        "  --models FILE     JSON merged over the built-in models (see --print-models)\n"
        "  --trace FILE      run this trace file instead of drawing one (--jobs is ignored)\n"
        "  --write-trace F   write the drawn trace (of the first size) to F\n"
        "  --target-util X   granny's target utilisation in (0, 1] (default from the models)\n"
        "  --max-time S      give up past S seconds of virtual time (default 1e7)\n"
        "  --check           check every planner invariant after every event (slow)\n"
        "  --no-plots        do not run gnuplot\n"
        "  --quiet           print only the summary table\n"
        "  --print-models    print the effective models as JSON and exit\n"
        "  --help            this text\n",
        prog);
}

static int parse_u32_list(const char *s, uint32_t *out, size_t *n, uint32_t lo, uint32_t hi) {
    *n = 0;
    while (*s) {
        char *end;
        if (*s < '0' || *s > '9') return -1;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (errno || v < lo || v > hi || *n == SIM_MAX_SIZES) return -1;
        out[(*n)++] = (uint32_t)v;
        if (*end == ',' && end[1])
            end++;
        else if (*end)
            return -1;
        s = end;
    }
    return *n ? 0 : -1;
}

static int parse_double_arg(const char *s, double *out) {
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return *s && !*end && !errno && *out == *out ? 0 : -1;
}

static int parse_args(int argc, char **argv, sim_cli *c) {
    const char *prog = argc > 0 ? argv[0] : "granny-sim";
    if (strcmp(prog, "sim") == 0) prog = "granny sim"; /* called by the granny dispatcher */
    memset(c, 0, sizeof *c);
    c->policy = "all";
    c->workload = "mpi";
    c->vms[0] = 32;
    c->jobs[0] = 100;
    c->n_vms = c->n_jobs = 1;
    c->seed = 1;
    c->target_util = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            sim_usage(stdout, prog);
            return 1;
        } else if (!strcmp(a, "--check")) {
            c->check = 1, takes = 0;
        } else if (!strcmp(a, "--no-plots")) {
            c->no_plots = 1, takes = 0;
        } else if (!strcmp(a, "--quiet")) {
            c->quiet = 1, takes = 0;
        } else if (!strcmp(a, "--print-models")) {
            c->print_models = 1, takes = 0;
        } else if (!v) {
            fprintf(stderr, "%s: %s needs a value (or is unknown; see --help)\n", prog, a);
            return -1;
        } else if (!strcmp(a, "--policy")) {
            c->policy = v;
        } else if (!strcmp(a, "--workload")) {
            c->workload = v;
        } else if (!strcmp(a, "--out")) {
            c->out = v;
        } else if (!strcmp(a, "--models")) {
            c->models_file = v;
        } else if (!strcmp(a, "--trace")) {
            c->trace_file = v;
        } else if (!strcmp(a, "--write-trace")) {
            c->write_trace = v;
        } else if (!strcmp(a, "--vms")) {
            if (parse_u32_list(v, c->vms, &c->n_vms, 1, 1000000)) {
                fprintf(stderr, "%s: --vms wants numbers 1..1000000, comma-separated\n", prog);
                return -1;
            }
        } else if (!strcmp(a, "--jobs")) {
            if (parse_u32_list(v, c->jobs, &c->n_jobs, 1, 10000000)) {
                fprintf(stderr, "%s: --jobs wants numbers 1..10000000, comma-separated\n", prog);
                return -1;
            }
        } else if (!strcmp(a, "--seed")) {
            char *end;
            errno = 0;
            c->seed = strtoull(v, &end, 0);
            if (!*v || *end || errno || *v == '-') {
                fprintf(stderr, "%s: --seed wants a whole number\n", prog);
                return -1;
            }
        } else if (!strcmp(a, "--target-util")) {
            if (parse_double_arg(v, &c->target_util) ||
                !(c->target_util > 0 && c->target_util <= 1)) {
                fprintf(stderr, "%s: --target-util wants a number in (0, 1]\n", prog);
                return -1;
            }
        } else if (!strcmp(a, "--max-time")) {
            if (parse_double_arg(v, &c->max_time) || !(c->max_time > 0)) {
                fprintf(stderr, "%s: --max-time wants a number of seconds > 0\n", prog);
                return -1;
            }
        } else {
            fprintf(stderr, "%s: unknown option %s (see --help)\n", prog, a);
            return -1;
        }
        i += takes;
    }
    if (c->n_vms > 1 && c->n_jobs > 1 && c->n_vms != c->n_jobs && !c->trace_file) {
        fprintf(stderr, "%s: --vms and --jobs lists pair up, so they need the same length\n", prog);
        return -1;
    }
    return 0;
}

static const sim_policy_variant *find_policy(const char *name) {
    for (size_t i = 0; i < sizeof sim_policies / sizeof sim_policies[0]; i++)
        if (!strcmp(sim_policies[i].name, name)) return &sim_policies[i];
    return NULL;
}

static size_t choose_policies(const char *name, planner_job_kind kind,
                              const sim_policy_variant **out) {
    if (strcmp(name, "all") != 0) {
        out[0] = find_policy(name);
        return out[0] ? 1 : 0;
    }
    size_t n = 0;
    out[n++] = find_policy("batch");
    out[n++] = find_policy("slurm");
    if (kind == PLANNER_JOB_OMP) out[n++] = find_policy("granny-no-elastic");
    out[n++] = find_policy("granny");
    return n;
}

static int make_dirs(const char *path) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
    struct stat st;
    return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct sim_session {
    sim_cli cli;
    sim_models models;
    const sim_workload *workload;
    const sim_policy_variant *policies[SIM_MAX_POLICIES];
    size_t n_policies;
    sim_record *recs;
    size_t n_recs;
} sim_session;

static int run_one(sim_session *s, const sim_trace *trace, uint32_t vms, uint32_t jobs,
                   const sim_policy_variant *pv, int evicted) {
    sim_record *rec = &s->recs[s->n_recs];
    memset(rec, 0, sizeof *rec);
    snprintf(rec->policy, sizeof rec->policy, "%s", pv->name);
    snprintf(rec->workload, sizeof rec->workload, "%s", s->workload->name);
    snprintf(rec->label, sizeof rec->label, "%s_%ux%u%s", pv->name, vms, jobs,
             evicted ? "_spot" : "");
    rec->vms = vms;
    rec->jobs = jobs;
    rec->seed = s->cli.seed;
    rec->evictions = evicted;
    sim_options o;
    memset(&o, 0, sizeof o);
    o.models = &s->models;
    planner_config_default(&o.planner, pv->base);
    o.planner.compaction = pv->compaction;
    o.planner.elastic = pv->elastic;
    o.planner.spot_aware = pv->spot_aware;
    if (!strcmp(pv->base, "granny"))
        o.planner.target_utilisation =
            s->cli.target_util > 0 ? s->cli.target_util : s->models.target_utilisation;
    o.planner.record_series = 1;
    o.vms = vms;
    o.spot = evicted;
    o.evictions = evicted;
    o.seed = s->cli.seed;
    o.check = s->cli.check;
    o.max_time_s = s->cli.max_time;
    char err[512];
    double t0 = wall_seconds();
    if (sim_run(&o, trace, &rec->result, err, sizeof err) != 0) {
        fprintf(stderr, "sim: %s on %u VMs: %s\n", pv->name, vms, err);
        return -1;
    }
    rec->wall_s = wall_seconds() - t0;
    sim_record_summarise(rec);
    s->n_recs++;
    if (!s->cli.quiet)
        fprintf(stderr, "sim: %-18s %4u VMs %5u jobs%s: makespan %.1f s (%.2f s of wall time)\n",
                pv->name, vms, jobs, evicted ? " spot" : "", rec->makespan_s, rec->wall_s);
    return 0;
}

static int load_trace(sim_session *s, size_t k, sim_trace *trace) {
    char err[512];
    memset(trace, 0, sizeof *trace);
    int rc;
    if (s->cli.trace_file)
        rc = sim_trace_read(trace, s->cli.trace_file, &s->models, err, sizeof err);
    else
        rc = sim_trace_generate(trace, &s->models, s->workload,
                                s->cli.jobs[s->cli.n_jobs > 1 ? k : 0], s->cli.seed, err,
                                sizeof err);
    if (rc == 0 && trace->n == 0) {
        snprintf(err, sizeof err, "%s: the trace has no jobs", s->cli.trace_file);
        rc = -1;
    }
    if (rc == 0 && k == 0 && s->cli.write_trace)
        rc = sim_trace_write(trace, s->cli.write_trace, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "sim: %s\n", err);
        sim_trace_free(trace);
    }
    return rc;
}

static int run_all(sim_session *s) {
    size_t sizes = s->cli.n_vms > s->cli.n_jobs ? s->cli.n_vms : s->cli.n_jobs;
    if (s->cli.trace_file) sizes = s->cli.n_vms;
    size_t per_size = s->n_policies * (s->workload->evictions ? 2 : 1);
    s->recs = calloc(sizes * per_size + 1, sizeof *s->recs);
    if (!s->recs) return -1;
    for (size_t k = 0; k < sizes; k++) {
        sim_trace trace;
        if (load_trace(s, k, &trace)) return -1;
        uint32_t vms = s->cli.vms[s->cli.n_vms > 1 ? k : 0];
        uint32_t jobs = (uint32_t)trace.n;
        for (size_t i = 0; i < s->n_policies; i++) {
            int rc = run_one(s, &trace, vms, jobs, s->policies[i], 0);
            if (rc == 0 && s->workload->evictions)
                rc = run_one(s, &trace, vms, jobs, s->policies[i], 1);
            if (rc) {
                sim_trace_free(&trace);
                return -1;
            }
        }
        sim_trace_free(&trace);
    }
    return 0;
}

static int write_outputs(sim_session *s) {
    char err[512];
    if (make_dirs(s->cli.out) != 0) {
        fprintf(stderr, "sim: cannot create the folder %s: %s\n", s->cli.out, strerror(errno));
        return -1;
    }
    if (sim_output_write(s->cli.out, s->recs, s->n_recs, &s->models, err, sizeof err)) {
        fprintf(stderr, "sim: %s\n", err);
        return -1;
    }
    if (s->cli.no_plots) {
        printf("\nresults in %s (plots not requested)\n", s->cli.out);
        return 0;
    }
    int plotted = 0;
    if (sim_plot_write(s->cli.out, s->recs, s->n_recs, &s->models, &plotted, err, sizeof err)) {
        fprintf(stderr, "sim: plots: %s\n", err);
        return -1;
    }
    if (plotted)
        printf("\nresults in %s (CSV, JSON and %d SVG plots)\n", s->cli.out, plotted);
    else
        printf("\nresults in %s (CSV and JSON; plots skipped: %s)\n", s->cli.out, err);
    return 0;
}

int sim_main(int argc, char **argv) {
    sim_session *s = calloc(1, sizeof *s);
    if (!s) return 1;
    int rc = parse_args(argc, argv, &s->cli);
    if (rc != 0) {
        free(s);
        return rc > 0 ? 0 : 2;
    }
    char err[512];
    rc = 1;
    if (sim_models_default(&s->models, err, sizeof err) != 0 ||
        (s->cli.models_file &&
         sim_models_merge_file(&s->models, s->cli.models_file, err, sizeof err) != 0)) {
        fprintf(stderr, "sim: %s\n", err);
        goto done;
    }
    if (s->cli.print_models) {
        char *text = sim_models_to_json(&s->models);
        if (text) printf("%s\n", text);
        free(text);
        rc = text ? 0 : 1;
        goto done;
    }
    s->workload = sim_workload_find(&s->models, s->cli.workload);
    if (!s->workload) {
        fprintf(stderr, "sim: unknown workload '%s' (the models define:", s->cli.workload);
        for (size_t i = 0; i < s->models.n_workloads; i++)
            fprintf(stderr, " %s", s->models.workloads[i].name);
        fprintf(stderr, ")\n");
        rc = 2;
        goto done;
    }
    s->n_policies = choose_policies(
        s->cli.policy, sim_models_find(&s->models, s->workload->model)->kind, s->policies);
    if (s->n_policies == 0) {
        fprintf(stderr, "sim: unknown policy '%s' (see --help)\n", s->cli.policy);
        rc = 2;
        goto done;
    }
    if (run_all(s) != 0) goto done;
    printf("workload %s, seed %llu\n", s->workload->name, (unsigned long long)s->cli.seed);
    sim_output_print(stdout, s->recs, s->n_recs, &s->models);
    if (s->cli.out && write_outputs(s) != 0) goto done;
    rc = 0;
done:
    for (size_t i = 0; i < s->n_recs; i++)
        sim_result_free(&s->recs[i].result);
    free(s->recs);
    free(s);
    return rc;
}

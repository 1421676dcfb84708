/*
 * bench_planner.c - scale benchmark of the planner core and the simulator.
 *
 * For each workload and policy it simulates a large cluster (default 1,000 VMs of 8 vCPUs and
 * 10,000 jobs) and reports the wall time of the whole simulation and the latency of every planner
 * decision (one planner_handle() call: the event in, all its decisions out): mean, p99 and max of
 * the wall-clock time, the number of calls over 1 ms, and the max of the thread's CPU time for one
 * call (which leaves out the time the thread was preempted: on a busy shared machine, wall-clock
 * maxima of a few ms are the scheduler's, not the planner's). It prints the machine (online CPUs
 * and CPU model) first, since the figures depend on it. With --check-limits it fails when a
 * simulation takes 60 s or more, or a decision 1 ms or more (mean and p99 of wall-clock time, max
 * of CPU time): the acceptance limits.
 */
#include "sim/sim_engine.h"
#include "sim/sim_model.h"
#include "sim/sim_trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void print_machine(void) {
    char model[256] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "model name", 10) == 0) {
                char *colon = strchr(line, ':');
                if (colon) {
                    snprintf(model, sizeof model, "%s", colon + 2);
                    model[strcspn(model, "\n")] = '\0';
                }
                break;
            }
        }
        fclose(f);
    }
    printf("machine: %ld CPUs online (nproc), %s\n", sysconf(_SC_NPROCESSORS_ONLN), model);
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct bench_args {
    uint32_t vms, jobs;
    uint64_t seed;
    int check_limits;
    const char *workloads[8];
    size_t n_workloads;
    const char *policies[8];
    size_t n_policies;
} bench_args;

static int parse(int argc, char **argv, bench_args *a) {
    memset(a, 0, sizeof *a);
    a->vms = 1000;
    a->jobs = 10000;
    a->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--check-limits")) {
            a->check_limits = 1;
            continue;
        }
        if (!v) goto usage;
        if (!strcmp(argv[i], "--vms"))
            a->vms = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(argv[i], "--jobs"))
            a->jobs = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(argv[i], "--seed"))
            a->seed = strtoull(v, NULL, 10);
        else if (!strcmp(argv[i], "--workload") && a->n_workloads < 8)
            a->workloads[a->n_workloads++] = v;
        else if (!strcmp(argv[i], "--policy") && a->n_policies < 8)
            a->policies[a->n_policies++] = v;
        else
            goto usage;
        i++;
    }
    if (a->vms < 1 || a->jobs < 1) goto usage;
    if (!a->n_workloads) {
        a->workloads[0] = "mpi", a->workloads[1] = "omp", a->workloads[2] = "spot";
        a->n_workloads = 3;
    }
    if (!a->n_policies) {
        a->policies[0] = "batch", a->policies[1] = "slurm", a->policies[2] = "granny";
        a->n_policies = 3;
    }
    return 0;
usage:
    fprintf(stderr,
            "usage: %s [--vms N] [--jobs N] [--seed S] [--workload W]... "
            "[--policy P]... [--check-limits]\n",
            argv[0]);
    return -1;
}

int main(int argc, char **argv) {
    bench_args a;
    if (parse(argc, argv, &a)) return 2;
    print_machine();
    sim_models m;
    char err[512];
    if (sim_models_default(&m, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    size_t cap = (size_t)a.jobs * 64 + (size_t)a.vms * 64;
    uint64_t *lat = malloc(cap * sizeof *lat), *cpu = malloc(cap * sizeof *cpu);
    if (!lat || !cpu) return 1;
    int over = 0;
    printf("%-6s %-7s %5s %6s %9s %9s %8s %8s %9s %6s %10s %9s\n", "work", "policy", "VMs", "jobs",
           "sim_wall_s", "decisions", "mean_us", "p99_us", "max_us", ">1ms", "cpu_max_us",
           "makespan");
    for (size_t w = 0; w < a.n_workloads; w++) {
        const sim_workload *wl = sim_workload_find(&m, a.workloads[w]);
        if (!wl) {
            fprintf(stderr, "unknown workload %s\n", a.workloads[w]);
            return 2;
        }
        sim_trace t = {0};
        if (sim_trace_generate(&t, &m, wl, a.jobs, a.seed, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        for (size_t p = 0; p < a.n_policies; p++) {
            sim_options o;
            memset(&o, 0, sizeof o);
            o.models = &m;
            if (planner_config_default(&o.planner, a.policies[p])) {
                fprintf(stderr, "unknown policy %s\n", a.policies[p]);
                return 2;
            }
            o.planner.record_series = 1;
            o.vms = a.vms;
            o.spot = o.evictions = wl->evictions;
            o.seed = a.seed;
            o.latency_ns = lat;
            o.latency_cpu_ns = cpu;
            o.latency_cap = cap;
            sim_result r;
            double t0 = wall_seconds();
            if (sim_run(&o, &t, &r, err, sizeof err)) {
                fprintf(stderr, "%s %s: %s\n", a.workloads[w], a.policies[p], err);
                return 1;
            }
            double wall = wall_seconds() - t0;
            size_t n = r.n_latency;
            qsort(lat, n, sizeof *lat, compare_u64);
            double sum = 0;
            size_t over_1ms = 0;
            uint64_t cpu_max = 0;
            for (size_t i = 0; i < n; i++) {
                sum += (double)lat[i];
                over_1ms += lat[i] >= 1000000;
                if (cpu[i] > cpu_max) cpu_max = cpu[i];
            }
            double mean_us = n ? sum / (double)n / 1000.0 : 0;
            double p99_us = n ? (double)lat[(size_t)((double)(n - 1) * 0.99)] / 1000.0 : 0;
            double max_us = n ? (double)lat[n - 1] / 1000.0 : 0;
            double cpu_max_us = (double)cpu_max / 1000.0;
            printf("%-6s %-7s %5u %6u %9.2f %9zu %8.2f %8.2f %9.1f %6zu %10.1f %9.1f\n",
                   a.workloads[w], a.policies[p], a.vms, a.jobs, wall, n, mean_us, p99_us, max_us,
                   over_1ms, cpu_max_us, r.makespan_s);
            fflush(stdout);
            if (wall >= 60.0 || mean_us >= 1000.0 || p99_us >= 1000.0 || cpu_max_us >= 1000.0)
                over = 1;
            sim_result_free(&r);
        }
        sim_trace_free(&t);
    }
    free(lat);
    free(cpu);
    if (a.check_limits && over) {
        fprintf(stderr,
                "bench_planner: over the limits (60 s per simulation, 1 ms per decision)\n");
        return 1;
    }
    printf("limits: a simulation under 60 s; a decision under 1 ms (wall mean and p99, CPU max): "
           "%s\n",
           over ? "EXCEEDED" : "met");
    return 0;
}

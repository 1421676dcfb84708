/*
 * sim_model.h - job models, workloads, the cluster and the eviction model, as data (JSON).
 *
 * A job model says how fast a job progresses where the planner puts it. A job's work is measured in
 * seconds of execution at its requested size with every cell on one VM; its progress rate is
 *     rate = S(team) / S(size) / (1 + network_penalty * f)
 * where S is the model's speedup curve (Amdahl's law with parallel_fraction, or a table), team the
 * cells it runs now (an OpenMP team grows and shrinks), and f the fraction of its cell pairs that
 * cross VMs: f = links / (team (team - 1) / 2). A network-bound profile has a large penalty, a
 * compute-bound one a small penalty. A job reaches a barrier control point after every
 * control_point_s of work. Migrating costs a pause of migrate_latency_s plus the snapshot (one
 * per MPI rank moved, one per OpenMP process) over bandwidth_mb_s; so does resuming a frozen job.
 *
 * A workload says how a trace is drawn: which model, sizes and work uniform in a range, arrivals
 * (all at once, or Poisson), and whether the eviction model applies. The eviction model: every
 * period_s a fraction of the VMs (those without a notice yet, chosen at random) get a notice,
 * are removed grace_s later, and a replacement VM joins replace_after_s after the notice.
 *
 * The built-in models (sim_models_default) carry the GRANNY evaluation's regime; a JSON file
 * merges over them: objects with a known name change only the fields they give, new names add
 * models or workloads. Unknown keys are errors, so a typo does not silently keep a default.
 */
#ifndef GRANNY_SIM_MODEL_H
#define GRANNY_SIM_MODEL_H

#include "planner/planner.h"

#include <stddef.h>
#include <stdint.h>

#define SIM_NAME_MAX      32
#define SIM_MAX_MODELS    16
#define SIM_MAX_WORKLOADS 16
#define SIM_MAX_SPEEDUP   64
#define SIM_MAX_DISCOUNTS 8

typedef struct sim_model {
    char name[SIM_NAME_MAX];
    planner_job_kind kind;
    double network_penalty;          /* slowdown per unit of cross-VM pair fraction */
    double parallel_fraction;        /* Amdahl's p, when no table is given */
    double speedup[SIM_MAX_SPEEDUP]; /* speedup[i] = S(i + 1), if n_speedup > 0 */
    size_t n_speedup;
    double control_point_s; /* work between barrier control points */
    double snapshot_mb;     /* per MPI rank, or per OpenMP process */
} sim_model;

typedef struct sim_workload {
    char name[SIM_NAME_MAX];
    char model[SIM_NAME_MAX];
    uint32_t size_min, size_max;
    double work_min_s, work_max_s;
    double arrival_mean_s; /* 0: every job submitted at time 0 */
    int evictions;
} sim_workload;

typedef struct sim_evictions {
    double period_s, fraction, grace_s, replace_after_s; /* replace_after_s < 0: no replacement */
} sim_evictions;

typedef struct sim_models {
    uint32_t vm_slots;
    double bandwidth_mb_s, migrate_latency_s, scale_cost_s;
    double price_per_vm_hour;
    double spot_discounts[SIM_MAX_DISCOUNTS];
    size_t n_discounts;
    double target_utilisation; /* granny */
    sim_evictions evictions;
    sim_model models[SIM_MAX_MODELS];
    size_t n_models;
    sim_workload workloads[SIM_MAX_WORKLOADS];
    size_t n_workloads;
} sim_models;

/* The built-in models; 0, or -1 with a message. */
int sim_models_default(sim_models *m, char *err, size_t errlen);
/* Merges JSON text or a JSON file over m, then validates the result; 0, or -1 with a message. */
int sim_models_merge_json(sim_models *m, const char *json, const char *source, char *err,
                          size_t errlen);
int sim_models_merge_file(sim_models *m, const char *path, char *err, size_t errlen);
/* The effective models as JSON text (malloc'ed), in the format the merge reads. */
char *sim_models_to_json(const sim_models *m);

const sim_model *sim_models_find(const sim_models *m, const char *name);
const sim_workload *sim_workload_find(const sim_models *m, const char *name);

double sim_model_speedup(const sim_model *m, uint32_t n);
double sim_model_rate(const sim_model *m, uint32_t size, uint32_t team, uint32_t links);

#endif

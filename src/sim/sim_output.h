/*
 * sim_output.h - the results of simulator runs: summaries, CSV and JSON files, the printed table.
 *
 * A record is one run: one policy on one trace, one cluster size, with or without evictions. The
 * files written under the output directory:
 *   summary.csv, summary.json   one row/object per run: makespan, JCT statistics, idle fraction,
 *                               mean cross-VM links, migrations, freezes, requeues, cost...
 *   jobs_<label>.csv            one row per job: times, JCT, lost work, migrations...
 *   series_<label>.csv          the time series: idle and total vCPUs, cross-VM links, queue
 *   jct_<label>.csv             the sorted JCTs with their cumulative fraction (for the CDF)
 *   spot.csv                    per policy and size: makespan slowdown with evictions, and the
 *                               cost with spot VMs relative to on-demand VMs, per discount
 * Labels are <policy>_<vms>x<jobs>, with _spot for runs on evicted spot VMs.
 */
#ifndef GRANNY_SIM_OUTPUT_H
#define GRANNY_SIM_OUTPUT_H

#include "sim/sim_engine.h"
#include "sim/sim_model.h"

#include <stdio.h>

typedef struct sim_record {
    char label[80];
    char policy[32];
    char workload[SIM_NAME_MAX];
    uint32_t vms, jobs;
    uint64_t seed;
    int evictions; /* spot VMs with the eviction model */
    sim_result result;
    /* summary */
    double makespan_s, jct_mean_s, jct_p50_s, jct_p90_s, jct_p99_s;
    double idle_fraction, idle_queued_fraction, mean_links, vm_hours, wall_s;
} sim_record;

/* Fills the summary fields from the result. */
void sim_record_summarise(sim_record *rec);
/* The record of the same policy and size without evictions, or NULL. */
const sim_record *sim_record_baseline(const sim_record *recs, size_t n, const sim_record *rec);
/* Cost of a run at the models' price with a spot discount (on-demand runs pay full price). */
double sim_record_cost(const sim_record *rec, const sim_models *m, double discount);

int sim_output_write(const char *dir, const sim_record *recs, size_t n, const sim_models *m,
                     char *err, size_t errlen);
void sim_output_print(FILE *f, const sim_record *recs, size_t n, const sim_models *m);

#endif

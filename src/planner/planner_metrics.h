/*
 * planner_metrics.h - what the core measures about the cluster it plans.
 *
 * The core integrates step functions of its own state over the caller's time: between two events
 * the state is constant, so before applying an event at time t the metrics add value * (t - t_last)
 * for idle vCPUs, total vCPUs, cross-VM links and VMs (spot and on-demand separately, for cost).
 * After the event the new values are recorded, and, when asked, appended to a time series (one
 * sample per instant at which something changed; plotted as steps).
 *
 * Definitions (those of the GRANNY evaluation):
 *   idle vCPUs        slots of present VMs that hold no cell; idle fraction = integral idle /
 * total; also integrated only while jobs wait in the queue (the idle vCPUs a policy leaves although
 * there is work to do, without the drain at the end) cross-VM links    per running job, sum over
 * its VMs h of r_h * (N - r_h) / 2, where r_h is the number of its cells on h and N its team size;
 * summed over jobs job completion    end - first start (planner_job_info); makespan = last finish -
 * first submit cost              VM-hours at a unit price per VM-hour, spot VM-hours discounted
 */
#ifndef GRANNY_PLANNER_METRICS_H
#define GRANNY_PLANNER_METRICS_H

#include <stddef.h>
#include <stdint.h>

typedef struct planner planner;

typedef struct planner_sample {
    double t;
    uint32_t idle, total; /* vCPUs */
    uint32_t links;       /* cross-VM links, all jobs */
    uint32_t queued, running;
} planner_sample;

typedef struct planner_metrics {
    int started;                                          /* an event has been seen */
    double t_first;                                       /* time of the first event */
    double t_last;                                        /* time of the latest event */
    double first_submit;                                  /* negative until a job is submitted */
    double last_finish;                                   /* negative until a job finishes */
    double idle_integral, total_integral, links_integral; /* vCPU-seconds, link-seconds */
    double idle_queued_integral, total_queued_integral;   /* while the queue is not empty */
    double spot_vm_seconds, ondemand_vm_seconds;
    uint64_t submitted, placements, finished; /* placements count restarts and resumes too */
    uint64_t migrations;                      /* cells moved between VMs */
    uint64_t freezes, requeues;               /* jobs frozen (snapshot kept) or lost (restart) */
    uint64_t evictions_survived;              /* jobs moved or frozen off a noticed VM in time */
    uint64_t scale_ups, scale_downs;
    planner_sample now; /* the current values */
    uint32_t spot_vms, ondemand_vms;
    int record_series;
    planner_sample **series_blocks; /* PLANNER_SERIES_BLOCK samples each: appending never copies */
    size_t n_series, cap_blocks;
} planner_metrics;

#define PLANNER_SERIES_BLOCK 4096u

/* The i-th sample of the series (i < n_series). */
static inline const planner_sample *planner_metrics_sample(const planner_metrics *m, size_t i) {
    return &m->series_blocks[i / PLANNER_SERIES_BLOCK][i % PLANNER_SERIES_BLOCK];
}

/* Reading the metrics of a planner. */
const planner_metrics *planner_get_metrics(const planner *p);
double planner_metrics_makespan(const planner_metrics *m);
double planner_metrics_idle_fraction(const planner_metrics *m);
double planner_metrics_idle_fraction_queued(const planner_metrics *m);
double planner_metrics_mean_links(const planner_metrics *m);
/* Cost of the VM-hours so far at `price` per VM-hour, spot VMs at (1 - spot_discount) of it. */
double planner_metrics_cost(const planner_metrics *m, double price, double spot_discount);

/* Used by the core. */
void planner_metrics_init(planner_metrics *m, int record_series);
void planner_metrics_free(planner_metrics *m);
/* Integrates the current values from t_last to t (t >= t_last). */
void planner_metrics_advance(planner_metrics *m, double t);
/* Sets the values that hold from t on, and records a sample if they changed. */
void planner_metrics_set(planner_metrics *m, const planner_sample *s, uint32_t spot_vms,
                         uint32_t ondemand_vms);

#endif

/*
 * sim_engine.h - the discrete-event cluster simulator around the Planner core.
 *
 * A virtual clock and an event heap drive the same planner core that a real cluster would use:
 * jobs arrive from a trace, progress at the rate their model gives for the placement the planner
 * chose (sim_model.h), reach barrier control points and finish; the eviction model notices,
 * removes and replaces VMs. Every planner decision is carried out: placements start jobs,
 * migrations and scalings pause a job for their cost and change its rate, freezes stop it keeping
 * its progress, requeues stop it losing its progress.
 */
#ifndef GRANNY_SIM_ENGINE_H
#define GRANNY_SIM_ENGINE_H

#include "planner/planner.h"
#include "planner/planner_metrics.h"
#include "sim/sim_model.h"
#include "sim/sim_trace.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sim_options {
    const sim_models *models;
    planner_config planner;   /* policy and its switches */
    uint32_t vms;             /* VMs at time 0, of models->vm_slots vCPUs each */
    int spot;                 /* the VMs are spot VMs (discounted) */
    int evictions;            /* run the eviction model */
    uint64_t seed;            /* for the eviction model's choices */
    int check;                /* planner_check() after every event (slow) */
    double max_time_s;        /* give up past this virtual time; 0: ten million seconds */
    uint64_t *latency_ns;     /* if set: the wall time of each planner call, up to latency_cap */
    uint64_t *latency_cpu_ns; /* if set too: the thread CPU time of each call (no preemption) */
    size_t latency_cap;
} sim_options;

typedef struct sim_job_result {
    uint32_t id;
    planner_job_kind kind;
    uint32_t size;
    double work_s, submit_s, start_s, end_s;
    double lost_work_s; /* work redone after losing cells with an evicted VM */
    uint32_t migrations, freezes, requeues, scale_changes, evictions_survived;
} sim_job_result;

typedef struct sim_result {
    planner *p; /* the planner as the run left it: metrics, series, jobs */
    sim_job_result *jobs;
    size_t n_jobs;
    double makespan_s;
    uint64_t events, decisions; /* planner calls and decisions */
    size_t n_latency;           /* planner calls timed into latency_ns */
    uint32_t vms_noticed;
    double lost_work_s;
} sim_result;

/* Runs the trace to its end; 0, or -1 with a message (bad input, a job that can never run). */
int sim_run(const sim_options *o, const sim_trace *t, sim_result *r, char *err, size_t errlen);
void sim_result_free(sim_result *r);

#endif

/*
 * sim_trace.h - job traces: drawn from a workload, or read from and written to a trace file.
 *
 * The trace file is line-oriented text, so that people can read, diff and hand-edit it:
 *     granny-trace 1
 *     # job <id> <submit_s> <mpi|omp> <size> <work_s> <model>
 *     job 0 0.000 mpi 7 123.456 lammps
 * The first line is the format's name and version; '#' starts a comment; blank lines are ignored.
 * work_s is the job's execution time at its size with every cell on one VM (see sim_model.h).
 * Generated times are rounded to milliseconds, so writing and reading a trace is exact.
 */
#ifndef GRANNY_SIM_TRACE_H
#define GRANNY_SIM_TRACE_H

#include "sim/sim_model.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sim_trace_job {
    uint32_t id;
    double submit_s;
    planner_job_kind kind;
    uint32_t size;
    double work_s;
    char model[SIM_NAME_MAX];
} sim_trace_job;

typedef struct sim_trace {
    sim_trace_job *jobs;
    size_t n, cap;
} sim_trace;

void sim_trace_free(sim_trace *t);
/* Draws n_jobs jobs from workload w: sizes and work uniform in its ranges, arrivals all at 0 or
   Poisson with its mean inter-arrival time. */
int sim_trace_generate(sim_trace *t, const sim_models *m, const sim_workload *w, uint32_t n_jobs,
                       uint64_t seed, char *err, size_t errlen);
int sim_trace_write(const sim_trace *t, const char *path, char *err, size_t errlen);
/* Reads a trace; every model it names must exist in m with the same kind. */
int sim_trace_read(sim_trace *t, const char *path, const sim_models *m, char *err, size_t errlen);

#endif

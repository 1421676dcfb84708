/*
 * sim_trace.c - generating, writing and reading job traces (see sim_trace.h).
 *
 * The reader is strict: every field is checked (numbers finite and in range, kinds and models
 * known and consistent, ids unique) and an error names the file and line.
 */
#include "sim/sim_trace.h"
#include "sim/sim_rng.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_HEADER "granny-trace 1"

void sim_trace_free(sim_trace *t) {
    free(t->jobs);
    t->jobs = NULL;
    t->n = t->cap = 0;
}

static int trace_push(sim_trace *t, const sim_trace_job *j) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        sim_trace_job *v = realloc(t->jobs, cap * sizeof *v);
        if (!v) return -1;
        t->jobs = v;
        t->cap = cap;
    }
    t->jobs[t->n++] = *j;
    return 0;
}

static double round_ms(double x) {
    return round(x * 1000.0) / 1000.0;
}

int sim_trace_generate(sim_trace *t, const sim_models *m, const sim_workload *w, uint32_t n_jobs,
                       uint64_t seed, char *err, size_t errlen) {
    const sim_model *md = sim_models_find(m, w->model);
    if (!md) {
        snprintf(err, errlen, "workload %s: unknown model %s", w->name, w->model);
        return -1;
    }
    sim_rng rng;
    sim_rng_seed(&rng, seed);
    double t_submit = 0;
    for (uint32_t i = 0; i < n_jobs; i++) {
        sim_trace_job j = {0};
        j.id = i;
        if (w->arrival_mean_s > 0 && i > 0)
            t_submit += sim_rng_exponential(&rng, w->arrival_mean_s);
        j.submit_s = round_ms(t_submit);
        j.kind = md->kind;
        j.size = sim_rng_range(&rng, w->size_min, w->size_max);
        j.work_s = round_ms(sim_rng_between(&rng, w->work_min_s, w->work_max_s));
        if (j.work_s <= 0) j.work_s = 0.001;
        snprintf(j.model, sizeof j.model, "%s", md->name);
        if (trace_push(t, &j)) {
            snprintf(err, errlen, "out of memory for the trace");
            return -1;
        }
    }
    return 0;
}

int sim_trace_write(const sim_trace *t, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "%s\n# job <id> <submit_s> <mpi|omp> <size> <work_s> <model>\n", TRACE_HEADER);
    for (size_t i = 0; i < t->n; i++) {
        const sim_trace_job *j = &t->jobs[i];
        fprintf(f, "job %u %.3f %s %u %.3f %s\n", j->id, j->submit_s,
                j->kind == PLANNER_JOB_OMP ? "omp" : "mpi", j->size, j->work_s, j->model);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(err, errlen, "%s: write failed", path);
        return -1;
    }
    return 0;
}

static int parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return *s && !*end && errno == 0 && isfinite(*out) ? 0 : -1;
}

static int parse_u32(const char *s, uint32_t *out) {
    char *end;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno || v > UINT32_MAX) return -1;
    *out = (uint32_t)v;
    return 0;
}

static int compare_ids(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int parse_job_line(char *line, const sim_models *m, sim_trace_job *j, const char **why) {
    char *f[8];
    int n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
        if (n == 8) break;
        f[n++] = tok;
    }
    *why = "expected: job <id> <submit_s> <mpi|omp> <size> <work_s> <model>";
    if (n != 7 || strcmp(f[0], "job") != 0) return -1;
    memset(j, 0, sizeof *j);
    if (parse_u32(f[1], &j->id) || j->id == PLANNER_ID_NONE) return (*why = "bad job id"), -1;
    if (parse_double(f[2], &j->submit_s) || j->submit_s < 0)
        return (*why = "submit_s must be a number >= 0"), -1;
    if (strcmp(f[3], "mpi") == 0)
        j->kind = PLANNER_JOB_MPI;
    else if (strcmp(f[3], "omp") == 0)
        j->kind = PLANNER_JOB_OMP;
    else
        return (*why = "kind must be mpi or omp"), -1;
    if (parse_u32(f[4], &j->size) || j->size < 1 || j->size > PLANNER_MAX_SIZE)
        return (*why = "size must be a whole number in 1..65536"), -1;
    if (parse_double(f[5], &j->work_s) || !(j->work_s > 0))
        return (*why = "work_s must be a number > 0"), -1;
    const sim_model *md = sim_models_find(m, f[6]);
    if (!md) return (*why = "unknown model"), -1;
    if (md->kind != j->kind) return (*why = "the model is for the other kind of job"), -1;
    snprintf(j->model, sizeof j->model, "%s", md->name);
    return 0;
}

int sim_trace_read(sim_trace *t, const char *path, const sim_models *m, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0, header = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = -1;
            break;
        }
        char *s = line + strspn(line, " \t");
        if (*s == '#' || *s == '\n' || *s == '\r' || *s == '\0') continue;
        if (!header) {
            s[strcspn(s, "\r\n")] = '\0';
            if (strcmp(s, TRACE_HEADER) != 0) {
                snprintf(err, errlen, "%s:%d: not a trace file (expected \"%s\")", path, lineno,
                         TRACE_HEADER);
                rc = -1;
            }
            header = 1;
            continue;
        }
        sim_trace_job j;
        const char *why;
        if (parse_job_line(s, m, &j, &why) != 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
            rc = -1;
        } else if (trace_push(t, &j) != 0) {
            snprintf(err, errlen, "out of memory for the trace");
            rc = -1;
        }
    }
    fclose(f);
    if (rc == 0 && !header) {
        snprintf(err, errlen, "%s: empty file, not a trace", path);
        rc = -1;
    }
    if (rc == 0 && t->n > 0) { /* ids must be unique */
        uint32_t *ids = malloc(t->n * sizeof *ids);
        if (!ids) {
            snprintf(err, errlen, "out of memory for the trace");
            return -1;
        }
        for (size_t i = 0; i < t->n; i++)
            ids[i] = t->jobs[i].id;
        qsort(ids, t->n, sizeof *ids, compare_ids);
        for (size_t i = 1; i < t->n && rc == 0; i++)
            if (ids[i] == ids[i - 1]) {
                snprintf(err, errlen, "%s: job id %u appears twice", path, ids[i]);
                rc = -1;
            }
        free(ids);
    }
    return rc;
}

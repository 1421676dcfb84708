/*
 * sim_output.c - summaries, files and the printed table of simulator runs (see sim_output.h).
 *
 * JCT percentiles use the nearest-rank definition. Spot comparisons pair each run on evicted spot
 * VMs with the run of the same policy and size on on-demand VMs without evictions: the slowdown is
 * the ratio of makespans, the normalised cost the ratio of costs (VM-hours, spot ones discounted).
 */
#include "sim/sim_output.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double nearest_rank(const double *sorted, size_t n, double q) {
    if (n == 0) return 0;
    size_t k = (size_t)ceil(q * (double)n);
    if (k < 1) k = 1;
    return sorted[k - 1];
}

/* The sorted JCTs of a run (malloc'ed), or NULL. */
static double *sorted_jcts(const sim_record *rec) {
    const sim_result *r = &rec->result;
    double *v = malloc((r->n_jobs + 1) * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < r->n_jobs; i++)
        v[i] = r->jobs[i].end_s - r->jobs[i].start_s;
    qsort(v, r->n_jobs, sizeof *v, compare_doubles);
    return v;
}

void sim_record_summarise(sim_record *rec) {
    const sim_result *r = &rec->result;
    const planner_metrics *m = planner_get_metrics(r->p);
    rec->makespan_s = r->makespan_s;
    rec->idle_fraction = planner_metrics_idle_fraction(m);
    rec->idle_queued_fraction = planner_metrics_idle_fraction_queued(m);
    rec->mean_links = planner_metrics_mean_links(m);
    rec->vm_hours = (m->spot_vm_seconds + m->ondemand_vm_seconds) / 3600.0;
    double *v = sorted_jcts(rec);
    if (!v) return;
    double sum = 0;
    for (size_t i = 0; i < r->n_jobs; i++)
        sum += v[i];
    rec->jct_mean_s = r->n_jobs ? sum / (double)r->n_jobs : 0;
    rec->jct_p50_s = nearest_rank(v, r->n_jobs, 0.5);
    rec->jct_p90_s = nearest_rank(v, r->n_jobs, 0.9);
    rec->jct_p99_s = nearest_rank(v, r->n_jobs, 0.99);
    free(v);
}

const sim_record *sim_record_baseline(const sim_record *recs, size_t n, const sim_record *rec) {
    for (size_t i = 0; i < n; i++)
        if (!recs[i].evictions && strcmp(recs[i].policy, rec->policy) == 0 &&
            recs[i].vms == rec->vms && recs[i].jobs == rec->jobs)
            return &recs[i];
    return NULL;
}

double sim_record_cost(const sim_record *rec, const sim_models *m, double discount) {
    return planner_metrics_cost(planner_get_metrics(rec->result.p), m->price_per_vm_hour, discount);
}

/* ---- files ---- */

static FILE *open_out(const char *dir, const char *name, char *err, size_t errlen) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return f;
}

static int close_out(FILE *f, const char *name, char *err, size_t errlen) {
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(err, errlen, "%s: write failed", name);
        return -1;
    }
    return 0;
}

static int write_summary_csv(const char *dir, const sim_record *recs, size_t n, const sim_models *m,
                             char *err, size_t errlen) {
    FILE *f = open_out(dir, "summary.csv", err, errlen);
    if (!f) return -1;
    fprintf(f, "label,policy,workload,vms,jobs,seed,evictions,makespan_s,jct_mean_s,jct_p50_s,"
               "jct_p90_s,jct_p99_s,idle_fraction,idle_fraction_while_queued,mean_cross_vm_links,"
               "migrations,freezes,requeues,"
               "evictions_survived,scale_ups,scale_downs,vms_noticed,lost_work_s,vm_hours,cost,"
               "planner_events,decisions,wall_s\n");
    for (size_t i = 0; i < n; i++) {
        const sim_record *r = &recs[i];
        const planner_metrics *pm = planner_get_metrics(r->result.p);
        double cost = sim_record_cost(r, m, m->n_discounts ? m->spot_discounts[0] : 0);
        fprintf(
            f,
            "%s,%s,%s,%u,%u,%llu,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.6f,%.6f,%.4f,%llu,%llu,%llu,%llu,"
            "%llu,%llu,%u,%.3f,%.6f,%.6f,%llu,%llu,%.4f\n",
            r->label, r->policy, r->workload, r->vms, r->jobs, (unsigned long long)r->seed,
            r->evictions, r->makespan_s, r->jct_mean_s, r->jct_p50_s, r->jct_p90_s, r->jct_p99_s,
            r->idle_fraction, r->idle_queued_fraction, r->mean_links,
            (unsigned long long)pm->migrations, (unsigned long long)pm->freezes,
            (unsigned long long)pm->requeues, (unsigned long long)pm->evictions_survived,
            (unsigned long long)pm->scale_ups, (unsigned long long)pm->scale_downs,
            r->result.vms_noticed, r->result.lost_work_s, r->vm_hours, cost,
            (unsigned long long)r->result.events, (unsigned long long)r->result.decisions,
            r->wall_s);
    }
    return close_out(f, "summary.csv", err, errlen);
}

static int write_summary_json(const char *dir, const sim_record *recs, size_t n,
                              const sim_models *m, char *err, size_t errlen) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "note", "simulated results (granny sim), not measurements");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    for (size_t i = 0; i < n; i++) {
        const sim_record *r = &recs[i];
        const planner_metrics *pm = planner_get_metrics(r->result.p);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "label", r->label);
        cJSON_AddStringToObject(o, "policy", r->policy);
        cJSON_AddStringToObject(o, "workload", r->workload);
        cJSON_AddNumberToObject(o, "vms", r->vms);
        cJSON_AddNumberToObject(o, "jobs", r->jobs);
        cJSON_AddNumberToObject(o, "seed", (double)r->seed);
        cJSON_AddBoolToObject(o, "evictions", r->evictions);
        cJSON_AddNumberToObject(o, "makespan_s", r->makespan_s);
        cJSON_AddNumberToObject(o, "jct_mean_s", r->jct_mean_s);
        cJSON_AddNumberToObject(o, "jct_p50_s", r->jct_p50_s);
        cJSON_AddNumberToObject(o, "jct_p90_s", r->jct_p90_s);
        cJSON_AddNumberToObject(o, "jct_p99_s", r->jct_p99_s);
        cJSON_AddNumberToObject(o, "idle_fraction", r->idle_fraction);
        cJSON_AddNumberToObject(o, "idle_fraction_while_queued", r->idle_queued_fraction);
        cJSON_AddNumberToObject(o, "mean_cross_vm_links", r->mean_links);
        cJSON_AddNumberToObject(o, "migrations", (double)pm->migrations);
        cJSON_AddNumberToObject(o, "freezes", (double)pm->freezes);
        cJSON_AddNumberToObject(o, "requeues", (double)pm->requeues);
        cJSON_AddNumberToObject(o, "evictions_survived", (double)pm->evictions_survived);
        cJSON_AddNumberToObject(o, "scale_ups", (double)pm->scale_ups);
        cJSON_AddNumberToObject(o, "scale_downs", (double)pm->scale_downs);
        cJSON_AddNumberToObject(o, "vm_hours", r->vm_hours);
        cJSON *costs = cJSON_AddObjectToObject(o, "cost_by_spot_discount");
        for (size_t k = 0; k < m->n_discounts; k++) {
            char key[32];
            snprintf(key, sizeof key, "%g", m->spot_discounts[k]);
            cJSON_AddNumberToObject(costs, key, sim_record_cost(r, m, m->spot_discounts[k]));
        }
        const sim_record *base = r->evictions ? sim_record_baseline(recs, n, r) : NULL;
        if (base && base->makespan_s > 0)
            cJSON_AddNumberToObject(o, "spot_slowdown", r->makespan_s / base->makespan_s);
        cJSON_AddItemToArray(runs, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        snprintf(err, errlen, "out of memory writing summary.json");
        return -1;
    }
    FILE *f = open_out(dir, "summary.json", err, errlen);
    if (!f) {
        free(text);
        return -1;
    }
    fprintf(f, "%s\n", text);
    free(text);
    return close_out(f, "summary.json", err, errlen);
}

static int write_run_files(const char *dir, const sim_record *r, char *err, size_t errlen) {
    char name[160];
    snprintf(name, sizeof name, "jobs_%s.csv", r->label);
    FILE *f = open_out(dir, name, err, errlen);
    if (!f) return -1;
    fprintf(f, "id,kind,size,work_s,submit_s,start_s,end_s,jct_s,wait_s,lost_work_s,migrations,"
               "freezes,requeues,scale_changes,evictions_survived\n");
    for (size_t i = 0; i < r->result.n_jobs; i++) {
        const sim_job_result *j = &r->result.jobs[i];
        fprintf(f, "%u,%s,%u,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%u,%u,%u,%u,%u\n", j->id,
                j->kind == PLANNER_JOB_OMP ? "omp" : "mpi", j->size, j->work_s, j->submit_s,
                j->start_s, j->end_s, j->end_s - j->start_s, j->start_s - j->submit_s,
                j->lost_work_s, j->migrations, j->freezes, j->requeues, j->scale_changes,
                j->evictions_survived);
    }
    if (close_out(f, name, err, errlen)) return -1;

    snprintf(name, sizeof name, "series_%s.csv", r->label);
    if (!(f = open_out(dir, name, err, errlen))) return -1;
    const planner_metrics *m = planner_get_metrics(r->result.p);
    fprintf(f, "t_s,idle_vcpus,total_vcpus,idle_pct,cross_vm_links,queued,running\n");
    for (size_t i = 0; i < m->n_series; i++) {
        const planner_sample *s = planner_metrics_sample(m, i);
        fprintf(f, "%.3f,%u,%u,%.3f,%u,%u,%u\n", s->t, s->idle, s->total,
                s->total ? 100.0 * s->idle / s->total : 0.0, s->links, s->queued, s->running);
    }
    if (close_out(f, name, err, errlen)) return -1;

    snprintf(name, sizeof name, "jct_%s.csv", r->label);
    if (!(f = open_out(dir, name, err, errlen))) return -1;
    double *v = sorted_jcts(r);
    fprintf(f, "jct_s,fraction\n");
    for (size_t i = 0; v && i < r->result.n_jobs; i++)
        fprintf(f, "%.3f,%.6f\n", v[i], (double)(i + 1) / (double)r->result.n_jobs);
    free(v);
    return close_out(f, name, err, errlen);
}

static int write_spot_csv(const char *dir, const sim_record *recs, size_t n, const sim_models *m,
                          char *err, size_t errlen) {
    FILE *f = open_out(dir, "spot.csv", err, errlen);
    if (!f) return -1;
    fprintf(f, "policy,vms,jobs,makespan_ondemand_s,makespan_spot_s,slowdown");
    for (size_t k = 0; k < m->n_discounts; k++)
        fprintf(f, ",cost_at_%g_discount", m->spot_discounts[k]);
    fprintf(f, "\n");
    for (size_t i = 0; i < n; i++) {
        const sim_record *r = &recs[i];
        const sim_record *base = r->evictions ? sim_record_baseline(recs, n, r) : NULL;
        if (!base) continue;
        double base_cost = sim_record_cost(base, m, 0);
        fprintf(f, "%s,%u,%u,%.3f,%.3f,%.4f", r->policy, r->vms, r->jobs, base->makespan_s,
                r->makespan_s, base->makespan_s > 0 ? r->makespan_s / base->makespan_s : 0);
        for (size_t k = 0; k < m->n_discounts; k++)
            fprintf(f, ",%.4f",
                    base_cost > 0 ? sim_record_cost(r, m, m->spot_discounts[k]) / base_cost : 0);
        fprintf(f, "\n");
    }
    return close_out(f, "spot.csv", err, errlen);
}

int sim_output_write(const char *dir, const sim_record *recs, size_t n, const sim_models *m,
                     char *err, size_t errlen) {
    if (write_summary_csv(dir, recs, n, m, err, errlen)) return -1;
    if (write_summary_json(dir, recs, n, m, err, errlen)) return -1;
    int any_spot = 0;
    for (size_t i = 0; i < n; i++) {
        if (write_run_files(dir, &recs[i], err, errlen)) return -1;
        any_spot |= recs[i].evictions;
    }
    if (any_spot && write_spot_csv(dir, recs, n, m, err, errlen)) return -1;
    return 0;
}

/* ---- the printed table ---- */

void sim_output_print(FILE *f, const sim_record *recs, size_t n, const sim_models *m) {
    fprintf(f, "simulated results (granny sim: a model of the cluster, not a measurement)\n"
               "idle%%: idle vCPUs over the whole run; idleQ%%: while jobs wait in the queue; "
               "links: mean cross-VM links\n");
    fprintf(f, "%-18s %5s %5s %4s %10s %8s %8s %6s %6s %9s %6s %5s %5s\n", "policy", "VMs", "jobs",
            "spot", "makespan_s", "jct_p50", "jct_p90", "idle%", "idleQ%", "links", "migr", "frz",
            "lost");
    for (size_t i = 0; i < n; i++) {
        const sim_record *r = &recs[i];
        const planner_metrics *pm = planner_get_metrics(r->result.p);
        fprintf(f, "%-18s %5u %5u %4s %10.1f %8.1f %8.1f %6.1f %6.1f %9.1f %6llu %5llu %5llu\n",
                r->policy, r->vms, r->jobs, r->evictions ? "yes" : "no", r->makespan_s,
                r->jct_p50_s, r->jct_p90_s, 100.0 * r->idle_fraction,
                100.0 * r->idle_queued_fraction, r->mean_links, (unsigned long long)pm->migrations,
                (unsigned long long)pm->freezes, (unsigned long long)pm->requeues);
    }
    int header = 0;
    for (size_t i = 0; i < n; i++) {
        const sim_record *r = &recs[i];
        const sim_record *base = r->evictions ? sim_record_baseline(recs, n, r) : NULL;
        if (!base || base->makespan_s <= 0) continue;
        if (!header) {
            fprintf(f,
                    "\nspot VMs with evictions against on-demand VMs without (cost normalised "
                    "to on-demand):\n%-18s %5s %5s %9s",
                    "policy", "VMs", "jobs", "slowdown");
            for (size_t k = 0; k < m->n_discounts; k++)
                fprintf(f, "  cost@%2.0f%%", 100 * m->spot_discounts[k]);
            fprintf(f, "\n");
            header = 1;
        }
        double base_cost = sim_record_cost(base, m, 0);
        fprintf(f, "%-18s %5u %5u %9.3f", r->policy, r->vms, r->jobs,
                r->makespan_s / base->makespan_s);
        for (size_t k = 0; k < m->n_discounts; k++)
            fprintf(f, "  %8.3f",
                    base_cost > 0 ? sim_record_cost(r, m, m->spot_discounts[k]) / base_cost : 0);
        fprintf(f, "\n");
    }
}

/*
 * sim_plot.c - data files, the gnuplot script, and running gnuplot (see sim_plot.h).
 *
 * Each plot is a small table: rows are cluster sizes (or discounts), columns are policies, in the
 * order the runs were made. gnuplot runs as a child process in the output directory with its output
 * in plots.log; the simulator never depends on it.
 */
#include "sim/sim_plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#define PLOT_MAX_COLS 16
#define PLOT_MAX_ROWS 64

typedef struct plot_table {
    const char *cols[PLOT_MAX_COLS]; /* policies */
    size_t n_cols;
    uint32_t row_vms[PLOT_MAX_ROWS], row_jobs[PLOT_MAX_ROWS];
    size_t n_rows;
} plot_table;

static size_t table_col(plot_table *t, const char *policy) {
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i], policy) == 0) return i;
    if (t->n_cols < PLOT_MAX_COLS) t->cols[t->n_cols++] = policy;
    return t->n_cols - 1;
}

static size_t table_row(plot_table *t, uint32_t vms, uint32_t jobs) {
    for (size_t i = 0; i < t->n_rows; i++)
        if (t->row_vms[i] == vms && t->row_jobs[i] == jobs) return i;
    if (t->n_rows < PLOT_MAX_ROWS) {
        t->row_vms[t->n_rows] = vms;
        t->row_jobs[t->n_rows++] = jobs;
    }
    return t->n_rows - 1;
}

static FILE *open_in(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return fopen(path, "w");
}

/* The value of a summary field for (row, col), or NaN when that run is missing. */
typedef double (*record_value)(const sim_record *recs, size_t n, const sim_record *r,
                               const sim_models *m);

static int write_table(const char *dir, const char *name, const plot_table *t,
                       const sim_record *recs, size_t n, int primary, record_value value,
                       const sim_models *m) {
    FILE *f = open_in(dir, name);
    if (!f) return -1;
    fprintf(f, "size");
    for (size_t c = 0; c < t->n_cols; c++)
        fprintf(f, ",%s", t->cols[c]);
    fprintf(f, "\n");
    for (size_t row = 0; row < t->n_rows; row++) {
        fprintf(f, "\"%u x %u\"", t->row_vms[row], t->row_jobs[row]);
        for (size_t c = 0; c < t->n_cols; c++) {
            double v = NAN;
            for (size_t i = 0; i < n; i++)
                if (recs[i].evictions == primary && recs[i].vms == t->row_vms[row] &&
                    recs[i].jobs == t->row_jobs[row] && strcmp(recs[i].policy, t->cols[c]) == 0)
                    v = value(recs, n, &recs[i], m);
            if (!isnan(v))
                fprintf(f, ",%.6g", v);
            else
                fprintf(f, ",NaN");
        }
        fprintf(f, "\n");
    }
    return fclose(f);
}

static double value_makespan(const sim_record *recs, size_t n, const sim_record *r,
                             const sim_models *m) {
    (void)recs, (void)n, (void)m;
    return r->makespan_s;
}

static double value_idle(const sim_record *recs, size_t n, const sim_record *r,
                         const sim_models *m) {
    (void)recs, (void)n, (void)m;
    return 100.0 * r->idle_fraction;
}

static double value_slowdown(const sim_record *recs, size_t n, const sim_record *r,
                             const sim_models *m) {
    (void)m;
    const sim_record *base = sim_record_baseline(recs, n, r);
    return base && base->makespan_s > 0 ? r->makespan_s / base->makespan_s : NAN;
}

static int write_cost_table(const char *dir, const plot_table *t, const sim_record *recs, size_t n,
                            const sim_models *m, uint32_t vms, uint32_t jobs) {
    FILE *f = open_in(dir, "plot_spot_cost.csv");
    if (!f) return -1;
    fprintf(f, "discount,on-demand");
    for (size_t c = 0; c < t->n_cols; c++)
        fprintf(f, ",%s", t->cols[c]);
    fprintf(f, "\n");
    for (size_t k = 0; k < m->n_discounts; k++) {
        fprintf(f, "\"%.0f%%\",1", 100 * m->spot_discounts[k]);
        for (size_t c = 0; c < t->n_cols; c++) {
            double v = NAN;
            for (size_t i = 0; i < n; i++) {
                const sim_record *r = &recs[i];
                if (!r->evictions || r->vms != vms || r->jobs != jobs ||
                    strcmp(r->policy, t->cols[c]) != 0)
                    continue;
                const sim_record *base = sim_record_baseline(recs, n, r);
                double base_cost = base ? sim_record_cost(base, m, 0) : 0;
                if (base_cost > 0) v = sim_record_cost(r, m, m->spot_discounts[k]) / base_cost;
            }
            if (!isnan(v))
                fprintf(f, ",%.6g", v);
            else
                fprintf(f, ",NaN");
        }
        fprintf(f, "\n");
    }
    return fclose(f);
}

static void script_bars(FILE *g, const char *out, const char *title, const char *ylabel,
                        const char *data, size_t n_cols) {
    fprintf(g, "set output '%s'\nset title '%s'\nset ylabel '%s'\nset xlabel '%s'\n", out, title,
            ylabel, strstr(data, "cost") ? "spot discount" : "cluster: VMs x jobs");
    fprintf(g, "set style data histograms\nset style histogram clustered gap 1\n"
               "set style fill solid 0.85 border -1\nset yrange [0:*]\nset xtics nomirror\n");
    fprintf(g, "plot for [i=2:%zu] '%s' using i:xtic(1) title columnhead(i)\n", n_cols + 1, data);
    fprintf(g, "unset style\nset style data lines\n");
}

static void script_series(FILE *g, const char *out, const char *title, const char *ylabel,
                          const sim_record *recs, size_t n, int primary, uint32_t vms,
                          uint32_t jobs, int column, const char *prefix, const char *style) {
    fprintf(g, "set output '%s'\nset title '%s'\nset ylabel '%s'\n", out, title, ylabel);
    fprintf(g, "set xlabel '%s'\nset yrange [0:*]\nplot ",
            strcmp(prefix, "jct") == 0 ? "job completion time [s]" : "time [s]");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const sim_record *r = &recs[i];
        if (r->evictions != primary || r->vms != vms || r->jobs != jobs) continue;
        fprintf(g, "%s'%s_%s.csv' skip 1 using 1:%d with %s lw 2 title '%s'",
                first ? "" : ", \\\n  ", prefix, r->label, column, style, r->policy);
        first = 0;
    }
    fprintf(g, "\n");
}

static int find_gnuplot(void) {
    const char *path = getenv("PATH");
    if (!path) return 0;
    char dir[4096];
    while (*path) {
        size_t len = strcspn(path, ":");
        if (len > 0 && len < sizeof dir - 10) {
            snprintf(dir, sizeof dir, "%.*s/gnuplot", (int)len, path);
            if (access(dir, X_OK) == 0) return 1;
        }
        path += len;
        if (*path == ':') path++;
    }
    return 0;
}

static int run_gnuplot(const char *dir, char *why, size_t whylen) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, whylen, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (chdir(dir) != 0) _exit(126);
        int fd = open("plots.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) break;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(why, whylen, "gnuplot failed (see %s/plots.log)", dir);
        return -1;
    }
    return 0;
}

int sim_plot_write(const char *dir, const sim_record *recs, size_t n, const sim_models *m,
                   int *plotted, char *why, size_t whylen) {
    *plotted = 0;
    if (n == 0) {
        snprintf(why, whylen, "no runs to plot");
        return 0;
    }
    int primary = 0, any_spot = 0;
    for (size_t i = 0; i < n; i++)
        any_spot |= recs[i].evictions;
    primary = any_spot;
    plot_table t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < n; i++) {
        table_col(&t, recs[i].policy);
        table_row(&t, recs[i].vms, recs[i].jobs);
    }
    uint32_t big_vms = recs[n - 1].vms, big_jobs = recs[n - 1].jobs;
    int rc = write_table(dir, "plot_makespan.csv", &t, recs, n, primary, value_makespan, m);
    rc |= write_table(dir, "plot_idle_fraction.csv", &t, recs, n, primary, value_idle, m);
    if (any_spot) {
        rc |= write_table(dir, "plot_spot_slowdown.csv", &t, recs, n, 1, value_slowdown, m);
        rc |= write_cost_table(dir, &t, recs, n, m, big_vms, big_jobs);
    }
    FILE *g = open_in(dir, "plots.gp");
    if (rc || !g) {
        if (g) fclose(g);
        snprintf(why, whylen, "%s: cannot write the plot files", dir);
        return -1;
    }
    char size[64];
    snprintf(size, sizeof size, "%u VMs, %u jobs", big_vms, big_jobs);
    const char *tag = any_spot ? " on evicted spot VMs" : "";
    fprintf(g, "# granny sim plots: run `gnuplot plots.gp` in this folder.\n"
               "set terminal svg size 900,540 dynamic enhanced font 'sans,13'\n"
               "set datafile separator ','\nset datafile missing 'NaN'\nset key outside right top\n"
               "set grid ytics\n");
    char title[160];
    snprintf(title, sizeof title, "Makespan per policy%s (simulated)", tag);
    script_bars(g, "makespan.svg", title, "makespan [s]", "plot_makespan.csv", t.n_cols);
    snprintf(title, sizeof title, "Idle vCPUs, integral idle / integral total%s (simulated)", tag);
    script_bars(g, "idle_fraction.svg", title, "idle vCPUs [%]", "plot_idle_fraction.csv",
                t.n_cols);
    snprintf(title, sizeof title, "CDF of job completion time, %s (simulated)", size);
    script_series(g, "jct_cdf.svg", title, "fraction of jobs", recs, n, primary, big_vms, big_jobs,
                  2, "jct", "steps");
    snprintf(title, sizeof title, "Idle vCPUs over time, %s (simulated)", size);
    script_series(g, "idle.svg", title, "idle vCPUs [%]", recs, n, primary, big_vms, big_jobs, 4,
                  "series", "steps");
    snprintf(title, sizeof title, "Cross-VM links over time, %s (simulated)", size);
    script_series(g, "links.svg", title, "cross-VM links", recs, n, primary, big_vms, big_jobs, 5,
                  "series", "steps");
    int n_plots = 5;
    if (any_spot) {
        script_bars(g, "spot_slowdown.svg",
                    "Makespan slowdown on spot VMs with evictions (simulated)",
                    "makespan with / without evictions", "plot_spot_slowdown.csv", t.n_cols);
        snprintf(title, sizeof title, "Cost on spot VMs relative to on-demand, %s (simulated)",
                 size);
        script_bars(g, "spot_cost.svg", title, "normalised cost (on-demand = 1)",
                    "plot_spot_cost.csv", t.n_cols + 1);
        n_plots += 2;
    }
    int bad = ferror(g);
    if (fclose(g) != 0 || bad) {
        snprintf(why, whylen, "%s/plots.gp: write failed", dir);
        return -1;
    }
    if (!find_gnuplot()) {
        snprintf(why, whylen,
                 "gnuplot not found (apt-get install gnuplot-nox); data and "
                 "plots.gp written");
        return 0;
    }
    if (run_gnuplot(dir, why, whylen) != 0) return -1;
    *plotted = n_plots;
    return 0;
}

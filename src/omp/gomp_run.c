/*
 * gomp_run.c — what a runner (`granny run`, the tests' granny-omp-run) does for OpenMP, in four
 * calls around its own: check the options, prepare (after loading the module: register the entry
 * points when the module imports any, resolve a fractional --elastic-after against the run
 * record), attach (after creating the process cell), finish (after it ran: statistics, the run
 * record, detach).
 *
 * Modules that import no OpenMP entry point get nothing registered, so OpenMP costs other
 * programs nothing. Only a complete, successful run at the program's own team sizes (no elastic
 * change) is recorded: that is the fork count a later fraction refers to.
 */
#include <stdio.h>
#include <string.h>

#include "cell/cell.h"
#include "engine/aot/aot.h"
#include "omp/gomp.h"

static bool imports_openmp(const rt_module *m) {
    const wasm_module *ir = rt_module_ir(m);
    for (uint32_t i = 0; i < ir->nimports; i++) {
        const wasm_import *imp = &ir->imports[i];
        if (imp->kind != WASM_EXTERN_FUNC || strcmp(imp->module.bytes, "env") != 0) continue;
        if (!strncmp(imp->name.bytes, "__kmpc_", 7) || !strncmp(imp->name.bytes, "omp_", 4) ||
            !strncmp(imp->name.bytes, "__granny_omp_", 13))
            return true;
    }
    return false;
}

bool gomp_run_check(const gomp_run *r, char *msg, size_t len) {
    uint64_t forks;
    double fraction;
    if (r->threads < 0 || r->elastic_to < 0) {
        snprintf(msg, len, "--threads and --elastic-to need a positive number");
        return false;
    }
    if (r->elastic_after && !gomp_elastic_after_parse(r->elastic_after, &forks, &fraction)) {
        snprintf(msg, len,
                 "--elastic-after '%s' is neither a fork count nor a fraction between 0 and 1",
                 r->elastic_after);
        return false;
    }
    if (r->elastic_after && !r->elastic_to) {
        snprintf(msg, len, "--elastic-after needs --elastic-to");
        return false;
    }
    return true;
}

int gomp_run_prepare(gomp_run *r, rt_host_registry *reg, const rt_module *m, int argc, char **argv,
                     rt_error *err) {
    r->active = imports_openmp(m);
    if (!r->active) return 0;
    memset(&r->opts, 0, sizeof r->opts);
    r->opts.threads = r->threads;
    r->opts.elastic.to = r->elastic_to;
    r->have_cache = aot_cache_dir(NULL, r->cache, sizeof r->cache);
    char hash[65];
    rt_module_hash_hex(m, hash);
    gomp_history_key(hash, argc, argv, r->key);
    if (r->elastic_after) {
        uint64_t forks = 0;
        double fraction = 0;
        gomp_elastic_after_parse(r->elastic_after, &forks, &fraction);
        if (fraction > 0 &&
            (!r->have_cache || !gomp_elastic_after_resolve(r->cache, r->key, fraction, &forks))) {
            snprintf(err->msg, sizeof err->msg,
                     "--elastic-after %s is a fraction of the run, but no complete run of this "
                     "program with these arguments is recorded: run it once without "
                     "--elastic-to, or give a fork count",
                     r->elastic_after);
            return 2;
        }
        r->opts.elastic.after_forks = forks;
    }
    if (!gomp_register(reg, &r->opts, err) || !gomp_register_unsupported(reg, m, err)) return 1;
    /* A fork can be a control point only where asyncify instruments the path through it, i.e.
     * when the cell module lists the import among its control points. */
    gomp_set_control_point(
        strstr(cell_control_point_imports(), "env.__kmpc_fork_call") ? cell_control_point : NULL);
    return 0;
}

bool gomp_run_attach(gomp_run *r, cell *c, rt_host_registry *reg, rt_error *err) {
    if (!r->active) return true;
    return gomp_cell_attach(c, &r->opts, rt_host_resolve, reg, err);
}

void gomp_run_finish(gomp_run *r, cell *c, bool completed) {
    if (!r->active || !c->omp) return;
    gomp_stats st;
    gomp_cell_stats(c, &st);
    if (r->verbose)
        fprintf(stderr,
                "granny: openmp: %llu forks (%llu nested), %d pool threads, last team %d, "
                "largest team %d\n",
                (unsigned long long)st.forks, (unsigned long long)st.nested_forks, st.pool_threads,
                st.last_team, st.max_team);
    if (completed && r->have_cache && !r->elastic_to && st.forks > 0)
        gomp_history_store(r->cache, r->key, st.forks);
    gomp_cell_detach(c);
}

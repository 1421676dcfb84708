/*
 * omp_run.c — granny-omp-run, the OpenMP tests' and benchmark's runner: runs a WASI command module
 * as a process cell with the OpenMP runtime attached, like `granny run`, with the OpenMP options
 * of `granny run` and nothing else:
 *
 *   granny-omp-run [--threads N] [--elastic-to M --elastic-after F] [-v] app.wasm [args...]
 *
 * F is a fork count (integer) or a fraction of the run (0 < F < 1, resolved against the fork count
 * of the last complete run of the same module and arguments, recorded in the cache). -v prints the
 * OpenMP statistics (forks, pool threads, team sizes) on stderr. Exit status as `granny run`: the
 * guest's, 134 after a trap, 1 for load or link errors, 2 for usage errors.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell/cell.h"
#include "omp/gomp.h"
#include "wasi/wasi.h"

typedef struct run_state {
    rt_module *module;
    rt_host_registry *reg;
    wasi_ctx *wasi;
    gomp_run omp;
    int status;
} run_state;

static void usage(FILE *out) {
    fprintf(out, "usage: granny-omp-run [--threads N] [--elastic-to M --elastic-after F] [-v] "
                 "app.wasm [args...]\n");
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int report_trap(const rt_trap_info *t, const rt_module *m) {
    const char *msg = t->msg[0] ? t->msg : rt_trap_kind_message(t->kind);
    const char *name = t->func_index != UINT32_MAX
                           ? rt_module_func_name(t->module ? t->module : m, t->func_index)
                           : NULL;
    if (name)
        fprintf(stderr, "granny: trap: %s in function %s\n", msg, name);
    else
        fprintf(stderr, "granny: trap: %s\n", msg);
    return 134;
}

static void run_cell(void *arg) {
    run_state *st = arg;
    rt_error err;
    memset(&err, 0, sizeof err);
    cell_options co;
    memset(&co, 0, sizeof co);
    co.resolve = rt_host_resolve;
    co.resolve_ctx = st->reg;
    co.wasi = st->wasi;
    cell *c = cell_new_process(st->module, &co, &err);
    if (!c) {
        fprintf(stderr, "granny: %s\n", err.msg);
        st->status = 1;
        return;
    }
    if (!gomp_run_attach(&st->omp, c, st->reg, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg);
        st->status = 1;
        cell_free(c);
        return;
    }
    switch (cell_run(c)) {
    case CELL_OUT_EXITED: st->status = c->exit_code & 0xff; break;
    case CELL_OUT_TRAPPED: st->status = report_trap(&c->trap, st->module); break;
    case CELL_OUT_SUSPENDED: st->status = 0; break;
    }
    gomp_run_finish(&st->omp, c, c->state == CELL_EXITED && st->status == 0);
    cell_free(c);
}

int main(int argc, char **argv) {
    run_state st;
    memset(&st, 0, sizeof st);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-v")) {
            st.omp.verbose = 1;
        } else if (!strcmp(a, "--threads") && i + 1 < argc) {
            st.omp.threads = atoi(argv[++i]);
            if (st.omp.threads < 1) st.omp.threads = -1;
        } else if (!strcmp(a, "--elastic-to") && i + 1 < argc) {
            st.omp.elastic_to = atoi(argv[++i]);
            if (st.omp.elastic_to < 1) st.omp.elastic_to = -1;
        } else if (!strcmp(a, "--elastic-after") && i + 1 < argc) {
            st.omp.elastic_after = argv[++i];
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "granny-omp-run: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    char msg[300];
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    if (!gomp_run_check(&st.omp, msg, sizeof msg)) {
        fprintf(stderr, "granny-omp-run: %s\n", msg);
        return 2;
    }
    const char *path = argv[i];
    size_t len;
    uint8_t *bytes = read_file(path, &len);
    if (!bytes) {
        fprintf(stderr, "granny: cannot read '%s': %s\n", path, strerror(errno));
        return 1;
    }
    rt_error err;
    memset(&err, 0, sizeof err);
    rt_load_options lo;
    memset(&lo, 0, sizeof lo);
    st.module = rt_module_load(bytes, len, &lo, NULL, &err);
    free(bytes);
    if (!st.module) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return 1;
    }
    st.reg = rt_host_registry_new();
    st.wasi = wasi_ctx_new();
    int status = 1;
    if (!st.reg || !st.wasi || !wasi_register(st.reg, &err) || !cell_register_host(st.reg, &err) ||
        !wasi_ctx_set_args(st.wasi, argc - i, (const char *const *)(argv + i), &err)) {
        fprintf(stderr, "granny: %s\n", err.msg[0] ? err.msg : "out of memory");
    } else if ((status = gomp_run_prepare(&st.omp, st.reg, st.module, argc - i, argv + i, &err))) {
        fprintf(stderr, "granny: %s\n", err.msg);
    } else {
        signal(SIGPIPE, SIG_IGN);
        int rc = rt_run_on_thread(0, run_cell, &st);
        status = rc ? 1 : st.status;
    }
    if (st.reg) rt_host_registry_free(st.reg);
    if (st.wasi) wasi_ctx_free(st.wasi);
    rt_module_free(st.module);
    return status;
}

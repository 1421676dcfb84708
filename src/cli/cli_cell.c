/*
 * cli_cell.c — one process cell run from the command line; see cli_cell.h.
 *
 * A run: make the module suspendable (cell_module_prepare: asyncify restricted to the control-point
 * imports, cached), load it (the engine's cache makes the second load a dlopen), build the WASI
 * context from the run configuration, register WASI and the granny.h functions, and run the cell
 * on a thread with a guarded stack. When the cell suspends (the N-th barrier control point), the
 * snapshot (module, memory, globals, tables, descriptors, the run configuration) is written to the
 * checkpoint file and the process exits with status 0. `granny restore FILE` reads the snapshot,
 * loads the module from it, rebuilds the WASI context from the "run" section, restores the cell
 * and resumes it.
 */
#define _GNU_SOURCE
#include "cli/cli_cell.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cell/cell.h"
#include "cli/cli.h"
#include "engine/aot/aot.h"
#include "omp/gomp.h"
#include "wasi/wasi.h"

/* ---- run configuration ---- */

static char *dup_n(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

bool cli_runconf_init(cli_runconf *rc, int argc, char **argv, int nenv, const char **env, int ndirs,
                      const char **dirs, uint64_t mem_max_pages, rt_error *err) {
    memset(rc, 0, sizeof *rc);
    rc->argv = calloc((size_t)argc + 1, sizeof *rc->argv);
    rc->env = calloc((size_t)nenv + 1, sizeof *rc->env);
    rc->dir_host = calloc((size_t)ndirs + 1, sizeof *rc->dir_host);
    rc->dir_guest = calloc((size_t)ndirs + 1, sizeof *rc->dir_guest);
    if (!rc->argv || !rc->env || !rc->dir_host || !rc->dir_guest) goto oom;
    rc->mem_max_pages = mem_max_pages;
    for (int i = 0; i < argc; i++, rc->argc++)
        if (!(rc->argv[i] = strdup(argv[i]))) goto oom;
    for (int i = 0; i < nenv; i++, rc->nenv++)
        if (!(rc->env[i] = strdup(env[i]))) goto oom;
    for (int i = 0; i < ndirs; i++) {
        /* "HOST[:GUEST]", split at the last ':' (GUEST defaults to HOST as written) */
        const char *spec = dirs[i], *colon = strrchr(spec, ':');
        size_t hl = colon && colon != spec && colon[1] ? (size_t)(colon - spec) : strlen(spec);
        char *host = dup_n(spec, hl);
        if (!host) goto oom;
        char abs[PATH_MAX];
        if (!realpath(host, abs)) {
            snprintf(err->msg, sizeof err->msg, "--dir %s: %s", host, strerror(errno));
            free(host);
            cli_runconf_free(rc);
            return false;
        }
        rc->dir_guest[i] = hl < strlen(spec) ? strdup(colon + 1) : host;
        if (hl < strlen(spec)) free(host);
        rc->dir_host[i] = strdup(abs);
        rc->ndirs++;
        if (!rc->dir_host[i] || !rc->dir_guest[i]) goto oom;
    }
    return true;
oom:
    snprintf(err->msg, sizeof err->msg, "out of memory");
    cli_runconf_free(rc);
    return false;
}

static void free_list(char **v, int n) {
    if (!v) return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void cli_runconf_free(cli_runconf *rc) {
    free_list(rc->argv, rc->argc);
    free_list(rc->env, rc->nenv);
    free_list(rc->dir_host, rc->ndirs);
    free_list(rc->dir_guest, rc->ndirs);
    memset(rc, 0, sizeof *rc);
}

/* Encoding: u64 mem_max_pages, then counted string lists argv, env, host dirs, guest dirs; each
 * string as u32 length + bytes. */
static void put_u32(uint8_t **p, uint32_t v) {
    memcpy(*p, &v, 4);
    *p += 4;
}

static size_t list_size(char **v, int n) {
    size_t s = 4;
    for (int i = 0; i < n; i++)
        s += 4 + strlen(v[i]);
    return s;
}

static void put_list(uint8_t **p, char **v, int n) {
    put_u32(p, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(v[i]);
        put_u32(p, (uint32_t)l);
        memcpy(*p, v[i], l);
        *p += l;
    }
}

bool cli_runconf_encode(const cli_runconf *rc, uint8_t **out, size_t *len) {
    size_t n = 8 + list_size(rc->argv, rc->argc) + list_size(rc->env, rc->nenv) +
               list_size(rc->dir_host, rc->ndirs) + list_size(rc->dir_guest, rc->ndirs);
    uint8_t *b = malloc(n), *p = b;
    if (!b) return false;
    memcpy(p, &rc->mem_max_pages, 8);
    p += 8;
    put_list(&p, rc->argv, rc->argc);
    put_list(&p, rc->env, rc->nenv);
    put_list(&p, rc->dir_host, rc->ndirs);
    put_list(&p, rc->dir_guest, rc->ndirs);
    *out = b;
    *len = n;
    return true;
}

static bool get_list(const uint8_t **p, const uint8_t *end, char ***v, int *n) {
    uint32_t count;
    if (end - *p < 4) return false;
    memcpy(&count, *p, 4);
    *p += 4;
    if (count > (size_t)(end - *p) / 4) return false;
    *v = calloc((size_t)count + 1, sizeof **v);
    if (!*v) return false;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t l;
        if (end - *p < 4) return false;
        memcpy(&l, *p, 4);
        *p += 4;
        if (l > (size_t)(end - *p) || memchr(*p, 0, l)) return false;
        if (!((*v)[i] = dup_n((const char *)*p, l))) return false;
        *p += l;
        (*n)++;
    }
    return true;
}

bool cli_runconf_decode(const uint8_t *p, size_t len, cli_runconf *rc, rt_error *err) {
    memset(rc, 0, sizeof *rc);
    const uint8_t *end = p + len;
    int ng = 0;
    bool ok = len >= 8;
    if (ok) {
        memcpy(&rc->mem_max_pages, p, 8);
        p += 8;
    }
    ok = ok && get_list(&p, end, &rc->argv, &rc->argc) && get_list(&p, end, &rc->env, &rc->nenv) &&
         get_list(&p, end, &rc->dir_host, &rc->ndirs) && get_list(&p, end, &rc->dir_guest, &ng) &&
         ng == rc->ndirs && p == end && rc->argc > 0;
    if (!ok) {
        snprintf(err->msg, sizeof err->msg, "snapshot run section is malformed");
        if (rc->dir_guest && ng > rc->ndirs) rc->ndirs = ng;
        cli_runconf_free(rc);
    }
    return ok;
}

/* ---- reporting ---- */

int cli_report_trap(const rt_trap_info *t, const rt_module *fallback) {
    if (t->kind == RT_TRAP_EXIT) return t->exit_code & 0xff;
    const char *msg = t->msg[0] ? t->msg : rt_trap_kind_message(t->kind);
    if (t->func_index == UINT32_MAX) {
        fprintf(stderr, "granny: trap: %s\n", msg);
        return CLI_EXIT_TRAP;
    }
    const rt_module *m = t->module ? t->module : fallback;
    const char *name = m ? rt_module_func_name(m, t->func_index) : NULL;
    if (name)
        fprintf(stderr, "granny: trap: %s in function %s\n", msg, name);
    else
        fprintf(stderr, "granny: trap: %s in function %u\n", msg, t->func_index);
    return CLI_EXIT_TRAP;
}

void cli_print_load_stats(const char *path, const rt_load_stats *st) {
    double total =
        st->decode_ms + st->validate_ms + st->translate_ms + st->compile_ms + st->dlopen_ms;
    fprintf(stderr,
            "granny: %s: %s, %.1f ms (decode %.1f, validate %.1f, translate %.1f, compile %.1f, "
            "dlopen %.1f)\ngranny: shared object %s\n",
            path, st->cache_hit ? "cache hit" : "compiled", total, st->decode_ms, st->validate_ms,
            st->translate_ms, st->compile_ms, st->dlopen_ms, st->so_path);
}

uint8_t *cli_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "granny: cannot read '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            uint8_t *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) break;
    }
    if (!buf || ferror(f)) {
        fprintf(stderr, "granny: cannot read '%s': %s\n", path,
                buf ? strerror(errno) : "out of memory");
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ---- running ---- */

typedef struct cli_job {
    rt_module *module;
    const cli_runconf *rc;
    const cli_cell_options *o;
    const cell_snapshot *from; /* restore from this snapshot, or NULL */
    rt_host_registry *reg;
    wasi_ctx *wasi;
    gomp_run *omp; /* OpenMP (src/omp) */
    int status;
} cli_job;

static bool build_wasi(cli_job *j, rt_error *err) {
    j->wasi = wasi_ctx_new();
    if (!j->wasi) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return false;
    }
    if (!wasi_ctx_set_args(j->wasi, j->rc->argc, (const char *const *)j->rc->argv, err))
        return false;
    for (int i = 0; i < j->rc->nenv; i++)
        if (!wasi_ctx_add_env(j->wasi, j->rc->env[i], err)) return false;
    for (int i = 0; i < j->rc->ndirs; i++)
        if (!wasi_ctx_add_preopen(j->wasi, j->rc->dir_host[i], j->rc->dir_guest[i], err))
            return false;
    return true;
}

static bool write_checkpoint(cli_job *j, cell *c, rt_error *err) {
    cell_snapshot s;
    if (!cell_snapshot_take(c, &s, false, err)) return false;
    uint8_t *run;
    size_t run_len;
    bool ok = cli_runconf_encode(j->rc, &run, &run_len) &&
              cell_snapshot_add(&s, CELL_SEC_HOST, "run", run, run_len, true);
    if (ok) free(run);
    char msg[512];
    if (ok && !cell_snapshot_write_file(&s, j->o->checkpoint_file, msg, sizeof msg)) {
        snprintf(err->msg, sizeof err->msg, "%s", msg);
        ok = false;
    } else if (!ok) {
        snprintf(err->msg, sizeof err->msg, "out of memory writing the snapshot");
    }
    cell_snapshot_free(&s);
    return ok;
}

static void cli_job_main(void *arg) {
    cli_job *j = arg;
    rt_error err;
    memset(&err, 0, sizeof err);
    j->status = CLI_EXIT_LOAD;
    if (!build_wasi(j, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return;
    }
    cell_options co = {.resolve = rt_host_resolve,
                       .resolve_ctx = j->reg,
                       .wasi = j->wasi,
                       .max_memory_pages = j->rc->mem_max_pages};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cell *c = j->from ? cell_restore(j->module, j->from, &co, &err)
                      : cell_new_process(j->module, &co, &err);
    if (!c) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (j->o->verbose && j->from)
        fprintf(stderr,
                "granny: restored the cell in %.3f ms (instance, memory, globals, tables, "
                "descriptors; module load excluded)\n",
                (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    if (!gomp_run_attach(j->omp, c, j->reg, &err)) { /* OpenMP (src/omp) */
        fprintf(stderr, "granny: %s\n", err.msg);
        cell_free(c);
        return;
    }
    if (!c->fn_start) {
        fprintf(stderr, "granny: the module exports no _start function (it is not a WASI command)\n");
        cell_free(c);
        return;
    }
    c->suspend_at = j->o->checkpoint_at;
    switch (cell_run(c)) {
    case CELL_OUT_EXITED: j->status = c->exit_code & 0xff; break;
    case CELL_OUT_TRAPPED: j->status = cli_report_trap(&c->trap, j->module); break;
    case CELL_OUT_SUSPENDED:
        if (!j->o->checkpoint_file) {
            fprintf(stderr, "granny: the cell suspended but no --checkpoint-file was given\n");
        } else if (write_checkpoint(j, c, &err)) {
            if (j->o->verbose)
                fprintf(stderr, "granny: suspended at control point %llu, snapshot in %s\n",
                        (unsigned long long)c->control_points, j->o->checkpoint_file);
            j->status = 0;
        } else {
            fprintf(stderr, "granny: checkpoint: %s\n", err.msg);
        }
        break;
    }
    gomp_run_finish(j->omp, c, c->state == CELL_EXITED && j->status == 0); /* OpenMP (src/omp) */
    cell_free(c);
}

static int run_module(rt_module *m, const cli_runconf *rc, const cli_cell_options *o,
                      const cell_snapshot *from) {
    rt_error err;
    memset(&err, 0, sizeof err);
    cli_job j = {.module = m, .rc = rc, .o = o, .from = from, .status = CLI_EXIT_LOAD};
    j.reg = rt_host_registry_new();
    if (!j.reg || !wasi_register(j.reg, &err) || !cell_register_host(j.reg, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg[0] ? err.msg : "out of memory");
        if (j.reg) rt_host_registry_free(j.reg);
        return CLI_EXIT_LOAD;
    }
    /* ---- OpenMP (src/omp): its entry points, when the module imports them ---- */
    gomp_run omp_defaults;
    memset(&omp_defaults, 0, sizeof omp_defaults);
    j.omp = o->omp ? o->omp : &omp_defaults;
    int omp_status = gomp_run_prepare(j.omp, j.reg, m, rc->argc, rc->argv, &err);
    if (omp_status) {
        fprintf(stderr, "granny: %s\n", err.msg);
        rt_host_registry_free(j.reg);
        return omp_status;
    }
    /* ---- end OpenMP ---- */
    signal(SIGPIPE, SIG_IGN);
    int rc_thread = rt_run_on_thread(0, cli_job_main, &j);
    if (rc_thread != 0) {
        fprintf(stderr, "granny: cannot start the guest thread: %s\n", strerror(rc_thread));
        j.status = CLI_EXIT_LOAD;
    }
    rt_host_registry_free(j.reg);
    wasi_ctx_free(j.wasi);
    return j.status;
}

static rt_module *load(const uint8_t *bytes, size_t len, const char *name, int verbose,
                       bool no_cache) {
    rt_load_options lo;
    memset(&lo, 0, sizeof lo);
    lo.no_cache = no_cache;
    lo.verbose = verbose > 1;
    rt_load_stats stats;
    memset(&stats, 0, sizeof stats);
    rt_error err;
    memset(&err, 0, sizeof err);
    rt_module *m = rt_module_load(bytes, len, &lo, &stats, &err);
    if (!m) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return NULL;
    }
    if (verbose) cli_print_load_stats(name, &stats);
    return m;
}

int cli_run_cell(const uint8_t *bytes, size_t len, const char *name, const cli_runconf *rc,
                 const cli_cell_options *o) {
    rt_error err;
    memset(&err, 0, sizeof err);
    uint8_t *prepared;
    size_t plen;
    char cache[4096];
    bool have_cache = !o->no_cache && aot_cache_dir(NULL, cache, sizeof cache);
    if (!cell_module_prepare(bytes, len, have_cache ? cache : NULL, &prepared, &plen, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return CLI_EXIT_LOAD;
    }
    rt_module *m = load(prepared, plen, name, o->verbose, o->no_cache);
    free(prepared);
    if (!m) return CLI_EXIT_LOAD;
    int status = run_module(m, rc, o, NULL);
    rt_module_free(m);
    return status;
}

/* ---- granny restore ---- */

int restore_main(int argc, char **argv) {
    cli_cell_options o = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v")) {
            o.verbose = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: granny restore [-v] SNAPSHOT\nresumes a cell suspended by `granny run "
                   "--checkpoint-at N --checkpoint-file SNAPSHOT`\n");
            return 0;
        } else {
            fprintf(stderr, "granny restore: unknown option '%s'\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: granny restore [-v] SNAPSHOT\n");
        return CLI_EXIT_USAGE;
    }
    const char *path = argv[i];
    cell_snapshot s;
    char msg[512];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!cell_snapshot_read_file(&s, path, msg, sizeof msg)) {
        fprintf(stderr, "granny: %s\n", msg);
        return CLI_EXIT_LOAD;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (o.verbose)
        fprintf(stderr, "granny: read and verified %s in %.3f ms\n", path,
                (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    const cell_section *mod = cell_snapshot_find(&s, CELL_SEC_MODULE, NULL);
    const cell_section *run = cell_snapshot_find(&s, CELL_SEC_HOST, "run");
    rt_error err;
    memset(&err, 0, sizeof err);
    cli_runconf rc;
    int status = CLI_EXIT_LOAD;
    if (!mod || !run) {
        fprintf(stderr, "granny: %s: the snapshot has no %s section\n", path,
                !mod ? "module" : "run");
    } else if (!cli_runconf_decode(run->data, run->len, &rc, &err)) {
        fprintf(stderr, "granny: %s: %s\n", path, err.msg);
    } else {
        rt_module *m = load(mod->data, mod->len, path, o.verbose, false);
        if (m) {
            status = run_module(m, &rc, &o, &s);
            rt_module_free(m);
        }
        cli_runconf_free(&rc);
    }
    cell_snapshot_free(&s);
    return status;
}

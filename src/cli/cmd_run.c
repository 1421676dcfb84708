/*
 * cmd_run.c — `granny run [options] app.wasm [args...]`: load a WASI command module, give it a
 * WASI context (arguments, environment, preopened directories, the host's stdin/stdout/stderr),
 * instantiate it and run `_start` on a thread of its own, then exit with the guest's status.
 *
 *   --dir HOST[:GUEST]  preopen directory HOST, seen by the guest as GUEST (default: HOST as
 *                       written); repeatable. The split is at the last ':'.
 *   --env KEY=VALUE     set a guest environment variable (the guest sees no other); repeatable
 *   --mem-max SIZE      cap linear memory (bytes, or with K/M/G suffix: 256M); growth beyond fails
 *   -v                  print load statistics (cache hit, compile time) on stderr; -vv also logs
 *                       the C compiler commands
 *   --no-cache          compile into a temporary directory and keep nothing
 *   -n N                MPI world size (N > 1 is not built yet: exit status 2)
 *   --threads N         OpenMP team size (recorded for the OpenMP runtime; no effect yet)
 *
 * Exit status: the guest's (the proc_exit code, 0 when _start returns), 134 after a trap (with
 * "granny: trap: <message> in function <name or index>" on stderr), 1 when the module cannot be
 * read, loaded or linked ("granny: <message>"; a missing import is named), 2 for usage errors.
 *
 * The guest runs on a thread made by rt_run_on_thread, whose stack has a guard region, so
 * unbounded recursion in the guest ends as the trap "call stack exhausted" rather than a crash.
 * Instantiation (which runs the module's start function, if any) happens on that thread too.
 * SIGPIPE is ignored: a guest writing to a closed pipe gets EPIPE, as a WASI call error.
 *
 * Where MPI worlds (-n) and OpenMP teams (--threads) will plug in: run_options carries both; a
 * world will create N cells instead of the single one made by run_single, and the OpenMP runtime
 * will read the team size from the cell. Both are marked "HOOK" below.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_run.h"
#include "engine/rt/runtime.h"
#include "wasi/wasi.h"

enum { RUN_EXIT_LOAD = 1, RUN_EXIT_USAGE = 2, RUN_EXIT_TRAP = 134 };

typedef struct run_options {
    const char *wasm_path;
    int guest_argc;
    char **guest_argv; /* [0] = wasm_path as written, then the program's arguments */
    const char **dirs;
    int ndirs;
    const char **envs;
    int nenvs;
    uint64_t mem_max_pages; /* 0: no cap */
    int verbose;
    bool no_cache;
    int world_size; /* HOOK: -n, MPI ranks */
    int threads;    /* HOOK: --threads, OpenMP team size (0: default) */
} run_options;

/* The cell as far as `granny run` knows it: WASI finds its context through the first member. */
typedef struct run_cell {
    wasi_ctx *wasi;
} run_cell;

static void run_usage(FILE *out) {
    fprintf(out,
            "usage: granny run [options] app.wasm [args...]\n"
            "  --dir HOST[:GUEST]  preopen directory HOST as GUEST (repeatable)\n"
            "  --env KEY=VALUE     set a guest environment variable (repeatable)\n"
            "  --mem-max SIZE      cap linear memory, e.g. 256M\n"
            "  -v, -vv             load statistics (-vv: also the compiler commands)\n"
            "  --no-cache          do not use or fill the compiled-module cache\n"
            "  -n N                MPI world size (not built yet for N > 1)\n"
            "  --threads N         OpenMP team size\n"
            "exit status: the guest's; 134 after a trap; 1 load or link error; 2 usage error\n");
}

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "granny run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    run_usage(stderr);
    return RUN_EXIT_USAGE;
}

/* "256M" -> bytes; false when malformed. */
static bool parse_size(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-') return false;
    uint64_t mult = 1;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': mult = (uint64_t)1 << 10; end++; break;
    case 'm': case 'M': mult = (uint64_t)1 << 20; end++; break;
    case 'g': case 'G': mult = (uint64_t)1 << 30; end++; break;
    default: return false;
    }
    if (*end == 'i' && mult > 1) end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end != '\0') return false;
    if (v > UINT64_MAX / mult) return false;
    *out = v * mult;
    return true;
}

static bool parse_count(const char *s, int *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 1 << 20) return false;
    *out = (int)v;
    return true;
}

/* Returns -1 when parsing succeeded, else the exit status. */
static int parse_args(int argc, char **argv, run_options *o) {
    memset(o, 0, sizeof *o);
    o->world_size = 1;
    o->dirs = calloc((size_t)argc, sizeof *o->dirs);
    o->envs = calloc((size_t)argc, sizeof *o->envs);
    if (!o->dirs || !o->envs) {
        fprintf(stderr, "granny: out of memory\n");
        return RUN_EXIT_LOAD;
    }
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !strcmp(a, "-")) break;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            run_usage(stdout);
            return 0;
        }
        if (!strcmp(a, "-v")) {
            o->verbose = o->verbose < 1 ? 1 : o->verbose;
            continue;
        }
        if (!strcmp(a, "-vv")) {
            o->verbose = 2;
            continue;
        }
        if (!strcmp(a, "--no-cache")) {
            o->no_cache = true;
            continue;
        }
        /* Options with a value: "--opt VALUE" or "--opt=VALUE". */
        static const char *const with_value[] = {"--dir", "--env", "--mem-max", "-n", "--threads"};
        const char *value = NULL, *name = NULL;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++) {
            size_t n = strlen(with_value[k]);
            if (!strcmp(a, with_value[k])) {
                if (i + 1 >= argc) return usage_error("%s needs a value", a);
                name = with_value[k];
                value = argv[++i];
                break;
            }
            if (!strncmp(a, with_value[k], n) && a[n] == '=') {
                name = with_value[k];
                value = a + n + 1;
                break;
            }
        }
        if (!name) return usage_error("unknown option '%s'", a);
        if (!strcmp(name, "--dir")) {
            o->dirs[o->ndirs++] = value;
        } else if (!strcmp(name, "--env")) {
            const char *eq = strchr(value, '=');
            if (!eq || eq == value) return usage_error("--env '%s' is not KEY=VALUE", value);
            o->envs[o->nenvs++] = value;
        } else if (!strcmp(name, "--mem-max")) {
            uint64_t bytes;
            if (!parse_size(value, &bytes) || bytes < RT_PAGE_SIZE) {
                return usage_error("--mem-max '%s' is not a size of at least 64K", value);
            }
            uint64_t pages = bytes / RT_PAGE_SIZE;
            o->mem_max_pages = pages > 65536 ? 65536 : pages;
        } else if (!strcmp(name, "-n")) {
            if (!parse_count(value, &o->world_size)) {
                return usage_error("-n '%s' is not a positive number", value);
            }
        } else {
            if (!parse_count(value, &o->threads)) {
                return usage_error("--threads '%s' is not a positive number", value);
            }
        }
    }
    if (i >= argc) return usage_error("%s", "no module given");
    o->wasm_path = argv[i];
    o->guest_argc = argc - i;
    o->guest_argv = argv + i;
    return -1;
}

static uint8_t *read_file(const char *path, size_t *len) {
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
        fprintf(stderr, "granny: cannot read '%s': %s\n", path, buf ? strerror(errno) : "out of memory");
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Splits "HOST[:GUEST]" at the last ':' (a GUEST must be non-empty). */
static bool add_dir(wasi_ctx *ctx, const char *spec, rt_error *err) {
    const char *colon = strrchr(spec, ':');
    if (!colon || colon[1] == '\0' || colon == spec) {
        return wasi_ctx_add_preopen(ctx, spec, spec, err);
    }
    size_t n = (size_t)(colon - spec);
    char *host = malloc(n + 1);
    if (!host) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return false;
    }
    memcpy(host, spec, n);
    host[n] = '\0';
    bool ok = wasi_ctx_add_preopen(ctx, host, colon + 1, err);
    free(host);
    return ok;
}

/* What the guest thread does, and what it reports back. */
typedef struct run_job {
    rt_module *module;
    rt_instance_options inst_opts;
    rt_instance *inst;
    bool linked;   /* instantiation succeeded (or trapped in the start function) */
    bool finished; /* _start returned normally */
    rt_trap_info trap;
    rt_error err;
} run_job;

static void run_job_main(void *arg) {
    run_job *job = arg;
    memset(&job->trap, 0, sizeof job->trap);
    job->inst = rt_instance_new(job->module, &job->inst_opts, &job->trap, &job->err);
    if (!job->inst) {
        job->linked = job->trap.kind != RT_TRAP_NONE;
        return;
    }
    job->linked = true;
    rt_extern start;
    if (!rt_instance_export(job->inst, "_start", &start) || start.kind != WASM_EXTERN_FUNC) {
        job->linked = false;
        snprintf(job->err.msg, sizeof job->err.msg,
                 "the module exports no _start function (it is not a WASI command)");
        return;
    }
    rt_value io[1] = {{0}};
    job->finished = rt_invoke_export(job->inst, "_start", io, &job->trap, &job->err);
}

static int report_trap(const run_job *job) {
    const rt_trap_info *t = &job->trap;
    if (t->kind == RT_TRAP_EXIT) return t->exit_code & 0xff;
    const char *msg = t->msg[0] ? t->msg : rt_trap_kind_message(t->kind);
    if (t->func_index == UINT32_MAX) {
        fprintf(stderr, "granny: trap: %s\n", msg);
        return RUN_EXIT_TRAP;
    }
    const rt_module *m = t->module ? t->module : job->module;
    const char *name = rt_module_func_name(m, t->func_index);
    if (name) {
        fprintf(stderr, "granny: trap: %s in function %s\n", msg, name);
    } else {
        fprintf(stderr, "granny: trap: %s in function %u\n", msg, t->func_index);
    }
    return RUN_EXIT_TRAP;
}

static void print_load_stats(const char *path, const rt_load_stats *st) {
    double total = st->decode_ms + st->validate_ms + st->translate_ms + st->compile_ms +
                   st->dlopen_ms;
    fprintf(stderr,
            "granny: %s: %s, %.1f ms (decode %.1f, validate %.1f, translate %.1f, compile %.1f, "
            "dlopen %.1f)\ngranny: shared object %s\n",
            path, st->cache_hit ? "cache hit" : "compiled", total, st->decode_ms, st->validate_ms,
            st->translate_ms, st->compile_ms, st->dlopen_ms, st->so_path);
}

/* Runs one cell; returns the exit status. */
static int run_single(const run_options *o) {
    size_t len = 0;
    uint8_t *bytes = read_file(o->wasm_path, &len);
    if (!bytes) return RUN_EXIT_LOAD;

    rt_load_options lo;
    memset(&lo, 0, sizeof lo);
    lo.no_cache = o->no_cache;
    lo.verbose = o->verbose > 1;
    rt_load_stats stats;
    memset(&stats, 0, sizeof stats);
    rt_error err;
    memset(&err, 0, sizeof err);
    rt_module *m = rt_module_load(bytes, len, &lo, &stats, &err);
    free(bytes);
    if (!m) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return RUN_EXIT_LOAD;
    }
    if (o->verbose) print_load_stats(o->wasm_path, &stats);

    int status = RUN_EXIT_LOAD;
    wasi_ctx *ctx = wasi_ctx_new();
    rt_host_registry *reg = rt_host_registry_new();
    if (!ctx || !reg) {
        fprintf(stderr, "granny: out of memory\n");
        goto done;
    }
    if (!wasi_ctx_set_args(ctx, o->guest_argc, (const char *const *)o->guest_argv, &err) ||
        !wasi_register(reg, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg);
        goto done;
    }
    for (int i = 0; i < o->nenvs; i++) {
        if (!wasi_ctx_add_env(ctx, o->envs[i], &err)) {
            fprintf(stderr, "granny: %s\n", err.msg);
            goto done;
        }
    }
    for (int i = 0; i < o->ndirs; i++) {
        if (!add_dir(ctx, o->dirs[i], &err)) {
            fprintf(stderr, "granny: --dir %s: %s\n", o->dirs[i], err.msg);
            goto done;
        }
    }

    run_cell cell = {ctx};
    run_job job;
    memset(&job, 0, sizeof job);
    job.module = m;
    job.inst_opts.resolve = rt_host_resolve;
    job.inst_opts.resolve_ctx = reg;
    job.inst_opts.user = &cell;
    job.inst_opts.max_memory_pages = o->mem_max_pages;
    int rc = rt_run_on_thread(0, run_job_main, &job);
    if (rc != 0) {
        fprintf(stderr, "granny: cannot start the guest thread: %s\n", strerror(rc));
    } else if (!job.linked) {
        fprintf(stderr, "granny: %s\n", job.err.msg);
    } else if (job.finished) {
        status = 0;
    } else if (job.trap.kind != RT_TRAP_NONE) {
        status = report_trap(&job);
    } else {
        fprintf(stderr, "granny: %s\n", job.err.msg[0] ? job.err.msg : "cannot run _start");
    }
    if (job.inst) rt_instance_free(job.inst);
done:
    if (reg) rt_host_registry_free(reg);
    wasi_ctx_free(ctx);
    rt_module_free(m);
    return status;
}

int run_main(int argc, char **argv) {
    run_options o;
    int status = parse_args(argc, argv, &o);
    if (status < 0) {
        if (o.world_size > 1) {
            /* HOOK: MPI worlds: create o.world_size cells under the embedded planner here. */
            fprintf(stderr, "granny: -n: MPI worlds are not built yet\n");
            status = RUN_EXIT_USAGE;
        } else {
            signal(SIGPIPE, SIG_IGN);
            status = run_single(&o);
        }
    }
    free(o.dirs);
    free(o.envs);
    return status;
}

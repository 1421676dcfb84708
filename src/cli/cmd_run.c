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
 *   -n N                MPI world size: N process cells, like mpirun -n N (src/mpi)
 *   --threads N         OpenMP: initial team size (nthreads-var; default $OMP_NUM_THREADS or
 *                       the number of CPUs)
 *   --elastic-to M      OpenMP: raise outermost teams to M threads ... (src/omp)
 *   --elastic-after F   ... from fork F on, or after the fraction F of the run (0 < F < 1)
 *   --checkpoint-at N   suspend the cell at its N-th barrier control point and write a snapshot
 *   --checkpoint-file F to F (exit status 0); `granny restore F` resumes it (cli_cell.c)
 *
 * Exit status: the guest's (the proc_exit code, 0 when _start returns), 134 after a trap (with
 * "granny: trap: <message> in function <name or index>" on stderr), 1 when the module cannot be
 * read, loaded or linked ("granny: <message>"; a missing import is named), 2 for usage errors.
 *
 * The cell itself is run by cli_cell.c. The guest runs on a thread made by rt_run_on_thread, whose
 * stack has a guard region, so unbounded recursion in the guest ends as the trap "call stack
 * exhausted" rather than a crash. Instantiation (which runs the module's start function, if any)
 * happens on that thread too. SIGPIPE is ignored: a guest writing to a closed pipe gets EPIPE, as a
 * WASI call error.
 *
 * Where MPI worlds (-n) and OpenMP teams (--threads) will plug in: run_options carries both; a
 * world will create N cells instead of the single one made by run_single, and the OpenMP runtime
 * will read the team size from the cell. Both are marked "HOOK" below.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cell.h"
#include "cli/cmd_run.h"
#include "engine/rt/runtime.h"
#include "mpi/gmpi_wasm.h" /* MPI worlds (-n): src/mpi */
#include "omp/gomp.h"      /* OpenMP (--threads, --elastic-*): src/omp */

enum { RUN_EXIT_LOAD = CLI_EXIT_LOAD, RUN_EXIT_USAGE = CLI_EXIT_USAGE };

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
    int world_size;              /* HOOK: -n, MPI ranks */
    int threads;                 /* HOOK: --threads, OpenMP team size (0: default) */
    int elastic_to;              /* OpenMP: --elastic-to M */
    const char *elastic_after;   /* OpenMP: --elastic-after F */
    uint64_t checkpoint_at;      /* --checkpoint-at N: suspend at the N-th barrier control point */
    const char *checkpoint_file; /* --checkpoint-file F: where the snapshot goes */
} run_options;

static void run_usage(FILE *out) {
    fprintf(
        out,
        "usage: granny run [options] app.wasm [args...]\n"
        "  --dir HOST[:GUEST]  preopen directory HOST as GUEST (repeatable)\n"
        "  --env KEY=VALUE     set a guest environment variable (repeatable)\n"
        "  --mem-max SIZE      cap linear memory, e.g. 256M\n"
        "  -v, -vv             load statistics (-vv: also the compiler commands)\n"
        "  --no-cache          do not use or fill the compiled-module cache\n"
        "  -n N                MPI world of N ranks (like mpirun -n N)\n"
        "  --threads N         OpenMP team size\n"
        "  --elastic-to M      OpenMP: raise the team size to M ...\n"
        "  --elastic-after F   ... at fork F, or after the fraction F of the run (0 < F < 1)\n"
        "  --checkpoint-at N   suspend at the N-th barrier control point (granny_checkpoint(),\n"
        "                      MPI_Barrier) and write a snapshot; resume with granny restore\n"
        "  --checkpoint-file F where --checkpoint-at writes the snapshot\n"
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
    case 'k':
    case 'K':
        mult = (uint64_t)1 << 10;
        end++;
        break;
    case 'm':
    case 'M':
        mult = (uint64_t)1 << 20;
        end++;
        break;
    case 'g':
    case 'G':
        mult = (uint64_t)1 << 30;
        end++;
        break;
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
        static const char *const with_value[] = {
            "--dir",          "--env",           "--mem-max",         "-n",
            "--threads",      "--checkpoint-at", "--checkpoint-file", "--elastic-to",
            "--elastic-after"};
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
        } else if (!strcmp(name, "--checkpoint-at")) {
            int n;
            if (!parse_count(value, &n)) {
                return usage_error("--checkpoint-at '%s' is not a positive number", value);
            }
            o->checkpoint_at = (uint64_t)n;
        } else if (!strcmp(name, "--checkpoint-file")) {
            o->checkpoint_file = value;
        } else if (!strcmp(name, "--elastic-to")) { /* OpenMP (src/omp) */
            if (!parse_count(value, &o->elastic_to)) {
                return usage_error("--elastic-to '%s' is not a positive number", value);
            }
        } else if (!strcmp(name, "--elastic-after")) { /* OpenMP (src/omp) */
            o->elastic_after = value;
        } else {
            if (!parse_count(value, &o->threads)) {
                return usage_error("--threads '%s' is not a positive number", value);
            }
        }
    }
    if (i >= argc) return usage_error("%s", "no module given");
    if (o->checkpoint_at && !o->checkpoint_file)
        return usage_error("%s", "--checkpoint-at needs --checkpoint-file");
    /* ---- OpenMP (src/omp) ---- */
    gomp_run omp_check = {
        .threads = o->threads, .elastic_to = o->elastic_to, .elastic_after = o->elastic_after};
    char omp_msg[300];
    if (!gomp_run_check(&omp_check, omp_msg, sizeof omp_msg)) return usage_error("%s", omp_msg);
    /* ---- end OpenMP ---- */
    o->wasm_path = argv[i];
    o->guest_argc = argc - i;
    o->guest_argv = argv + i;
    return -1;
}

/* Runs one process cell (cli_cell.c); returns the exit status. */
static int run_single(const run_options *o) {
    size_t len = 0;
    uint8_t *bytes = cli_read_file(o->wasm_path, &len);
    if (!bytes) return RUN_EXIT_LOAD;
    cli_runconf rc;
    rt_error err;
    memset(&err, 0, sizeof err);
    if (!cli_runconf_init(&rc, o->guest_argc, o->guest_argv, o->nenvs, o->envs, o->ndirs, o->dirs,
                          o->mem_max_pages, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg);
        free(bytes);
        return RUN_EXIT_LOAD;
    }
    gomp_run omp = {.threads = o->threads, /* OpenMP (src/omp) */
                    .elastic_to = o->elastic_to,
                    .elastic_after = o->elastic_after,
                    .verbose = o->verbose};
    cli_cell_options co = {.checkpoint_at = o->checkpoint_at,
                           .checkpoint_file = o->checkpoint_file,
                           .verbose = o->verbose,
                           .no_cache = o->no_cache,
                           .omp = &omp};
    int status = cli_run_cell(bytes, len, o->wasm_path, &rc, &co);
    cli_runconf_free(&rc);
    free(bytes);
    return status;
}

/* ---- MPI worlds (owned by src/mpi; begin) ----
 * `-n N`, or a module that imports MPI functions (so that `-n 1` is implied, as with mpirun),
 * runs as a world of N process cells: gmpi_run_world in src/mpi/gmpi_launch.c. */
static int run_world(const run_options *o, const uint8_t *bytes, size_t len) {
    if (o->checkpoint_at) {
        fprintf(stderr, "granny: --checkpoint-at is not supported with MPI worlds yet\n");
        return RUN_EXIT_USAGE;
    }
    cli_runconf rc;
    rt_error err;
    memset(&err, 0, sizeof err);
    if (!cli_runconf_init(&rc, o->guest_argc, o->guest_argv, o->nenvs, o->envs, o->ndirs, o->dirs,
                          o->mem_max_pages, &err)) {
        fprintf(stderr, "granny: %s\n", err.msg);
        return RUN_EXIT_LOAD;
    }
    gmpi_run_config wc = {.nranks = o->world_size,
                          .argc = rc.argc,
                          .argv = rc.argv,
                          .nenv = rc.nenv,
                          .env = rc.env,
                          .ndirs = rc.ndirs,
                          .dir_host = rc.dir_host,
                          .dir_guest = rc.dir_guest,
                          .mem_max_pages = rc.mem_max_pages,
                          .verbose = o->verbose,
                          .no_cache = o->no_cache};
    int status = gmpi_run_world(bytes, len, o->wasm_path, &wc);
    cli_runconf_free(&rc);
    return status;
}

static int run_world_or_single(const run_options *o) {
    size_t len = 0;
    uint8_t *bytes = cli_read_file(o->wasm_path, &len);
    if (!bytes) return RUN_EXIT_LOAD;
    bool world = o->world_size > 1 || gmpi_wasm_bytes_use_mpi(bytes, len);
    int status = world ? run_world(o, bytes, len) : -1;
    free(bytes);
    return world ? status : run_single(o);
}
/* ---- MPI worlds (end) ---- */

int run_main(int argc, char **argv) {
    run_options o;
    int status = parse_args(argc, argv, &o);
    if (status < 0) status = run_world_or_single(&o);
    free(o.dirs);
    free(o.envs);
    return status;
}

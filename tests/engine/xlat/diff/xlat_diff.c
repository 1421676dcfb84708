/*
 * xlat_diff.c — differential testing of the wasm->C translator against wabt's interpreter.
 *
 *   xlat_diff [--failures DIR] [--skip SEED,SEED...] [--quiet] WORKDIR FIRST_SEED COUNT
 *
 * For each seed: xlat_gen.c writes a random valid module (WORKDIR/s<seed>.wat), wat2wasm
 * assembles it, `wasm-interp --run-all-exports` runs its exports run0..run<XGEN_RUNS-1> in order
 * on one instance, and Granny does the same (rt_module_load with the cache WORKDIR/cache ->
 * translate -> cc -> dlopen, one rt_instance, rt_invoke_export of each run in the same order).
 * Both sides are written as one line per run, "run<k>: i64:<value>" or "run<k>: trap: <kind>"
 * (the interpreter's message mapped to rt_trap_kind_message's wording), and must be equal: the
 * same value, or a trap of the same kind. Memory after a trap may differ between engines
 * (docs/engine.md), which is why every run first resets memory and globals.
 *
 * Granny's side runs in a child process (fork) with an alarm, so a crash or a hang of the
 * translated code, the translator or the C compiler is reported as a finding of that seed rather
 * than ending the test. A translation or compile failure is a finding too. Failing seeds are
 * listed at the end; with --failures their .wat and both outcomes are copied there.
 * Exit status: 0 when every seed agreed, 1 when some did not, 2 on bad usage or setup errors.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/rt/runtime.h"
#include "xlat_gen.h"

enum { GRANNY_ALARM_S = 60, INTERP_TIMEOUT_S = 30, LINE_MAX_LEN = 1024 };

typedef struct {
    const char *work;     /* scratch directory */
    const char *failures; /* where failing modules are kept, or NULL */
    const char *skip;     /* comma-separated seeds to leave out, or NULL */
    bool quiet;
} diff_opts;

/* The file WORKDIR/s<seed>.<ext>. */
static void seed_path(const diff_opts *o, unsigned long long seed, const char *ext, char *out,
                      size_t len) {
    snprintf(out, len, "%s/s%llu.%s", o->work, seed, ext);
}

static bool read_all(const char *path, uint8_t **bytes, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t cap = 65536, n = 0;
    uint8_t *p = malloc(cap);
    while (p) {
        n += fread(p + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *q = realloc(p, cap * 2);
        if (!q) {
            free(p);
            p = NULL;
            break;
        }
        p = q;
        cap *= 2;
    }
    bool ok = p && !ferror(f);
    fclose(f);
    if (!ok) {
        free(p);
        return false;
    }
    *bytes = p;
    *len = n;
    return true;
}

/* ---- Granny's side (in the child) ---- */

typedef struct {
    const char *wasm_path, *cache_dir, *cc;
    FILE *out;
    int status;
} granny_job;

static void granny_run(void *arg) {
    granny_job *j = arg;
    uint8_t *bytes;
    size_t len;
    if (!read_all(j->wasm_path, &bytes, &len)) {
        fprintf(j->out, "error: cannot read %s\n", j->wasm_path);
        j->status = 1;
        return;
    }
    rt_load_options lo;
    memset(&lo, 0, sizeof lo);
    lo.cache_dir = j->cache_dir;
    lo.cc = j->cc;
    rt_load_stats st;
    rt_error err;
    err.msg[0] = 0;
    rt_module *m = rt_module_load(bytes, len, &lo, &st, &err);
    free(bytes);
    if (!m) {
        fprintf(j->out, "load error: %s\n", err.msg);
        j->status = 1;
        return;
    }
    rt_instance_options io;
    memset(&io, 0, sizeof io);
    rt_trap_info trap;
    memset(&trap, 0, sizeof trap);
    rt_instance *inst = rt_instance_new(m, &io, &trap, &err);
    if (!inst) {
        fprintf(j->out, "instantiate error: %s %s\n", err.msg, trap.msg);
        rt_module_free(m);
        j->status = 1;
        return;
    }
    for (int k = 0; k < XGEN_RUNS; k++) {
        char name[16];
        snprintf(name, sizeof name, "run%d", k);
        rt_value v[8];
        memset(v, 0, sizeof v);
        memset(&trap, 0, sizeof trap);
        err.msg[0] = 0;
        if (rt_invoke_export(inst, name, v, &trap, &err))
            fprintf(j->out, "%s: i64:%llu\n", name, (unsigned long long)v[0].i64);
        else if (trap.kind != RT_TRAP_NONE)
            fprintf(j->out, "%s: trap: %s\n", name, rt_trap_kind_message(trap.kind));
        else
            fprintf(j->out, "%s: error: %s\n", name, err.msg);
    }
    rt_instance_free(inst);
    rt_module_free(m);
}

/* Runs the module in a child; its lines go to `out_path`. False when the child did not finish
 * (crash, alarm): the reason is appended to the file. */
static bool granny_side(const diff_opts *o, const char *wasm_path, const char *cc,
                        const char *out_path) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        alarm(GRANNY_ALARM_S);
        FILE *f = fopen(out_path, "w");
        if (!f) _exit(3);
        char cache[2048];
        snprintf(cache, sizeof cache, "%s/cache", o->work);
        granny_job j = {wasm_path, cache, cc, f, 0};
        int rc = rt_run_on_thread(0, granny_run, &j);
        fclose(f);
        _exit(rc != 0 ? 4 : j.status);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return false;
    if (WIFEXITED(st) && WEXITSTATUS(st) <= 1) return true;
    FILE *f = fopen(out_path, "a");
    if (f) {
        if (WIFSIGNALED(st))
            fprintf(f, "granny died: signal %d%s\n", WTERMSIG(st),
                    WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
        else
            fprintf(f, "granny failed: exit %d\n", WEXITSTATUS(st));
        fclose(f);
    }
    return false;
}

/* ---- the interpreter's side ---- */

/* "run0() => i64:5" -> "run0: i64:5"; "run1() => error: integer overflow" -> "run1: trap: ..." */
static void normalise_interp_line(const char *line, FILE *out) {
    const char *arrow = strstr(line, "() => ");
    if (!arrow) {
        fprintf(out, "interp: %s", line);
        return;
    }
    int nlen = (int)(arrow - line);
    const char *rest = arrow + 6;
    if (!strncmp(rest, "error: ", 7)) {
        rest += 7;
        for (int k = RT_TRAP_NONE + 1; k < RT_TRAP_KIND_COUNT; k++) {
            const char *msg = rt_trap_kind_message((rt_trap_kind)k);
            if (!strncmp(rest, msg, strlen(msg))) {
                fprintf(out, "%.*s: trap: %s\n", nlen, line, msg);
                return;
            }
        }
        fprintf(out, "%.*s: trap: other (%s)", nlen, line, rest);
        return;
    }
    fprintf(out, "%.*s: %s", nlen, line, rest);
}

static bool interp_side(const char *wasm_path, const char *out_path) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "timeout %d wasm-interp --run-all-exports '%s' 2>&1",
             INTERP_TIMEOUT_S, wasm_path);
    FILE *p = popen(cmd, "r");
    if (!p) return false;
    FILE *out = fopen(out_path, "w");
    if (!out) {
        pclose(p);
        return false;
    }
    char line[LINE_MAX_LEN];
    while (fgets(line, sizeof line, p))
        normalise_interp_line(line, out);
    int rc = pclose(p);
    if (rc != 0) fprintf(out, "interp: exit status %d\n", rc);
    fclose(out);
    return rc == 0;
}

/* ---- one seed ---- */

static bool files_equal(const char *a, const char *b) {
    uint8_t *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    bool eq = read_all(a, &x, &nx) && read_all(b, &y, &ny) && nx == ny && !memcmp(x, y, nx);
    free(x);
    free(y);
    return eq;
}

static void keep_failure(const diff_opts *o, unsigned long long seed) {
    if (!o->failures) return;
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && cp '%s/s%llu.wat' '%s/s%llu.interp' '%s/s%llu.granny' "
             "'%s/s%llu.granny-O0' '%s/' 2>/dev/null",
             o->failures, o->work, seed, o->work, seed, o->work, seed, o->work, seed, o->failures);
    if (system(cmd) != 0) fprintf(stderr, "xlat_diff: could not keep seed %llu\n", seed);
}

static void show_diff(const char *interp, const char *granny) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "diff '%s' '%s' | sed 's/^/    /' >&2", interp, granny);
    if (system(cmd) < 0) fprintf(stderr, "    (diff failed)\n");
}

/* Lines of the -O2 outcome may differ from the interpreter's only where the interpreter trapped
 * out of bounds (docs/engine.md: gcc may remove a load whose value is never used); the -O0
 * outcome must match exactly. */
static bool o2_agrees(const char *interp, const char *granny, bool *known_limit) {
    uint8_t *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    bool ok = read_all(interp, &x, &nx) && read_all(granny, &y, &ny);
    *known_limit = false;
    const char *a = (const char *)x, *b = (const char *)y;
    const char *ae = a + nx, *be = b + ny;
    while (ok && a < ae && b < be) {
        const char *an = memchr(a, '\n', (size_t)(ae - a)), *bn = memchr(b, '\n', (size_t)(be - b));
        if (!an || !bn) break;
        size_t la = (size_t)(an - a), lb = (size_t)(bn - b);
        if (la != lb || memcmp(a, b, la) != 0) {
            if (!memmem(a, la, "trap: out of bounds memory access", 33)) ok = false;
            *known_limit = true;
        }
        a = an + 1;
        b = bn + 1;
    }
    ok = ok && a == ae && b == be;
    free(x);
    free(y);
    return ok;
}

/* 0: agreed, 1: a finding, 2: setup error */
static int run_seed(const diff_opts *o, unsigned long long seed) {
    char wat[2048], wasm[2048], ip[2048], gp[2048], g0[2048], cc0[2048], cmd[8192];
    seed_path(o, seed, "wat", wat, sizeof wat);
    seed_path(o, seed, "wasm", wasm, sizeof wasm);
    seed_path(o, seed, "interp", ip, sizeof ip);
    seed_path(o, seed, "granny", gp, sizeof gp);
    seed_path(o, seed, "granny-O0", g0, sizeof g0);
    snprintf(cc0, sizeof cc0, "%s/cc-O0", o->work);
    FILE *f = fopen(wat, "w");
    if (!f) {
        fprintf(stderr, "xlat_diff: cannot write %s\n", wat);
        return 2;
    }
    bool ok = xgen_write_module(seed, f);
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "xlat_diff: generating seed %llu failed\n", seed);
        return 2;
    }
    snprintf(cmd, sizeof cmd, "wat2wasm '%s' -o '%s'", wat, wasm);
    if (system(cmd) != 0) {
        fprintf(stderr, "seed %llu: generator wrote an invalid module (%s)\n", seed, wat);
        keep_failure(o, seed);
        return 1;
    }
    if (!interp_side(wasm, ip)) {
        fprintf(stderr, "seed %llu: wasm-interp failed (see %s)\n", seed, ip);
        keep_failure(o, seed);
        return 1;
    }
    bool known = false;
    bool ok0 = granny_side(o, wasm, cc0, g0) && files_equal(ip, g0);
    bool ok2 = granny_side(o, wasm, NULL, gp) && o2_agrees(ip, gp, &known);
    if (ok0 && ok2) {
        if (known)
            printf("seed %llu: ok (-O2 missed an out-of-bounds trap: known limit)\n", seed);
        else if (!o->quiet)
            printf("seed %llu: ok\n", seed);
        return 0;
    }
    if (!ok0) {
        fprintf(stderr, "seed %llu: MISMATCH at -O0 (< wasm-interp, > granny)\n", seed);
        show_diff(ip, g0);
    }
    if (!ok2) {
        fprintf(stderr, "seed %llu: MISMATCH at -O2 (< wasm-interp, > granny)\n", seed);
        show_diff(ip, gp);
    }
    keep_failure(o, seed);
    return 1;
}

static bool skipped(const diff_opts *o, unsigned long long seed) {
    if (!o->skip) return false;
    const char *p = o->skip;
    while (*p) {
        char *end;
        unsigned long long s = strtoull(p, &end, 10);
        if (end == p) return false;
        if (s == seed) return true;
        p = *end == ',' ? end + 1 : end;
    }
    return false;
}

static bool parse_u64(const char *s, unsigned long long *v) {
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return *s && !*end && errno == 0 && s[0] != '-';
}

static int usage(void) {
    fprintf(stderr, "usage: xlat_diff [--failures DIR] [--skip SEED,...] [--quiet] WORKDIR "
                    "FIRST_SEED COUNT\n");
    return 2;
}

int main(int argc, char **argv) {
    diff_opts o = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--failures") && i + 1 < argc)
            o.failures = argv[++i];
        else if (!strcmp(argv[i], "--skip") && i + 1 < argc)
            o.skip = argv[++i];
        else if (!strcmp(argv[i], "--quiet"))
            o.quiet = true;
        else
            return usage();
    }
    unsigned long long first, count;
    if (argc - i != 3 || !parse_u64(argv[i + 1], &first) || !parse_u64(argv[i + 2], &count))
        return usage();
    o.work = argv[i];
    if (mkdir(o.work, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "xlat_diff: cannot create %s: %s\n", o.work, strerror(errno));
        return 2;
    }
    /* the C compiler at -O0 (flags come after the cc words, the last -O wins) */
    char cc0[2048];
    snprintf(cc0, sizeof cc0, "%s/cc-O0", o.work);
    FILE *w = fopen(cc0, "w");
    if (!w || fprintf(w, "#!/bin/sh\nexec cc \"$@\" -O0\n") < 0 || fclose(w) != 0 ||
        chmod(cc0, 0755) != 0) {
        fprintf(stderr, "xlat_diff: cannot write %s\n", cc0);
        return 2;
    }
    unsigned long long ran = 0, failed = 0;
    char failed_list[4096] = "";
    size_t fl = 0;
    for (unsigned long long s = first; s < first + count; s++) {
        if (skipped(&o, s)) continue;
        int r = run_seed(&o, s);
        if (r == 2) return 2;
        ran++;
        if (r == 1) {
            failed++;
            if (fl < sizeof failed_list - 32)
                fl += (size_t)snprintf(failed_list + fl, sizeof failed_list - fl, " %llu", s);
        }
    }
    printf("xlat_diff: %llu seeds from %llu, %llu agreed, %llu failed%s%s\n", ran, first,
           ran - failed, failed, failed ? ":" : "", failed_list);
    return failed ? 1 : 0;
}

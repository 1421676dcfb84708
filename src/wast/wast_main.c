/*
 * wast_main.c — the `granny wast` command: options, one child process per script (up to -j at a
 * time), collecting their outcomes and printing the report (see wast.h).
 *
 * Why processes: a script that crashes the engine (a bug we want reported, not hidden) or hangs
 * (an atomic wait that never wakes) must not lose the results of the other scripts. The child
 * converts the script, runs it and streams one wire record per outcome through a pipe (format in
 * wast_report.h); the parent never touches the engine, enforces the per-script timeout with
 * SIGKILL, and prints the scripts' reports in the order they were given. `--no-fork` runs
 * everything in this process instead (for debuggers), feeding the same records straight in.
 */
#define _GNU_SOURCE /* pipe2 */
#include "wast/wast.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wast/wast_convert.h"
#include "wast/wast_exec.h"
#include "wast/wast_known.h"
#include "wast/wast_report.h"
#include "wast/wast_script.h"

typedef struct wast_options {
    bool verbose;
    bool keep;
    bool no_fork;
    int jobs;
    double timeout_s; /* per script; 0: none */
    const char *wast2json;
    rt_load_options load;
    wast_known known;
} wast_options;

/* Where a script's records go: a pipe (child process) or a report (in-process). */
typedef struct channel {
    int fd;                   /* >= 0: write records here */
    wast_file_report *report; /* else: apply them to this report */
} channel;

static void emit(const channel *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(const channel *ch, const char *fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n > sizeof buf - 2) n = (int)sizeof buf - 2;
    for (int i = 0; i < n; i++)
        if (buf[i] == '\n' || buf[i] == '\r') buf[i] = ' ';
    if (ch->fd < 0) {
        buf[n] = '\0';
        wast_report_apply(ch->report, buf);
        return;
    }
    buf[n++] = '\n';
    for (size_t off = 0; off < (size_t)n;) {
        ssize_t w = write(ch->fd, buf + off, (size_t)n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* the parent is gone: nothing more to tell */
        off += (size_t)w;
    }
}

static void sink_begin(void *ctx, uint32_t line) {
    emit(ctx, "B %u", line);
}

static void sink_result(void *ctx, wast_outcome outcome, uint32_t line, const char *msg) {
    const channel *ch = ctx;
    switch (outcome) {
    case WAST_PASS: emit(ch, "P %u", line); return;
    case WAST_FAIL: emit(ch, "F %u %s", line, msg ? msg : ""); return;
    case WAST_SKIP: emit(ch, "S %u %s", line, msg ? msg : ""); return;
    }
}

static bool path_has_component(const char *path, const char *name) {
    size_t n = strlen(name);
    for (const char *p = path; (p = strstr(p, name)) != NULL; p += n) {
        bool starts = p == path || p[-1] == '/';
        bool ends = p[n] == '/';
        if (starts && ends) return true;
    }
    return false;
}

/* Converts, parses and runs one script, sending every outcome to ch. */
static void run_script(const char *path, const wast_options *o, const channel *ch) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    bool simd = strncmp(base, "simd_", 5) == 0;
    bool threads = path_has_component(path, "threads");
    char err[1024];
    if (access(path, R_OK) != 0) {
        emit(ch, "F 0 cannot read %s: %s", path, strerror(errno));
        emit(ch, "E");
        return;
    }
    wast_converted conv;
    if (!wast_convert(o->wast2json, path, threads, &conv, err, sizeof err)) {
        emit(ch, "Z %s%s", simd ? "SIMD is not supported; " : "", err);
        emit(ch, "E");
        return;
    }
    wast_script script;
    if (!wast_script_load(conv.json, &script, err, sizeof err)) {
        emit(ch, "F 0 cannot read the converted script: %s", err);
    } else {
        emit(ch, "T %u", script.ncommands);
        wast_exec_options eo;
        memset(&eo, 0, sizeof eo);
        eo.load = o->load;
        eo.verbose = o->verbose;
        eo.skip_all = simd ? "SIMD (v128) is not supported" : NULL;
        wast_sink sink = {sink_begin, sink_result, (void *)ch};
        rt_error rerr = {{0}};
        if (!wast_exec_script(&script, conv.dir, &eo, &sink, &rerr))
            emit(ch, "F 0 cannot run the script: %s", rerr.msg);
        wast_script_free(&script);
    }
    if (o->keep)
        fprintf(stderr, "%s: kept %s\n", path, conv.dir);
    else
        wast_convert_cleanup(&conv);
    emit(ch, "E");
}

/* ---- Child processes ---- */

typedef struct job {
    const char *path;
    pid_t pid;
    int fd;
    char *buf;
    size_t len, cap;
    double start;
    bool started, done, printed, timed_out;
    wast_file_report report;
} job;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool job_start(job *j, const wast_options *o) {
    int fds[2];
    j->started = true;
    j->start = now_s();
    if (pipe2(fds, O_CLOEXEC) != 0) {
        wast_report_error(&j->report, "cannot create a pipe");
        j->done = true;
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        wast_report_error(&j->report, "cannot fork");
        j->done = true;
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN);
        channel ch = {fds[1], NULL};
        run_script(j->path, o, &ch);
        close(fds[1]);
        fflush(stderr);
        _exit(0);
    }
    close(fds[1]);
    j->pid = pid;
    j->fd = fds[0];
    return true;
}

/* Applies the complete lines in the job's buffer. */
static void job_consume(job *j) {
    size_t start = 0;
    for (size_t i = 0; i < j->len; i++) {
        if (j->buf[i] != '\n') continue;
        j->buf[i] = '\0';
        if (!wast_report_apply(&j->report, j->buf + start))
            wast_report_error(&j->report, "malformed record from the child process");
        start = i + 1;
    }
    memmove(j->buf, j->buf + start, j->len - start);
    j->len -= start;
}

static void job_finish(job *j) {
    int status = 0;
    close(j->fd);
    j->fd = -1;
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR) {
    }
    j->done = true;
    if (j->report.finished && WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    char how[160];
    if (j->timed_out)
        snprintf(how, sizeof how, "timed out (killed)");
    else if (WIFSIGNALED(status))
        snprintf(how, sizeof how, "crashed (signal %d, %s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
    wast_report_crashed(&j->report, how);
}

/* Reads what is available; finishes the job at end of file. */
static void job_read(job *j) {
    if (j->cap - j->len < 4096) {
        size_t cap = j->cap ? j->cap * 2 : 65536;
        char *bigger = realloc(j->buf, cap);
        if (bigger == NULL) {
            kill(j->pid, SIGKILL);
            job_finish(j);
            return;
        }
        j->buf = bigger;
        j->cap = cap;
    }
    ssize_t n = read(j->fd, j->buf + j->len, j->cap - j->len - 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        job_finish(j);
        return;
    }
    j->len += (size_t)n;
    job_consume(j);
}

static void run_jobs(job *jobs, int n, const wast_options *o, void (*on_done)(job *, void *),
                     void *ctx) {
    int next = 0, running = 0;
    struct pollfd *pfds = calloc((size_t)o->jobs, sizeof *pfds);
    job **polled = calloc((size_t)o->jobs, sizeof *polled);
    if (pfds == NULL || polled == NULL) {
        fprintf(stderr, "granny wast: out of memory\n");
        exit(2);
    }
    while (next < n || running > 0) {
        while (running < o->jobs && next < n) {
            job *j = &jobs[next++];
            if (job_start(j, o))
                running++;
            else
                on_done(j, ctx);
        }
        int np = 0;
        for (int i = 0; i < n && np < o->jobs; i++) {
            if (!jobs[i].started || jobs[i].done) continue;
            pfds[np] = (struct pollfd){jobs[i].fd, POLLIN, 0};
            polled[np++] = &jobs[i];
        }
        if (np == 0) continue;
        int rc = poll(pfds, (nfds_t)np, 500);
        if (rc < 0 && errno != EINTR) {
            perror("granny wast: poll");
            exit(2);
        }
        for (int i = 0; i < np; i++) {
            job *j = polled[i];
            if (rc > 0 && (pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) job_read(j);
            if (!j->done && o->timeout_s > 0 && now_s() - j->start > o->timeout_s &&
                !j->timed_out) {
                j->timed_out = true;
                kill(j->pid, SIGKILL);
            }
            if (j->done) {
                running--;
                on_done(j, ctx);
            }
        }
    }
    free(pfds);
    free(polled);
}

/* ---- Report ---- */

typedef struct totals {
    job *jobs;
    int n, next_print;
    const wast_options *o;
    uint64_t passed, failed, skipped, known;
} totals;

static void print_ready(job *unused, void *ctx) {
    (void)unused;
    totals *t = ctx;
    while (t->next_print < t->n && t->jobs[t->next_print].done) {
        job *j = &t->jobs[t->next_print++];
        wast_report_print(stdout, &j->report, t->o->verbose, 50);
        fflush(stdout);
        t->passed += j->report.passed;
        t->failed += j->report.failed;
        t->skipped += j->report.skipped;
        t->known += j->report.known_failed;
        j->printed = true;
    }
}

/* ---- Options ---- */

static void usage(FILE *out) {
    fprintf(out,
            "usage: granny wast [options] FILE.wast...\n"
            "Runs WebAssembly spec-test scripts (converted with wast2json) against the engine.\n"
            "  -v, --verbose            list every failure, skip and known failure; log progress\n"
            "  -j, --jobs N             run N scripts in parallel (default 1)\n"
            "  --keep                   keep the folder with the JSON and .wasm files\n"
            "  --expect-fail L,L,...    the assertions at these lines are known failures\n"
            "  --known-failures FILE    known failures: lines \"core/x.wast LINE REASON\"\n"
            "  -O, --opt-level N        C compiler -O level (1-3) for the modules (default 1)\n"
            "  --cache DIR              compiled-module cache (default $GRANNY_CACHE, ...)\n"
            "  --no-cache               compile into a temporary folder, keep nothing\n"
            "  --wast2json PATH         the wast2json program (default: wast2json from PATH)\n"
            "  --timeout SECONDS        kill a script that runs longer (default 600, 0: never)\n"
            "  --no-fork                run scripts in this process (for debuggers)\n"
            "  -h, --help               this text\n");
}

static bool parse_int(const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* Returns the index of the first file argument, or -1 after printing an error (2 = help). */
static int parse_options(int argc, char **argv, wast_options *o, int *status) {
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char err[512];
        long n;
        if (a[0] != '-' || strcmp(a, "-") == 0) break;
        if (strcmp(a, "--") == 0) return i + 1;
        bool needs_value = strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0 ||
                           strcmp(a, "--expect-fail") == 0 || strcmp(a, "--known-failures") == 0 ||
                           strcmp(a, "-O") == 0 || strcmp(a, "--opt-level") == 0 ||
                           strcmp(a, "--cache") == 0 || strcmp(a, "--wast2json") == 0 ||
                           strcmp(a, "--timeout") == 0;
        if (needs_value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "granny wast: %s needs a value\n", a);
                return -1;
            }
            val = argv[++i];
        } else if (strncmp(a, "-j", 2) == 0 && a[2]) {
            a = "-j", val = argv[i] + 2;
        } else if (strncmp(a, "-O", 2) == 0 && a[2]) {
            a = "-O", val = argv[i] + 2;
        }
        if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "--keep") == 0) {
            o->keep = true;
        } else if (strcmp(a, "--no-fork") == 0) {
            o->no_fork = true;
        } else if (strcmp(a, "--no-cache") == 0) {
            o->load.no_cache = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            *status = 0;
            return -1;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            if (!parse_int(val, 1, 256, &n)) {
                fprintf(stderr, "granny wast: -j wants a number from 1 to 256, got \"%s\"\n", val);
                return -1;
            }
            o->jobs = (int)n;
        } else if (strcmp(a, "-O") == 0 || strcmp(a, "--opt-level") == 0) {
            if (!parse_int(val, 1, 3, &n)) {
                fprintf(stderr, "granny wast: -O wants 1, 2 or 3, got \"%s\"\n", val);
                return -1;
            }
            o->load.opt_level = (int)n;
        } else if (strcmp(a, "--timeout") == 0) {
            if (!parse_int(val, 0, 86400, &n)) {
                fprintf(stderr, "granny wast: --timeout wants seconds (0-86400), got \"%s\"\n",
                        val);
                return -1;
            }
            o->timeout_s = (double)n;
        } else if (strcmp(a, "--cache") == 0) {
            o->load.cache_dir = val;
        } else if (strcmp(a, "--wast2json") == 0) {
            o->wast2json = val;
        } else if (strcmp(a, "--expect-fail") == 0) {
            if (!wast_known_add_lines(&o->known, val, err, sizeof err)) {
                fprintf(stderr, "granny wast: %s\n", err);
                return -1;
            }
        } else if (strcmp(a, "--known-failures") == 0) {
            if (!wast_known_load(&o->known, val, err, sizeof err)) {
                fprintf(stderr, "granny wast: %s\n", err);
                return -1;
            }
        } else {
            fprintf(stderr, "granny wast: unknown option %s (see --help)\n", a);
            return -1;
        }
    }
    return i;
}

int wast_main(int argc, char **argv) {
    wast_options o;
    memset(&o, 0, sizeof o);
    o.jobs = 1;
    o.timeout_s = 600;
    o.load.opt_level = 1;
    int status = 2;
    int first = parse_options(argc, argv, &o, &status);
    if (first < 0) {
        wast_known_free(&o.known);
        return status;
    }
    int n = argc - first;
    if (n <= 0) {
        usage(stderr);
        wast_known_free(&o.known);
        return 2;
    }
    job *jobs = calloc((size_t)n, sizeof *jobs);
    if (jobs == NULL) {
        fprintf(stderr, "granny wast: out of memory\n");
        wast_known_free(&o.known);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        jobs[i].path = argv[first + i];
        jobs[i].fd = -1;
        wast_report_init(&jobs[i].report, jobs[i].path, &o.known);
    }
    double t0 = now_s();
    totals t = {jobs, n, 0, &o, 0, 0, 0, 0};
    if (o.no_fork) {
        for (int i = 0; i < n; i++) {
            channel ch = {-1, &jobs[i].report};
            run_script(jobs[i].path, &o, &ch);
            jobs[i].done = true;
            print_ready(&jobs[i], &t);
        }
    } else {
        run_jobs(jobs, n, &o, print_ready, &t);
    }
    printf("%llu passed, %llu failed, %llu skipped", (unsigned long long)t.passed,
           (unsigned long long)t.failed, (unsigned long long)t.skipped);
    if (t.known) printf(", %llu known failures", (unsigned long long)t.known);
    printf("\n");
    if (o.verbose) fprintf(stderr, "granny wast: %d scripts in %.1f s\n", n, now_s() - t0);
    for (int i = 0; i < n; i++) {
        wast_report_free(&jobs[i].report);
        free(jobs[i].buf);
    }
    free(jobs);
    wast_known_free(&o.known);
    return t.failed ? 1 : 0;
}

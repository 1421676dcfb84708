/*
 * aot.c — from a module to a cached shared object (see aot.h).
 *
 * The cache is a directory of `<key>.so` files. The key is BLAKE2b-256 (libsodium
 * crypto_generichash) over the module bytes and a configuration string that names everything
 * else the object depends on: RT_ABI_VERSION, XLAT_VERSION, AOT_SOURCE_HASH (the build's SHA-256
 * of the translator's sources and rt_abi.h, so that a translator change nobody remembered to
 * version still misses the cache), the compiler command and its `--version` text (asked once per
 * process and compiler), and the compiler flags. A hit costs a stat(); nothing is translated or
 * compiled.
 *
 * A miss translates the module (xlat_module: several C files), writes the files into a fresh
 * temporary directory inside the cache directory, runs up to `jobs` compilers in parallel (one per
 * file), links the objects with `cc -shared`, and rename()s the result to `<key>.so`. rename is
 * atomic within a file system, so concurrent loaders of one module (threads or processes) each
 * build a complete object and the last rename wins; a reader never sees a partial file. The
 * temporary directory is removed in every case. With no_cache the object stays in its temporary
 * directory outside the cache, and aot_discard removes both after dlopen.
 *
 * Compiler failures are reported with the first lines of the compiler's output.
 */
#include "engine/aot/aot.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aot_source_hash.h" /* generated in the build tree by source_hash.cmake */
#include "aot_spawn.h"
#include "engine/xlat/xlat.h"

/* Flags for every translated file; -O<level> is added in front. Why each one:
 *  -fPIC -fvisibility=hidden -fno-semantic-interposition: a shared object that exports only the
 *      module table, with direct calls between its functions;
 *  -fno-strict-aliasing: linear memory is accessed with several types;
 *  -ffp-contract=off: no fused multiply-add, wasm float results are exact per operation;
 *  -fno-math-errno: sqrt is one instruction (wasm has no errno);
 *  -fsignaling-nans: no folding of x-0.0, x*1.0, x/1.0 to x (they must quiet a signalling NaN);
 *  -fno-ipa-pure-const: a call must stay even when its result is unused (the callee may trap)
 *      and mutual recursion without side effects must not be assumed to terminate;
 *  -fno-optimize-sibling-calls: infinite recursion must exhaust the stack (a trap), never loop;
 *  -fstack-clash-protection: large frames probe page by page, so the guard page is always hit;
 *  -fno-reorder-blocks-and-partition: trap paths stay inside their function, so a trapping PC
 *      maps to its wasm function (aot_code_map);
 *  -fvect-cost-model=dynamic: vectorise loops that need a runtime alias check (every two
 *      accesses to linear memory may alias; -O2's default "very cheap" model gives up on them);
 *  -fno-partial-inlining: measured faster on recursive code (fib: 16%), neutral elsewhere. */
static const char gcc_flags[] =
    "-fPIC -std=gnu11 -w -fvisibility=hidden -fno-semantic-interposition "
    "-fno-strict-aliasing -ffp-contract=off -fno-math-errno -fsignaling-nans "
    "-fno-ipa-pure-const -fvect-cost-model=dynamic -fno-partial-inlining "
    "-fno-optimize-sibling-calls -fstack-clash-protection "
    "-fno-reorder-blocks-and-partition";

/* clang (as $GRANNY_CC) lacks the gcc-only flags; it also lacks -fsignaling-nans, so a few
 * NaN-quieting corner cases of the spec tests differ under it. gcc is the supported compiler. */
static const char clang_flags[] =
    "-fPIC -std=gnu11 -w -fvisibility=hidden -fno-semantic-interposition "
    "-fno-strict-aliasing -ffp-contract=off -fno-math-errno "
    "-fno-optimize-sibling-calls -fstack-clash-protection";

/* The flag set for a compiler, from its --version text. */
static const char *flags_for(const char *version) {
    return strstr(version, "clang") ? clang_flags : gcc_flags;
}

enum { AOT_TARGET_FILE_SIZE = 48 * 1024, AOT_MAX_FILES = 64, AOT_MAX_ARGS = 64 };

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void set_err(rt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(rt_error *err, const char *fmt, ...) {
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

/* Formats a path into out[PATH_MAX]; paths here are short (the build directory is checked to
 * leave room), so truncation only guards against the impossible. */
static int path_fmt(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int path_fmt(char *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, PATH_MAX, fmt, ap);
    va_end(ap);
    return n;
}

static const char *cc_command(const rt_load_options *opts) {
    if (opts && opts->cc && opts->cc[0]) return opts->cc;
    const char *e = getenv("GRANNY_CC");
    return e && e[0] ? e : "cc";
}

static int opt_level(const rt_load_options *opts) {
    return opts && opts->opt_level > 0 ? opts->opt_level : 2;
}

/* ---- the compiler's identity, asked once per process and compiler command ---- */

typedef struct cc_identity {
    char cmd[256];
    char version[512];
} cc_identity;

static pthread_mutex_t cc_lock = PTHREAD_MUTEX_INITIALIZER;
static cc_identity cc_known[8];
static unsigned cc_nknown;

static void cc_version(const char *cmd, char *out, size_t cap) {
    pthread_mutex_lock(&cc_lock);
    for (unsigned i = 0; i < cc_nknown; i++) {
        if (strcmp(cc_known[i].cmd, cmd) == 0) {
            snprintf(out, cap, "%s", cc_known[i].version);
            pthread_mutex_unlock(&cc_lock);
            return;
        }
    }
    char storage[256];
    char *argv[AOT_MAX_ARGS];
    int argc = 0;
    out[0] = '\0';
    if (aot_split_words(cmd, storage, sizeof storage, argv, &argc, AOT_MAX_ARGS - 1)) {
        argv[argc++] = "--version";
        argv[argc] = NULL;
        if (aot_run_capture(argv, out, cap) != 0) out[0] = '\0';
    }
    if (out[0] && strlen(cmd) < sizeof cc_known[0].cmd) {
        unsigned slot = cc_nknown < 8 ? cc_nknown++ : 7;
        snprintf(cc_known[slot].cmd, sizeof cc_known[slot].cmd, "%s", cmd);
        snprintf(cc_known[slot].version, sizeof cc_known[slot].version, "%s", out);
    }
    pthread_mutex_unlock(&cc_lock);
}

const char *aot_source_hash(void) {
    return AOT_SOURCE_HASH;
}

size_t aot_cache_config(const rt_load_options *opts, char *out, size_t cap) {
    assert(out && cap > 0);
    const char *cc = cc_command(opts);
    char version[512];
    cc_version(cc, version, sizeof version);
    /* bounded fields first, the caller's compiler command (unbounded) last */
    int n = snprintf(out, cap, "abi=%u\nxlat=%s\nsrc=%s\nflags=-O%d %s\nversion=%s\ncc=%s\n",
                     RT_ABI_VERSION, XLAT_VERSION, AOT_SOURCE_HASH, opt_level(opts),
                     flags_for(version), version, cc);
    if (n < 0) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

void aot_cache_key_of(const uint8_t *bytes, size_t len, const char *config, char out[65]) {
    unsigned char hash[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof hash);
    crypto_generichash_update(&st, bytes, len);
    crypto_generichash_update(&st, (const unsigned char *)config, strlen(config));
    crypto_generichash_final(&st, hash, sizeof hash);
    sodium_bin2hex(out, 65, hash, sizeof hash);
}

void aot_cache_key(const uint8_t *bytes, size_t len, const rt_load_options *opts, char out[65]) {
    char config[2048]; /* a longer one (a very long cc command) is cut */
    aot_cache_config(opts, config, sizeof config);
    aot_cache_key_of(bytes, len, config, out);
}

/* ---- cache directory ---- */

static bool resolve_cache_dir(const rt_load_options *opts, char *out, size_t cap) {
    const char *d = opts && opts->cache_dir && opts->cache_dir[0] ? opts->cache_dir : NULL;
    int n;
    if (d) {
        n = snprintf(out, cap, "%s", d);
    } else if ((d = getenv("GRANNY_CACHE")) && d[0]) {
        n = snprintf(out, cap, "%s", d);
    } else if ((d = getenv("XDG_CACHE_HOME")) && d[0]) {
        n = snprintf(out, cap, "%s/granny", d);
    } else if ((d = getenv("HOME")) && d[0]) {
        n = snprintf(out, cap, "%s/.cache/granny", d);
    } else {
        n = snprintf(out, cap, "/tmp/granny-cache-%u", (unsigned)getuid());
    }
    return n > 0 && (size_t)n < cap;
}

/* mkdir -p */
static bool make_dirs(const char *path, rt_error *err) {
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
        set_err(err, "cache directory path too long");
        return false;
    }
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
                set_err(err, "cannot create cache directory %s: %s", tmp, strerror(errno));
                return false;
            }
            *p = saved;
            if (saved == '\0') break;
        }
    }
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        set_err(err, "cache directory %s is not a directory", path);
        return false;
    }
    return true;
}

/* Removes a temporary build directory and everything in it (one level deep). */
static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX];
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            if (path_fmt(p, "%s/%s", dir, e->d_name) < PATH_MAX) unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static bool write_file(const char *path, const char *data, size_t len, rt_error *err) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        set_err(err, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0) ok = false;
    if (!ok) set_err(err, "cannot write %s: %s", path, strerror(errno));
    return ok;
}

/* ---- compiling ---- */

typedef struct build {
    const char *dir; /* temporary directory */
    const char *cc;
    const rt_load_options *opts;
    rt_error *err;
} build;

static void log_command(const build *b, char *const argv[]) {
    if (!b->opts || !b->opts->verbose) return;
    fputs("granny: ", stderr);
    for (int i = 0; argv[i]; i++)
        fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
    fputc('\n', stderr);
}

/* Builds argv = cc words + flags words + extra (NULL-terminated). A cold file (xlat_output.cold)
 * is compiled at -O1 at most. */
static bool make_argv(const build *b, char *storage, size_t storage_len, char *flag_storage,
                      size_t flag_len, char **argv, int *argc, bool with_flags, bool cold) {
    *argc = 0;
    if (!aot_split_words(b->cc, storage, storage_len, argv, argc, AOT_MAX_ARGS - 8)) return false;
    if (with_flags) {
        char all[512], version[512];
        cc_version(b->cc, version, sizeof version);
        int level = opt_level(b->opts);
        if (cold && level > 1) level = 1;
        snprintf(all, sizeof all, "-O%d %s", level, flags_for(version));
        if (!aot_split_words(all, flag_storage, flag_len, argv, argc, AOT_MAX_ARGS - 8))
            return false;
    }
    return true;
}

static void compiler_failure(const build *b, const char *what, const char *log_path) {
    char head[360];
    aot_read_head(log_path, head, sizeof head);
    set_err(b->err, "C compiler (%s) failed on %s: %s", b->cc, what,
            head[0] ? head : "(no output)");
}

/* Compiles m<i>.c -> m<i>.o for every file, at most `jobs` at a time. */
static bool compile_all(const build *b, const xlat_output *out, int jobs) {
    uint32_t n = out->nfiles;
    pid_t *pids = calloc(n, sizeof *pids);
    if (!pids) {
        set_err(b->err, "out of memory");
        return false;
    }
    bool ok = true;
    uint32_t started = 0, finished = 0;
    char path[PATH_MAX], obj[PATH_MAX], logp[PATH_MAX];
    while (finished < started || (ok && started < n)) {
        if (ok && started < n && (int)(started - finished) < jobs) {
            uint32_t i = started;
            char storage[256], flags[512];
            char *argv[AOT_MAX_ARGS];
            int argc;
            path_fmt(path, "%s/%s", b->dir, out->names[i]);
            path_fmt(obj, "%s/m%u.o", b->dir, i);
            path_fmt(logp, "%s/m%u.log", b->dir, i);
            if (!make_argv(b, storage, sizeof storage, flags, sizeof flags, argv, &argc, true,
                           out->cold && out->cold[i])) {
                set_err(b->err, "C compiler command too long: %s", b->cc);
                ok = false;
                continue;
            }
            argv[argc++] = "-c";
            argv[argc++] = path;
            argv[argc++] = "-o";
            argv[argc++] = obj;
            argv[argc] = NULL;
            log_command(b, argv);
            pids[i] = aot_spawn(argv, logp);
            if (pids[i] < 0) {
                set_err(b->err, "cannot run C compiler '%s': %s", b->cc, strerror(errno));
                ok = false;
                continue;
            }
            started++;
            continue;
        }
        /* wait for the oldest running compiler */
        uint32_t i = finished++;
        int rc = aot_wait(pids[i]);
        if (rc != 0 && ok) {
            path_fmt(logp, "%s/m%u.log", b->dir, i);
            compiler_failure(b, out->names[i], logp);
            ok = false;
        }
    }
    free(pids);
    return ok;
}

static bool link_all(const build *b, uint32_t nfiles, const char *so) {
    char storage[256], flags[512];
    char *argv[AOT_MAX_ARGS + AOT_MAX_FILES];
    int argc;
    if (!make_argv(b, storage, sizeof storage, flags, sizeof flags, argv, &argc, false, false)) {
        set_err(b->err, "C compiler command too long: %s", b->cc);
        return false;
    }
    char(*objs)[PATH_MAX] = malloc((size_t)nfiles * PATH_MAX);
    if (!objs) {
        set_err(b->err, "out of memory");
        return false;
    }
    argv[argc++] = "-shared";
    argv[argc++] = "-o";
    argv[argc++] = (char *)so;
    for (uint32_t i = 0; i < nfiles; i++) {
        path_fmt(objs[i], "%s/m%u.o", b->dir, i);
        argv[argc++] = objs[i];
    }
    argv[argc++] = "-lm";
    argv[argc] = NULL;
    char logp[PATH_MAX];
    path_fmt(logp, "%s/link.log", b->dir);
    log_command(b, argv);
    pid_t pid = aot_spawn(argv, logp);
    bool ok = pid > 0;
    if (!ok) set_err(b->err, "cannot run C compiler '%s': %s", b->cc, strerror(errno));
    if (ok && aot_wait(pid) != 0) {
        compiler_failure(b, "linking", logp);
        ok = false;
    }
    free(objs);
    return ok;
}

static int default_jobs(const rt_load_options *opts) {
    if (opts && opts->jobs > 0) return opts->jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* no_cache objects not yet discarded: removed at exit at the latest (a dlopen'ed file may be
 * unlinked; the mapping stays). */
static pthread_mutex_t nocache_lock = PTHREAD_MUTEX_INITIALIZER;
static char **nocache_paths;
static size_t nocache_n, nocache_cap;
static pid_t nocache_pid; /* a forked child inherits the list but must not delete the files */

static void remove_object(const char *so_path) {
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", so_path) >= (int)sizeof dir) return;
    char *slash = strrchr(dir, '/');
    if (!slash) return;
    *slash = '\0';
    unlink(so_path);
    rmdir(dir);
}

static void nocache_cleanup(void) {
    pthread_mutex_lock(&nocache_lock);
    for (size_t i = 0; i < nocache_n; i++) {
        if (getpid() == nocache_pid) remove_object(nocache_paths[i]);
        free(nocache_paths[i]);
    }
    free(nocache_paths);
    nocache_paths = NULL;
    nocache_n = nocache_cap = 0;
    pthread_mutex_unlock(&nocache_lock);
}

static void nocache_remember(const char *so_path) {
    pthread_mutex_lock(&nocache_lock);
    if (nocache_pid != getpid()) { /* first use, or a fork: start this process's own list */
        for (size_t i = 0; i < nocache_n; i++)
            free(nocache_paths[i]);
        nocache_n = 0;
        if (nocache_pid == 0 && atexit(nocache_cleanup) != 0) {
            pthread_mutex_unlock(&nocache_lock);
            return;
        }
        nocache_pid = getpid();
    }
    if (nocache_n == nocache_cap) {
        size_t cap = nocache_cap ? nocache_cap * 2 : 8;
        char **p = realloc(nocache_paths, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&nocache_lock);
            return;
        }
        nocache_paths = p;
        nocache_cap = cap;
    }
    char *copy = strdup(so_path);
    if (copy) nocache_paths[nocache_n++] = copy;
    pthread_mutex_unlock(&nocache_lock);
}

bool aot_obtain(const wasm_module *m, const rt_load_options *opts, char *so_path, size_t so_len,
                bool *cache_hit, rt_load_stats *stats, rt_error *err) {
    *cache_hit = false;
    if (sodium_init() < 0) {
        set_err(err, "libsodium initialisation failed");
        return false;
    }
    const char *cc = cc_command(opts);
    char key[65];
    aot_cache_key(m->bytes, m->len, opts, key);
    bool no_cache = opts && opts->no_cache;

    char dir[PATH_MAX];
    if (!no_cache) {
        if (!resolve_cache_dir(opts, dir, sizeof dir)) {
            set_err(err, "cache directory path too long");
            return false;
        }
        if (!make_dirs(dir, err)) return false;
        if (snprintf(so_path, so_len, "%s/%s.so", dir, key) >= (int)so_len) {
            set_err(err, "cache path too long");
            return false;
        }
        if (access(so_path, R_OK) == 0) {
            *cache_hit = true;
            if (stats) {
                stats->cache_hit = true;
                stats->translate_ms = stats->compile_ms = 0;
            }
            return true;
        }
    }

    /* a temporary build directory: inside the cache (same file system, so rename is atomic),
     * or under $TMPDIR for no_cache */
    char tmp[PATH_MAX];
    const char *tmpbase = getenv("TMPDIR");
    int n = no_cache ? path_fmt(tmp, "%s/granny-XXXXXX", tmpbase && tmpbase[0] ? tmpbase : "/tmp")
                     : path_fmt(tmp, "%s/tmp-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof tmp - 128 || !mkdtemp(tmp)) {
        set_err(err, "cannot create a temporary build directory: %s", strerror(errno));
        return false;
    }

    double t0 = now_ms();
    int jobs = default_jobs(opts);
    xlat_options xo = {.max_files = AOT_MAX_FILES, .target_file_size = AOT_TARGET_FILE_SIZE};
    const char *fs =
        getenv("GRANNY_AOT_FILE_SIZE"); /* tuning and tests: wasm code bytes per file */
    if (fs && atol(fs) > 0)
        xo.target_file_size = (uint32_t)atol(fs);
    else if (jobs == 1)
        xo.max_files = 1;
    xlat_output out;
    char xerr[256];
    bool translated = xlat_module(m, &xo, &out, xerr, sizeof xerr);
    bool ok = translated;
    if (!ok) set_err(err, "%s", xerr);
    double t1 = now_ms();
    char path[PATH_MAX];
    for (uint32_t i = 0; ok && i < out.nfiles; i++) {
        path_fmt(path, "%s/%s", tmp, out.names[i]);
        ok = write_file(path, out.sources[i], out.lengths[i], err);
    }
    build b = {.dir = tmp, .cc = cc, .opts = opts, .err = err};
    if (ok) ok = compile_all(&b, &out, jobs);
    char built[PATH_MAX];
    path_fmt(built, "%s/%s.so", tmp, key);
    if (ok) ok = link_all(&b, out.nfiles, built);
    double t2 = now_ms();
    if (translated) xlat_output_free(&out);

    if (ok && no_cache) {
        /* keep only the object; the caller removes it with aot_discard after dlopen */
        for (uint32_t i = 0;; i++) {
            char p[PATH_MAX];
            path_fmt(p, "%s/m%u.c", tmp, i);
            if (access(p, F_OK) != 0) break;
            unlink(p);
            path_fmt(p, "%s/m%u.o", tmp, i);
            unlink(p);
            path_fmt(p, "%s/m%u.log", tmp, i);
            unlink(p);
        }
        path_fmt(path, "%s/link.log", tmp);
        unlink(path);
        if (snprintf(so_path, so_len, "%s", built) >= (int)so_len) {
            set_err(err, "temporary path too long");
            ok = false;
        } else {
            nocache_remember(so_path);
        }
    } else if (ok) {
        if (rename(built, so_path) != 0) {
            set_err(err, "cannot move the shared object into the cache (%s): %s", so_path,
                    strerror(errno));
            ok = false;
        }
    }
    if (!ok || !no_cache) remove_tree(tmp);
    if (stats) {
        stats->cache_hit = false;
        stats->translate_ms = t1 - t0;
        stats->compile_ms = t2 - t1;
    }
    return ok;
}

void aot_discard(const char *so_path, const rt_load_options *opts) {
    if (!opts || !opts->no_cache || !so_path) return;
    remove_object(so_path);
    pthread_mutex_lock(&nocache_lock);
    for (size_t i = 0; i < nocache_n; i++) {
        if (strcmp(nocache_paths[i], so_path) != 0) continue;
        free(nocache_paths[i]);
        nocache_paths[i] = nocache_paths[--nocache_n];
        break;
    }
    pthread_mutex_unlock(&nocache_lock);
}

bool aot_cache_dir(const rt_load_options *opts, char *out, size_t cap) {
    rt_error err;
    return resolve_cache_dir(opts, out, cap) && make_dirs(out, &err);
}

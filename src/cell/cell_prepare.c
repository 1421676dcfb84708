/*
 * cell_prepare.c — making a module suspendable with Binaryen's asyncify, once per module.
 *
 * Only modules that import a barrier control point are transformed, and asyncify is restricted to
 * those imports (--pass-arg=asyncify-imports@...), so only functions on a call path to a control
 * point pay for the instrumentation. `-g` keeps the name section, which trap messages use. The
 * result is cached in the engine's cache directory under the XXH3-128 hash of (input bytes, the
 * import list, the wasm-opt version), so a second run skips the transformation as the engine skips
 * the C compiler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "cell/cell.h"
#include "engine/wasm/decode.h"

extern char **environ;

static const char *const cell_cp_imports[] = {"granny_checkpoint", "MPI_Barrier"};

const char *cell_control_point_imports(void) {
    return "env.granny_checkpoint,env.MPI_Barrier";
}

static bool imports_control_point(const wasm_module *m) {
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wasm_import *imp = &m->imports[i];
        if (imp->kind != WASM_EXTERN_FUNC || imp->module.len != 3 ||
            memcmp(imp->module.bytes, "env", 3))
            continue;
        for (size_t k = 0; k < sizeof cell_cp_imports / sizeof cell_cp_imports[0]; k++)
            if (imp->name.len == strlen(cell_cp_imports[k]) &&
                !memcmp(imp->name.bytes, cell_cp_imports[k], imp->name.len))
                return true;
    }
    return false;
}

static bool read_file(const char *path, uint8_t **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return false;
    }
    uint8_t *b = malloc(st.st_size ? (size_t)st.st_size : 1);
    bool ok = b && fread(b, 1, (size_t)st.st_size, f) == (size_t)st.st_size;
    fclose(f);
    if (!ok) {
        free(b);
        return false;
    }
    *out = b;
    *len = (size_t)st.st_size;
    return true;
}

static bool write_file(const char *path, const uint8_t *b, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(b, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* Runs argv, stderr to errlog; true on exit status 0. */
static bool run_tool(char *const argv[], const char *errlog) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, errlog, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return false;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return false;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void first_line(const char *path, char *out, size_t cap) {
    out[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return;
    if (fgets(out, (int)cap, f)) out[strcspn(out, "\n")] = 0;
    fclose(f);
}

bool cell_module_prepare(const uint8_t *bytes, size_t len, const char *cache_dir, uint8_t **out,
                         size_t *out_len, rt_error *err) {
    wasm_module m;
    char msg[256];
    if (!wasm_decode(bytes, len, &m, msg, sizeof msg)) {
        snprintf(err->msg, sizeof err->msg, "%s", msg);
        return false;
    }
    bool needed = imports_control_point(&m);
    wasm_module_free(&m);
    if (!needed) {
        *out = malloc(len ? len : 1);
        if (!*out) return false;
        memcpy(*out, bytes, len);
        *out_len = len;
        return true;
    }

    char tmpdir[] = "/tmp/granny-asyncify-XXXXXX";
    if (!mkdtemp(tmpdir)) {
        snprintf(err->msg, sizeof err->msg, "mkdtemp: %s", strerror(errno));
        return false;
    }
    char in[4200], outp[4200], log[4200], ver[4200], vline[256] = "";
    snprintf(in, sizeof in, "%s/in.wasm", tmpdir);
    snprintf(outp, sizeof outp, "%s/out.wasm", tmpdir);
    snprintf(log, sizeof log, "%s/log", tmpdir);
    snprintf(ver, sizeof ver, "%s/version", tmpdir);

    /* cache key: input, imports, tool version */
    char *vargv[] = {"wasm-opt", "--version", NULL};
    char cached[4300] = "";
    if (cache_dir) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, ver, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        pid_t pid;
        if (posix_spawnp(&pid, "wasm-opt", &fa, NULL, vargv, environ) == 0) {
            int st;
            waitpid(pid, &st, 0);
        }
        posix_spawn_file_actions_destroy(&fa);
        first_line(ver, vline, sizeof vline);
        XXH3_state_t *h = XXH3_createState();
        XXH3_128bits_reset(h);
        XXH3_128bits_update(h, bytes, len);
        XXH3_128bits_update(h, cell_control_point_imports(), strlen(cell_control_point_imports()));
        XXH3_128bits_update(h, vline, strlen(vline));
        XXH128_hash_t k = XXH3_128bits_digest(h);
        XXH3_freeState(h);
        snprintf(cached, sizeof cached, "%s/%016llx%016llx.async.wasm", cache_dir,
                 (unsigned long long)k.high64, (unsigned long long)k.low64);
        if (read_file(cached, out, out_len)) {
            unlink(ver);
            rmdir(tmpdir);
            return true;
        }
    }

    bool ok = write_file(in, bytes, len);
    char arg[512];
    snprintf(arg, sizeof arg, "asyncify-imports@%s", cell_control_point_imports());
    char *argv[] = {"wasm-opt", in, "-g", "--asyncify", "--pass-arg", arg, "-O1", "-o", outp, NULL};
    if (ok && !run_tool(argv, log)) {
        char line[200];
        first_line(log, line, sizeof line);
        snprintf(err->msg, sizeof err->msg,
                 "wasm-opt --asyncify failed (is binaryen installed?): %s", line);
        ok = false;
    } else if (ok) {
        ok = read_file(outp, out, out_len);
        if (!ok) snprintf(err->msg, sizeof err->msg, "cannot read wasm-opt output");
        if (ok && cached[0]) {
            char tmp[4400];
            snprintf(tmp, sizeof tmp, "%s.%d", cached, (int)getpid());
            if (write_file(tmp, *out, *out_len)) rename(tmp, cached);
        }
    }
    unlink(in);
    unlink(outp);
    unlink(log);
    unlink(ver);
    rmdir(tmpdir);
    return ok;
}

/*
 * wast_convert.c — running wast2json into a temporary folder (see wast_convert.h).
 *
 * wast2json is started with posix_spawnp, its stdout and stderr going to a log file inside the
 * temporary folder, so the reason of a failed conversion can be reported without interleaving
 * with our own output. The folder is made with mkdtemp under $TMPDIR (or /tmp).
 */
#include "wast/wast_convert.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs tool [flag] wast -o json with output to log; returns true on exit status 0. */
static bool run_wast2json(const char *tool, const char *flag, const char *wast, const char *json,
                          const char *log, char *err, size_t errlen) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    char *argv[6];
    int argc = 0;
    argv[argc++] = (char *)tool;
    if (flag) argv[argc++] = (char *)flag;
    argv[argc++] = (char *)wast;
    argv[argc++] = "-o";
    argv[argc++] = (char *)json;
    argv[argc] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, tool, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        snprintf(err, errlen, "cannot run %s: %s", tool, strerror(rc));
        return false;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return false;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    /* The reason: the first non-empty line of the log. */
    char line[512] = "";
    FILE *f = fopen(log, "r");
    if (f) {
        while (fgets(line, sizeof line, f) && line[0] == '\n') {
        }
        fclose(f);
    }
    line[strcspn(line, "\n")] = '\0';
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && line[0] == '\0')
        snprintf(err, errlen, "cannot run %s", tool);
    else
        snprintf(err, errlen, "%s%s%s: %s", tool, flag ? " " : "", flag ? flag : "",
                 line[0] ? line : "failed");
    return false;
}

bool wast_convert(const char *tool, const char *wast_path, bool threads, wast_converted *out,
                  char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    if (tool == NULL) tool = "wast2json";
    if (access(wast_path, R_OK) != 0) {
        snprintf(err, errlen, "cannot read %s: %s", wast_path, strerror(errno));
        return false;
    }
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0') tmp = "/tmp";
    snprintf(out->dir, sizeof out->dir, "%s/granny-wast-XXXXXX", tmp);
    if (mkdtemp(out->dir) == NULL) {
        snprintf(err, errlen, "cannot create a temporary folder in %s: %s", tmp, strerror(errno));
        out->dir[0] = '\0';
        return false;
    }
    /* NAME.json after the script's base name, so the modules are NAME.0.wasm, ... */
    const char *base = strrchr(wast_path, '/');
    base = base ? base + 1 : wast_path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".wast") == 0) n -= 5;
    if (n > 200) n = 200;
    snprintf(out->json, sizeof out->json, "%s/%.*s.json", out->dir, (int)n, base);
    char log[4200];
    snprintf(log, sizeof log, "%s/wast2json.log", out->dir);

    char first_err[512];
    if (run_wast2json(tool, threads ? "--enable-threads" : NULL, wast_path, out->json, log,
                      first_err, sizeof first_err))
        return true;
    if (run_wast2json(tool, "--enable-all", wast_path, out->json, log, err, errlen)) return true;
    snprintf(err, errlen, "%s", first_err);
    wast_convert_cleanup(out);
    return false;
}

void wast_convert_cleanup(wast_converted *c) {
    if (c->dir[0] == '\0') return;
    DIR *d = opendir(c->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char path[4400];
            snprintf(path, sizeof path, "%s/%s", c->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(c->dir);
    c->dir[0] = '\0';
}

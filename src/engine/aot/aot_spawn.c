/*
 * aot_spawn.c — child processes for the C compiler (see aot_spawn.h). posix_spawnp keeps this
 * cheap in a large multi-threaded process (vfork semantics, no copy of the address space) and
 * safe next to other threads (no code runs in the child between fork and exec).
 */
#include "aot_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

bool aot_split_words(const char *cmd, char *storage, size_t storage_len, char **argv, int *argc,
                     int cap) {
    size_t len = strlen(cmd);
    if (len + 1 > storage_len) return false;
    memcpy(storage, cmd, len + 1);
    char *save = NULL;
    for (char *w = strtok_r(storage, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (*argc + 1 >= cap) return false;
        argv[(*argc)++] = w;
    }
    argv[*argc] = NULL;
    return *argc > 0;
}

pid_t aot_spawn(char *const argv[], const char *out_path) {
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0) return -1;
    const char *path = out_path ? out_path : "/dev/null";
    int rc = posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid = -1;
    if (rc == 0) rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return pid;
}

int aot_wait(pid_t pid) {
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, 0);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return -1;
}

void aot_read_head(const char *path, char *out, size_t cap) {
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) return;
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
}

int aot_run_capture(char *const argv[], char *out, size_t cap) {
    char tmpl[] = "/tmp/granny-aot-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) return -1;
    close(fd);
    pid_t pid = aot_spawn(argv, tmpl);
    int rc = -1;
    if (pid > 0) {
        rc = aot_wait(pid);
        aot_read_head(tmpl, out, cap);
    } else {
        out[0] = '\0';
    }
    unlink(tmpl);
    return pid > 0 ? rc : -1;
}

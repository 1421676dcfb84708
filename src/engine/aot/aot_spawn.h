/*
 * aot_spawn.h — running the C compiler: child processes with posix_spawnp, output to a file, at
 * most N at a time. Internal to src/engine/aot.
 *
 * A command is an argv vector. aot_spawn starts one with stdout and stderr redirected to a file
 * (so a failing compiler's diagnostics can be quoted in the error), and aot_wait waits for that
 * child only (never waitpid(-1): other threads of the process may have children of their own).
 */
#ifndef GRANNY_ENGINE_AOT_SPAWN_H
#define GRANNY_ENGINE_AOT_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Splits a command string such as "ccache gcc" on spaces into argv words appended to *argv
 * (*argc updated; the array has room for `cap` entries). Returns false when it does not fit. */
bool aot_split_words(const char *cmd, char *storage, size_t storage_len, char **argv, int *argc,
                     int cap);

/* Starts argv (NULL-terminated) with stdout+stderr to out_path (NULL: /dev/null). Returns the
 * pid, or -1 with errno set. */
pid_t aot_spawn(char *const argv[], const char *out_path);

/* Waits for pid; returns its exit status (0 = success), or -1 when it died of a signal. */
int aot_wait(pid_t pid);

/* Runs argv to completion, capturing up to cap-1 bytes of stdout+stderr into out (NUL-terminated).
 * Returns the exit status as aot_wait, or -1 when it could not be started. */
int aot_run_capture(char *const argv[], char *out, size_t cap);

/* Reads up to cap-1 bytes of a file into out, NUL-terminated; "" when unreadable. */
void aot_read_head(const char *path, char *out, size_t cap);

#endif

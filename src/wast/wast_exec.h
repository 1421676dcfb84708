/*
 * wast_exec.h — executing a parsed spec-test script against the engine.
 *
 * Every command yields exactly one outcome (pass, fail or skip, with a one-line message for the
 * last two), delivered to a sink as soon as it is known, so a caller that streams outcomes to
 * another process loses nothing but the command that crashed it.
 *
 * The whole script runs on one thread created by rt_run_on_thread, whose stack has a guard region:
 * unbounded recursion in guest code (assert_exhaustion) then becomes a "call stack exhausted" trap.
 * Modules and instances live until the end of the script, including those whose instantiation
 * failed, because their functions may already sit in another module's table (linking.wast).
 */
#ifndef GRANNY_WAST_EXEC_H
#define GRANNY_WAST_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/rt/runtime.h"
#include "wast/wast_script.h"

typedef enum wast_outcome {
    WAST_PASS,
    WAST_FAIL,
    WAST_SKIP,
} wast_outcome;

typedef struct wast_sink {
    /* Called before each command runs (so a crash can be placed); may be NULL. */
    void (*begin)(void *ctx, uint32_t line);
    /* msg is one line (no newline); NULL for a pass. */
    void (*result)(void *ctx, wast_outcome outcome, uint32_t line, const char *msg);
    void *ctx;
} wast_sink;

typedef struct wast_exec_options {
    rt_load_options load;
    bool verbose;         /* spectest.print* write to stderr; progress on stderr */
    const char *skip_all; /* non-NULL: report every command as skipped with this reason */
    size_t stack_size;    /* of the thread that runs the script; 0: the engine's default */
} wast_exec_options;

/* Runs the commands of `script`; module files are looked up in `dir`. Returns false only when the
 * script could not be run at all (message in err, no outcome delivered). */
bool wast_exec_script(const wast_script *script, const char *dir, const wast_exec_options *opts,
                      const wast_sink *sink, rt_error *err);

#endif

/*
 * trap.c — trap frames and raising traps.
 *
 * Every entry into guest code goes through rt_catch(), which pushes a frame (a sigjmp_buf and the
 * record of a trap) on a per-thread stack kept in TLS and calls the code. rt_trap(), the signal
 * handler, rt_trap_host() and rt_trap_exit() fill the innermost frame and siglongjmp to it; the
 * frames above it are abandoned (their C stack is gone), so the innermost one after the jump is
 * its `prev`. Nesting (guest -> host -> guest) is just a deeper stack: a trap in the inner guest
 * lands in the inner rt_catch, which returns false to the host function, which may then trap the
 * outer guest itself.
 *
 * sigsetjmp is called without saving the signal mask (no system call per entry); the fault handler
 * runs with SA_NODEFER, so leaving it by siglongjmp leaves nothing blocked.
 *
 * Attribution: a trap records the code address that raised it (the faulting PC, or the return
 * address of the rt_trap call); after the jump, outside the signal handler, it is mapped to the
 * wasm function that contains it (module.c) — the defined function whose entry is the greatest
 * address <= PC in the same shared object. Functions inlined by the C compiler are attributed to
 * their caller.
 *
 * A trap raised where no frame exists is a bug of the host program (it called guest code without
 * rt_invoke, or called rt_trap_* outside a host function): it is reported and the process aborts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rt/internal.h"

static __thread rt_trap_frame *tls_frame __attribute__((tls_model("initial-exec")));

rt_trap_frame *rt_trap_current_frame(void) {
    return tls_frame;
}

__attribute__((noreturn)) static void no_frame(const char *what) {
    fprintf(stderr,
            "granny: trap \"%s\" raised outside of guest code (no rt_invoke on this thread)\n",
            what);
    abort();
}

__attribute__((noreturn)) static void leave(rt_trap_frame *f) {
    siglongjmp(f->jb, 1);
}

void rt_trap(rt_trap_kind kind) {
    assert(kind > RT_TRAP_NONE && kind < RT_TRAP_KIND_COUNT);
    rt_trap_frame *f = tls_frame;
    if (!f) no_frame(rt_trap_kind_message(kind));
    f->kind = kind;
    /* The return address points after the call; step back into the calling instruction, which
     * matters when the call is the last instruction of a function. */
    f->pc = (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)) - 1;
    leave(f);
}

void rt_trap_host(const char *fmt, ...) {
    rt_trap_frame *f = tls_frame;
    char msg[sizeof f->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!f) no_frame(msg);
    f->kind = RT_TRAP_HOST;
    f->pc = 0;
    memcpy(f->msg, msg, sizeof msg);
    leave(f);
}

void rt_trap_exit(int code) {
    rt_trap_frame *f = tls_frame;
    if (!f) no_frame("exit");
    f->kind = RT_TRAP_EXIT;
    f->exit_code = code;
    f->pc = 0;
    leave(f);
}

void rt_trap_from_signal(rt_trap_frame *f, rt_trap_kind kind, uintptr_t pc) {
    f->kind = kind;
    f->pc = pc;
    leave(f);
}

static void fill_info(const rt_trap_frame *f, rt_trap_info *out) {
    memset(out, 0, sizeof *out);
    out->kind = f->kind;
    out->func_index = UINT32_MAX;
    switch (f->kind) {
    case RT_TRAP_HOST: snprintf(out->msg, sizeof out->msg, "%s", f->msg); break;
    case RT_TRAP_EXIT:
        out->exit_code = f->exit_code;
        snprintf(out->msg, sizeof out->msg, "exit with code %d", f->exit_code);
        break;
    default: snprintf(out->msg, sizeof out->msg, "%s", rt_trap_kind_message(f->kind)); break;
    }
    if (f->pc) rt_code_lookup(f->pc, f->hint, &out->module, &out->func_index);
}

bool rt_catch(void (*fn)(void *), void *arg, rt_trap_info *out) {
    return rt_catch_in(NULL, fn, arg, out);
}

bool rt_catch_in(const rt_module *hint, void (*fn)(void *), void *arg, rt_trap_info *out) {
    rt_thread_prepare();
    rt_trap_frame frame;
    frame.prev = tls_frame;
    frame.hint = hint;
    frame.kind = RT_TRAP_NONE;
    frame.exit_code = 0;
    frame.pc = 0;
    frame.msg[0] = '\0';
    if (sigsetjmp(frame.jb, 0) == 0) {
        tls_frame = &frame;
        fn(arg);
        tls_frame = frame.prev;
        if (out) { /* field by field: this is the hot path of every invoke */
            out->kind = RT_TRAP_NONE;
            out->exit_code = 0;
            out->msg[0] = '\0';
            out->func_index = UINT32_MAX;
            out->module = NULL;
        }
        return true;
    }
    tls_frame = frame.prev;
    if (out) fill_info(&frame, out);
    return false;
}

/* ---- Messages ---- */

static const char *const trap_messages[RT_TRAP_KIND_COUNT] = {
    [RT_TRAP_NONE] = "no trap",
    [RT_TRAP_UNREACHABLE] = "unreachable",
    [RT_TRAP_MEMORY_OOB] = "out of bounds memory access",
    [RT_TRAP_TABLE_OOB] = "out of bounds table access",
    [RT_TRAP_INDIRECT_NULL] = "uninitialized element",
    [RT_TRAP_INDIRECT_OOB] = "undefined element",
    [RT_TRAP_INDIRECT_TYPE] = "indirect call type mismatch",
    [RT_TRAP_INT_OVERFLOW] = "integer overflow",
    [RT_TRAP_DIV_ZERO] = "integer divide by zero",
    [RT_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
    [RT_TRAP_STACK_EXHAUSTED] = "call stack exhausted",
    [RT_TRAP_UNALIGNED_ATOMIC] = "unaligned atomic",
    [RT_TRAP_WAIT_UNSHARED] = "expected shared memory",
    [RT_TRAP_NULL_REFERENCE] = "null reference",
    [RT_TRAP_HOST] = "host error",
    [RT_TRAP_EXIT] = "exit",
    [RT_TRAP_SUSPEND] = "suspended",
};

const char *rt_trap_kind_message(rt_trap_kind k) {
    if ((unsigned)k >= RT_TRAP_KIND_COUNT) return "unknown trap";
    return trap_messages[k];
}

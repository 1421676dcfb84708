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
 * Attribution: a trap records where it was raised, and after the jump, outside the signal handler,
 * this is mapped to a (module, wasm function) with the module's code map (module.c):
 *   - generated code raises its explicit traps with rt_trap_in(kind, function index): the index
 *     is exact even where gcc inlined the wasm function into another one, and the return address
 *     (minus one, so that it lies inside the call instruction even when the call is the last
 *     instruction of the function) names the module;
 *   - a fault (out-of-bounds access, stack exhaustion) records the faulting PC: the function whose
 *     code contains it, i.e. the enclosing function for code gcc inlined;
 *   - rt_trap (runtime services called by generated code, such as rt_memory_fill, and older
 *     modules) and rt_trap_host (host functions) record the return addresses of the stack, read
 *     with the unwinder, and the first one inside generated code names the calling wasm function.
 *
 * A trap raised where no frame exists is a bug of the host program (it called guest code without
 * rt_invoke, or called rt_trap_* outside a host function): it is reported and the process aborts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unwind.h>

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

/* The return address of the caller of the function that uses it, moved back into the call
 * instruction. */
#define CALLER_PC() ((uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0)) - 1)

static _Unwind_Reason_Code collect_pc(struct _Unwind_Context *ctx, void *arg) {
    rt_trap_frame *f = arg;
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (ip == 0) return _URC_END_OF_STACK;
    f->pcs[f->npcs++] = before ? ip : ip - 1; /* a return address: step back into the call */
    return f->npcs < RT_TRAP_PCS ? _URC_NO_REASON : _URC_END_OF_STACK;
}

/* Records the stack of the current trap (not async-signal-safe: never from the handler). */
static void record_stack(rt_trap_frame *f, uintptr_t caller_pc) {
    f->func = UINT32_MAX;
    f->npcs = 0;
    _Unwind_Backtrace(collect_pc, f);
    if (f->npcs == 0) f->pcs[f->npcs++] = caller_pc;
}

void rt_trap(rt_trap_kind kind) {
    assert(kind > RT_TRAP_NONE && kind < RT_TRAP_KIND_COUNT);
    rt_trap_frame *f = tls_frame;
    if (!f) no_frame(rt_trap_kind_message(kind));
    f->kind = kind;
    record_stack(f, CALLER_PC());
    leave(f);
}

void rt_trap_in(rt_trap_kind kind, uint32_t func_index) {
    assert(kind > RT_TRAP_NONE && kind < RT_TRAP_KIND_COUNT);
    rt_trap_frame *f = tls_frame;
    if (!f) no_frame(rt_trap_kind_message(kind));
    f->kind = kind;
    f->pcs[0] = CALLER_PC();
    f->npcs = 1;
    f->func = func_index;
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
    record_stack(f, CALLER_PC());
    memcpy(f->msg, msg, sizeof msg);
    leave(f);
}

void rt_trap_exit(int code) {
    rt_trap_frame *f = tls_frame;
    if (!f) no_frame("exit");
    f->kind = RT_TRAP_EXIT;
    f->exit_code = code;
    f->npcs = 0;
    leave(f);
}

void rt_trap_from_signal(rt_trap_frame *f, rt_trap_kind kind, uintptr_t pc) {
    f->kind = kind;
    f->pcs[0] = pc;
    f->npcs = pc != 0;
    f->func = UINT32_MAX;
    leave(f);
}

/* The module and function of the trap in frame f (see the header comment). */
static void attribute(const rt_trap_frame *f, rt_trap_info *out) {
    for (uint32_t i = 0; i < f->npcs; i++) {
        const rt_module *m = NULL;
        uint32_t func = UINT32_MAX;
        if (!rt_code_lookup(f->pcs[i], f->hint, &m, &func)) continue;
        if (f->func != UINT32_MAX) func = f->func;
        if (!out->module) out->module = m; /* the innermost module, even without a function */
        if (func != UINT32_MAX) {
            out->module = m;
            out->func_index = func;
            return;
        }
    }
    if (f->func != UINT32_MAX) { /* raised by code in no loaded module: trust the hint */
        out->module = f->hint;
        out->func_index = f->func;
    }
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
    if (f->kind != RT_TRAP_EXIT) attribute(f, out);
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
    frame.npcs = 0;
    frame.func = UINT32_MAX;
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

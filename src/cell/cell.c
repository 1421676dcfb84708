/*
 * cell.c — C-Cell lifecycle, control points and asyncify-based suspend/resume; see cell.h.
 *
 * Asyncify protocol (Binaryen): the transformed module exports asyncify_start_unwind(buf),
 * asyncify_stop_unwind(), asyncify_start_rewind(buf), asyncify_stop_rewind(). `buf` is a guest
 * address holding two i32s, the next free byte and the end of the buffer, followed by the space the
 * unwound frames are written into. The buffer is carved out of linear memory the first time a cell
 * suspends, by growing memory (wasi-libc's allocator tolerates foreign growth: it only asks
 * memory.grow for more and uses what it returns), and it is reused by later suspensions. Because
 * the buffer is inside linear memory, a snapshot of memory + globals carries the whole call stack.
 *
 * The sequence for a suspension at a control point:
 *   host import -> cell_control_point: start_unwind(buf), state UNWINDING, import returns
 *   instrumented code unwinds every frame into buf, _start returns to cell_run
 *   cell_run: stop_unwind, state SUSPENDED           (snapshot, migrate, or resume at once)
 *   resume: start_rewind(buf), state REWINDING, call _start: the code re-enters the same frames
 *   and calls the same import again -> cell_control_point: stop_rewind, state RUNNING, the import
 *   then does its work and returns normally.
 */
#include "cell/cell.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell/cell_internal.h"

#define CELL_DEFAULT_UNWIND (1u << 20)

cell *cell_of(rt_instance *inst) { return inst ? (cell *)inst->user : NULL; }

static rt_funcref *export_func(rt_instance *inst, const char *name) {
    rt_extern e;
    if (!rt_instance_export(inst, name, &e) || e.kind != WASM_EXTERN_FUNC) return NULL;
    return e.u.func;
}

/* Calls a guest function of the cell with up to one i32 argument; traps become the cell's trap. */
static bool cell_call(cell *c, rt_funcref *f, uint32_t arg) {
    rt_value io[1];
    io[0].i32 = arg;
    return rt_invoke(c->inst, f, io, &c->trap);
}

void cell_bind_exports(cell *c) {
    c->fn_start = export_func(c->inst, "_start");
    c->fn_start_unwind = export_func(c->inst, "asyncify_start_unwind");
    c->fn_stop_unwind = export_func(c->inst, "asyncify_stop_unwind");
    c->fn_start_rewind = export_func(c->inst, "asyncify_start_rewind");
    c->fn_stop_rewind = export_func(c->inst, "asyncify_stop_rewind");
    c->suspendable = c->fn_start_unwind && c->fn_stop_unwind && c->fn_start_rewind &&
                     c->fn_stop_rewind && c->inst->memory;
}

cell *cell_new_process(rt_module *m, const cell_options *o, rt_error *err) {
    cell *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    c->kind = CELL_PROCESS;
    c->state = CELL_READY;
    c->id = o->id;
    c->module = m;
    c->wasi = o->wasi;
    c->unwind_size = o->unwind_size ? o->unwind_size : CELL_DEFAULT_UNWIND;
    rt_instance_options io = {.resolve = o->resolve,
                              .resolve_ctx = o->resolve_ctx,
                              .user = c,
                              .max_memory_pages = o->max_memory_pages};
    c->inst = rt_instance_new(m, &io, &c->trap, err);
    if (!c->inst) {
        if (c->trap.kind != RT_TRAP_NONE)
            snprintf(err->msg, sizeof err->msg, "start function trapped: %s", c->trap.msg);
        free(c);
        return NULL;
    }
    cell_bind_exports(c);
    return c;
}

void cell_free(cell *c) {
    if (!c) return;
    if (c->inst) rt_instance_free(c->inst);
    free(c);
}

/* Makes sure the unwind buffer exists and resets its header. */
static bool cell_unwind_buffer(cell *c) {
    rt_memory *mem = c->inst->memory;
    if (!c->unwind_buf) {
        uint32_t pages = (c->unwind_size + RT_PAGE_SIZE - 1) / RT_PAGE_SIZE;
        uint32_t old = rt_memory_grow(mem, pages);
        if (old == UINT32_MAX) return false;
        c->unwind_buf = old * RT_PAGE_SIZE;
        c->unwind_size = pages * RT_PAGE_SIZE;
    }
    uint32_t hdr[2] = {c->unwind_buf + 8, c->unwind_buf + c->unwind_size};
    memcpy(mem->base + c->unwind_buf, hdr, sizeof hdr);
    return true;
}

bool cell_control_point(rt_instance *caller) {
    cell *c = cell_of(caller);
    if (!c) return false;
    if (c->state == CELL_REWINDING) {
        /* the interrupted call again: stop the rewind; the host function now does its work */
        c->state = CELL_RUNNING;
        if (!cell_call(c, c->fn_stop_rewind, 0)) rt_trap_host("asyncify_stop_rewind trapped");
        return false;
    }
    c->control_points++;
    bool due = c->suspend_requested || (c->suspend_at && c->control_points == c->suspend_at);
    if (!due || !c->suspendable || c->kind != CELL_PROCESS) return false;
    c->suspend_requested = false;
    if (!cell_unwind_buffer(c)) rt_trap_host("cannot grow memory for the suspension buffer");
    c->state = CELL_UNWINDING;
    if (!cell_call(c, c->fn_start_unwind, c->unwind_buf))
        rt_trap_host("asyncify_start_unwind trapped");
    return true;
}

cell_outcome cell_run(cell *c) {
    assert(c->kind == CELL_PROCESS);
    if (!c->fn_start) {
        c->state = CELL_TRAPPED;
        c->trap.kind = RT_TRAP_HOST;
        snprintf(c->trap.msg, sizeof c->trap.msg, "the module exports no _start function");
        return CELL_OUT_TRAPPED;
    }
    if (c->state == CELL_SUSPENDED || c->state == CELL_REWINDING) {
        /* the buffer header still points past the saved frames: rewind pops them (LIFO) */
        c->state = CELL_REWINDING;
        if (!cell_call(c, c->fn_start_rewind, c->unwind_buf)) {
            c->state = CELL_TRAPPED;
            return CELL_OUT_TRAPPED;
        }
    } else {
        assert(c->state == CELL_READY);
        c->state = CELL_RUNNING;
    }
    memset(&c->trap, 0, sizeof c->trap);
    rt_value io[1];
    bool ok = rt_invoke(c->inst, c->fn_start, io, &c->trap);
    if (ok && c->state == CELL_UNWINDING) {
        if (!cell_call(c, c->fn_stop_unwind, 0)) {
            c->state = CELL_TRAPPED;
            return CELL_OUT_TRAPPED;
        }
        c->state = CELL_SUSPENDED;
        return CELL_OUT_SUSPENDED;
    }
    if (ok || c->trap.kind == RT_TRAP_EXIT) {
        c->exit_code = ok ? 0 : c->trap.exit_code;
        c->state = CELL_EXITED;
        return CELL_OUT_EXITED;
    }
    c->state = CELL_TRAPPED;
    return CELL_OUT_TRAPPED;
}

/*
 * invoke.c — calling into guest code from the host.
 *
 * rt_invoke calls a function reference through its generic entry (arguments and results in one
 * rt_value array) under a trap frame, so a trap anywhere below — generated code, the runtime's
 * services, a host function, a nested rt_invoke that re-raises — comes back as an rt_trap_info
 * instead of unwinding further. Host functions and wasm functions are called the same way; the
 * `caller` is passed to the generic entry (host functions see it as their calling instance).
 */
#include <string.h>

#include "engine/rt/internal.h"

typedef struct invoke_call {
    rt_instance *caller;
    rt_funcref *f;
    rt_value *io;
} invoke_call;

static void invoke_trampoline(void *arg) {
    const invoke_call *c = arg;
    c->f->generic(c->caller, c->f->env, c->io);
}

bool rt_invoke(rt_instance *caller, rt_funcref *f, rt_value *io, rt_trap_info *trap) {
    rt_trap_info local;
    if (!trap) trap = &local;
    if (!f) {
        memset(trap, 0, sizeof *trap);
        trap->kind = RT_TRAP_INDIRECT_NULL;
        trap->func_index = UINT32_MAX;
        strcpy(trap->msg, rt_trap_kind_message(RT_TRAP_INDIRECT_NULL));
        return false;
    }
    assert(f->generic);
    invoke_call call = {caller, f, io};
    /* A wasm function's env is its instance (rt_abi.h); host functions have no typed entry. */
    const rt_module *hint = f->typed ? rt_instance_private_of(f->env)->module : NULL;
    return rt_catch_in(hint, invoke_trampoline, &call, trap);
}

bool rt_invoke_export(rt_instance *inst, const char *name, rt_value *io, rt_trap_info *trap,
                      rt_error *err) {
    rt_trap_info local;
    if (!trap) trap = &local;
    memset(trap, 0, sizeof *trap);
    trap->func_index = UINT32_MAX;
    rt_extern ext;
    if (!rt_instance_export(inst, name, &ext)) {
        rt_error_set(err, "unknown export \"%s\"", name);
        return false;
    }
    if (ext.kind != WASM_EXTERN_FUNC) {
        rt_error_set(err, "export \"%s\" is not a function", name);
        return false;
    }
    if (!rt_invoke(inst, ext.u.func, io, trap)) {
        rt_error_set(err, "%s", trap->msg);
        return false;
    }
    return true;
}

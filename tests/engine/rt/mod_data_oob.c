/* mod_data_oob.c — mod_data_oob.wat translated by hand (see mod_basic.c). */
#include "engine/rt/rt_abi.h"

static void f_start(rt_instance *I) {
    rt_trap(RT_TRAP_UNREACHABLE);
}
static void g_start(rt_instance *c, void *env, rt_value *io) {
    f_start(env);
}

static void *const typed[] = {(void *)f_start};
static const rt_generic_fn generic[] = {g_start};

__attribute__((visibility("default")))
const rt_module_code granny_module_code = {RT_ABI_VERSION, 1, typed, generic};

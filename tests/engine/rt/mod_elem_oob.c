/* mod_elem_oob.c — mod_elem_oob.wat translated by hand (see mod_basic.c). */
#include "engine/rt/rt_abi.h"

static uint32_t f_f(rt_instance *I) {
    return 42;
}
static void g_f(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_f(env);
}

static void *const typed[] = {(void *)f_f};
static const rt_generic_fn generic[] = {g_f};

__attribute__((visibility("default")))
const rt_module_code granny_module_code = {RT_ABI_VERSION, 1, typed, generic};

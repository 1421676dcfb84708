/*
 * mod_basic.c — mod_basic.wat translated by hand, following rt_abi.h the way the translator does:
 * a typed entry per defined function (instance first), a generic entry reading/writing io[], and
 * the rt_module_code table under RT_MODULE_SYMBOL. Built into a shared object that the runtime
 * tests load with rt_module_from_so.
 */
#include <string.h>

#include "engine/rt/rt_abi.h"

static uint32_t f_load(rt_instance *I, uint32_t a) {
    uint32_t v;
    memcpy(&v, I->mem_base + (uint64_t)a, 4);
    return v;
}

static void f_store(rt_instance *I, uint32_t a, uint32_t v) {
    memcpy(I->mem_base + (uint64_t)a, &v, 4);
}

static uint32_t f_grow(rt_instance *I, uint32_t delta) {
    return rt_memory_grow(I->memory, delta);
}

static uint32_t f_call_add(rt_instance *I, uint32_t a, uint32_t b) {
    rt_funcref *f = I->funcs[0];
    if (f->typed) return ((uint32_t(*)(rt_instance *, uint32_t, uint32_t))f->typed)(f->env, a, b);
    rt_value io[2];
    io[0].i32 = a;
    io[1].i32 = b;
    f->generic(I, f->env, io);
    return io[0].i32;
}

static void f_start(rt_instance *I) {
    I->globals[0].i32 += 1;
}

static uint32_t f_size(rt_instance *I) {
    return rt_memory_pages(I->memory);
}

static void g_load(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_load(env, io[0].i32);
}
static void g_store(rt_instance *c, void *env, rt_value *io) {
    f_store(env, io[0].i32, io[1].i32);
}
static void g_grow(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_grow(env, io[0].i32);
}
static void g_call_add(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_call_add(env, io[0].i32, io[1].i32);
}
static void g_start(rt_instance *c, void *env, rt_value *io) {
    f_start(env);
}
static void g_size(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_size(env);
}

static void *const typed[] = {(void *)f_load,     (void *)f_store, (void *)f_grow,
                              (void *)f_call_add, (void *)f_start, (void *)f_size};
static const rt_generic_fn generic[] = {g_load, g_store, g_grow, g_call_add, g_start, g_size};

__attribute__((visibility("default")))
const rt_module_code granny_module_code = {RT_ABI_VERSION, 6, typed, generic};

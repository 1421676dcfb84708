/*
 * mod_table.c — mod_table.wat translated by hand (see mod_basic.c): call_indirect with the three
 * checks of rt_abi.h (bounds, null, canonical type id), and the table services.
 */
#include "engine/rt/rt_abi.h"

static uint32_t f_f(rt_instance *I, uint32_t x) {
    return x + 1;
}
static uint32_t f_g(rt_instance *I, uint32_t x) {
    return x * 2;
}

static uint32_t f_call(rt_instance *I, uint32_t i, uint32_t x) {
    rt_table *t = I->tables[1];
    if (i >= t->size) rt_trap(RT_TRAP_INDIRECT_OOB);
    rt_funcref *f = t->elems[i];
    if (!f) rt_trap(RT_TRAP_INDIRECT_NULL);
    if (f->type_id != I->type_ids[0]) rt_trap(RT_TRAP_INDIRECT_TYPE);
    if (f->typed) return ((uint32_t(*)(rt_instance *, uint32_t))f->typed)(f->env, x);
    rt_value io[1];
    io[0].i32 = x;
    f->generic(I, f->env, io);
    return io[0].i32;
}

static void f_init(rt_instance *I, uint32_t d, uint32_t s, uint32_t n) {
    rt_table_init(I, 1, 1, d, s, n);
}
static void f_drop(rt_instance *I) {
    rt_elem_drop(I, 1);
}
static uint32_t f_grow(rt_instance *I, uint32_t n) {
    return rt_table_grow(I->tables[1], 0, n);
}
static void f_init_e(rt_instance *I, uint32_t d, uint32_t s, uint32_t n) {
    rt_table_init(I, 1, 4, d, s, n);
}

static void g_f(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_f(env, io[0].i32);
}
static void g_g(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_g(env, io[0].i32);
}
static void g_call(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_call(env, io[0].i32, io[1].i32);
}
static void g_init(rt_instance *c, void *env, rt_value *io) {
    f_init(env, io[0].i32, io[1].i32, io[2].i32);
}
static void g_drop(rt_instance *c, void *env, rt_value *io) {
    f_drop(env);
}
static void g_grow(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_grow(env, io[0].i32);
}
static void g_init_e(rt_instance *c, void *env, rt_value *io) {
    f_init_e(env, io[0].i32, io[1].i32, io[2].i32);
}

static void *const typed[] = {(void *)f_f,    (void *)f_g,    (void *)f_call,  (void *)f_init,
                              (void *)f_drop, (void *)f_grow, (void *)f_init_e};
static const rt_generic_fn generic[] = {g_f, g_g, g_call, g_init, g_drop, g_grow, g_init_e};

__attribute__((visibility("default")))
const rt_module_code granny_module_code = {RT_ABI_VERSION, 7, typed, generic};

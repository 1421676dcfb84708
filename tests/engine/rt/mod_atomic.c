/*
 * mod_atomic.c — mod_atomic.wat translated by hand (see mod_basic.c): the bounds and alignment
 * checks of wait/notify are the generated code's job (rt_abi.h), then the runtime services.
 */
#include "engine/rt/rt_abi.h"

static void check(rt_instance *I, uint64_t addr, uint64_t width) {
    if (addr + width > __atomic_load_n(&I->memory->size, __ATOMIC_ACQUIRE))
        rt_trap(RT_TRAP_MEMORY_OOB);
    if (addr % width) rt_trap(RT_TRAP_UNALIGNED_ATOMIC);
}

static uint32_t f_wait32(rt_instance *I, uint32_t a, uint32_t expected, uint64_t timeout) {
    check(I, a, 4);
    return rt_atomic_wait32(I->memory, a, expected, (int64_t)timeout);
}
static uint32_t f_wait64(rt_instance *I, uint32_t a, uint64_t expected, uint64_t timeout) {
    check(I, a, 8);
    return rt_atomic_wait64(I->memory, a, expected, (int64_t)timeout);
}
static uint32_t f_notify(rt_instance *I, uint32_t a, uint32_t count) {
    check(I, a, 4);
    return rt_atomic_notify(I->memory, a, count);
}
static uint32_t f_add(rt_instance *I, uint32_t a, uint32_t v) {
    check(I, a, 4);
    return __atomic_fetch_add((uint32_t *)(I->mem_base + a), v, __ATOMIC_SEQ_CST);
}
static uint32_t f_load(rt_instance *I, uint32_t a) {
    check(I, a, 4);
    return __atomic_load_n((uint32_t *)(I->mem_base + a), __ATOMIC_SEQ_CST);
}

static void g_wait32(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_wait32(env, io[0].i32, io[1].i32, io[2].i64);
}
static void g_wait64(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_wait64(env, io[0].i32, io[1].i64, io[2].i64);
}
static void g_notify(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_notify(env, io[0].i32, io[1].i32);
}
static void g_add(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_add(env, io[0].i32, io[1].i32);
}
static void g_load(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_load(env, io[0].i32);
}

static void *const typed[] = {(void *)f_wait32, (void *)f_wait64, (void *)f_notify, (void *)f_add,
                              (void *)f_load};
static const rt_generic_fn generic[] = {g_wait32, g_wait64, g_notify, g_add, g_load};

__attribute__((visibility("default")))
const rt_module_code granny_module_code = {RT_ABI_VERSION, 5, typed, generic};

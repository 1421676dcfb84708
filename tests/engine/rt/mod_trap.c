/*
 * mod_trap.c — mod_trap.wat translated by hand (see mod_basic.c). Out-of-bounds accesses are plain
 * loads and stores into the reservation (no bounds checks), recursion has no depth check: the
 * runtime's signal handler must turn both into traps. Compile with -fstack-clash-protection and
 * -fno-optimize-sibling-calls, as the translator's output is.
 */
#include <string.h>

#include "engine/rt/rt_abi.h"

static uint32_t f_load_far(rt_instance *I, uint32_t a) {
    uint32_t v;
    memcpy(&v, I->mem_base + (uint64_t)a + 0xFFFFFFFFu, 4);
    return v;
}

static uint32_t f_load(rt_instance *I, uint32_t a) {
    uint32_t v;
    memcpy(&v, I->mem_base + (uint64_t)a, 4);
    return v;
}

static void f_boom(rt_instance *I) {
    rt_trap(RT_TRAP_UNREACHABLE);
}

__attribute__((noinline)) static uint32_t f_rec(rt_instance *I, uint32_t n) {
    volatile uint32_t keep = n;
    if (keep == UINT32_MAX) return 0; /* never: the stack runs out first */
    uint32_t r = f_rec(I, n + 1);
    return r + keep;
}

__attribute__((noinline)) static uint32_t f_big(rt_instance *I, uint32_t n) {
    volatile uint8_t frame[200000];
    frame[0] = (uint8_t)n;
    if (n == UINT32_MAX) return 0; /* never: the stack runs out first */
    uint32_t r = f_big(I, n + 1);
    return r + frame[0];
}

static uint32_t f_via_host(rt_instance *I, uint32_t a) {
    rt_funcref *f = I->funcs[0];
    rt_value io[1];
    io[0].i32 = a;
    f->generic(I, f->env, io);
    return io[0].i32;
}

static void f_store(rt_instance *I, uint32_t a, uint32_t v) {
    memcpy(I->mem_base + (uint64_t)a, &v, 4);
}

static void g_load_far(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_load_far(env, io[0].i32);
}
static void g_load(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_load(env, io[0].i32);
}
static void g_boom(rt_instance *c, void *env, rt_value *io) {
    f_boom(env);
}
static void g_rec(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_rec(env, io[0].i32);
}
static void g_big(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_big(env, io[0].i32);
}
static void g_via_host(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f_via_host(env, io[0].i32);
}
static void g_store(rt_instance *c, void *env, rt_value *io) {
    f_store(env, io[0].i32, io[1].i32);
}

static void *const typed[] = {(void *)f_load_far, (void *)f_load,     (void *)f_boom, (void *)f_rec,
                              (void *)f_big,      (void *)f_via_host, (void *)f_store};
static const rt_generic_fn generic[] = {g_load_far, g_load,     g_boom, g_rec,
                                        g_big,      g_via_host, g_store};

__attribute__((visibility("default")))
const rt_module_code granny_module_code = {RT_ABI_VERSION, 7, typed, generic};

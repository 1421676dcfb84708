/*
 * mod_trap.c — mod_trap.wat translated by hand (see mod_basic.c). Out-of-bounds accesses are plain
 * loads and stores into the reservation (no bounds checks), recursion has no depth check: the
 * runtime's signal handler must turn both into traps. Compile with -fstack-clash-protection and
 * -fno-optimize-sibling-calls, as the translator's output is. The C functions carry the
 * translator's names (f<j> the body, g<j> the generic entry of defined function j), which is what
 * the runtime's trap attribution reads from the symbol table; f2 raises its trap with the plain
 * rt_trap, which the runtime attributes by walking the stack.
 */
#include <string.h>

#include "engine/rt/rt_abi.h"

static uint32_t f0(rt_instance *I, uint32_t a) {
    uint32_t v;
    memcpy(&v, I->mem_base + (uint64_t)a + 0xFFFFFFFFu, 4);
    return v;
}

static uint32_t f1(rt_instance *I, uint32_t a) {
    uint32_t v;
    memcpy(&v, I->mem_base + (uint64_t)a, 4);
    return v;
}

static void f2(rt_instance *I) {
    rt_trap(RT_TRAP_UNREACHABLE);
}

__attribute__((noinline)) static uint32_t f3(rt_instance *I, uint32_t n) {
    volatile uint32_t keep = n;
    if (keep == UINT32_MAX) return 0; /* never: the stack runs out first */
    uint32_t r = f3(I, n + 1);
    return r + keep;
}

__attribute__((noinline)) static uint32_t f4(rt_instance *I, uint32_t n) {
    volatile uint8_t frame[200000];
    frame[0] = (uint8_t)n;
    if (n == UINT32_MAX) return 0; /* never: the stack runs out first */
    uint32_t r = f4(I, n + 1);
    return r + frame[0];
}

static uint32_t f5(rt_instance *I, uint32_t a) {
    rt_funcref *f = I->funcs[0];
    rt_value io[1];
    io[0].i32 = a;
    f->generic(I, f->env, io);
    return io[0].i32;
}

static void f6(rt_instance *I, uint32_t a, uint32_t v) {
    memcpy(I->mem_base + (uint64_t)a, &v, 4);
}

static void g0(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f0(env, io[0].i32);
}
static void g1(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f1(env, io[0].i32);
}
static void g2(rt_instance *c, void *env, rt_value *io) {
    f2(env);
}
static void g3(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f3(env, io[0].i32);
}
static void g4(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f4(env, io[0].i32);
}
static void g5(rt_instance *c, void *env, rt_value *io) {
    io[0].i32 = f5(env, io[0].i32);
}
static void g6(rt_instance *c, void *env, rt_value *io) {
    f6(env, io[0].i32, io[1].i32);
}

static void *const typed[] = {(void *)f0, (void *)f1, (void *)f2, (void *)f3,
                              (void *)f4, (void *)f5, (void *)f6};
static const rt_generic_fn generic[] = {g0, g1, g2, g3, g4, g5, g6};

__attribute__((visibility("default")))
const rt_module_code granny_module_code = {RT_ABI_VERSION, 7, typed, generic};

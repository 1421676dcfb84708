/*
 * xlat_e2e_test.c — the translator end to end: small hand-written modules (the .wat files in wat/,
 * assembled with wat2wasm at test time) are loaded through the runtime (rt_module_load ->
 * aot_obtain -> translate -> cc -> dlopen), instantiated and called; results are compared bit for
 * bit and traps by kind. Covers the semantics the translator encodes (numeric edge cases, NaN
 * payloads, control flow, calls of every kind, memory and table instructions, atomics, stack
 * exhaustion) and the AOT cache (a second load is a hit and runs no compiler).
 *
 *   xlat_e2e_test SCRATCH_DIR     (XLAT_WAT_DIR is compiled in)
 */
#include <math.h>
#include <pthread.h>

#include "engine/rt/runtime.h"
#include "xlat_test.h"

static const char *scratch;
static char cache_dir[2048];

static rt_value I32(uint32_t v) {
    return (rt_value){.i32 = v};
}
static rt_value I64(uint64_t v) {
    return (rt_value){.i64 = v};
}
static rt_value F32B(uint32_t bits) {
    rt_value r = {.i64 = 0};
    memcpy(&r.f32, &bits, 4);
    return r;
}
static rt_value F64B(uint64_t bits) {
    rt_value r;
    memcpy(&r.f64, &bits, 8);
    return r;
}
static rt_value F32(float f) {
    return (rt_value){.f32 = f};
}
static rt_value F64(double f) {
    return (rt_value){.f64 = f};
}
static uint32_t bits32(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static uint64_t bits64(double f) {
    uint64_t b;
    memcpy(&b, &f, 8);
    return b;
}

static rt_module *load(const char *name, rt_load_stats *st) {
    size_t len;
    uint8_t *bytes = xt_wat(scratch, name, &len);
    rt_load_options o;
    memset(&o, 0, sizeof o);
    o.cache_dir = cache_dir;
    rt_error err;
    rt_load_stats local;
    rt_module *m = rt_module_load(bytes, len, &o, st ? st : &local, &err);
    if (!m) fprintf(stderr, "loading %s: %s\n", name, err.msg);
    CHECK(m);
    free(bytes);
    return m;
}

static rt_instance *instantiate(rt_module *m, rt_resolver_fn resolve, void *ctx) {
    rt_instance_options io;
    memset(&io, 0, sizeof io);
    io.resolve = resolve;
    io.resolve_ctx = ctx;
    rt_trap_info trap;
    rt_error err;
    rt_instance *inst = rt_instance_new(m, &io, &trap, &err);
    if (!inst) fprintf(stderr, "instantiate: %s %s\n", err.msg, trap.msg);
    CHECK(inst);
    return inst;
}

/* Calls export `name` with args; on success copies results into io and returns RT_TRAP_NONE,
 * otherwise returns the trap kind. */
static rt_trap_kind call(rt_instance *inst, const char *name, rt_value *io) {
    rt_trap_info trap;
    rt_error err;
    memset(&trap, 0, sizeof trap);
    err.msg[0] = 0;
    if (rt_invoke_export(inst, name, io, &trap, &err)) return RT_TRAP_NONE;
    if (trap.kind == RT_TRAP_NONE) fprintf(stderr, "%s: %s\n", name, err.msg);
    CHECK(trap.kind != RT_TRAP_NONE);
    return trap.kind;
}

#define ARGS(...) ((rt_value[8]){__VA_ARGS__})

static void expect32(rt_instance *inst, const char *name, rt_value *args, uint32_t want) {
    rt_trap_kind k = call(inst, name, args);
    if (k != RT_TRAP_NONE || args[0].i32 != want) {
        fprintf(stderr, "%s: got %s 0x%08x, want 0x%08x\n", name, rt_trap_kind_message(k),
                args[0].i32, want);
        exit(1);
    }
}

static void expect64(rt_instance *inst, const char *name, rt_value *args, uint64_t want) {
    rt_trap_kind k = call(inst, name, args);
    if (k != RT_TRAP_NONE || args[0].i64 != want) {
        fprintf(stderr, "%s: got %s 0x%016llx, want 0x%016llx\n", name, rt_trap_kind_message(k),
                (unsigned long long)args[0].i64, (unsigned long long)want);
        exit(1);
    }
}

static void expect_trap(rt_instance *inst, const char *name, rt_value *args, rt_trap_kind want) {
    rt_trap_kind k = call(inst, name, args);
    if (k != want) {
        fprintf(stderr, "%s: got %s, want trap %s\n", name,
                k == RT_TRAP_NONE ? "a result" : rt_trap_kind_message(k),
                rt_trap_kind_message(want));
        exit(1);
    }
}

static bool is_quiet_nan32(uint32_t b) {
    return (b & 0x7FC00000u) == 0x7FC00000u;
}
static bool is_quiet_nan64(uint64_t b) {
    return (b & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
}

static void test_numeric(void) {
    rt_module *m = load("numeric", NULL);
    rt_instance *in = instantiate(m, NULL, NULL);
    expect32(in, "i32.div_s", ARGS(I32(7), I32(-2)), (uint32_t)-3);
    expect_trap(in, "i32.div_s", ARGS(I32(1), I32(0)), RT_TRAP_DIV_ZERO);
    expect_trap(in, "i32.div_s", ARGS(I32(0x80000000u), I32(-1)), RT_TRAP_INT_OVERFLOW);
    expect32(in, "i32.rem_s", ARGS(I32(0x80000000u), I32(-1)), 0);
    expect32(in, "i32.rem_s", ARGS(I32(-7), I32(2)), (uint32_t)-1);
    expect_trap(in, "i32.div_u", ARGS(I32(1), I32(0)), RT_TRAP_DIV_ZERO);
    expect32(in, "i32.div_u", ARGS(I32(0xFFFFFFFFu), I32(2)), 0x7FFFFFFFu);
    expect_trap(in, "i64.div_s", ARGS(I64(0x8000000000000000ull), I64(-1)), RT_TRAP_INT_OVERFLOW);
    expect64(in, "i64.rem_s", ARGS(I64(0x8000000000000000ull), I64(-1)), 0);
    expect_trap(in, "i64.rem_u", ARGS(I64(5), I64(0)), RT_TRAP_DIV_ZERO);
    expect32(in, "i32.shl", ARGS(I32(1), I32(33)), 2);
    expect32(in, "i32.shr_s", ARGS(I32(0x80000000u), I32(31)), 0xFFFFFFFFu);
    expect64(in, "i64.shr_u", ARGS(I64(0x8000000000000000ull), I64(127)), 1);
    expect32(in, "i32.rotl", ARGS(I32(0x80000001u), I32(1)), 3);
    expect32(in, "i32.rotl", ARGS(I32(0x12345678u), I32(32)), 0x12345678u);
    expect64(in, "i64.rotr", ARGS(I64(1), I64(65)), 0x8000000000000000ull);
    expect32(in, "i32.clz", ARGS(I32(0)), 32);
    expect64(in, "i64.ctz", ARGS(I64(0)), 64);
    expect32(in, "i32.popcnt", ARGS(I32(0xFFFFFFFFu)), 32);
    expect32(in, "i32.extend8_s", ARGS(I32(0x80)), 0xFFFFFF80u);
    expect64(in, "i64.extend32_s", ARGS(I64(0x80000000ull)), 0xFFFFFFFF80000000ull);
    expect64(in, "i64.extend_i32_s", ARGS(I32(0xFFFFFFFFu)), 0xFFFFFFFFFFFFFFFFull);
    /* trapping conversions: exact boundaries, NaN is an invalid conversion */
    expect32(in, "i32.trunc_f32_s", ARGS(F32(-2147483648.0f)), 0x80000000u);
    expect_trap(in, "i32.trunc_f32_s", ARGS(F32(2147483648.0f)), RT_TRAP_INT_OVERFLOW);
    expect_trap(in, "i32.trunc_f32_s", ARGS(F32B(0x7FC00000u)), RT_TRAP_INVALID_CONVERSION);
    expect32(in, "i32.trunc_f64_u", ARGS(F64(-0.9)), 0);
    expect32(in, "i32.trunc_f64_u", ARGS(F64(4294967295.9)), 0xFFFFFFFFu);
    expect_trap(in, "i32.trunc_f64_u", ARGS(F64(4294967296.0)), RT_TRAP_INT_OVERFLOW);
    expect_trap(in, "i32.trunc_f64_u", ARGS(F64(-1.0)), RT_TRAP_INT_OVERFLOW);
    expect64(in, "i64.trunc_f64_s", ARGS(F64(-9223372036854775808.0)), 0x8000000000000000ull);
    expect_trap(in, "i64.trunc_f64_s", ARGS(F64(9223372036854775808.0)), RT_TRAP_INT_OVERFLOW);
    expect64(in, "i64.trunc_f32_u", ARGS(F32(18446742974197923840.0f)), 0xFFFFFF0000000000ull);
    expect_trap(in, "i64.trunc_f32_u", ARGS(F32(18446744073709551616.0f)), RT_TRAP_INT_OVERFLOW);
    expect32(in, "i32.trunc_sat_f32_s", ARGS(F32B(0x7FC00000u)), 0);
    expect32(in, "i32.trunc_sat_f32_s", ARGS(F32(-3e9f)), 0x80000000u);
    expect32(in, "i32.trunc_sat_f32_s", ARGS(F32(3e9f)), 0x7FFFFFFFu);
    expect64(in, "i64.trunc_sat_f64_u", ARGS(F64(-5.0)), 0);
    expect64(in, "i64.trunc_sat_f64_u", ARGS(F64(1e30)), 0xFFFFFFFFFFFFFFFFull);
    /* int -> float rounding: u64 and i64 -> f32 must round once, to nearest even */
    rt_value r[8];
    r[0] = I64(0xFFFFFFFFFFFFFFFFull);
    CHECK(call(in, "f32.convert_i64_u", r) == RT_TRAP_NONE && r[0].f32 == 18446744073709551616.0f);
    r[0] = I64(0x0020000020000001ull); /* needs correct rounding: 2^53 + 2^29 + 1 */
    CHECK(call(in, "f32.convert_i64_u", r) == RT_TRAP_NONE && bits32(r[0].f32) == 0x5A000001u);
    r[0] = I64(0x8000008000000001ull); /* 2^63 + half an ulp + 1: rounds up */
    CHECK(call(in, "f32.convert_i64_u", r) == RT_TRAP_NONE && bits32(r[0].f32) == 0x5F000001u);
    r[0] = I64(0x7FFFFFBFFFFFFFFFull);
    CHECK(call(in, "f32.convert_i64_s", r) == RT_TRAP_NONE && bits32(r[0].f32) == 0x5EFFFFFFu);
    r[0] = I64(0xFFFFFFFFFFFFFBFFull);
    CHECK(call(in, "f64.convert_i64_u", r) == RT_TRAP_NONE &&
          bits64(r[0].f64) == 0x43EFFFFFFFFFFFFFull);
    /* min/max: NaN wins, -0 < +0 */
    r[0] = F32(0.0f), r[1] = F32(-0.0f);
    CHECK(call(in, "f32.min", r) == RT_TRAP_NONE && bits32(r[0].f32) == 0x80000000u);
    r[0] = F32(1.0f), r[1] = F32B(0x7FA00000u);
    CHECK(call(in, "f32.min", r) == RT_TRAP_NONE && is_quiet_nan32(bits32(r[0].f32)));
    r[0] = F64(-0.0), r[1] = F64(0.0);
    CHECK(call(in, "f64.max", r) == RT_TRAP_NONE && bits64(r[0].f64) == 0);
    /* nearest: ties to even; floor of a signalling NaN is quiet */
    r[0] = F32(2.5f);
    CHECK(call(in, "f32.nearest", r) == RT_TRAP_NONE && r[0].f32 == 2.0f);
    r[0] = F64(-3.5);
    CHECK(call(in, "f64.nearest", r) == RT_TRAP_NONE && r[0].f64 == -4.0);
    r[0] = F64(-0.5);
    CHECK(call(in, "f64.nearest", r) == RT_TRAP_NONE && bits64(r[0].f64) == 0x8000000000000000ull);
    r[0] = F64B(0x7FF4000000000000ull);
    CHECK(call(in, "f64.floor", r) == RT_TRAP_NONE && is_quiet_nan64(bits64(r[0].f64)));
    /* sign operations keep NaN payloads, even signalling ones */
    r[0] = F32B(0x7FA00001u);
    CHECK(call(in, "f32.neg", r) == RT_TRAP_NONE && bits32(r[0].f32) == 0xFFA00001u);
    r[0] = F64B(0xFFF4000000000005ull);
    CHECK(call(in, "f64.abs", r) == RT_TRAP_NONE && bits64(r[0].f64) == 0x7FF4000000000005ull);
    r[0] = F32B(0x7FA00001u), r[1] = F32(-1.0f);
    CHECK(call(in, "f32.copysign", r) == RT_TRAP_NONE && bits32(r[0].f32) == 0xFFA00001u);
    /* arithmetic on a signalling NaN gives a quiet one, even where C would fold x - 0 to x */
    r[0] = F32B(0x7FA00000u);
    CHECK(call(in, "f32.sub_zero", r) == RT_TRAP_NONE && is_quiet_nan32(bits32(r[0].f32)));
    r[0] = F32B(0x7FA00000u);
    CHECK(call(in, "promote_demote", r) == RT_TRAP_NONE && is_quiet_nan32(bits32(r[0].f32)));
    r[0] = F32(1.5f);
    CHECK(call(in, "promote_demote", r) == RT_TRAP_NONE && r[0].f32 == 1.5f);
    r[0] = F32B(0x7F800001u);
    CHECK(call(in, "nan_through", r) == RT_TRAP_NONE && bits32(r[0].f32) == 0x7F800001u);
    r[0] = F64B(0xFFF0000000000001ull);
    CHECK(call(in, "nan_through64", r) == RT_TRAP_NONE &&
          bits64(r[0].f64) == 0xFFF0000000000001ull);
    expect32(in, "snan_const", r, 0x7FA00001u);
    expect64(in, "snan_const64", r, 0xFFF4000000000001ull);
    rt_instance_free(in);
    rt_module_free(m);
}

static void test_control(void) {
    rt_module *m = load("control", NULL);
    rt_instance *in = instantiate(m, NULL, NULL);
    static const uint32_t table_want[6] = {10, 11, 12, 10, 13, 13};
    for (uint32_t i = 0; i < 6; i++)
        expect32(in, "br_table", ARGS(I32(i)), table_want[i]);
    expect32(in, "br_table_values", ARGS(I32(0), I32(5)), 1005);
    expect32(in, "br_table_values", ARGS(I32(1), I32(5)), 5);
    expect32(in, "br_table_values", ARGS(I32(9), I32(5)), 1005);
    rt_value r[8] = {I32(21)};
    CHECK(call(in, "multi", r) == RT_TRAP_NONE && r[0].i32 == 21 && r[1].i32 == 42);
    expect32(in, "swap_sum", ARGS(I32(10), I32(3)), (uint32_t)-7); /* swapped: 3 - 10 */
    expect32(in, "loop_params", ARGS(I32(100)), 5050);
    expect32(in, "if_values", ARGS(I32(1), I32(5)), 6);
    expect32(in, "if_values", ARGS(I32(0), I32(5)), 10);
    expect32(in, "if_no_else", ARGS(I32(1)), 8);
    expect32(in, "if_no_else", ARGS(I32(0)), 5);
    expect32(in, "br_if_value", ARGS(I32(1)), 7);
    expect32(in, "br_if_value", ARGS(I32(0)), 8);
    expect64(in, "select", ARGS(I32(1), I64(5), I64(6)), 5);
    expect64(in, "select", ARGS(I32(0), I64(5), I64(6)), 6);
    r[0] = I32(0), r[1] = F64(1.5), r[2] = F64(2.5);
    CHECK(call(in, "select_t", r) == RT_TRAP_NONE && r[0].f64 == 2.5);
    expect64(in, "fac", ARGS(I64(20)), 2432902008176640000ull);
    expect32(in, "even", ARGS(I32(1001)), 0);
    expect_trap(in, "runaway", ARGS(I32(0)), RT_TRAP_STACK_EXHAUSTED);
    expect_trap(in, "mutual_runaway", ARGS(I32(0)), RT_TRAP_STACK_EXHAUSTED);
    expect_trap(in, "unreachable", ARGS(I32(0)), RT_TRAP_UNREACHABLE);
    expect32(in, "dead_code", ARGS(I32(77)), 77);
    CHECK(call(in, "return_multi", r) == RT_TRAP_NONE && r[0].i32 == 1 && r[1].i64 == 2 &&
          r[2].f32 == 3.0f);
    expect32(in, "call_multi", ARGS(I32(0x00070002u)), 5);
    expect32(in, "infinite_loop_exit", ARGS(I32(0)), 1000);
    rt_instance_free(in);
    rt_module_free(m);
}

static void test_memory(void) {
    rt_module *m = load("memory", NULL);
    rt_instance *in = instantiate(m, NULL, NULL);
    expect32(in, "load8_s", ARGS(I32(8)), 0xFFFFFFFFu);
    expect32(in, "load16_u", ARGS(I32(0)), 0x0302);
    expect64(in, "load32_s64", ARGS(I32(6)), 0xFFFFFFFFFEFF0807ull);
    expect64(in, "load64", ARGS(I32(1)), 0xFF08070605040302ull);
    expect_trap(in, "load64", ARGS(I32(65529)), RT_TRAP_MEMORY_OOB);
    expect64(in, "load64", ARGS(I32(65528)), 0);
    expect_trap(in, "load_far", ARGS(I32(0x20)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "load_far", ARGS(I32(0xFFFFFFFFu)), RT_TRAP_MEMORY_OOB);
    expect64(in, "store_load", ARGS(I32(100), I64(0x1122334455667788ull)), 0x0000880055667788ull);
    /* a load whose value is dropped still traps */
    expect_trap(in, "drop_load", ARGS(I32(65536)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "drop_sum", ARGS(I32(0xFFFFFFF0u)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "drop_block_load", ARGS(I32(65535)), RT_TRAP_MEMORY_OOB);
    CHECK(call(in, "drop_block_load", ARGS(I32(65532))) == RT_TRAP_NONE);
    expect_trap(in, "load_then_trap", ARGS(I32(70000)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "load_then_trap", ARGS(I32(0)), RT_TRAP_UNREACHABLE);
    expect32(in, "wrap_address", ARGS(I32(0)), 2);
    expect_trap(in, "proven_oob", ARGS(I32(0)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "proven_oob_after_call", ARGS(I32(0)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "proven_oob_store", ARGS(I32(0)), RT_TRAP_MEMORY_OOB);
    expect32(in, "size", ARGS(I32(0)), 1);
    expect32(in, "grow", ARGS(I32(2)), 1);
    expect32(in, "grow", ARGS(I32(200)), 0xFFFFFFFFu);
    expect32(in, "size", ARGS(I32(0)), 3);
    expect64(in, "load64", ARGS(I32(3 * 65536 - 8)), 0);
    expect_trap(in, "load64", ARGS(I32(3 * 65536 - 7)), RT_TRAP_MEMORY_OOB);
    CHECK(call(in, "fill", ARGS(I32(1000), I32(0xAB), I32(16))) == RT_TRAP_NONE);
    expect32(in, "load8_s", ARGS(I32(1015)), 0xFFFFFFABu);
    expect32(in, "load8_s", ARGS(I32(1016)), 0);
    expect_trap(in, "fill", ARGS(I32(3 * 65536 - 4), I32(1), I32(5)), RT_TRAP_MEMORY_OOB);
    CHECK(call(in, "copy", ARGS(I32(1001), I32(0), I32(4))) == RT_TRAP_NONE);
    expect64(in, "load32_s64", ARGS(I32(1001)), 0x04030201u);
    CHECK(call(in, "init", ARGS(I32(2000), I32(1), I32(4))) == RT_TRAP_NONE);
    expect64(in, "load32_s64", ARGS(I32(2000)), 0x6F6C6C65u); /* "ello" */
    CHECK(call(in, "drop_data", ARGS(I32(0))) == RT_TRAP_NONE);
    expect_trap(in, "init", ARGS(I32(2000), I32(0), I32(1)), RT_TRAP_MEMORY_OOB);
    /* a vectorised loop gives the same sum as the scalar definition */
    for (uint32_t i = 0; i < 1000; i++) {
        rt_value a[8] = {I32(4096 + 4 * i), I64(i * 3 + 1)};
        CHECK(call(in, "store_load", a) == RT_TRAP_NONE);
    }
    for (uint32_t n = 0; n < 40; n++) {
        uint32_t want = 0;
        for (uint32_t i = 0; i < n; i++)
            want += i * 3 + 1;
        expect32(in, "sum", ARGS(I32(4096), I32(n)), want);
    }
    uint32_t want = 0;
    for (uint32_t i = 3; i < 1000; i++)
        want += i * 3 + 1;
    expect32(in, "sum", ARGS(I32(4096 + 4 * 3), I32(997)), want);
    expect_trap(in, "sum", ARGS(I32(3 * 65536 - 64), I32(100)), RT_TRAP_MEMORY_OOB);
    /* memory at 4096 + 4i holds 3i + 1 (from the loop above) */
    want = 0;
    for (uint32_t k = 0; k < 50; k++)
        want += (2 * k * 3 + 1) + ((2 * k + 1) * 3 + 1);
    expect32(in, "alias_local", ARGS(I32(4096), I32(50)), want);
    /* bytes 0..9 of the data segment: 1 2 3 4 5 6 7 8 0xff 0xfe */
    static const uint8_t seg[10] = {1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xfe};
    want = 0;
    for (uint32_t p = 4; p < 10; p++)
        want += seg[p] + seg[p - 4];
    expect32(in, "wrap_in_loop", ARGS(I32(4), I32(6)), want);
    want = 0;
    for (uint32_t k = 0; k < 100; k++)
        want += (k * 3 + 1) + ((k + 3) * 3 + 1);
    expect32(in, "neighbors", ARGS(I32(4096), I32(100)), want);
    rt_instance_free(in);
    rt_module_free(m);
}

/* ---- shadow pointers (xlat_loop.c), against a model of wasm's 32-bit address arithmetic ---- */

enum { MEM_SIZE = 65536 };
static uint8_t model[MEM_SIZE];

/* Byte / word at a wasm address, or false where wasm traps. */
static bool model_u8(uint32_t a, uint32_t *v) {
    if (a >= MEM_SIZE) return false;
    *v = model[a];
    return true;
}
static bool model_u32(uint32_t a, uint32_t *v) {
    if ((uint64_t)a + 4 > MEM_SIZE) return false;
    *v = (uint32_t)model[a] | (uint32_t)model[a + 1] << 8 | (uint32_t)model[a + 2] << 16 |
         (uint32_t)model[a + 3] << 24;
    return true;
}

/* The exports of address.wat's loops, modelled; false where they trap. */
static bool m_sum_bx(uint32_t b, uint32_t x, uint32_t n, uint32_t *s) {
    for (*s = 0; n; n--, x += 4) {
        uint32_t v;
        if (!model_u32(b + x, &v)) return false;
        *s += v;
    }
    return true;
}
static bool m_skip_wrap(uint32_t b, uint32_t n, uint32_t skip, uint32_t *s) {
    uint32_t x = 0, v;
    for (uint32_t i = *s = 0; i < n; i++, x += 4096) {
        if (i < skip) continue;
        if (!model_u8(b + x, &v)) return false;
        *s += v;
    }
    return true;
}
static bool m_before_anchor(uint32_t b, uint32_t n, uint32_t *s) {
    uint32_t x = 0, v;
    for (*s = 0; n; n--, x++) {
        if (!model_u8(b + x + 4, &v)) return false;
        *s += v;
        if (!model_u8(b + x, &v)) return false;
        *s += v;
        if (!model_u8(b + x + 8, &v)) return false;
        *s += v;
    }
    return true;
}
static bool m_stale(uint32_t b, uint32_t n, uint32_t *s) {
    uint32_t x = 0, v;
    *s = 0;
    do {
        uint32_t t = b + x;
        if (!model_u8(t, &v)) return false;
        x += 2;
        *s += v + 256 * v;
        n--;
    } while (n < 1000);
    return true;
}
static bool m_nested(uint32_t b, uint32_t rows, uint32_t cols, uint32_t *s) {
    uint32_t r = 0, v;
    for (*s = 0; rows; rows--, r += 16) {
        for (uint32_t c = 0; c < cols; c++) {
            if (!model_u8(b + r + c, &v)) return false;
            *s += v;
        }
        if (!model_u8(b + r, &v)) return false;
        *s += v;
    }
    return true;
}

static bool m_sum_do(uint32_t b, uint32_t n, uint32_t *s) {
    uint32_t x = 0, v;
    *s = 0;
    do {
        if (!model_u32(b + x, &v)) return false;
        *s += v;
        x += 4;
    } while (--n);
    return true;
}

/* fill_do in the model: the stores before a trap stay done, as in wasm. */
static bool m_fill_do(uint32_t b, uint32_t n, uint32_t v) {
    uint32_t x = 0;
    do {
        if ((uint64_t)(uint32_t)(b + x) + 4 > MEM_SIZE) return false;
        for (int k = 0; k < 4; k++)
            model[(uint32_t)(b + x) + k] = (uint8_t)(v >> (8 * k));
        x += 4;
    } while (--n);
    return true;
}

static void check_model(rt_instance *in, const char *name, rt_value *args, bool ok, uint32_t want) {
    if (ok)
        expect32(in, name, args, want);
    else
        expect_trap(in, name, args, RT_TRAP_MEMORY_OOB);
}

static void test_shadows(rt_instance *in) {
    for (uint32_t a = 0; a < 4096; a++) { /* a pattern in the first 4 KiB and the last 64 bytes */
        uint32_t addr = a < 4032 ? a : MEM_SIZE - 4096 + a;
        model[addr] = (uint8_t)(addr * 7 + 3);
        CHECK(call(in, "store8", ARGS(I32(addr), I32(model[addr]))) == RT_TRAP_NONE);
    }
    static const uint32_t bases[] = {0,    100,           0xFFFFFFF0u,   0xFFFF8000u,
                                     4000, MEM_SIZE - 40, MEM_SIZE - 12, 0x7FFFFFFFu};
    static const uint32_t xs[] = {0, 16, 0x8000, 0x10, 0xFFFFFFF0u};
    uint32_t want;
    bool ok;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        uint32_t b = bases[i];
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
            ok = m_sum_bx(b, xs[k], 12, &want);
            check_model(in, "sum_bx", ARGS(I32(b), I32(xs[k]), I32(12)), ok, want);
        }
        for (uint32_t skip = 0; skip < 12; skip += 3) {
            ok = m_skip_wrap(b, 14, skip, &want);
            check_model(in, "skip_wrap", ARGS(I32(b), I32(14), I32(skip)), ok, want);
        }
        ok = m_before_anchor(b, 20, &want);
        check_model(in, "before_anchor", ARGS(I32(b), I32(20)), ok, want);
        ok = m_stale(b, 9, &want);
        check_model(in, "stale", ARGS(I32(b), I32(9)), ok, want);
        ok = m_nested(b, 4, 5, &want);
        check_model(in, "nested", ARGS(I32(b), I32(4), I32(5)), ok, want);
    }
    /* do-while loops (unrolled by the C compiler), including trips that trap part-way: a fill
     * that traps keeps the stores before the trap, which the sums then read */
    static const uint32_t fills[][3] = {{64, 37, 0x01020304u},
                                        {MEM_SIZE - 12, 5, 0xA0B0C0D0u},
                                        {MEM_SIZE - 64, 16, 0x11223344u},
                                        {1000, 1, 0x55u},
                                        {0xFFFFFFF0u, 3, 0x66u}};
    for (size_t i = 0; i < sizeof fills / sizeof fills[0]; i++) {
        const uint32_t *f = fills[i];
        if (m_fill_do(f[0], f[1], f[2]))
            CHECK(call(in, "fill_do", ARGS(I32(f[0]), I32(f[1]), I32(f[2]))) == RT_TRAP_NONE);
        else
            expect_trap(in, "fill_do", ARGS(I32(f[0]), I32(f[1]), I32(f[2])), RT_TRAP_MEMORY_OOB);
    }
    static const uint32_t sums[][2] = {
        {0, 40},          {60, 41}, {MEM_SIZE - 64, 16}, {MEM_SIZE - 64, 17}, {MEM_SIZE - 12, 3},
        {0xFFFFFFF0u, 2}, {1000, 1}};
    for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++) {
        ok = m_sum_do(sums[i][0], sums[i][1], &want);
        check_model(in, "sum_do", ARGS(I32(sums[i][0]), I32(sums[i][1])), ok, want);
        check_model(in, "sum_param", ARGS(I32(sums[i][0]), I32(sums[i][1])), ok, want);
    }
    expect_trap(in, "dead_back_edge", ARGS(I32(0)), RT_TRAP_UNREACHABLE);
    expect_trap(in, "dead_back_edge", ARGS(I32(MEM_SIZE)), RT_TRAP_MEMORY_OOB);
    /* the skipped accesses wrap through 2^32: iterations 8.. read from address 0 on */
    CHECK(m_skip_wrap(0xFFFF8000u, 14, 8, &want));
    expect32(in, "skip_wrap", ARGS(I32(0xFFFF8000u), I32(14), I32(8)), want);
    expect_trap(in, "skip_wrap", ARGS(I32(0xFFFF8000u), I32(14), I32(7)), RT_TRAP_MEMORY_OOB);
}

/* Address forms of xlat_addr.c: results and traps exactly as wasm's 32-bit address arithmetic. */
static void test_address(void) {
    rt_module *m = load("address", NULL);
    rt_instance *in = instantiate(m, NULL, NULL);
    expect32(in, "minus8", ARGS(I32(8)), 1);
    expect32(in, "minus8", ARGS(I32(20)), 4);
    expect32(in, "sub8", ARGS(I32(12)), 2);
    for (uint32_t p = 0; p < 8; p++) { /* wraps around 2^32: a trap, from below memory */
        expect_trap(in, "minus8", ARGS(I32(p)), RT_TRAP_MEMORY_OOB);
        expect_trap(in, "sub8", ARGS(I32(p)), RT_TRAP_MEMORY_OOB);
        expect_trap(in, "minus8_off16", ARGS(I32(p)), RT_TRAP_MEMORY_OOB);
    }
    expect32(in, "minus8", ARGS(I32(65536 + 4)), 0);
    expect_trap(in, "minus8", ARGS(I32(65536 + 5)), RT_TRAP_MEMORY_OOB);
    expect32(in, "minus8_off16", ARGS(I32(8)), 0);
    expect32(in, "minus70000", ARGS(I32(70000 + 12)), 4);
    expect_trap(in, "minus70000", ARGS(I32(69999)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "minus70000", ARGS(I32(0)), RT_TRAP_MEMORY_OOB);
    expect32(in, "via_local", ARGS(I32(4)), 4 + 1);
    expect32(in, "via_local", ARGS(I32(8)), 0 + 2);
    expect_trap(in, "via_local", ARGS(I32(65530)), RT_TRAP_MEMORY_OOB);
    expect32(in, "sum_down", ARGS(I32(16), I32(4)), 10);
    expect32(in, "sum_down", ARGS(I32(12), I32(2)), 5);
    expect_trap(in, "sum_down", ARGS(I32(12), I32(4)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "sum_down", ARGS(I32(65536 + 4), I32(1)), RT_TRAP_MEMORY_OOB);
    CHECK(call(in, "store_minus4", ARGS(I32(65536), I32(9))) == RT_TRAP_NONE);
    expect32(in, "minus8", ARGS(I32(65536 + 4)), 9);
    expect_trap(in, "store_minus4", ARGS(I32(2), I32(9)), RT_TRAP_MEMORY_OOB);
    expect32(in, "minus8", ARGS(I32(8)), 1); /* the failed store wrote nothing */
    test_shadows(in);
    rt_instance_free(in);
    rt_module_free(m);

    /* All 65536 pages (address space only): addresses that wrap are valid near 4 GiB. */
    m = load("address_4g", NULL);
    in = instantiate(m, NULL, NULL);
    CHECK(call(in, "store", ARGS(I32(0xFFFFFFF8u), I32(77))) == RT_TRAP_NONE);
    expect32(in, "minus8", ARGS(I32(0)), 77);
    rt_instance_free(in);
    rt_module_free(m);
}

static void test_table(void) {
    rt_module *m = load("table", NULL);
    rt_instance *in = instantiate(m, NULL, NULL);
    expect32(in, "call", ARGS(I32(0)), 1);
    expect32(in, "call", ARGS(I32(1)), 2);
    expect_trap(in, "call", ARGS(I32(2)), RT_TRAP_INDIRECT_NULL);
    expect_trap(in, "call", ARGS(I32(4)), RT_TRAP_INDIRECT_OOB);
    expect_trap(in, "call_i_i", ARGS(I32(0), I32(5)), RT_TRAP_INDIRECT_TYPE);
    CHECK(call(in, "set_inc", ARGS(I32(3))) == RT_TRAP_NONE);
    expect32(in, "call_i_i", ARGS(I32(3), I32(41)), 42);
    expect_trap(in, "call", ARGS(I32(3)), RT_TRAP_INDIRECT_TYPE);
    expect32(in, "size", ARGS(I32(0)), 4);
    expect32(in, "grow", ARGS(I32(2)), 4);
    expect32(in, "grow", ARGS(I32(20)), 0xFFFFFFFFu);
    expect32(in, "call", ARGS(I32(5)), 3);
    expect32(in, "is_null", ARGS(I32(2)), 1);
    expect32(in, "is_null", ARGS(I32(5)), 0);
    expect_trap(in, "is_null", ARGS(I32(6)), RT_TRAP_TABLE_OOB);
    CHECK(call(in, "fill_null", ARGS(I32(4), I32(2))) == RT_TRAP_NONE);
    expect_trap(in, "call", ARGS(I32(5)), RT_TRAP_INDIRECT_NULL);
    CHECK(call(in, "copy", ARGS(I32(4), I32(0), I32(2))) == RT_TRAP_NONE);
    expect32(in, "call", ARGS(I32(5)), 2);
    CHECK(call(in, "init", ARGS(I32(2), I32(0), I32(2))) == RT_TRAP_NONE);
    expect32(in, "call", ARGS(I32(2)), 3);
    CHECK(call(in, "drop_elem", ARGS(I32(0))) == RT_TRAP_NONE);
    expect_trap(in, "init", ARGS(I32(2), I32(0), I32(1)), RT_TRAP_TABLE_OOB);
    expect_trap(in, "copy", ARGS(I32(5), I32(0), I32(2)), RT_TRAP_TABLE_OOB);
    int token;
    rt_value r[8] = {{.ref = &token}};
    CHECK(call(in, "ext_set", r) == RT_TRAP_NONE);
    CHECK(call(in, "ext_get", r) == RT_TRAP_NONE && r[0].ref == &token);
    expect32(in, "ref_func_not_null", r, 0);
    rt_instance_free(in);
    rt_module_free(m);
}

typedef struct wait_arg {
    rt_instance *in;
    uint32_t result;
} wait_arg;

static void *waiter(void *p) {
    wait_arg *w = p;
    rt_value r[8] = {I32(64), I64(0), I64(5000000000ll)}; /* 5 s timeout */
    CHECK(call(w->in, "wait64", r) == RT_TRAP_NONE);
    w->result = r[0].i32;
    return NULL;
}

static void test_atomic(void) {
    rt_module *m = load("atomic", NULL);
    rt_instance *in = instantiate(m, NULL, NULL);
    CHECK(call(in, "store", ARGS(I32(8), I64(0x1122334455667788ull))) == RT_TRAP_NONE);
    expect64(in, "load", ARGS(I32(8)), 0x1122334455667788ull);
    expect32(in, "load8", ARGS(I32(9)), 0x77);
    expect32(in, "add", ARGS(I32(8), I32(1)), 0x55667788u);
    expect32(in, "sub16", ARGS(I32(8), I32(0x10000)), 0x7789);
    expect64(in, "xchg32", ARGS(I32(8), I64(0xAAAAAAAABBBBBBBBull)), 0x55667789ull);
    expect32(in, "cmpxchg", ARGS(I32(8), I32(0), I32(5)), 0xBBBBBBBBu);
    expect32(in, "cmpxchg", ARGS(I32(8), I32(0xBBBBBBBBu), I32(5)), 0xBBBBBBBBu);
    expect64(in, "load", ARGS(I32(8)), 0x1122334400000005ull);
    /* the narrow cmpxchg compares the wrapped expected value */
    expect64(in, "cmpxchg8", ARGS(I32(8), I64(0x105), I64(0x1FF)), 5);
    expect64(in, "load", ARGS(I32(8)), 0x11223344000000FFull);
    expect32(in, "or_off", ARGS(I32(4), I32(0x100)), 0xFF);
    expect_trap(in, "load", ARGS(I32(4)), RT_TRAP_UNALIGNED_ATOMIC);
    expect_trap(in, "add", ARGS(I32(2), I32(1)), RT_TRAP_UNALIGNED_ATOMIC);
    expect_trap(in, "or_off", ARGS(I32(1), I32(1)), RT_TRAP_UNALIGNED_ATOMIC);
    expect_trap(in, "load", ARGS(I32(65536)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "load", ARGS(I32(65540)), RT_TRAP_MEMORY_OOB); /* misaligned and out */
    expect32(in, "load8", ARGS(I32(65535)), 0);
    expect32(in, "wait32", ARGS(I32(8), I32(1), I64(0)), 1);        /* not-equal */
    expect32(in, "wait32", ARGS(I32(16), I32(0), I64(1000000)), 2); /* timed out */
    expect_trap(in, "wait32", ARGS(I32(65536), I32(0), I64(0)), RT_TRAP_MEMORY_OOB);
    expect_trap(in, "wait64", ARGS(I32(4), I64(0), I64(0)), RT_TRAP_UNALIGNED_ATOMIC);
    expect32(in, "notify", ARGS(I32(16), I32(1)), 0);
    expect_trap(in, "notify", ARGS(I32(18), I32(1)), RT_TRAP_UNALIGNED_ATOMIC);
    CHECK(call(in, "fence", ARGS(I32(0))) == RT_TRAP_NONE);
    /* a real wait woken by notify from this thread */
    wait_arg w = {in, 99};
    pthread_t th;
    CHECK(pthread_create(&th, NULL, waiter, &w) == 0);
    uint32_t woken = 0;
    for (int i = 0; i < 5000 && woken == 0; i++) {
        rt_value r[8] = {I32(64), I32(1)};
        CHECK(call(in, "notify", r) == RT_TRAP_NONE);
        woken = r[0].i32;
        if (!woken) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
    pthread_join(th, NULL);
    CHECK(woken == 1 && w.result == 0);
    rt_instance_free(in);
    rt_module_free(m);
}

/* Host functions for imports.wat and lib.wat */
static void host_add(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    CHECK(caller != NULL);
    io[0].i32 = io[0].i32 + io[1].i32;
}
static void host_pair(rt_instance *caller, void *data, rt_value *io) {
    (void)caller, (void)data;
    uint64_t v = io[0].i64;
    io[0].i64 = v * 2;
    io[1].f64 = 0.5;
}

typedef struct link_ctx {
    rt_host_registry *hosts;
    rt_instance *lib;
} link_ctx;

static bool resolve(void *p, const wasm_name *module, const wasm_name *name, wasm_extern_kind kind,
                    rt_extern *out) {
    link_ctx *c = p;
    if (c->lib && strcmp(module->bytes, "lib") == 0) {
        if (!rt_instance_export(c->lib, name->bytes, out)) return false;
        return out->kind == kind;
    }
    return rt_host_resolve(c->hosts, module, name, kind, out);
}

static void test_imports(void) {
    link_ctx c = {rt_host_registry_new(), NULL};
    CHECK(rt_host_register(c.hosts, "host", "add", "ii:i", host_add, NULL));
    CHECK(rt_host_register(c.hosts, "host", "pair", "I:IF", host_pair, NULL));
    rt_module *lm = load("lib", NULL);
    c.lib = instantiate(lm, resolve, &c);
    rt_module *m = load("imports", NULL);
    rt_instance *in = instantiate(m, resolve, &c);
    expect32(in, "add", ARGS(I32(40), I32(2)), 42);
    rt_value r[8] = {I64(20)};
    CHECK(call(in, "pair_sum", r) == RT_TRAP_NONE && r[0].f64 == 40.5);
    expect32(in, "mul", ARGS(I32(6), I32(7)), 42);
    expect32(in, "bump", r, 42);
    expect32(in, "bump", r, 43);
    expect32(in, "indirect", ARGS(I32(0), I32(3), I32(5)), 15); /* wasm function of lib */
    expect32(in, "indirect", ARGS(I32(1), I32(3), I32(5)), 8);  /* host function in the table */
    expect_trap(in, "indirect", ARGS(I32(2), I32(3), I32(5)), RT_TRAP_INDIRECT_OOB);
    rt_instance_free(in);
    rt_module_free(m);
    rt_instance_free(c.lib);
    rt_module_free(lm);
    rt_host_registry_free(c.hosts);
}

static void test_cache(void) {
    /* a fresh cache: the first load compiles, the second is a hit and runs no compiler */
    snprintf(cache_dir, sizeof cache_dir, "%s/cache2/sub/dir", scratch);
    rt_load_stats st;
    rt_module *m = load("control", &st);
    CHECK(!st.cache_hit && st.compile_ms > 0);
    struct stat sb1, sb2;
    CHECK(stat(st.so_path, &sb1) == 0);
    rt_module_free(m);
    m = load("control", &st);
    CHECK(st.cache_hit && st.compile_ms == 0 && st.translate_ms == 0);
    CHECK(stat(st.so_path, &sb2) == 0 && sb1.st_ino == sb2.st_ino && sb1.st_mtime == sb2.st_mtime);
    rt_instance *in = instantiate(m, NULL, NULL);
    expect64(in, "fac", ARGS(I64(5)), 120);
    rt_instance_free(in);
    rt_module_free(m);
}

static void run_all(void *arg) {
    (void)arg;
    test_numeric();
    test_control();
    test_memory();
    test_address();
    test_table();
    test_atomic();
    test_imports();
    test_cache();
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: xlat_e2e_test SCRATCH_DIR\n");
        return 2;
    }
    scratch = argv[1];
    xt_scratch(scratch);
    snprintf(cache_dir, sizeof cache_dir, "%s/cache", scratch);
    CHECK(rt_run_on_thread(0, run_all, NULL) == 0);
    printf("xlat_e2e: all passed\n");
    return 0;
}

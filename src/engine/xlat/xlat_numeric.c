/*
 * xlat_numeric.c — constants and every numeric instruction (comparisons, arithmetic, bit
 * operations, conversions, reinterpretations, sign extension, saturating truncation).
 *
 * Numeric instructions are pure functions of their operands, so each is one row of a table: a C
 * expression template over the operands $0 $1 (see xlat_op). The operand and result types come
 * from the front end's opcode table (wasm_opinfo in/out). The exact wasm semantics are encoded
 * here and in the prelude helpers:
 *   - integers are unsigned C types, so arithmetic wraps; signed views are casts;
 *   - shift counts are masked to the operand width; signed right shift relies on gcc's
 *     arithmetic shift of negative values (documented gcc behaviour);
 *   - division, remainder and trapping float->int conversions go through prelude helpers that
 *     trap exactly as the spec says;
 *   - float negation/abs/copysign are bit operations, min/max follow the NaN/±0 rules;
 *   - int->float conversions are C casts, which gcc compiles to correctly rounded instructions
 *     (including u64->f32/f64); nearest is rint under the default rounding mode.
 * Float constants are emitted as exact hexadecimal literals, or from their bits when NaN/inf.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "xlat_internal.h"

/* Single-byte opcodes 0x45..0xC4. */
static const char *const numeric_templates[256] = {
    [WASM_OP_I32_EQZ] = "$0 == 0",
    [WASM_OP_I32_EQ] = "$0 == $1",
    [WASM_OP_I32_NE] = "$0 != $1",
    [WASM_OP_I32_LT_S] = "(int32_t)$0 < (int32_t)$1",
    [WASM_OP_I32_LT_U] = "$0 < $1",
    [WASM_OP_I32_GT_S] = "(int32_t)$0 > (int32_t)$1",
    [WASM_OP_I32_GT_U] = "$0 > $1",
    [WASM_OP_I32_LE_S] = "(int32_t)$0 <= (int32_t)$1",
    [WASM_OP_I32_LE_U] = "$0 <= $1",
    [WASM_OP_I32_GE_S] = "(int32_t)$0 >= (int32_t)$1",
    [WASM_OP_I32_GE_U] = "$0 >= $1",
    [WASM_OP_I64_EQZ] = "$0 == 0",
    [WASM_OP_I64_EQ] = "$0 == $1",
    [WASM_OP_I64_NE] = "$0 != $1",
    [WASM_OP_I64_LT_S] = "(int64_t)$0 < (int64_t)$1",
    [WASM_OP_I64_LT_U] = "$0 < $1",
    [WASM_OP_I64_GT_S] = "(int64_t)$0 > (int64_t)$1",
    [WASM_OP_I64_GT_U] = "$0 > $1",
    [WASM_OP_I64_LE_S] = "(int64_t)$0 <= (int64_t)$1",
    [WASM_OP_I64_LE_U] = "$0 <= $1",
    [WASM_OP_I64_GE_S] = "(int64_t)$0 >= (int64_t)$1",
    [WASM_OP_I64_GE_U] = "$0 >= $1",
    [WASM_OP_F32_EQ] = "$0 == $1",
    [WASM_OP_F32_NE] = "$0 != $1",
    [WASM_OP_F32_LT] = "$0 < $1",
    [WASM_OP_F32_GT] = "$0 > $1",
    [WASM_OP_F32_LE] = "$0 <= $1",
    [WASM_OP_F32_GE] = "$0 >= $1",
    [WASM_OP_F64_EQ] = "$0 == $1",
    [WASM_OP_F64_NE] = "$0 != $1",
    [WASM_OP_F64_LT] = "$0 < $1",
    [WASM_OP_F64_GT] = "$0 > $1",
    [WASM_OP_F64_LE] = "$0 <= $1",
    [WASM_OP_F64_GE] = "$0 >= $1",

    [WASM_OP_I32_CLZ] = "x_i32_clz($0)",
    [WASM_OP_I32_CTZ] = "x_i32_ctz($0)",
    [WASM_OP_I32_POPCNT] = "(uint32_t)__builtin_popcount($0)",
    [WASM_OP_I32_ADD] = "$0 + $1",
    [WASM_OP_I32_SUB] = "$0 - $1",
    [WASM_OP_I32_MUL] = "$0 * $1",
    [WASM_OP_I32_DIV_S] = "x_i32_div_s($0, $1, $f)",
    [WASM_OP_I32_DIV_U] = "x_i32_div_u($0, $1, $f)",
    [WASM_OP_I32_REM_S] = "x_i32_rem_s($0, $1, $f)",
    [WASM_OP_I32_REM_U] = "x_i32_rem_u($0, $1, $f)",
    [WASM_OP_I32_AND] = "$0 & $1",
    [WASM_OP_I32_OR] = "$0 | $1",
    [WASM_OP_I32_XOR] = "$0 ^ $1",
    [WASM_OP_I32_SHL] = "$0 << ($1 & 31)",
    [WASM_OP_I32_SHR_S] = "(uint32_t)((int32_t)$0 >> ($1 & 31))",
    [WASM_OP_I32_SHR_U] = "$0 >> ($1 & 31)",
    [WASM_OP_I32_ROTL] = "x_i32_rotl($0, $1)",
    [WASM_OP_I32_ROTR] = "x_i32_rotr($0, $1)",

    [WASM_OP_I64_CLZ] = "x_i64_clz($0)",
    [WASM_OP_I64_CTZ] = "x_i64_ctz($0)",
    [WASM_OP_I64_POPCNT] = "(uint64_t)__builtin_popcountll($0)",
    [WASM_OP_I64_ADD] = "$0 + $1",
    [WASM_OP_I64_SUB] = "$0 - $1",
    [WASM_OP_I64_MUL] = "$0 * $1",
    [WASM_OP_I64_DIV_S] = "x_i64_div_s($0, $1, $f)",
    [WASM_OP_I64_DIV_U] = "x_i64_div_u($0, $1, $f)",
    [WASM_OP_I64_REM_S] = "x_i64_rem_s($0, $1, $f)",
    [WASM_OP_I64_REM_U] = "x_i64_rem_u($0, $1, $f)",
    [WASM_OP_I64_AND] = "$0 & $1",
    [WASM_OP_I64_OR] = "$0 | $1",
    [WASM_OP_I64_XOR] = "$0 ^ $1",
    [WASM_OP_I64_SHL] = "$0 << ($1 & 63)",
    [WASM_OP_I64_SHR_S] = "(uint64_t)((int64_t)$0 >> ($1 & 63))",
    [WASM_OP_I64_SHR_U] = "$0 >> ($1 & 63)",
    [WASM_OP_I64_ROTL] = "x_i64_rotl($0, $1)",
    [WASM_OP_I64_ROTR] = "x_i64_rotr($0, $1)",

    [WASM_OP_F32_ABS] = "x_f32_abs($0)",
    [WASM_OP_F32_NEG] = "x_f32_neg($0)",
    [WASM_OP_F32_CEIL] = "x_f32_ceil($0)",
    [WASM_OP_F32_FLOOR] = "x_f32_floor($0)",
    [WASM_OP_F32_TRUNC] = "x_f32_trunc($0)",
    [WASM_OP_F32_NEAREST] = "x_f32_nearest($0)",
    [WASM_OP_F32_SQRT] = "__builtin_sqrtf($0)",
    [WASM_OP_F32_ADD] = "$0 + $1",
    [WASM_OP_F32_SUB] = "$0 - $1",
    [WASM_OP_F32_MUL] = "$0 * $1",
    [WASM_OP_F32_DIV] = "$0 / $1",
    [WASM_OP_F32_MIN] = "x_f32_min($0, $1)",
    [WASM_OP_F32_MAX] = "x_f32_max($0, $1)",
    [WASM_OP_F32_COPYSIGN] = "x_f32_copysign($0, $1)",

    [WASM_OP_F64_ABS] = "x_f64_abs($0)",
    [WASM_OP_F64_NEG] = "x_f64_neg($0)",
    [WASM_OP_F64_CEIL] = "x_f64_ceil($0)",
    [WASM_OP_F64_FLOOR] = "x_f64_floor($0)",
    [WASM_OP_F64_TRUNC] = "x_f64_trunc($0)",
    [WASM_OP_F64_NEAREST] = "x_f64_nearest($0)",
    [WASM_OP_F64_SQRT] = "__builtin_sqrt($0)",
    [WASM_OP_F64_ADD] = "$0 + $1",
    [WASM_OP_F64_SUB] = "$0 - $1",
    [WASM_OP_F64_MUL] = "$0 * $1",
    [WASM_OP_F64_DIV] = "$0 / $1",
    [WASM_OP_F64_MIN] = "x_f64_min($0, $1)",
    [WASM_OP_F64_MAX] = "x_f64_max($0, $1)",
    [WASM_OP_F64_COPYSIGN] = "x_f64_copysign($0, $1)",

    [WASM_OP_I32_WRAP_I64] = "(uint32_t)$0",
    [WASM_OP_I32_TRUNC_F32_S] = "x_i32_trunc_f32_s($0, $f)",
    [WASM_OP_I32_TRUNC_F32_U] = "x_i32_trunc_f32_u($0, $f)",
    [WASM_OP_I32_TRUNC_F64_S] = "x_i32_trunc_f64_s($0, $f)",
    [WASM_OP_I32_TRUNC_F64_U] = "x_i32_trunc_f64_u($0, $f)",
    [WASM_OP_I64_EXTEND_I32_S] = "(uint64_t)(int64_t)(int32_t)$0",
    [WASM_OP_I64_EXTEND_I32_U] = "(uint64_t)$0",
    [WASM_OP_I64_TRUNC_F32_S] = "x_i64_trunc_f32_s($0, $f)",
    [WASM_OP_I64_TRUNC_F32_U] = "x_i64_trunc_f32_u($0, $f)",
    [WASM_OP_I64_TRUNC_F64_S] = "x_i64_trunc_f64_s($0, $f)",
    [WASM_OP_I64_TRUNC_F64_U] = "x_i64_trunc_f64_u($0, $f)",
    [WASM_OP_F32_CONVERT_I32_S] = "(float)(int32_t)$0",
    [WASM_OP_F32_CONVERT_I32_U] = "(float)$0",
    [WASM_OP_F32_CONVERT_I64_S] = "(float)(int64_t)$0",
    [WASM_OP_F32_CONVERT_I64_U] = "(float)$0",
    [WASM_OP_F32_DEMOTE_F64] = "(float)$0",
    [WASM_OP_F64_CONVERT_I32_S] = "(double)(int32_t)$0",
    [WASM_OP_F64_CONVERT_I32_U] = "(double)$0",
    [WASM_OP_F64_CONVERT_I64_S] = "(double)(int64_t)$0",
    [WASM_OP_F64_CONVERT_I64_U] = "(double)$0",
    [WASM_OP_F64_PROMOTE_F32] = "(double)$0",
    [WASM_OP_I32_REINTERPRET_F32] = "x_b32($0)",
    [WASM_OP_I64_REINTERPRET_F64] = "x_b64($0)",
    [WASM_OP_F32_REINTERPRET_I32] = "x_f32($0)",
    [WASM_OP_F64_REINTERPRET_I64] = "x_f64($0)",
    [WASM_OP_I32_EXTEND8_S] = "(uint32_t)(int32_t)(int8_t)$0",
    [WASM_OP_I32_EXTEND16_S] = "(uint32_t)(int32_t)(int16_t)$0",
    [WASM_OP_I64_EXTEND8_S] = "(uint64_t)(int64_t)(int8_t)$0",
    [WASM_OP_I64_EXTEND16_S] = "(uint64_t)(int64_t)(int16_t)$0",
    [WASM_OP_I64_EXTEND32_S] = "(uint64_t)(int64_t)(int32_t)$0",
};

/* 0xFC 0..7: saturating truncation. */
static const char *const saturating_templates[8] = {
    "x_i32_trunc_sat_f32_s($0)", "x_i32_trunc_sat_f32_u($0)", "x_i32_trunc_sat_f64_s($0)",
    "x_i32_trunc_sat_f64_u($0)", "x_i64_trunc_sat_f32_s($0)", "x_i64_trunc_sat_f32_u($0)",
    "x_i64_trunc_sat_f64_s($0)", "x_i64_trunc_sat_f64_u($0)",
};

static void emit_f32_const(xlat_fn *fn, uint32_t bits) {
    float f;
    memcpy(&f, &bits, 4);
    uint32_t d = xlat_push(fn, WASM_F32);
    if (isfinite(f))
        xlat_emitf(fn, "sf%u = %af;", d, (double)f);
    else
        xlat_emitf(fn, "sf%u = x_f32(0x%08Xu);", d, bits);
}

static void emit_f64_const(xlat_fn *fn, uint64_t bits) {
    double f;
    memcpy(&f, &bits, 8);
    uint32_t d = xlat_push(fn, WASM_F64);
    if (isfinite(f))
        xlat_emitf(fn, "sd%u = %a;", d, f);
    else
        xlat_emitf(fn, "sd%u = x_f64(0x%016llXull);", d, (unsigned long long)bits);
}

bool xlat_numeric(xlat_fn *fn, const wasm_instr *in) {
    uint32_t op = in->opcode;
    switch (op) {
    case WASM_OP_I32_CONST: {
        uint32_t d = xlat_push(fn, WASM_I32);
        xlat_emitf(fn, "si%u = %uu;", d, in->i32);
        xlat_note_const(fn, d, in->i32);
        return true;
    }
    case WASM_OP_I32_ADD: {
        assert(fn->sp >= 2);
        xlat_addrinfo a = fn->addr[fn->sp - 2], b = fn->addr[fn->sp - 1];
        xlat_op(fn, numeric_templates[WASM_OP_I32_ADD], 2, WASM_I32);
        xlat_note_add(fn, a, b, fn->sp - 1);
        return true;
    }
    case WASM_OP_I32_SUB: {
        assert(fn->sp >= 2);
        xlat_addrinfo a = fn->addr[fn->sp - 2], b = fn->addr[fn->sp - 1];
        xlat_op(fn, numeric_templates[WASM_OP_I32_SUB], 2, WASM_I32);
        xlat_note_sub(fn, a, b, fn->sp - 1);
        return true;
    }
    case WASM_OP_I64_CONST: {
        uint32_t d = xlat_push(fn, WASM_I64);
        xlat_emitf(fn, "sj%u = %lluull;", d, (unsigned long long)in->i64);
        return true;
    }
    case WASM_OP_F32_CONST: emit_f32_const(fn, in->f32_bits); return true;
    case WASM_OP_F64_CONST: emit_f64_const(fn, in->f64_bits); return true;
    default: break;
    }
    const char *tmpl = NULL;
    if (op < 256)
        tmpl = numeric_templates[op];
    else if (op >= WASM_OP_I32_TRUNC_SAT_F32_S && op <= WASM_OP_I64_TRUNC_SAT_F64_U)
        tmpl = saturating_templates[op - WASM_OP_I32_TRUNC_SAT_F32_S];
    if (!tmpl) return false;
    /* gcc folds (float)(double)x to x, but a promoted-then-demoted signalling NaN must come out
     * quiet: for that exact pair, demote through a helper that quiets NaNs first. */
    if (op == WASM_OP_F32_DEMOTE_F64 && fn->prev_opcode == WASM_OP_F64_PROMOTE_F32)
        tmpl = "x_f32_demote_quiet($0)";
    const wasm_opinfo *info = in->info;
    assert(info && (info->flags & WASM_OPF_FIXED) && info->nout == 1);
    xlat_op(fn, tmpl, info->nin, info->out[0]);
    return true;
}

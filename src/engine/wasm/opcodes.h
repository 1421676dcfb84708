/*
 * opcodes.h — the WebAssembly instruction set as a table of data, and the instruction reader.
 *
 * Every instruction of WebAssembly 2.0 core (MVP, sign extension, non-trapping float-to-int,
 * bulk memory, reference types, typed select) and of the threads proposal (0xFE prefix) has one
 * row of wasm_opinfo: its name, the kind of immediate that follows the opcode, and, for the
 * instructions whose operand types are fixed, its stack signature. SIMD (0xFD prefix) is not
 * supported: wasm_read_instr rejects it with "SIMD (0xFD prefix) is not supported".
 *
 * Opcode numbering (one uint32_t / uint16_t value per instruction):
 *   - single-byte opcodes are 0x00..0xFF (their byte),
 *   - 0xFC-prefixed ones are 0xFC00 | subop (subop 0..17),
 *   - 0xFE-prefixed ones are 0xFE00 | subop (subop 0x00..0x4E).
 * The prefixes themselves are never opcodes, so the ranges cannot collide. WASM_OP_* names every
 * opcode: the text-format name upper-cased with '.' turned into '_' (typed select is
 * WASM_OP_SELECT_T).
 *
 * The reader: wasm_read_instr decodes one instruction (opcode and immediates) and checks that it
 * is well formed (binary format), not that it is valid (validate.c does that). The validator and
 * the translator both walk function bodies with it, so there is one definition of the encoding.
 * br_table targets are left in the byte stream (br_targets, br_count); read them in order with
 * wasm_br_table_next or by position with wasm_br_table_target.
 *
 * LEB128 readers follow the spec exactly: at most ceil(N/7) bytes ("integer representation too
 * long"), unused bits of the last byte zero for unsigned or a sign extension for signed ("integer
 * too large"), and running past `end` is "unexpected end".
 */
#ifndef GRANNY_ENGINE_OPCODES_H
#define GRANNY_ENGINE_OPCODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/wasm/module.h"

/* What follows the opcode in the binary. */
typedef enum wasm_imm {
    WASM_IMM_NONE,
    WASM_IMM_BLOCKTYPE,     /* block/loop/if: s33 block type -> blocktype */
    WASM_IMM_LABEL,         /* br/br_if: label depth -> idx */
    WASM_IMM_BR_TABLE,      /* vec(label) label -> br_count, br_targets, br_default */
    WASM_IMM_FUNC,          /* call, ref.func: function index -> idx */
    WASM_IMM_CALL_INDIRECT, /* type index -> idx, table index -> idx2 */
    WASM_IMM_LOCAL,         /* local index -> idx */
    WASM_IMM_GLOBAL,        /* global index -> idx */
    WASM_IMM_TABLE,         /* table index -> idx (table.get/set/grow/size/fill) */
    WASM_IMM_MEMARG,        /* align (log2), offset -> align, offset */
    WASM_IMM_MEMORY,        /* memory.size/grow/fill: one 0x00 byte (memory 0) -> idx = 0 */
    WASM_IMM_I32,           /* i32.const: s32 -> i32 (bits) and i64 (sign-extended) */
    WASM_IMM_I64,           /* i64.const: s64 -> i64 (bits) */
    WASM_IMM_F32,           /* f32.const: 4 bytes little-endian -> f32_bits */
    WASM_IMM_F64,           /* f64.const: 8 bytes little-endian -> f64_bits */
    WASM_IMM_REFTYPE,       /* ref.null: funcref/externref byte -> valtype */
    WASM_IMM_SELECT_T,      /* select t: vec(valtype) -> idx = count, valtype = the first type */
    WASM_IMM_DATA,          /* data.drop: data index -> idx */
    WASM_IMM_DATA_MEMORY,   /* memory.init: data index -> idx, then 0x00 -> idx2 = 0 */
    WASM_IMM_ELEM,          /* elem.drop: element index -> idx */
    WASM_IMM_TABLE_INIT,    /* table.init: element index -> idx, table index -> idx2 */
    WASM_IMM_TABLE_COPY,    /* table.copy: destination table -> idx, source table -> idx2 */
    WASM_IMM_MEMORY_COPY,   /* memory.copy: two 0x00 bytes -> idx = idx2 = 0 */
    WASM_IMM_FENCE,         /* atomic.fence: one 0x00 byte (ordering: sequentially consistent) */
} wasm_imm;

/* wasm_opinfo.flags */
enum {
    WASM_OPF_FIXED = 1 << 0,   /* the stack effect is exactly in[0..nin) -> out[0..nout) */
    WASM_OPF_CONTROL = 1 << 1, /* structured control, branches, calls, unreachable */
    WASM_OPF_MEMORY = 1 << 2,  /* needs memory 0 to exist */
    WASM_OPF_LOAD = 1 << 3,    /* reads mem_size bytes at address + offset */
    WASM_OPF_STORE = 1 << 4,   /* writes mem_size bytes at address + offset */
    WASM_OPF_ATOMIC = 1 << 5,  /* threads proposal access: alignment must equal mem_size */
    WASM_OPF_RMW = 1 << 6,     /* atomic read-modify-write (incl. cmpxchg) */
};

typedef struct wasm_opinfo {
    uint16_t op;      /* the opcode, numbered as described above */
    const char *name; /* text-format name, e.g. "i32.add" ("select t" for typed select) */
    wasm_imm imm;
    uint8_t nin, nout; /* operand/result counts when WASM_OPF_FIXED, else 0 */
    uint8_t in[3];     /* wasm_valtype of each operand, bottom of the stack first */
    uint8_t out[1];    /* wasm_valtype of the result */
    uint8_t mem_size;  /* natural access size in bytes (loads, stores, atomics), else 0 */
    uint8_t flags;     /* WASM_OPF_* */
} wasm_opinfo;

typedef enum wasm_opcode {
    WASM_OP_UNREACHABLE = 0x00,
    WASM_OP_NOP = 0x01,
    WASM_OP_BLOCK = 0x02,
    WASM_OP_LOOP = 0x03,
    WASM_OP_IF = 0x04,
    WASM_OP_ELSE = 0x05,
    WASM_OP_END = 0x0B,
    WASM_OP_BR = 0x0C,
    WASM_OP_BR_IF = 0x0D,
    WASM_OP_BR_TABLE = 0x0E,
    WASM_OP_RETURN = 0x0F,
    WASM_OP_CALL = 0x10,
    WASM_OP_CALL_INDIRECT = 0x11,
    WASM_OP_DROP = 0x1A,
    WASM_OP_SELECT = 0x1B,
    WASM_OP_SELECT_T = 0x1C,
    WASM_OP_LOCAL_GET = 0x20,
    WASM_OP_LOCAL_SET = 0x21,
    WASM_OP_LOCAL_TEE = 0x22,
    WASM_OP_GLOBAL_GET = 0x23,
    WASM_OP_GLOBAL_SET = 0x24,
    WASM_OP_TABLE_GET = 0x25,
    WASM_OP_TABLE_SET = 0x26,
    WASM_OP_I32_LOAD = 0x28,
    WASM_OP_I64_LOAD = 0x29,
    WASM_OP_F32_LOAD = 0x2A,
    WASM_OP_F64_LOAD = 0x2B,
    WASM_OP_I32_LOAD8_S = 0x2C,
    WASM_OP_I32_LOAD8_U = 0x2D,
    WASM_OP_I32_LOAD16_S = 0x2E,
    WASM_OP_I32_LOAD16_U = 0x2F,
    WASM_OP_I64_LOAD8_S = 0x30,
    WASM_OP_I64_LOAD8_U = 0x31,
    WASM_OP_I64_LOAD16_S = 0x32,
    WASM_OP_I64_LOAD16_U = 0x33,
    WASM_OP_I64_LOAD32_S = 0x34,
    WASM_OP_I64_LOAD32_U = 0x35,
    WASM_OP_I32_STORE = 0x36,
    WASM_OP_I64_STORE = 0x37,
    WASM_OP_F32_STORE = 0x38,
    WASM_OP_F64_STORE = 0x39,
    WASM_OP_I32_STORE8 = 0x3A,
    WASM_OP_I32_STORE16 = 0x3B,
    WASM_OP_I64_STORE8 = 0x3C,
    WASM_OP_I64_STORE16 = 0x3D,
    WASM_OP_I64_STORE32 = 0x3E,
    WASM_OP_MEMORY_SIZE = 0x3F,
    WASM_OP_MEMORY_GROW = 0x40,
    WASM_OP_I32_CONST = 0x41,
    WASM_OP_I64_CONST = 0x42,
    WASM_OP_F32_CONST = 0x43,
    WASM_OP_F64_CONST = 0x44,
    WASM_OP_I32_EQZ = 0x45,
    WASM_OP_I32_EQ = 0x46,
    WASM_OP_I32_NE = 0x47,
    WASM_OP_I32_LT_S = 0x48,
    WASM_OP_I32_LT_U = 0x49,
    WASM_OP_I32_GT_S = 0x4A,
    WASM_OP_I32_GT_U = 0x4B,
    WASM_OP_I32_LE_S = 0x4C,
    WASM_OP_I32_LE_U = 0x4D,
    WASM_OP_I32_GE_S = 0x4E,
    WASM_OP_I32_GE_U = 0x4F,
    WASM_OP_I64_EQZ = 0x50,
    WASM_OP_I64_EQ = 0x51,
    WASM_OP_I64_NE = 0x52,
    WASM_OP_I64_LT_S = 0x53,
    WASM_OP_I64_LT_U = 0x54,
    WASM_OP_I64_GT_S = 0x55,
    WASM_OP_I64_GT_U = 0x56,
    WASM_OP_I64_LE_S = 0x57,
    WASM_OP_I64_LE_U = 0x58,
    WASM_OP_I64_GE_S = 0x59,
    WASM_OP_I64_GE_U = 0x5A,
    WASM_OP_F32_EQ = 0x5B,
    WASM_OP_F32_NE = 0x5C,
    WASM_OP_F32_LT = 0x5D,
    WASM_OP_F32_GT = 0x5E,
    WASM_OP_F32_LE = 0x5F,
    WASM_OP_F32_GE = 0x60,
    WASM_OP_F64_EQ = 0x61,
    WASM_OP_F64_NE = 0x62,
    WASM_OP_F64_LT = 0x63,
    WASM_OP_F64_GT = 0x64,
    WASM_OP_F64_LE = 0x65,
    WASM_OP_F64_GE = 0x66,
    WASM_OP_I32_CLZ = 0x67,
    WASM_OP_I32_CTZ = 0x68,
    WASM_OP_I32_POPCNT = 0x69,
    WASM_OP_I32_ADD = 0x6A,
    WASM_OP_I32_SUB = 0x6B,
    WASM_OP_I32_MUL = 0x6C,
    WASM_OP_I32_DIV_S = 0x6D,
    WASM_OP_I32_DIV_U = 0x6E,
    WASM_OP_I32_REM_S = 0x6F,
    WASM_OP_I32_REM_U = 0x70,
    WASM_OP_I32_AND = 0x71,
    WASM_OP_I32_OR = 0x72,
    WASM_OP_I32_XOR = 0x73,
    WASM_OP_I32_SHL = 0x74,
    WASM_OP_I32_SHR_S = 0x75,
    WASM_OP_I32_SHR_U = 0x76,
    WASM_OP_I32_ROTL = 0x77,
    WASM_OP_I32_ROTR = 0x78,
    WASM_OP_I64_CLZ = 0x79,
    WASM_OP_I64_CTZ = 0x7A,
    WASM_OP_I64_POPCNT = 0x7B,
    WASM_OP_I64_ADD = 0x7C,
    WASM_OP_I64_SUB = 0x7D,
    WASM_OP_I64_MUL = 0x7E,
    WASM_OP_I64_DIV_S = 0x7F,
    WASM_OP_I64_DIV_U = 0x80,
    WASM_OP_I64_REM_S = 0x81,
    WASM_OP_I64_REM_U = 0x82,
    WASM_OP_I64_AND = 0x83,
    WASM_OP_I64_OR = 0x84,
    WASM_OP_I64_XOR = 0x85,
    WASM_OP_I64_SHL = 0x86,
    WASM_OP_I64_SHR_S = 0x87,
    WASM_OP_I64_SHR_U = 0x88,
    WASM_OP_I64_ROTL = 0x89,
    WASM_OP_I64_ROTR = 0x8A,
    WASM_OP_F32_ABS = 0x8B,
    WASM_OP_F32_NEG = 0x8C,
    WASM_OP_F32_CEIL = 0x8D,
    WASM_OP_F32_FLOOR = 0x8E,
    WASM_OP_F32_TRUNC = 0x8F,
    WASM_OP_F32_NEAREST = 0x90,
    WASM_OP_F32_SQRT = 0x91,
    WASM_OP_F32_ADD = 0x92,
    WASM_OP_F32_SUB = 0x93,
    WASM_OP_F32_MUL = 0x94,
    WASM_OP_F32_DIV = 0x95,
    WASM_OP_F32_MIN = 0x96,
    WASM_OP_F32_MAX = 0x97,
    WASM_OP_F32_COPYSIGN = 0x98,
    WASM_OP_F64_ABS = 0x99,
    WASM_OP_F64_NEG = 0x9A,
    WASM_OP_F64_CEIL = 0x9B,
    WASM_OP_F64_FLOOR = 0x9C,
    WASM_OP_F64_TRUNC = 0x9D,
    WASM_OP_F64_NEAREST = 0x9E,
    WASM_OP_F64_SQRT = 0x9F,
    WASM_OP_F64_ADD = 0xA0,
    WASM_OP_F64_SUB = 0xA1,
    WASM_OP_F64_MUL = 0xA2,
    WASM_OP_F64_DIV = 0xA3,
    WASM_OP_F64_MIN = 0xA4,
    WASM_OP_F64_MAX = 0xA5,
    WASM_OP_F64_COPYSIGN = 0xA6,
    WASM_OP_I32_WRAP_I64 = 0xA7,
    WASM_OP_I32_TRUNC_F32_S = 0xA8,
    WASM_OP_I32_TRUNC_F32_U = 0xA9,
    WASM_OP_I32_TRUNC_F64_S = 0xAA,
    WASM_OP_I32_TRUNC_F64_U = 0xAB,
    WASM_OP_I64_EXTEND_I32_S = 0xAC,
    WASM_OP_I64_EXTEND_I32_U = 0xAD,
    WASM_OP_I64_TRUNC_F32_S = 0xAE,
    WASM_OP_I64_TRUNC_F32_U = 0xAF,
    WASM_OP_I64_TRUNC_F64_S = 0xB0,
    WASM_OP_I64_TRUNC_F64_U = 0xB1,
    WASM_OP_F32_CONVERT_I32_S = 0xB2,
    WASM_OP_F32_CONVERT_I32_U = 0xB3,
    WASM_OP_F32_CONVERT_I64_S = 0xB4,
    WASM_OP_F32_CONVERT_I64_U = 0xB5,
    WASM_OP_F32_DEMOTE_F64 = 0xB6,
    WASM_OP_F64_CONVERT_I32_S = 0xB7,
    WASM_OP_F64_CONVERT_I32_U = 0xB8,
    WASM_OP_F64_CONVERT_I64_S = 0xB9,
    WASM_OP_F64_CONVERT_I64_U = 0xBA,
    WASM_OP_F64_PROMOTE_F32 = 0xBB,
    WASM_OP_I32_REINTERPRET_F32 = 0xBC,
    WASM_OP_I64_REINTERPRET_F64 = 0xBD,
    WASM_OP_F32_REINTERPRET_I32 = 0xBE,
    WASM_OP_F64_REINTERPRET_I64 = 0xBF,
    WASM_OP_I32_EXTEND8_S = 0xC0,
    WASM_OP_I32_EXTEND16_S = 0xC1,
    WASM_OP_I64_EXTEND8_S = 0xC2,
    WASM_OP_I64_EXTEND16_S = 0xC3,
    WASM_OP_I64_EXTEND32_S = 0xC4,
    WASM_OP_REF_NULL = 0xD0,
    WASM_OP_REF_IS_NULL = 0xD1,
    WASM_OP_REF_FUNC = 0xD2,
    WASM_OP_I32_TRUNC_SAT_F32_S = 0xFC00,
    WASM_OP_I32_TRUNC_SAT_F32_U = 0xFC01,
    WASM_OP_I32_TRUNC_SAT_F64_S = 0xFC02,
    WASM_OP_I32_TRUNC_SAT_F64_U = 0xFC03,
    WASM_OP_I64_TRUNC_SAT_F32_S = 0xFC04,
    WASM_OP_I64_TRUNC_SAT_F32_U = 0xFC05,
    WASM_OP_I64_TRUNC_SAT_F64_S = 0xFC06,
    WASM_OP_I64_TRUNC_SAT_F64_U = 0xFC07,
    WASM_OP_MEMORY_INIT = 0xFC08,
    WASM_OP_DATA_DROP = 0xFC09,
    WASM_OP_MEMORY_COPY = 0xFC0A,
    WASM_OP_MEMORY_FILL = 0xFC0B,
    WASM_OP_TABLE_INIT = 0xFC0C,
    WASM_OP_ELEM_DROP = 0xFC0D,
    WASM_OP_TABLE_COPY = 0xFC0E,
    WASM_OP_TABLE_GROW = 0xFC0F,
    WASM_OP_TABLE_SIZE = 0xFC10,
    WASM_OP_TABLE_FILL = 0xFC11,
    WASM_OP_MEMORY_ATOMIC_NOTIFY = 0xFE00,
    WASM_OP_MEMORY_ATOMIC_WAIT32 = 0xFE01,
    WASM_OP_MEMORY_ATOMIC_WAIT64 = 0xFE02,
    WASM_OP_ATOMIC_FENCE = 0xFE03,
    WASM_OP_I32_ATOMIC_LOAD = 0xFE10,
    WASM_OP_I64_ATOMIC_LOAD = 0xFE11,
    WASM_OP_I32_ATOMIC_LOAD8_U = 0xFE12,
    WASM_OP_I32_ATOMIC_LOAD16_U = 0xFE13,
    WASM_OP_I64_ATOMIC_LOAD8_U = 0xFE14,
    WASM_OP_I64_ATOMIC_LOAD16_U = 0xFE15,
    WASM_OP_I64_ATOMIC_LOAD32_U = 0xFE16,
    WASM_OP_I32_ATOMIC_STORE = 0xFE17,
    WASM_OP_I64_ATOMIC_STORE = 0xFE18,
    WASM_OP_I32_ATOMIC_STORE8 = 0xFE19,
    WASM_OP_I32_ATOMIC_STORE16 = 0xFE1A,
    WASM_OP_I64_ATOMIC_STORE8 = 0xFE1B,
    WASM_OP_I64_ATOMIC_STORE16 = 0xFE1C,
    WASM_OP_I64_ATOMIC_STORE32 = 0xFE1D,
    WASM_OP_I32_ATOMIC_RMW_ADD = 0xFE1E,
    WASM_OP_I64_ATOMIC_RMW_ADD = 0xFE1F,
    WASM_OP_I32_ATOMIC_RMW8_ADD_U = 0xFE20,
    WASM_OP_I32_ATOMIC_RMW16_ADD_U = 0xFE21,
    WASM_OP_I64_ATOMIC_RMW8_ADD_U = 0xFE22,
    WASM_OP_I64_ATOMIC_RMW16_ADD_U = 0xFE23,
    WASM_OP_I64_ATOMIC_RMW32_ADD_U = 0xFE24,
    WASM_OP_I32_ATOMIC_RMW_SUB = 0xFE25,
    WASM_OP_I64_ATOMIC_RMW_SUB = 0xFE26,
    WASM_OP_I32_ATOMIC_RMW8_SUB_U = 0xFE27,
    WASM_OP_I32_ATOMIC_RMW16_SUB_U = 0xFE28,
    WASM_OP_I64_ATOMIC_RMW8_SUB_U = 0xFE29,
    WASM_OP_I64_ATOMIC_RMW16_SUB_U = 0xFE2A,
    WASM_OP_I64_ATOMIC_RMW32_SUB_U = 0xFE2B,
    WASM_OP_I32_ATOMIC_RMW_AND = 0xFE2C,
    WASM_OP_I64_ATOMIC_RMW_AND = 0xFE2D,
    WASM_OP_I32_ATOMIC_RMW8_AND_U = 0xFE2E,
    WASM_OP_I32_ATOMIC_RMW16_AND_U = 0xFE2F,
    WASM_OP_I64_ATOMIC_RMW8_AND_U = 0xFE30,
    WASM_OP_I64_ATOMIC_RMW16_AND_U = 0xFE31,
    WASM_OP_I64_ATOMIC_RMW32_AND_U = 0xFE32,
    WASM_OP_I32_ATOMIC_RMW_OR = 0xFE33,
    WASM_OP_I64_ATOMIC_RMW_OR = 0xFE34,
    WASM_OP_I32_ATOMIC_RMW8_OR_U = 0xFE35,
    WASM_OP_I32_ATOMIC_RMW16_OR_U = 0xFE36,
    WASM_OP_I64_ATOMIC_RMW8_OR_U = 0xFE37,
    WASM_OP_I64_ATOMIC_RMW16_OR_U = 0xFE38,
    WASM_OP_I64_ATOMIC_RMW32_OR_U = 0xFE39,
    WASM_OP_I32_ATOMIC_RMW_XOR = 0xFE3A,
    WASM_OP_I64_ATOMIC_RMW_XOR = 0xFE3B,
    WASM_OP_I32_ATOMIC_RMW8_XOR_U = 0xFE3C,
    WASM_OP_I32_ATOMIC_RMW16_XOR_U = 0xFE3D,
    WASM_OP_I64_ATOMIC_RMW8_XOR_U = 0xFE3E,
    WASM_OP_I64_ATOMIC_RMW16_XOR_U = 0xFE3F,
    WASM_OP_I64_ATOMIC_RMW32_XOR_U = 0xFE40,
    WASM_OP_I32_ATOMIC_RMW_XCHG = 0xFE41,
    WASM_OP_I64_ATOMIC_RMW_XCHG = 0xFE42,
    WASM_OP_I32_ATOMIC_RMW8_XCHG_U = 0xFE43,
    WASM_OP_I32_ATOMIC_RMW16_XCHG_U = 0xFE44,
    WASM_OP_I64_ATOMIC_RMW8_XCHG_U = 0xFE45,
    WASM_OP_I64_ATOMIC_RMW16_XCHG_U = 0xFE46,
    WASM_OP_I64_ATOMIC_RMW32_XCHG_U = 0xFE47,
    WASM_OP_I32_ATOMIC_RMW_CMPXCHG = 0xFE48,
    WASM_OP_I64_ATOMIC_RMW_CMPXCHG = 0xFE49,
    WASM_OP_I32_ATOMIC_RMW8_CMPXCHG_U = 0xFE4A,
    WASM_OP_I32_ATOMIC_RMW16_CMPXCHG_U = 0xFE4B,
    WASM_OP_I64_ATOMIC_RMW8_CMPXCHG_U = 0xFE4C,
    WASM_OP_I64_ATOMIC_RMW16_CMPXCHG_U = 0xFE4D,
    WASM_OP_I64_ATOMIC_RMW32_CMPXCHG_U = 0xFE4E,
} wasm_opcode;

/* Prefix bytes. */
enum { WASM_PREFIX_FC = 0xFC, WASM_PREFIX_SIMD = 0xFD, WASM_PREFIX_FE = 0xFE };

/* The row of `opcode`, or NULL when it is not an instruction we support. */
const wasm_opinfo *wasm_opinfo_get(uint32_t opcode);

/* Block types, as decoded from the s33 immediate: a type index (>= 0), WASM_BLOCKTYPE_EMPTY, or
 * a single result value type (-0x80 + the valtype byte, e.g. -1 for i32). */
enum { WASM_BLOCKTYPE_EMPTY = -64 };
static inline bool wasm_blocktype_is_index(int64_t bt) {
    return bt >= 0;
}
static inline uint8_t wasm_blocktype_valtype(int64_t bt) {
    return (uint8_t)(bt + 0x80);
}

/* One decoded instruction. The fields that info->imm does not name are zero. */
typedef struct wasm_instr {
    uint32_t opcode;           /* WASM_OP_* */
    const wasm_opinfo *info;   /* never NULL after a successful read */
    uint32_t idx, idx2;        /* indices, see wasm_imm */
    uint32_t i32;              /* i32.const value (two's complement bits) */
    uint64_t i64;              /* i64.const value; i32.const sign-extended */
    uint32_t f32_bits;         /* f32.const */
    uint64_t f64_bits;         /* f64.const */
    int64_t blocktype;         /* block/loop/if, see WASM_BLOCKTYPE_EMPTY */
    uint32_t align, offset;    /* memarg: log2 alignment as encoded, static offset */
    uint8_t valtype;           /* ref.null's reference type; select t's first type */
    uint32_t br_count;         /* br_table: number of targets, default excluded */
    const uint8_t *br_targets; /* br_table: the br_count target LEBs (already checked) */
    uint32_t br_default;       /* br_table: default target */
} wasm_instr;

/* Reads one instruction at *p (< end) and advances *p past it. Returns false with a message in
 * err (size n) on malformed input: unknown opcode ("illegal opcode"), SIMD, bad LEB128, bad
 * reserved byte ("zero byte expected"), bad reference type, truncated input ("unexpected end"). */
bool wasm_read_instr(const uint8_t **p, const uint8_t *end, wasm_instr *out, char *err, size_t n);

/* br_table targets: advance *cursor (start at instr->br_targets) and return the next target.
 * The targets were checked by wasm_read_instr, so these cannot fail. */
uint32_t wasm_br_table_next(const uint8_t **cursor);
/* Target i (0 <= i < br_count; i == br_count gives the default). O(i). */
uint32_t wasm_br_table_target(const wasm_instr *instr, uint32_t i);

/* LEB128 readers. Each advances *p on success; on failure *p is unchanged and *why (when `why` is
 * not NULL) says why in the spec's words: "unexpected end", "integer representation too long",
 * "integer too large". */
bool wasm_read_u32(const uint8_t **p, const uint8_t *end, uint32_t *out);
bool wasm_read_leb(const uint8_t **p, const uint8_t *end, unsigned bits, bool is_signed,
                   uint64_t *out, const char **why);
bool wasm_read_s32(const uint8_t **p, const uint8_t *end, int32_t *out, const char **why);
bool wasm_read_s64(const uint8_t **p, const uint8_t *end, int64_t *out, const char **why);
bool wasm_read_s33(const uint8_t **p, const uint8_t *end, int64_t *out, const char **why);
bool wasm_read_u32_why(const uint8_t **p, const uint8_t *end, uint32_t *out, const char **why);
bool wasm_read_u64_why(const uint8_t **p, const uint8_t *end, uint64_t *out, const char **why);

/* Value type helpers (V128 is not a value type here: SIMD is unsupported). */
static inline bool wasm_is_reftype(uint8_t t) {
    return t == WASM_FUNCREF || t == WASM_EXTERNREF;
}
static inline bool wasm_is_numtype(uint8_t t) {
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64;
}
static inline bool wasm_is_valtype(uint8_t t) {
    return wasm_is_numtype(t) || wasm_is_reftype(t);
}
const char *wasm_valtype_name(uint8_t t); /* "i32", ..., "funcref", "externref", "?" */

#endif

/*
 * wast_value.h — values of the spec-test scripts: parsing them from the strings of wast2json's
 * JSON, matching a result against an expectation, and printing both for failure reports.
 *
 * wast2json writes every number as the decimal form of its bit pattern ("4294967295" for i32 -1,
 * "2143289344" for the f32 canonical NaN), so parsing never goes through floating point and an
 * expectation is met only by the exact bits (-0.0 differs from +0.0, NaN payloads count). The
 * exceptions are the NaN classes `nan:canonical` (sign free, quiet bit only) and `nan:arithmetic`
 * (sign and payload free, quiet bit set), the reference forms `null` and (for expectations)
 * "any non-null reference", and the `either` form of newer wast2json versions (one of several
 * values).
 *
 * External references `ref.extern N` are represented as the pointer N + 1, so that `ref.extern 0`
 * is not the null reference. This module depends only on rt_abi.h (rt_value), not on the engine.
 */
#ifndef GRANNY_WAST_VALUE_H
#define GRANNY_WAST_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt/rt_abi.h"

typedef enum wast_pattern {
    WAST_PAT_EXACT,          /* these bits exactly (references: this pointer, NULL for null) */
    WAST_PAT_NAN_CANONICAL,  /* f32/f64: canonical NaN of either sign */
    WAST_PAT_NAN_ARITHMETIC, /* f32/f64: any NaN with the quiet bit set */
    WAST_PAT_REF_NONNULL,    /* funcref/externref: any non-null reference */
    WAST_PAT_EITHER,         /* one of alts[0..nalts) */
} wast_pattern;

typedef struct wast_value {
    uint8_t type; /* wasm_valtype byte (0x7F i32 ... 0x6F externref); 0 for EITHER */
    wast_pattern pattern;
    rt_value v;
    uint32_t nalts;
    struct wast_value *alts; /* owned; only for WAST_PAT_EITHER */
} wast_value;

typedef enum wast_parse_result {
    WAST_PARSE_OK,
    WAST_PARSE_BAD,         /* malformed input: an error for the command */
    WAST_PARSE_UNSUPPORTED, /* well-formed but not supported here (v128): the command is skipped */
} wast_parse_result;

/* Type names as wast2json writes them ("i32", "externref", ...) <-> valtype bytes (0 if none). */
uint8_t wast_valtype_from_name(const char *name);
const char *wast_valtype_name(uint8_t valtype);

/* Parses one value. `type` and `value` are the JSON strings (value may be NULL when absent).
 * With `expectation` set, NaN classes and the valueless reference form are accepted. */
wast_parse_result wast_value_parse(const char *type, const char *value, bool expectation,
                                   wast_value *out, char *err, size_t errlen);
/* Frees the alternatives of an EITHER value (nothing else is owned). */
void wast_value_clear(wast_value *v);

/* Does the result (type, bits) meet the expectation? A type difference never matches. */
bool wast_value_match(const wast_value *expected, uint8_t type, rt_value got);

/* Readable forms: "i32:4294967295 (0xffffffff)", "f32:-0x1p+0 (0xbf800000)", "f64:nan:canonical",
 * "ref.extern 3", "ref.null func". Always NUL-terminated, truncated to len. */
void wast_value_format(const wast_value *v, char *buf, size_t len);
void wast_value_format_raw(uint8_t type, rt_value v, char *buf, size_t len);

/* Bit-level NaN classes, exposed for tests. */
bool wast_f32_is_canonical_nan(uint32_t bits);
bool wast_f32_is_arithmetic_nan(uint32_t bits);
bool wast_f64_is_canonical_nan(uint64_t bits);
bool wast_f64_is_arithmetic_nan(uint64_t bits);

#endif

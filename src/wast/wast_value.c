/*
 * wast_value.c — parsing, matching and printing of spec-test values (see wast_value.h).
 *
 * Numbers are read with our own decimal reader (digits only, range-checked) rather than strtoull,
 * so "", "+1", " 1", "1x" and out-of-range values are all reported as malformed instead of being
 * silently accepted or clamped. Floating-point values never pass through a float variable before
 * matching: the bits are compared as integers, so signalling NaNs and -0.0 survive intact.
 */
#include "wast/wast_value.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct valtype_name {
    uint8_t valtype;
    const char *name;
} valtype_name;

static const valtype_name valtype_names[] = {
    {0x7F, "i32"},  {0x7E, "i64"},     {0x7D, "f32"},       {0x7C, "f64"},
    {0x7B, "v128"}, {0x70, "funcref"}, {0x6F, "externref"},
};

uint8_t wast_valtype_from_name(const char *name) {
    if (name == NULL) return 0;
    for (size_t i = 0; i < sizeof valtype_names / sizeof valtype_names[0]; i++)
        if (strcmp(valtype_names[i].name, name) == 0) return valtype_names[i].valtype;
    return 0;
}

const char *wast_valtype_name(uint8_t valtype) {
    for (size_t i = 0; i < sizeof valtype_names / sizeof valtype_names[0]; i++)
        if (valtype_names[i].valtype == valtype) return valtype_names[i].name;
    return "?";
}

/* Decimal digits only, value <= max. */
static bool parse_decimal(const char *s, uint64_t max, uint64_t *out) {
    uint64_t v = 0;
    if (s == NULL || *s == '\0') return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool wast_f32_is_canonical_nan(uint32_t bits) {
    return (bits & 0x7FFFFFFFu) == 0x7FC00000u;
}

bool wast_f32_is_arithmetic_nan(uint32_t bits) {
    return (bits & 0x7FC00000u) == 0x7FC00000u;
}

bool wast_f64_is_canonical_nan(uint64_t bits) {
    return (bits & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
}

bool wast_f64_is_arithmetic_nan(uint64_t bits) {
    return (bits & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
}

static wast_parse_result parse_number(uint8_t type, const char *value, bool expectation,
                                      wast_value *out, char *err, size_t errlen) {
    bool is_float = type == 0x7D || type == 0x7C;
    if (value == NULL) {
        snprintf(err, errlen, "%s value missing", wast_valtype_name(type));
        return WAST_PARSE_BAD;
    }
    if (is_float && strncmp(value, "nan:", 4) == 0) {
        if (!expectation) {
            snprintf(err, errlen, "NaN pattern \"%s\" used as an argument", value);
            return WAST_PARSE_BAD;
        }
        if (strcmp(value, "nan:canonical") == 0) {
            out->pattern = WAST_PAT_NAN_CANONICAL;
            return WAST_PARSE_OK;
        }
        if (strcmp(value, "nan:arithmetic") == 0) {
            out->pattern = WAST_PAT_NAN_ARITHMETIC;
            return WAST_PARSE_OK;
        }
        snprintf(err, errlen, "unknown NaN pattern \"%s\"", value);
        return WAST_PARSE_BAD;
    }
    uint64_t max = (type == 0x7F || type == 0x7D) ? UINT32_MAX : UINT64_MAX;
    uint64_t bits;
    if (!parse_decimal(value, max, &bits)) {
        snprintf(err, errlen, "bad %s value \"%s\"", wast_valtype_name(type), value);
        return WAST_PARSE_BAD;
    }
    if (max == UINT32_MAX)
        out->v.i32 = (uint32_t)bits;
    else
        out->v.i64 = bits;
    return WAST_PARSE_OK;
}

static wast_parse_result parse_ref(uint8_t type, const char *value, bool expectation,
                                   wast_value *out, char *err, size_t errlen) {
    if (value == NULL) {
        if (!expectation) {
            snprintf(err, errlen, "%s argument without a value", wast_valtype_name(type));
            return WAST_PARSE_BAD;
        }
        out->pattern = WAST_PAT_REF_NONNULL;
        return WAST_PARSE_OK;
    }
    if (strcmp(value, "null") == 0) {
        out->v.ref = NULL;
        return WAST_PARSE_OK;
    }
    if (type == 0x70) {
        /* A specific function reference cannot be named from outside a module. */
        snprintf(err, errlen, "funcref value \"%s\" is not supported (only null)", value);
        return WAST_PARSE_UNSUPPORTED;
    }
    uint64_t n;
    if (!parse_decimal(value, UINTPTR_MAX - 1, &n)) {
        snprintf(err, errlen, "bad externref value \"%s\"", value);
        return WAST_PARSE_BAD;
    }
    out->v.ref = (void *)(uintptr_t)(n + 1);
    return WAST_PARSE_OK;
}

wast_parse_result wast_value_parse(const char *type, const char *value, bool expectation,
                                   wast_value *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->pattern = WAST_PAT_EXACT;
    if (type == NULL) {
        snprintf(err, errlen, "value without a type");
        return WAST_PARSE_BAD;
    }
    uint8_t vt = wast_valtype_from_name(type);
    out->type = vt;
    switch (vt) {
    case 0x7F:
    case 0x7E:
    case 0x7D:
    case 0x7C: return parse_number(vt, value, expectation, out, err, errlen);
    case 0x70:
    case 0x6F: return parse_ref(vt, value, expectation, out, err, errlen);
    case 0x7B:
        snprintf(err, errlen, "v128 values (SIMD) are not supported");
        return WAST_PARSE_UNSUPPORTED;
    default: snprintf(err, errlen, "unknown value type \"%s\"", type); return WAST_PARSE_BAD;
    }
}

void wast_value_clear(wast_value *v) {
    if (v->pattern == WAST_PAT_EITHER) {
        for (uint32_t i = 0; i < v->nalts; i++)
            wast_value_clear(&v->alts[i]);
        free(v->alts);
    }
    v->alts = NULL;
    v->nalts = 0;
}

bool wast_value_match(const wast_value *e, uint8_t type, rt_value got) {
    if (e->pattern == WAST_PAT_EITHER) {
        for (uint32_t i = 0; i < e->nalts; i++)
            if (wast_value_match(&e->alts[i], type, got)) return true;
        return false;
    }
    if (e->type != type) return false;
    switch (e->pattern) {
    case WAST_PAT_NAN_CANONICAL:
        return type == 0x7D ? wast_f32_is_canonical_nan(got.i32)
                            : type == 0x7C && wast_f64_is_canonical_nan(got.i64);
    case WAST_PAT_NAN_ARITHMETIC:
        return type == 0x7D ? wast_f32_is_arithmetic_nan(got.i32)
                            : type == 0x7C && wast_f64_is_arithmetic_nan(got.i64);
    case WAST_PAT_REF_NONNULL: return got.ref != NULL;
    case WAST_PAT_EXACT: break;
    case WAST_PAT_EITHER: assert(0); return false;
    }
    switch (type) {
    case 0x7F:
    case 0x7D: return e->v.i32 == got.i32;
    case 0x7E:
    case 0x7C: return e->v.i64 == got.i64;
    case 0x70:
    case 0x6F: return e->v.ref == got.ref;
    default: return false;
    }
}

void wast_value_format_raw(uint8_t type, rt_value v, char *buf, size_t len) {
    assert(len > 0);
    switch (type) {
    case 0x7F: snprintf(buf, len, "i32:%" PRIu32 " (0x%08" PRIx32 ")", v.i32, v.i32); break;
    case 0x7E: snprintf(buf, len, "i64:%" PRIu64 " (0x%016" PRIx64 ")", v.i64, v.i64); break;
    case 0x7D: {
        float f;
        memcpy(&f, &v.i32, sizeof f);
        snprintf(buf, len, "f32:%a (0x%08" PRIx32 ")", (double)f, v.i32);
        break;
    }
    case 0x7C: {
        double d;
        memcpy(&d, &v.i64, sizeof d);
        snprintf(buf, len, "f64:%a (0x%016" PRIx64 ")", d, v.i64);
        break;
    }
    case 0x70:
        if (v.ref == NULL)
            snprintf(buf, len, "ref.null func");
        else
            snprintf(buf, len, "ref.func %p", v.ref);
        break;
    case 0x6F:
        if (v.ref == NULL)
            snprintf(buf, len, "ref.null extern");
        else
            snprintf(buf, len, "ref.extern %" PRIuPTR, (uintptr_t)v.ref - 1);
        break;
    default: snprintf(buf, len, "%s:?", wast_valtype_name(type)); break;
    }
}

void wast_value_format(const wast_value *v, char *buf, size_t len) {
    assert(len > 0);
    switch (v->pattern) {
    case WAST_PAT_EXACT: wast_value_format_raw(v->type, v->v, buf, len); return;
    case WAST_PAT_NAN_CANONICAL:
        snprintf(buf, len, "%s:nan:canonical", wast_valtype_name(v->type));
        return;
    case WAST_PAT_NAN_ARITHMETIC:
        snprintf(buf, len, "%s:nan:arithmetic", wast_valtype_name(v->type));
        return;
    case WAST_PAT_REF_NONNULL:
        snprintf(buf, len, "%s", v->type == 0x70 ? "ref.func" : "ref.extern");
        return;
    case WAST_PAT_EITHER: {
        size_t used = 0;
        buf[0] = '\0';
        used += (size_t)snprintf(buf, len, "either(");
        for (uint32_t i = 0; i < v->nalts && used < len; i++) {
            char one[96];
            wast_value_format(&v->alts[i], one, sizeof one);
            used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " | " : "", one);
        }
        if (used < len) snprintf(buf + used, len - used, ")");
        return;
    }
    }
}

/*
 * test_wast_value.c — unit tests of spec-test value parsing and matching (src/wast/wast_value.c):
 * exact bit equality (-0.0 vs +0.0, NaN payloads), the NaN classes nan:canonical and
 * nan:arithmetic for f32 and f64, reference values (ref.extern 0 is not null), type mismatches,
 * malformed and unsupported inputs, and the printed forms used in failure reports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wast/wast_value.h"

static wast_value parse_ok(const char *type, const char *value, bool expectation) {
    wast_value v;
    char err[256] = "";
    wast_parse_result r = wast_value_parse(type, value, expectation, &v, err, sizeof err);
    if (r != WAST_PARSE_OK) fprintf(stderr, "unexpected parse error: %s\n", err);
    CHECK(r == WAST_PARSE_OK);
    return v;
}

static wast_parse_result parse_result(const char *type, const char *value, bool expectation) {
    wast_value v;
    char err[256] = "";
    wast_parse_result r = wast_value_parse(type, value, expectation, &v, err, sizeof err);
    if (r != WAST_PARSE_OK) CHECK(err[0] != '\0'); /* every rejection says why */
    return r;
}

static rt_value bits32(uint32_t b) {
    rt_value v;
    memset(&v, 0, sizeof v);
    v.i32 = b;
    return v;
}

static rt_value bits64(uint64_t b) {
    rt_value v;
    memset(&v, 0, sizeof v);
    v.i64 = b;
    return v;
}

static rt_value ref(void *p) {
    rt_value v;
    memset(&v, 0, sizeof v);
    v.ref = p;
    return v;
}

static void test_integers(void) {
    wast_value v = parse_ok("i32", "4294967295", true);
    CHECK(v.type == 0x7F && v.pattern == WAST_PAT_EXACT && v.v.i32 == 0xFFFFFFFFu);
    CHECK(wast_value_match(&v, 0x7F, bits32(0xFFFFFFFFu)));
    CHECK(!wast_value_match(&v, 0x7F, bits32(0xFFFFFFFEu)));
    CHECK(!wast_value_match(&v, 0x7E, bits64(0xFFFFFFFFu))); /* i64 result for an i32 */

    v = parse_ok("i64", "18446744073709551615", true);
    CHECK(v.v.i64 == UINT64_MAX);
    CHECK(wast_value_match(&v, 0x7E, bits64(UINT64_MAX)));
    v = parse_ok("i64", "0", false);
    CHECK(v.v.i64 == 0);

    CHECK(parse_result("i32", "4294967296", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i64", "18446744073709551616", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i32", "", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i32", "-1", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i32", "+1", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i32", " 1", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i32", "12a", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i32", NULL, true) == WAST_PARSE_BAD);
    CHECK(parse_result("i32", "nan:canonical", true) == WAST_PARSE_BAD);
    CHECK(parse_result("i128", "1", true) == WAST_PARSE_BAD);
    CHECK(parse_result(NULL, "1", true) == WAST_PARSE_BAD);
}

static void test_float_exact(void) {
    wast_value pos0 = parse_ok("f32", "0", true);
    wast_value neg0 = parse_ok("f32", "2147483648", true); /* 0x80000000 = -0.0 */
    CHECK(wast_value_match(&pos0, 0x7D, bits32(0)));
    CHECK(!wast_value_match(&pos0, 0x7D, bits32(0x80000000u)));
    CHECK(wast_value_match(&neg0, 0x7D, bits32(0x80000000u)));
    CHECK(!wast_value_match(&neg0, 0x7D, bits32(0)));
    CHECK(!wast_value_match(&pos0, 0x7F, bits32(0))); /* same bits, wrong type */

    wast_value d_neg0 = parse_ok("f64", "9223372036854775808", true);
    CHECK(wast_value_match(&d_neg0, 0x7C, bits64(0x8000000000000000ull)));
    CHECK(!wast_value_match(&d_neg0, 0x7C, bits64(0)));

    /* A specific NaN payload must match bit for bit. */
    wast_value nan = parse_ok("f32", "2141192192", true); /* 0x7FA00000 (signalling) */
    CHECK(wast_value_match(&nan, 0x7D, bits32(0x7FA00000u)));
    CHECK(!wast_value_match(&nan, 0x7D, bits32(0x7FE00000u)));
    wast_value dnan = parse_ok("f64", "9221120237041090561", true); /* 0x7FF8000000000001 */
    CHECK(wast_value_match(&dnan, 0x7C, bits64(0x7FF8000000000001ull)));
    CHECK(!wast_value_match(&dnan, 0x7C, bits64(0x7FF8000000000000ull)));

    /* f32 values are 32-bit patterns. */
    CHECK(parse_result("f32", "4294967296", true) == WAST_PARSE_BAD);
}

static void test_nan_classes(void) {
    CHECK(wast_f32_is_canonical_nan(0x7FC00000u));
    CHECK(wast_f32_is_canonical_nan(0xFFC00000u));
    CHECK(!wast_f32_is_canonical_nan(0x7FC00001u));
    CHECK(!wast_f32_is_canonical_nan(0x7F800000u)); /* +inf */
    CHECK(!wast_f32_is_canonical_nan(0x7FA00000u)); /* signalling */
    CHECK(wast_f32_is_arithmetic_nan(0x7FC00000u));
    CHECK(wast_f32_is_arithmetic_nan(0xFFC00001u));
    CHECK(wast_f32_is_arithmetic_nan(0x7FFFFFFFu));
    CHECK(!wast_f32_is_arithmetic_nan(0x7F800001u)); /* signalling NaN */
    CHECK(!wast_f32_is_arithmetic_nan(0x7F800000u));
    CHECK(!wast_f32_is_arithmetic_nan(0x3FC00000u)); /* 1.5 */

    CHECK(wast_f64_is_canonical_nan(0x7FF8000000000000ull));
    CHECK(wast_f64_is_canonical_nan(0xFFF8000000000000ull));
    CHECK(!wast_f64_is_canonical_nan(0x7FF8000000000001ull));
    CHECK(!wast_f64_is_canonical_nan(0x7FF0000000000000ull));
    CHECK(wast_f64_is_arithmetic_nan(0x7FF8000000000001ull));
    CHECK(wast_f64_is_arithmetic_nan(0xFFFFFFFFFFFFFFFFull));
    CHECK(!wast_f64_is_arithmetic_nan(0x7FF4000000000000ull)); /* signalling */
    CHECK(!wast_f64_is_arithmetic_nan(0x7FF0000000000000ull));

    wast_value c32 = parse_ok("f32", "nan:canonical", true);
    wast_value a32 = parse_ok("f32", "nan:arithmetic", true);
    wast_value c64 = parse_ok("f64", "nan:canonical", true);
    wast_value a64 = parse_ok("f64", "nan:arithmetic", true);
    CHECK(c32.pattern == WAST_PAT_NAN_CANONICAL && a32.pattern == WAST_PAT_NAN_ARITHMETIC);
    CHECK(wast_value_match(&c32, 0x7D, bits32(0xFFC00000u)));
    CHECK(!wast_value_match(&c32, 0x7D, bits32(0x7FC00001u)));
    CHECK(wast_value_match(&a32, 0x7D, bits32(0x7FC00001u)));
    CHECK(!wast_value_match(&a32, 0x7D, bits32(0x7F800001u)));
    CHECK(!wast_value_match(&c32, 0x7C, bits64(0x7FF8000000000000ull))); /* f64 for f32 */
    CHECK(wast_value_match(&c64, 0x7C, bits64(0x7FF8000000000000ull)));
    CHECK(!wast_value_match(&c64, 0x7C, bits64(0x7FF8000000000001ull)));
    CHECK(wast_value_match(&a64, 0x7C, bits64(0xFFF8000000000001ull)));
    CHECK(!wast_value_match(&a64, 0x7C, bits64(0x3FF0000000000000ull))); /* 1.0 */
    /* The f32 canonical NaN in the low half of an f64 result is not an f64 NaN. */
    CHECK(!wast_value_match(&c64, 0x7C, bits64(0x7FC00000u)));

    /* NaN patterns are for expectations only. */
    CHECK(parse_result("f32", "nan:canonical", false) == WAST_PARSE_BAD);
    CHECK(parse_result("f64", "nan:arithmetic", false) == WAST_PARSE_BAD);
    CHECK(parse_result("f64", "nan:quiet", true) == WAST_PARSE_BAD);
}

static void test_references(void) {
    wast_value ext0 = parse_ok("externref", "0", false);
    CHECK(ext0.v.ref != NULL); /* ref.extern 0 is not null */
    wast_value ext0e = parse_ok("externref", "0", true);
    wast_value ext1 = parse_ok("externref", "1", true);
    wast_value null_ext = parse_ok("externref", "null", true);
    wast_value null_func = parse_ok("funcref", "null", true);
    CHECK(wast_value_match(&ext0e, 0x6F, ext0.v));
    CHECK(!wast_value_match(&ext1, 0x6F, ext0.v));
    CHECK(!wast_value_match(&null_ext, 0x6F, ext0.v));
    CHECK(wast_value_match(&null_ext, 0x6F, ref(NULL)));
    CHECK(!wast_value_match(&null_ext, 0x70, ref(NULL))); /* a null funcref is not externref */
    CHECK(wast_value_match(&null_func, 0x70, ref(NULL)));
    CHECK(!wast_value_match(&null_func, 0x70, ref(&ext0)));

    /* "ref.func" / "ref.extern" without a value: any non-null reference (expectations only). */
    wast_value any_func = parse_ok("funcref", NULL, true);
    CHECK(any_func.pattern == WAST_PAT_REF_NONNULL);
    CHECK(wast_value_match(&any_func, 0x70, ref(&ext0)));
    CHECK(!wast_value_match(&any_func, 0x70, ref(NULL)));
    CHECK(parse_result("funcref", NULL, false) == WAST_PARSE_BAD);
    CHECK(parse_result("funcref", "3", true) == WAST_PARSE_UNSUPPORTED);
    CHECK(parse_result("externref", "x", true) == WAST_PARSE_BAD);
    CHECK(parse_result("externref", "-1", true) == WAST_PARSE_BAD);
    CHECK(parse_result("v128", "0", true) == WAST_PARSE_UNSUPPORTED);
}

static void test_either(void) {
    wast_value e;
    memset(&e, 0, sizeof e);
    e.pattern = WAST_PAT_EITHER;
    e.nalts = 2;
    e.alts = calloc(2, sizeof *e.alts);
    e.alts[0] = parse_ok("i32", "1", true);
    e.alts[1] = parse_ok("f32", "nan:canonical", true);
    CHECK(wast_value_match(&e, 0x7F, bits32(1)));
    CHECK(wast_value_match(&e, 0x7D, bits32(0x7FC00000u)));
    CHECK(!wast_value_match(&e, 0x7F, bits32(2)));
    char buf[128];
    wast_value_format(&e, buf, sizeof buf);
    CHECK(strcmp(buf, "either(i32:1 (0x00000001) | f32:nan:canonical)") == 0);
    wast_value_clear(&e);
    CHECK(e.alts == NULL);
}

static void test_format(void) {
    char buf[128];
    wast_value_format_raw(0x7F, bits32(0xFFFFFFFFu), buf, sizeof buf);
    CHECK(strcmp(buf, "i32:4294967295 (0xffffffff)") == 0);
    wast_value_format_raw(0x7E, bits64(1), buf, sizeof buf);
    CHECK(strcmp(buf, "i64:1 (0x0000000000000001)") == 0);
    wast_value_format_raw(0x7D, bits32(0x80000000u), buf, sizeof buf);
    CHECK(strcmp(buf, "f32:-0x0p+0 (0x80000000)") == 0);
    wast_value_format_raw(0x7D, bits32(0x3F800000u), buf, sizeof buf);
    CHECK(strcmp(buf, "f32:0x1p+0 (0x3f800000)") == 0);
    wast_value_format_raw(0x7C, bits64(0xBFF0000000000000ull), buf, sizeof buf);
    CHECK(strcmp(buf, "f64:-0x1p+0 (0xbff0000000000000)") == 0);
    wast_value_format_raw(0x6F, ref((void *)(uintptr_t)1), buf, sizeof buf);
    CHECK(strcmp(buf, "ref.extern 0") == 0);
    wast_value_format_raw(0x6F, ref(NULL), buf, sizeof buf);
    CHECK(strcmp(buf, "ref.null extern") == 0);
    wast_value_format_raw(0x70, ref(NULL), buf, sizeof buf);
    CHECK(strcmp(buf, "ref.null func") == 0);
    wast_value v = parse_ok("f64", "nan:canonical", true);
    wast_value_format(&v, buf, sizeof buf);
    CHECK(strcmp(buf, "f64:nan:canonical") == 0);
    v = parse_ok("f32", "nan:arithmetic", true);
    wast_value_format(&v, buf, sizeof buf);
    CHECK(strcmp(buf, "f32:nan:arithmetic") == 0);
    /* Truncation keeps the string terminated. */
    char tiny[6];
    wast_value_format_raw(0x7F, bits32(123456), tiny, sizeof tiny);
    CHECK(strlen(tiny) == 5);

    CHECK(wast_valtype_from_name("externref") == 0x6F);
    CHECK(wast_valtype_from_name("anyref") == 0);
    CHECK(strcmp(wast_valtype_name(0x7C), "f64") == 0);
}

int main(void) {
    test_integers();
    test_float_exact();
    test_nan_classes();
    test_references();
    test_either();
    test_format();
    if (check_failures) fprintf(stderr, "%d checks failed\n", check_failures);
    return check_failures != 0;
}

/*
 * wasm_unit_test.c — hand-written tests of the wasm front end: the opcode table, the LEB128 and
 * instruction readers, the decoder's and validator's error paths (each must fail with the
 * expected message, never crash), every truncation of a valid module, the name section, and a
 * timing of decode + validate on a generated 2 MB module.
 *
 * Modules are built with a tiny byte builder (`buf`) so each case states exactly the bytes it
 * feeds in.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/wasm/decode.h"
#include "engine/wasm/opcodes.h"
#include "engine/wasm/validate.h"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* ---- a byte builder ---- */

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
} buf;

static void put(buf *b, const void *bytes, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert(b->p != NULL);
    }
    memcpy(b->p + b->len, bytes, n);
    b->len += n;
}

static void put_byte(buf *b, uint8_t v) {
    put(b, &v, 1);
}

static void put_u32(buf *b, uint32_t v) {
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        if (v) byte |= 0x80;
        put_byte(b, byte);
    } while (v);
}

static void put_bytes(buf *b, int n, ...) {
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        put_byte(b, (uint8_t)va_arg(ap, int));
    va_end(ap);
}

static void put_header(buf *b) {
    put_bytes(b, 8, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
}

static void put_section(buf *b, uint8_t id, const buf *content) {
    put_byte(b, id);
    put_u32(b, (uint32_t)content->len);
    put(b, content->p, content->len);
}

/* A module with one type [] -> [] (or `type_bytes`), one function whose body is `body` (locals
 * vector included), and optional memory. */
static buf module_with_body(const uint8_t *body, size_t body_len, bool memory) {
    buf m = {0}, s = {0};
    put_header(&m);
    put_bytes(&s, 4, 0x01, 0x60, 0x00, 0x00);
    put_section(&m, 1, &s);
    s.len = 0;
    put_bytes(&s, 2, 0x01, 0x00);
    put_section(&m, 3, &s);
    if (memory) {
        s.len = 0;
        put_bytes(&s, 3, 0x01, 0x00, 0x01);
        put_section(&m, 5, &s);
    }
    s.len = 0;
    put_byte(&s, 1);
    put_u32(&s, (uint32_t)body_len);
    put(&s, body, body_len);
    put_section(&m, 10, &s);
    free(s.p);
    return m;
}

/* Decodes and validates; returns 0 ok, 1 decode error, 2 validation error; message in err. */
static int load(const buf *b, char *err, size_t n) {
    wasm_module m;
    if (!wasm_decode(b->p, b->len, &m, err, n)) return 1;
    int r = wasm_validate(&m, err, n) ? 0 : 2;
    wasm_module_free(&m);
    return r;
}

static void expect_error(const buf *b, int stage, const char *msg, int line) {
    char err[256] = "";
    int r = load(b, err, sizeof err);
    if (r != stage || strstr(err, msg) == NULL) {
        fprintf(stderr, "line %d: expected stage %d error \"%s\", got stage %d \"%s\"\n", line,
                stage, msg, r, err);
        failures++;
    }
}

#define EXPECT_DECODE_ERROR(b, msg) expect_error(b, 1, msg, __LINE__)
#define EXPECT_INVALID(b, msg)      expect_error(b, 2, msg, __LINE__)

static void expect_body_error(const uint8_t *body, size_t n, bool memory, int stage,
                              const char *msg, int line) {
    buf m = module_with_body(body, n, memory);
    expect_error(&m, stage, msg, line);
    free(m.p);
}

#define BODY_ERROR(stage, msg, memory, ...)                                                        \
    do {                                                                                           \
        static const uint8_t body_[] = {__VA_ARGS__};                                              \
        expect_body_error(body_, sizeof body_, memory, stage, msg, __LINE__);                      \
    } while (0)

#define BODY_OK(memory, ...) BODY_ERROR(0, "", memory, __VA_ARGS__)

/* ---- opcode table ---- */

static void test_opcode_table(void) {
    unsigned count = 0, atomics = 0, fc = 0;
    const char *names[400];
    for (uint32_t op = 0; op < 0x10000; op++) {
        const wasm_opinfo *info = wasm_opinfo_get(op);
        if (info == NULL) continue;
        CHECK(info->op == op);
        CHECK(info->nin <= 3 && info->nout <= 1);
        if (info->flags & (WASM_OPF_LOAD | WASM_OPF_STORE | WASM_OPF_ATOMIC))
            CHECK(info->imm == WASM_IMM_MEMARG && info->mem_size != 0);
        if (info->imm == WASM_IMM_MEMARG)
            CHECK(info->mem_size == 1 || info->mem_size == 2 || info->mem_size == 4 ||
                  info->mem_size == 8);
        for (unsigned i = 0; i < info->nin; i++)
            CHECK(wasm_is_valtype(info->in[i]));
        for (unsigned i = 0; i < info->nout; i++)
            CHECK(wasm_is_valtype(info->out[i]));
        for (unsigned i = 0; i < count && i < 400; i++)
            CHECK(strcmp(names[i], info->name) != 0);
        if (count < 400) names[count] = info->name;
        count++;
        if ((op >> 8) == 0xFE) atomics++;
        if ((op >> 8) == 0xFC) fc++;
    }
    CHECK(count == 268); /* 182 MVP/2.0 single-byte + 18 (0xFC) + 67 (0xFE) + typed select */
    CHECK(fc == 18);
    CHECK(atomics == 67);
    CHECK(wasm_opinfo_get(0xFD00) == NULL);
    CHECK(wasm_opinfo_get(0x1FFFF) == NULL);
    CHECK(wasm_opinfo_get(0x06) == NULL);
    CHECK(strcmp(wasm_opinfo_get(WASM_OP_I32_ATOMIC_RMW16_CMPXCHG_U)->name,
                 "i32.atomic.rmw16.cmpxchg_u") == 0);
    CHECK(wasm_opinfo_get(WASM_OP_I64_ATOMIC_RMW32_XCHG_U)->mem_size == 4);
    CHECK(wasm_opinfo_get(WASM_OP_MEMORY_ATOMIC_WAIT64)->in[1] == WASM_I64);
    CHECK(wasm_opinfo_get(WASM_OP_TABLE_FILL)->op == 0xFC11);
    CHECK(wasm_opinfo_get(WASM_OP_I64_EXTEND32_S)->op == 0xC4);
}

/* ---- LEB128 ---- */

typedef struct leb_case {
    uint8_t bytes[12];
    unsigned len, bits;
    bool is_signed;
    bool ok;
    uint64_t value;
    const char *why;
} leb_case;

static void test_leb(void) {
    static const leb_case cases[] = {
        {{0x00}, 1, 32, false, true, 0, NULL},
        {{0xE5, 0x8E, 0x26}, 3, 32, false, true, 624485, NULL},
        {{0x80, 0x00}, 2, 32, false, true, 0, NULL}, /* overlong but within 5 bytes: fine */
        {{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 5, 32, false, true, 0xFFFFFFFF, NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, 5, 32, false, false, 0, "integer too large"},
        {{0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
         6,
         32,
         false,
         false,
         0,
         "integer representation too long"},
        {{0x80, 0x80}, 2, 32, false, false, 0, "unexpected end"},
        {{0x7F}, 1, 32, true, true, (uint64_t)-1, NULL},
        {{0xC0, 0xBB, 0x78}, 3, 32, true, true, (uint64_t)-123456, NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0x07}, 5, 32, true, true, 0x7FFFFFFF, NULL},
        {{0x80, 0x80, 0x80, 0x80, 0x78}, 5, 32, true, true, (uint64_t)(int64_t)INT32_MIN, NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0x4F}, 5, 32, true, false, 0, "integer too large"},
        {{0x80, 0x80, 0x80, 0x80, 0x70}, 5, 32, true, false, 0, "integer too large"},
        {{0x40}, 1, 33, true, true, (uint64_t)-64, NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 5, 33, true, true, 0xFFFFFFFF, NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, 5, 33, true, false, 0, "integer too large"},
        {{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F},
         10,
         64,
         true,
         true,
         (uint64_t)INT64_MIN,
         NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00},
         10,
         64,
         true,
         true,
         INT64_MAX,
         NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01},
         10,
         64,
         true,
         false,
         0,
         "integer too large"},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01},
         10,
         64,
         false,
         true,
         UINT64_MAX,
         NULL},
        {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02},
         10,
         64,
         false,
         false,
         0,
         "integer too large"},
        {{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
         11,
         64,
         true,
         false,
         0,
         "integer representation too long"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const leb_case *c = &cases[i];
        const uint8_t *p = c->bytes;
        uint64_t v = 0;
        const char *why = NULL;
        bool ok = wasm_read_leb(&p, c->bytes + c->len, c->bits, c->is_signed, &v, &why);
        if (ok != c->ok || (ok && (v != c->value || p != c->bytes + c->len)) ||
            (!ok && strcmp(why, c->why) != 0)) {
            fprintf(stderr, "LEB case %zu: ok=%d value=%llx why=%s\n", i, ok, (unsigned long long)v,
                    why ? why : "-");
            failures++;
        }
    }
    const uint8_t one[] = {0x05};
    const uint8_t *p = one;
    uint32_t u;
    CHECK(wasm_read_u32(&p, one + 1, &u) && u == 5 && p == one + 1);
    p = one;
    CHECK(!wasm_read_u32(&p, one, &u)); /* empty input */
}

/* ---- the instruction reader ---- */

static bool read1(const uint8_t *bytes, size_t n, wasm_instr *in, char *err) {
    const uint8_t *p = bytes;
    bool ok = wasm_read_instr(&p, bytes + n, in, err, 128);
    if (ok) assert(p <= bytes + n);
    return ok;
}

static void test_instr_reader(void) {
    wasm_instr in;
    char err[128];
    static const uint8_t simd[] = {0xFD, 0x0C};
    CHECK(!read1(simd, sizeof simd, &in, err) &&
          strstr(err, "SIMD (0xFD prefix) is not supported"));
    static const uint8_t bad[] = {0x06};
    CHECK(!read1(bad, 1, &in, err) && strstr(err, "illegal opcode"));
    static const uint8_t bad_fc[] = {0xFC, 0x12};
    CHECK(!read1(bad_fc, 2, &in, err) && strstr(err, "illegal opcode"));
    static const uint8_t long_fc[] = {0xFC, 0x80, 0x00}; /* overlong subop 0: legal */
    CHECK(read1(long_fc, 3, &in, err) && in.opcode == WASM_OP_I32_TRUNC_SAT_F32_S);
    static const uint8_t grow[] = {0x40, 0x01};
    CHECK(!read1(grow, 2, &in, err) && strstr(err, "zero byte expected"));
    static const uint8_t fence[] = {0xFE, 0x03, 0x00};
    CHECK(read1(fence, 3, &in, err) && in.opcode == WASM_OP_ATOMIC_FENCE);
    static const uint8_t br_table[] = {0x0E, 0x03, 0x01, 0x80, 0x01, 0x02, 0x07};
    CHECK(read1(br_table, sizeof br_table, &in, err) && in.br_count == 3 && in.br_default == 7);
    CHECK(wasm_br_table_target(&in, 0) == 1 && wasm_br_table_target(&in, 1) == 128 &&
          wasm_br_table_target(&in, 2) == 2 && wasm_br_table_target(&in, 3) == 7);
    static const uint8_t i32c[] = {0x41, 0x7F};
    CHECK(read1(i32c, 2, &in, err) && in.i32 == 0xFFFFFFFF && in.i64 == UINT64_MAX);
    static const uint8_t f64c[] = {0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F};
    CHECK(read1(f64c, sizeof f64c, &in, err) && in.f64_bits == 0x3FF0000000000000ull);
    static const uint8_t blk[] = {0x02, 0x7F};
    CHECK(read1(blk, 2, &in, err) && wasm_blocktype_valtype(in.blocktype) == WASM_I32);
    static const uint8_t blk_bad[] = {0x02, 0x7B};
    CHECK(!read1(blk_bad, 2, &in, err));
    static const uint8_t refnull_bad[] = {0xD0, 0x7F};
    CHECK(!read1(refnull_bad, 2, &in, err) && strstr(err, "malformed reference type"));
    static const uint8_t atomic[] = {0xFE, 0x48, 0x02, 0x10};
    CHECK(read1(atomic, 4, &in, err) && in.opcode == WASM_OP_I32_ATOMIC_RMW_CMPXCHG &&
          in.align == 2 && in.offset == 16);
    /* Every proper prefix of a multi-byte instruction is "unexpected end", not a crash. */
    static const uint8_t *const longs[] = {br_table, f64c, atomic, long_fc};
    static const size_t lens[] = {sizeof br_table, sizeof f64c, sizeof atomic, sizeof long_fc};
    for (size_t k = 0; k < 4; k++)
        for (size_t n = 0; n < lens[k]; n++) {
            uint8_t copy[16];
            memcpy(copy, longs[k], n);
            CHECK(!read1(copy, n, &in, err));
        }
}

/* ---- decoder error paths ---- */

static void test_decode_errors(void) {
    buf b = {0}, s = {0};
    char err[256];
    wasm_module m;
    CHECK(!wasm_decode((const uint8_t *)"", 0, &m, err, sizeof err) &&
          strstr(err, "unexpected end"));
    CHECK(!wasm_decode((const uint8_t *)"\0asx\1\0\0\0", 8, &m, err, sizeof err) &&
          strstr(err, "magic header not detected"));
    CHECK(!wasm_decode((const uint8_t *)"\0asm\2\0\0\0", 8, &m, err, sizeof err) &&
          strstr(err, "unknown binary version"));
    CHECK(wasm_decode((const uint8_t *)"\0asm\1\0\0\0", 8, &m, err, sizeof err));
    CHECK(wasm_validate(&m, err, sizeof err));
    wasm_module_free(&m);
    wasm_module_free(&m); /* freeing twice is harmless */

    /* sections out of order, duplicated, unknown */
    put_header(&b);
    put_bytes(&b, 6, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00);
    EXPECT_DECODE_ERROR(&b, "unexpected content after last section");
    b.len = 8;
    put_bytes(&b, 4, 0x08, 0x01, 0x00, 0x08);
    put_bytes(&b, 2, 0x01, 0x00);
    EXPECT_DECODE_ERROR(&b, "unexpected content after last section");
    b.len = 8;
    put_bytes(&b, 2, 0x0D, 0x00);
    EXPECT_DECODE_ERROR(&b, "malformed section id");
    b.len = 8;
    put_bytes(&b, 3, 0x01, 0x05, 0x00);
    EXPECT_DECODE_ERROR(&b, "length out of bounds");
    b.len = 8;
    put_bytes(&b, 4, 0x01, 0x02, 0x00, 0x00); /* type section with a trailing byte */
    EXPECT_DECODE_ERROR(&b, "section size mismatch");

    /* function section without code section, and the converse */
    b.len = 8;
    put_bytes(&b, 6, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00);
    put_bytes(&b, 4, 0x03, 0x02, 0x01, 0x00);
    EXPECT_DECODE_ERROR(&b, "function and code section have inconsistent lengths");
    b.len = 8;
    put_bytes(&b, 6, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B);
    EXPECT_DECODE_ERROR(&b, "function and code section have inconsistent lengths");

    /* data count */
    b.len = 8;
    put_bytes(&b, 3, 0x0C, 0x01, 0x01);
    EXPECT_DECODE_ERROR(&b, "data count and data section have inconsistent lengths");
    BODY_ERROR(1, "data count section required", true, 0x00, 0xFC, 0x09, 0x00, 0x0B);

    /* names: invalid UTF-8 (overlong, surrogate, truncated) */
    static const uint8_t bad_utf8[][3] = {{0xC0, 0x80, 0}, {0xED, 0xA0, 0x80}, {0xE2, 0x82, 0}};
    for (int i = 0; i < 3; i++) {
        b.len = 8;
        s.len = 0;
        put_u32(&s, 1);
        put(&s, bad_utf8[i], 3);
        put_section(&b, 0, &s);
        EXPECT_DECODE_ERROR(&b, "malformed UTF-8 encoding");
    }
    b.len = 8; /* valid 4-byte UTF-8 in a custom section name */
    put_bytes(&b, 7, 0x00, 0x05, 0x04, 0xF0, 0x9F, 0x98, 0x80);
    CHECK(load(&b, err, sizeof err) == 0);

    /* types and imports */
    b.len = 8;
    put_bytes(&b, 6, 0x01, 0x04, 0x01, 0x60, 0x01, 0x7B);
    EXPECT_DECODE_ERROR(&b, "SIMD (v128) is not supported");
    b.len = 8;
    put_bytes(&b, 7, 0x02, 0x05, 0x01, 0x00, 0x00, 0x04, 0x00);
    EXPECT_DECODE_ERROR(&b, "malformed import kind");
    b.len = 8;
    put_bytes(&b, 5, 0x06, 0x06, 0x01, 0x7F, 0x02);
    put_bytes(&b, 3, 0x41, 0x00, 0x0B);
    EXPECT_DECODE_ERROR(&b, "malformed mutability");

    /* function bodies */
    BODY_ERROR(1, "too many locals", false, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x01, 0x7E,
               0x0B);
    BODY_ERROR(1, "END opcode expected", false, 0x00, 0x01);
    BODY_ERROR(1, "section size mismatch", false, 0x00, 0x0B, 0x01);
    BODY_ERROR(1, "SIMD (0xFD prefix) is not supported", false, 0x00, 0xFD, 0x0C, 0x0B);
    BODY_ERROR(1, "illegal opcode", false, 0x00, 0xFF, 0x0B);
    BODY_ERROR(1, "zero byte expected", true, 0x00, 0x3F, 0x80, 0x00, 0x1A, 0x0B);

    /* no error buffer at all: still a clean failure */
    {
        static const uint8_t body[] = {0x00, 0xFF, 0x0B};
        buf bad = module_with_body(body, sizeof body, false);
        wasm_module m2;
        CHECK(!wasm_decode(bad.p, bad.len, &m2, NULL, 0));
        free(bad.p);
    }

    /* implementation limits */
    BODY_ERROR(1, "too many locals (implementation limit", false, 0x01, 0xD1, 0x86, 0x03, 0x7F,
               0x0B);                                   /* 50001 locals */
    BODY_OK(false, 0x01, 0xD0, 0x86, 0x03, 0x7F, 0x0B); /* 50000 locals */
    b.len = 8;
    s.len = 0;
    put_bytes(&s, 2, 0x01, 0x60);
    put_u32(&s, 1001);
    for (int i = 0; i < 1001; i++)
        put_byte(&s, 0x7F);
    put_byte(&s, 0x00);
    put_section(&b, 1, &s);
    EXPECT_DECODE_ERROR(&b, "too many parameters");
    b.len = 8;
    s.len = 0;
    put_bytes(&s, 3, 0x01, 0x60, 0x00);
    put_u32(&s, 1001);
    for (int i = 0; i < 1001; i++)
        put_byte(&s, 0x7F);
    put_section(&b, 1, &s);
    EXPECT_DECODE_ERROR(&b, "too many results");

    /* limits flags */
    b.len = 8;
    put_bytes(&b, 5, 0x04, 0x03, 0x01, 0x70, 0x02);
    EXPECT_DECODE_ERROR(&b, "integer too large"); /* tables cannot be shared */
    b.len = 8;
    put_bytes(&b, 6, 0x05, 0x04, 0x01, 0x81, 0x00, 0x00);
    EXPECT_DECODE_ERROR(&b, "integer representation too long");

    /* segments */
    b.len = 8;
    put_bytes(&b, 5, 0x09, 0x03, 0x01, 0x08, 0x00);
    EXPECT_DECODE_ERROR(&b, "malformed elements segment kind");
    b.len = 8;
    put_bytes(&b, 5, 0x0B, 0x03, 0x01, 0x03, 0x00);
    EXPECT_DECODE_ERROR(&b, "malformed data segment kind");
    free(b.p);
    free(s.p);
}

/* ---- validator error paths ---- */

static void test_validate_errors(void) {
    BODY_OK(false, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x1A, 0x0B);
    BODY_ERROR(2, "type mismatch", false, 0x00, 0x41, 0x01, 0x42, 0x02, 0x6A, 0x1A, 0x0B);
    BODY_ERROR(2, "type mismatch", false, 0x00, 0x41, 0x01, 0x0B); /* value left over */
    BODY_ERROR(2, "type mismatch", false, 0x00, 0x6A, 0x1A, 0x0B); /* empty stack */
    BODY_OK(false, 0x00, 0x00, 0x6A, 0x1A, 0x0B); /* polymorphic after unreachable */
    BODY_ERROR(2, "unknown local", false, 0x01, 0x01, 0x7F, 0x20, 0x01, 0x1A, 0x0B);
    BODY_OK(false, 0x01, 0x01, 0x7F, 0x20, 0x00, 0x1A, 0x0B);
    BODY_ERROR(2, "unknown label", false, 0x00, 0x0C, 0x01, 0x0B);
    BODY_ERROR(2, "unknown function", false, 0x00, 0x10, 0x05, 0x0B);
    BODY_ERROR(2, "unknown global", false, 0x00, 0x23, 0x00, 0x1A, 0x0B);
    BODY_ERROR(2, "unknown memory", false, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B);
    BODY_ERROR(2, "alignment must not be larger than natural", true, 0x00, 0x41, 0x00, 0x28, 0x03,
               0x00, 0x1A, 0x0B);
    BODY_OK(true, 0x00, 0x41, 0x00, 0x28, 0x00, 0x00, 0x1A, 0x0B); /* under-aligned: fine */
    BODY_ERROR(2, "atomic alignment must be natural", true, 0x00, 0x41, 0x00, 0xFE, 0x10, 0x01,
               0x00, 0x1A, 0x0B);
    BODY_OK(true, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFE, 0x48, 0x02, 0x00, 0x1A, 0x0B);
    BODY_OK(true, 0x00, 0x41, 0x00, 0x41, 0x00, 0x42, 0x00, 0xFE, 0x01, 0x02, 0x00, 0x1A, 0x0B);
    BODY_OK(false, 0x00, 0xFE, 0x03, 0x00, 0x0B); /* atomic.fence needs no memory */
    BODY_ERROR(2, "unknown function", false, 0x00, 0xD2, 0x00 + 9, 0x1A, 0x0B);
    BODY_ERROR(2, "undeclared function reference", false, 0x00, 0xD2, 0x00, 0x1A, 0x0B);
    BODY_ERROR(2, "else without if", false, 0x00, 0x02, 0x40, 0x05, 0x0B, 0x0B);
    BODY_ERROR(2, "type mismatch", false, 0x00, 0x41, 0x00, 0x04, 0x7F, 0x41, 0x00, 0x0B, 0x1A,
               0x0B); /* if with a result and no else */
    BODY_ERROR(2, "invalid result arity", false, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C,
               0x02, 0x7F, 0x7F, 0x1A, 0x0B);
    BODY_ERROR(2, "type mismatch", false, 0x00, 0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1B, 0x1A,
               0x0B); /* untyped select on references */
    BODY_ERROR(2, "unknown table", false, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0B);
    BODY_ERROR(2, "unknown type", false, 0x00, 0x02, 0x05, 0x0B, 0x0B);
    BODY_ERROR(2, "type mismatch", false, 0x00, 0x02, 0x7F, 0x41, 0x00, 0x41, 0x00, 0x0E, 0x01,
               0x00, 0x01, 0x0B, 0x1A, 0x0B); /* br_table targets of arity 1 and 0 */
    BODY_OK(false, 0x00, 0x02, 0x40, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x0B);

    buf b = {0};
    /* two memories */
    put_header(&b);
    put_bytes(&b, 7, 0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00);
    EXPECT_INVALID(&b, "multiple memories");
    /* shared memory without maximum; with maximum */
    b.len = 8;
    put_bytes(&b, 5, 0x05, 0x03, 0x01, 0x02, 0x01);
    EXPECT_INVALID(&b, "shared memory must have maximum");
    b.len = 8;
    put_bytes(&b, 6, 0x05, 0x04, 0x01, 0x03, 0x01, 0x02);
    CHECK(load(&b, NULL, 0) == 0);
    b.len = 8;
    put_bytes(&b, 6, 0x05, 0x04, 0x01, 0x01, 0x02, 0x01);
    EXPECT_INVALID(&b, "size minimum must not be greater than maximum");
    b.len = 8;
    put_bytes(&b, 7, 0x05, 0x05, 0x01, 0x00, 0x81, 0x80, 0x04); /* min 65537 */
    EXPECT_INVALID(&b, "memory size must be at most 65536 pages");
    /* a global initialised with a non-constant instruction */
    b.len = 8;
    put_bytes(&b, 9, 0x06, 0x07, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x45, 0x0B);
    EXPECT_INVALID(&b, "constant expression required");
    /* duplicate export names, start function with parameters */
    b.len = 8;
    put_bytes(&b, 7, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7F, 0x00);
    put_bytes(&b, 4, 0x03, 0x02, 0x01, 0x00);
    put_bytes(&b, 11, 0x07, 0x09, 0x02, 0x01, 0x61, 0x00, 0x00, 0x01, 0x61, 0x00, 0x00);
    put_bytes(&b, 3, 0x08, 0x01, 0x00);
    put_bytes(&b, 6, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B);
    EXPECT_INVALID(&b, "duplicate export name");
    b.p[8 + 7 + 4 + 4] = 0x62; /* rename the first export */
    EXPECT_INVALID(&b, "start function");
    free(b.p);
}

/* ---- every truncation of a valid module fails cleanly ---- */

static void test_truncations(void) {
    buf b = {0};
    put_header(&b);
    put_bytes(&b, 8, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F);              /* type */
    put_bytes(&b, 10, 0x02, 0x08, 0x01, 0x01, 0x6D, 0x01, 0x67, 0x03, 0x7F, 0x00); /* import */
    put_bytes(&b, 4, 0x03, 0x02, 0x01, 0x00);                                      /* function */
    put_bytes(&b, 6, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01);                          /* table */
    put_bytes(&b, 6, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01);                          /* memory */
    put_bytes(&b, 7, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00);                    /* export */
    put_bytes(&b, 9, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00);        /* element */
    put_bytes(&b, 3, 0x0C, 0x01, 0x01);                                            /* datacount */
    static const uint8_t code[] = {0x0A, 0x11, 0x01, 0x0F, 0x01, 0x01, 0x7E, 0x20, 0x00, 0x41,
                                   0x01, 0xFE, 0x00, 0x02, 0x00, 0x1A, 0x20, 0x00, 0x0B};
    put(&b, code, sizeof code);
    put_bytes(&b, 6, 0x0B, 0x04, 0x01, 0x01, 0x01, 0x7A); /* data */
    static const uint8_t names[] = {0x00, 0x0E, 0x04, 'n',  'a', 'm', 'e', 0x01,
                                    0x07, 0x01, 0x00, 0x04, 'm', 'a', 'i', 'n'};
    put(&b, names, sizeof names);
    char err[256];
    wasm_module m;
    CHECK(wasm_decode(b.p, b.len, &m, err, sizeof err));
    if (!wasm_validate(&m, err, sizeof err)) {
        fprintf(stderr, "truncation base module invalid: %s\n", err);
        failures++;
    }
    CHECK(m.nfuncs_imported == 0 && m.nglobals == 1 && m.nfuncs == 1 && m.ntables == 1);
    CHECK(m.nmemories == 1 && m.memories[0].shared && m.nelems == 1 && m.ndatas == 1);
    CHECK(m.func_names != NULL && m.func_names[0].len == 4 &&
          strcmp(m.func_names[0].bytes, "main") == 0);
    CHECK(m.funcs[0].nlocals == 1 && m.funcs[0].localdecls[0].valtype == WASM_I64);
    wasm_module_free(&m);
    for (size_t n = 8; n < b.len - sizeof names; n++) {
        if (wasm_decode(b.p, n, &m, err, sizeof err)) {
            /* only a cut exactly between sections may decode (and must then be valid or not) */
            wasm_validate(&m, err, sizeof err);
            wasm_module_free(&m);
        }
    }
    /* A malformed name section is ignored, not an error. */
    b.p[b.len - 1] = 0xFF; /* invalid UTF-8 in the function name */
    CHECK(wasm_decode(b.p, b.len, &m, err, sizeof err));
    CHECK(m.func_names == NULL);
    wasm_module_free(&m);
    free(b.p);
}

/* ---- name section ---- */

static void test_names(void) {
    static const uint8_t body[] = {0x00, 0x0B};
    buf b = module_with_body(body, sizeof body, false);
    static const uint8_t names[] = {0x00, 0x0F, 0x04, 'n',  'a',  'm',  'e',  0x00, 0x02,
                                    0x01, 'M',  0x01, 0x04, 0x01, 0x00, 0x01, 'f'};
    put(&b, names, sizeof names);
    char err[256];
    wasm_module m;
    CHECK(wasm_decode(b.p, b.len, &m, err, sizeof err));
    CHECK(m.module_name.len == 1 && strcmp(m.module_name.bytes, "M") == 0);
    CHECK(m.func_names != NULL && m.func_names[0].len == 1 &&
          strcmp(m.func_names[0].bytes, "f") == 0);
    wasm_module_free(&m);
    free(b.p);
}

/* ---- speed: a 2 MB module ---- */

static void test_speed(void) {
    buf b = {0}, s = {0}, body = {0};
    put_header(&b);
    put_bytes(&s, 7, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F);
    put_section(&b, 1, &s);
    /* one body: locals, then 40 x (local.get 0; local.get 1; i32.add; local.set 0), return */
    put_bytes(&body, 3, 0x01, 0x02, 0x7F);
    for (int i = 0; i < 40; i++)
        put_bytes(&body, 7, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x21, 0x00);
    put_bytes(&body, 3, 0x20, 0x00, 0x0B);
    uint32_t nfuncs = (uint32_t)(2u * 1024 * 1024 / (body.len + 2));
    s.len = 0;
    put_u32(&s, nfuncs);
    for (uint32_t i = 0; i < nfuncs; i++)
        put_byte(&s, 0x00);
    put_section(&b, 3, &s);
    s.len = 0;
    put_u32(&s, nfuncs);
    for (uint32_t i = 0; i < nfuncs; i++) {
        put_u32(&s, (uint32_t)body.len);
        put(&s, body.p, body.len);
    }
    put_section(&b, 10, &s);
    char err[256];
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    int r = load(&b, err, sizeof err);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(r == 0);
    printf("decode+validate of a %.2f MB module (%u functions): %.1f ms CPU\n",
           (double)b.len / (1024 * 1024), nfuncs, ms);
    CHECK(ms < 2000); /* generous: sanitizer builds are ~5x slower */
    free(b.p);
    free(s.p);
    free(body.p);
}

int main(void) {
    test_opcode_table();
    test_leb();
    test_instr_reader();
    test_decode_errors();
    test_validate_errors();
    test_truncations();
    test_names();
    test_speed();
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("wasm_unit: all passed\n");
    return 0;
}

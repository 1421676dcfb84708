/*
 * kv_buf.c — byte buffers and the encodings of the on-disk format.
 *
 * Everything kvstore writes is built in a kv_buf (a growable array) and everything it reads is
 * parsed with a kv_reader, a cursor that checks every read against the end of its range: a
 * damaged file makes the reader "bad" (the caller reports corruption) instead of reading past the
 * data. Integers are little-endian, fixed width (u32, u64) or LEB128 varints (7 bits per byte,
 * high bit = more; at most 10 bytes). Allocation failure aborts: the program has nothing sensible
 * to do without memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

void kv_buf_init(kv_buf *b) {
    b->data = NULL;
    b->len = b->cap = 0;
}

void kv_buf_free(kv_buf *b) {
    free(b->data);
    kv_buf_init(b);
}

void kv_buf_reset(kv_buf *b) {
    b->len = 0;
}

void kv_buf_reserve(kv_buf *b, size_t extra) {
    if (b->len + extra <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d) {
        fprintf(stderr, "kvstore: out of memory\n");
        abort();
    }
    b->data = d;
    b->cap = cap;
}

void kv_buf_put(kv_buf *b, const void *p, size_t n) {
    if (n == 0) return;
    kv_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void kv_buf_put_u8(kv_buf *b, uint8_t v) {
    kv_buf_put(b, &v, 1);
}

void kv_set_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void kv_set_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t kv_get_u32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

uint64_t kv_get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void kv_buf_put_u32(kv_buf *b, uint32_t v) {
    uint8_t t[4];
    kv_set_u32(t, v);
    kv_buf_put(b, t, 4);
}

void kv_buf_put_u64(kv_buf *b, uint64_t v) {
    uint8_t t[8];
    kv_set_u64(t, v);
    kv_buf_put(b, t, 8);
}

void kv_buf_put_varint(kv_buf *b, uint64_t v) {
    uint8_t t[10];
    int n = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        t[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    kv_buf_put(b, t, (size_t)n);
}

void kv_buf_put_bytes(kv_buf *b, const void *p, size_t n) {
    kv_buf_put_varint(b, n);
    kv_buf_put(b, p, n);
}

void kv_reader_init(kv_reader *r, const void *p, size_t n) {
    r->p = p;
    r->end = r->p + n;
    r->bad = false;
}

size_t kv_reader_left(const kv_reader *r) {
    return (size_t)(r->end - r->p);
}

const uint8_t *kv_read_span(kv_reader *r, size_t n) {
    if (r->bad || kv_reader_left(r) < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    return p;
}

uint8_t kv_read_u8(kv_reader *r) {
    const uint8_t *p = kv_read_span(r, 1);
    return p ? p[0] : 0;
}

uint32_t kv_read_u32(kv_reader *r) {
    const uint8_t *p = kv_read_span(r, 4);
    return p ? kv_get_u32(p) : 0;
}

uint64_t kv_read_u64(kv_reader *r) {
    const uint8_t *p = kv_read_span(r, 8);
    return p ? kv_get_u64(p) : 0;
}

uint64_t kv_read_varint(kv_reader *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        const uint8_t *p = kv_read_span(r, 1);
        if (!p) return 0;
        if (shift == 63 && (*p & 0x7e)) break; /* would overflow 64 bits */
        v |= (uint64_t)(*p & 0x7f) << shift;
        if (!(*p & 0x80)) return v;
    }
    r->bad = true;
    return 0;
}

kv_slice kv_slice_str(const char *s) {
    kv_slice k = {(const uint8_t *)s, strlen(s)};
    return k;
}

int kv_slice_cmp(kv_slice a, kv_slice b) {
    size_t n = a.n < b.n ? a.n : b.n;
    int c = n ? memcmp(a.p, b.p, n) : 0;
    if (c) return c;
    return a.n < b.n ? -1 : a.n > b.n;
}

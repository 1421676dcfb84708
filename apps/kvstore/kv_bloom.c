/*
 * kv_bloom.c — Bloom filters: a bit array and k hash functions; "maybe present" or "certainly
 * absent". Each segment carries one over its keys so a lookup skips segments that cannot hold the
 * key. Sized at 10 bits per key with k = 7 (about 1% false positives). The k bit positions come
 * from double hashing of two FNV-1a variants: h1 + i*h2, the usual Kirsch–Mitzenmacher trick.
 * Encoded as: u32 nbits, u32 nhashes, then nbits/8 bytes (nbits is a multiple of 8).
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"

static uint64_t fnv(kv_slice k, uint64_t seed) {
    uint64_t h = 14695981039346656037ull ^ seed;
    for (size_t i = 0; i < k.n; i++) {
        h ^= k.p[i];
        h *= 1099511628211ull;
    }
    return h;
}

void kv_bloom_init(kv_bloom *b, size_t expected_keys) {
    size_t bits = expected_keys * 10;
    if (bits < 64) bits = 64;
    bits = (bits + 7) & ~(size_t)7;
    b->nbits = (uint32_t)bits;
    b->nhashes = 7;
    b->bits = calloc(bits / 8, 1);
    if (!b->bits) abort();
}

void kv_bloom_free(kv_bloom *b) {
    free(b->bits);
    b->bits = NULL;
    b->nbits = 0;
}

void kv_bloom_add(kv_bloom *b, kv_slice key) {
    uint64_t h1 = fnv(key, 0), h2 = fnv(key, 0x9e3779b97f4a7c15ull) | 1;
    for (uint32_t i = 0; i < b->nhashes; i++) {
        uint64_t bit = (h1 + i * h2) % b->nbits;
        b->bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
    }
}

bool kv_bloom_may_contain(const kv_bloom *b, kv_slice key) {
    if (b->nbits == 0) return true;
    uint64_t h1 = fnv(key, 0), h2 = fnv(key, 0x9e3779b97f4a7c15ull) | 1;
    for (uint32_t i = 0; i < b->nhashes; i++) {
        uint64_t bit = (h1 + i * h2) % b->nbits;
        if (!(b->bits[bit / 8] & (1u << (bit % 8)))) return false;
    }
    return true;
}

void kv_bloom_encode(const kv_bloom *b, kv_buf *out) {
    kv_buf_put_u32(out, b->nbits);
    kv_buf_put_u32(out, b->nhashes);
    kv_buf_put(out, b->bits, b->nbits / 8);
}

bool kv_bloom_decode(kv_bloom *b, kv_reader *r) {
    uint32_t nbits = kv_read_u32(r), nhashes = kv_read_u32(r);
    if (r->bad || nbits % 8 || nbits == 0 || nhashes == 0 || nhashes > 32) return false;
    const uint8_t *bits = kv_read_span(r, nbits / 8);
    if (!bits) return false;
    b->nbits = nbits;
    b->nhashes = nhashes;
    b->bits = malloc(nbits / 8);
    if (!b->bits) abort();
    memcpy(b->bits, bits, nbits / 8);
    return true;
}

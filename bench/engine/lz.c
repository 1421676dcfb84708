/*
 * lz.c — LZ77 compression and decompression of synthetic text, the round trip repeated `reps`
 * times.
 *
 * The text is words drawn with a skewed distribution from a generated vocabulary, so it has the
 * repetitions of natural language. The compressor is greedy with hash chains: a hash of the next
 * four bytes finds earlier positions (up to `chain` of them, within a 64 KiB window) and the
 * longest match wins. The format is a sequence of tokens, each a varint literal count, that many
 * literal bytes, and — unless the output is complete — a varint (match length - 4) and a 16-bit
 * little-endian offset. Byte loads, compares, table lookups and unpredictable branches: the
 * typical integer code of compressors and parsers.
 *
 * Check: the decompressed text equals the input (the decoder validates every token, so corrupt
 * data is an error, not an overrun). The checksum hashes the compressed bytes.
 */
#include "bench.h"

static const bench_param params[] = {
    {"size", 8 * 1024 * 1024, 100000, 1, 512 * 1024 * 1024},
    {"reps", 4, 1, 1, 100000},
    {"chain", 16, 16, 1, 4096},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

enum {
    MIN_MATCH = 4,
    WINDOW = 1 << 16, /* positions kept in the chain array; offsets stay below it */
    HASH_BITS = 16,
    VOCABULARY = 4096,
};

/* ---- Input ---- */

static void make_text(unsigned char *text, size_t size) {
    static char words[VOCABULARY][12];
    bench_rng rng = {99};
    for (int w = 0; w < VOCABULARY; w++) {
        int len = 2 + (int)(bench_rand(&rng) % 9);
        for (int k = 0; k < len; k++)
            words[w][k] = (char)('a' + bench_rand(&rng) % 26);
        words[w][len] = '\0';
    }
    size_t pos = 0;
    while (pos < size) {
        uint64_t r = bench_rand(&rng);
        /* The product of two uniform indices favours small ones, a rough Zipf law. */
        size_t w = (size_t)((r & 0xfff) * ((r >> 12) & 0xfff) / VOCABULARY);
        for (const char *c = words[w]; *c && pos < size; c++)
            text[pos++] = (unsigned char)*c;
        if (pos < size) text[pos++] = (r >> 40) % 16 == 0 ? '\n' : ' ';
    }
}

/* ---- Compressor ---- */

static uint32_t hash4(const unsigned char *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static size_t put_varint(unsigned char *out, size_t value) {
    size_t n = 0;
    while (value >= 0x80) {
        out[n++] = (unsigned char)(value | 0x80);
        value >>= 7;
    }
    out[n++] = (unsigned char)value;
    return n;
}

/* The worst case output size: all literals plus one varint per token. */
static size_t compress_bound(size_t size) {
    return size + size / 64 + 16;
}

typedef struct compressor {
    int32_t head[1 << HASH_BITS]; /* last position with each hash, or -1 */
    int32_t prev[WINDOW];         /* previous position with the same hash, by position % WINDOW */
} compressor;

static void insert_position(compressor *z, const unsigned char *in, int32_t pos) {
    uint32_t h = hash4(in + pos);
    z->prev[pos & (WINDOW - 1)] = z->head[h];
    z->head[h] = pos;
}

static size_t compress(compressor *z, const unsigned char *in, size_t size, long chain,
                       unsigned char *out) {
    for (size_t h = 0; h < sizeof z->head / sizeof z->head[0]; h++)
        z->head[h] = -1;
    size_t o = 0, literal_start = 0, i = 0;
    while (i + MIN_MATCH <= size) {
        size_t best_len = 0, best_offset = 0;
        int32_t candidate = z->head[hash4(in + i)];
        for (long depth = 0; candidate >= 0 && depth < chain; depth++) {
            size_t offset = i - (size_t)candidate;
            if (offset >= WINDOW) break;
            size_t len = 0;
            while (i + len < size && in[candidate + len] == in[i + len])
                len++;
            if (len > best_len) {
                best_len = len;
                best_offset = offset;
            }
            candidate = z->prev[candidate & (WINDOW - 1)];
        }
        insert_position(z, in, (int32_t)i);
        if (best_len < MIN_MATCH) {
            i++;
            continue;
        }
        o += put_varint(out + o, i - literal_start);
        memcpy(out + o, in + literal_start, i - literal_start);
        o += i - literal_start;
        o += put_varint(out + o, best_len - MIN_MATCH);
        out[o++] = (unsigned char)(best_offset & 0xff);
        out[o++] = (unsigned char)(best_offset >> 8);
        for (size_t k = 1; k < best_len && i + k + MIN_MATCH <= size; k++)
            insert_position(z, in, (int32_t)(i + k));
        i += best_len;
        literal_start = i;
    }
    o += put_varint(out + o, size - literal_start);
    memcpy(out + o, in + literal_start, size - literal_start);
    o += size - literal_start;
    assert(o <= compress_bound(size));
    return o;
}

/* ---- Decompressor ---- */

/* Reads a varint at in[*pos], at most 5 bytes; returns 0 on truncated or oversized input. */
static int get_varint(const unsigned char *in, size_t len, size_t *pos, size_t *value) {
    size_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (*pos >= len) return 0;
        unsigned char byte = in[(*pos)++];
        v |= (size_t)(byte & 0x7f) << shift;
        if (byte < 0x80) {
            *value = v;
            return 1;
        }
    }
    return 0;
}

/* Returns 1 when in[0..len) decodes to exactly size bytes, 0 on any malformed token. */
static int decompress(const unsigned char *in, size_t len, unsigned char *out, size_t size) {
    size_t i = 0, o = 0;
    for (;;) {
        size_t literals, extra;
        if (!get_varint(in, len, &i, &literals)) return 0;
        if (literals > len - i || literals > size - o) return 0;
        memcpy(out + o, in + i, literals);
        i += literals;
        o += literals;
        if (o == size) return i == len;
        if (!get_varint(in, len, &i, &extra) || len - i < 2) return 0;
        size_t offset = (size_t)in[i] | (size_t)in[i + 1] << 8, match = extra + MIN_MATCH;
        i += 2;
        if (offset == 0 || offset > o || match > size - o) return 0;
        for (size_t k = 0; k < match; k++, o++)
            out[o] = out[o - offset]; /* may overlap */
    }
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("lz", argc, argv, params, NPARAMS, v);
    size_t size = (size_t)v[0];
    long reps = v[1], chain = v[2];

    unsigned char *text = bench_alloc("lz", size, 1);
    unsigned char *packed = bench_alloc("lz", compress_bound(size), 1);
    unsigned char *unpacked = bench_alloc("lz", size, 1);
    compressor *z = bench_alloc("lz", 1, sizeof *z);
    make_text(text, size);

    int ok = 1;
    size_t packed_len = 0;
    double start = bench_now();
    for (long r = 0; r < reps; r++) {
        packed_len = compress(z, text, size, chain, packed);
        if (!decompress(packed, packed_len, unpacked, size)) ok = 0;
    }
    double seconds = bench_now() - start;

    if (memcmp(text, unpacked, size) != 0) ok = 0;
    /* The decoder must refuse truncated data rather than read past it. */
    if (packed_len > 1 && decompress(packed, packed_len - 1, unpacked, size)) ok = 0;
    bench_print("lz: %zu -> %zu bytes (%.1f%%)\n", size, packed_len,
                100.0 * (double)packed_len / (double)size);
    uint64_t sum = bench_fnv_bytes(BENCH_FNV_INIT, packed, packed_len);
    free(text);
    free(packed);
    free(unpacked);
    free(z);
    return bench_report("lz", params, NPARAMS, v, seconds, sum, ok);
}

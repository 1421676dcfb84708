/*
 * hash.c — a hash table with open addressing and linear probing: per round, clear the table,
 * insert n distinct 64-bit keys, then look up 2n keys of which exactly n are present.
 *
 * Keys are mix64(i) (a bijection, so distinct); the slot is chosen by multiplicative (Fibonacci)
 * hashing of the key and the table has a power-of-two size at most half full. The kernel measures
 * random memory access, 64-bit multiplies and short data-dependent probe loops.
 *
 * Check: every inserted key is found with its value, no absent key is found, and the values found
 * sum to the expected total. The checksum hashes the table's final contents.
 */
#include "bench.h"

static const bench_param params[] = {
    {"n", 1 << 20, 20000, 1, 1 << 24},
    {"reps", 8, 1, 1, 100000},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

typedef struct slot {
    uint64_t key;
    uint64_t value; /* 0: empty; stored values are i + 1 */
} slot;

typedef struct table {
    slot *slots;
    uint64_t mask;
    int shift; /* 64 - log2(size) */
} table;

static uint64_t slot_of(const table *t, uint64_t key) {
    return (key * 0x9e3779b97f4a7c15ull) >> t->shift;
}

static void insert(table *t, uint64_t key, uint64_t value) {
    assert(value != 0);
    uint64_t s = slot_of(t, key);
    while (t->slots[s].value != 0 && t->slots[s].key != key)
        s = (s + 1) & t->mask;
    t->slots[s].key = key;
    t->slots[s].value = value;
}

/* Returns the value stored for key, or 0 when absent. */
static uint64_t lookup(const table *t, uint64_t key) {
    uint64_t s = slot_of(t, key);
    for (;;) {
        const slot *e = &t->slots[s];
        if (e->value == 0) return 0;
        if (e->key == key) return e->value;
        s = (s + 1) & t->mask;
    }
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("hash", argc, argv, params, NPARAMS, v);
    uint64_t n = (uint64_t)v[0];
    long reps = v[1];

    table t;
    int bits = 1;
    while ((1ull << bits) < 2 * n)
        bits++;
    t.mask = (1ull << bits) - 1;
    t.shift = 64 - bits;
    t.slots = bench_alloc("hash", (size_t)t.mask + 1, sizeof *t.slots);

    int ok = 1;
    uint64_t expected_sum = n * (n + 1) / 2;
    double start = bench_now();
    for (long r = 0; r < reps; r++) {
        memset(t.slots, 0, ((size_t)t.mask + 1) * sizeof *t.slots);
        for (uint64_t i = 0; i < n; i++)
            insert(&t, bench_mix64(i), i + 1);
        uint64_t hits = 0, found_sum = 0;
        for (uint64_t i = 0; i < 2 * n; i++) {
            uint64_t value = lookup(&t, bench_mix64(i));
            hits += value != 0;
            found_sum += value;
            if (value != 0 && value != i + 1) ok = 0;
        }
        if (hits != n || found_sum != expected_sum) ok = 0;
    }
    double seconds = bench_now() - start;

    uint64_t sum = bench_fnv_bytes(BENCH_FNV_INIT, t.slots, ((size_t)t.mask + 1) * sizeof *t.slots);
    free(t.slots);
    return bench_report("hash", params, NPARAMS, v, seconds, sum, ok);
}

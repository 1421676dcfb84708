/*
 * sim_rng.c - xoshiro256** (Blackman and Vigna), seeded through splitmix64 (see sim_rng.h).
 *
 * Integers in a range use rejection sampling on the top bits so that no value is favoured;
 * doubles use the top 53 bits.
 */
#include "sim/sim_rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

void sim_rng_seed(sim_rng *r, uint64_t seed) {
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

uint64_t sim_rng_next(sim_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sim_rng_uniform(sim_rng *r) {
    return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53;
}

double sim_rng_between(sim_rng *r, double lo, double hi) {
    return lo + (hi - lo) * sim_rng_uniform(r);
}

uint32_t sim_rng_range(sim_rng *r, uint32_t lo, uint32_t hi) {
    if (hi <= lo) return lo;
    uint64_t span = (uint64_t)hi - lo + 1;
    uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t x;
    do {
        x = sim_rng_next(r);
    } while (x >= limit);
    return lo + (uint32_t)(x % span);
}

double sim_rng_exponential(sim_rng *r, double mean) {
    return -mean * log(1.0 - sim_rng_uniform(r));
}

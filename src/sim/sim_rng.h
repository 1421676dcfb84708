/*
 * sim_rng.h - the simulator's seeded pseudo-random generator (xoshiro256**, seeded by splitmix64).
 *
 * Traces and eviction schedules are drawn from it, so a seed reproduces a run exactly on any
 * machine. Independent streams (the trace, the evictions) come from different seeds derived from
 * the user's seed, so turning evictions on does not change the trace.
 */
#ifndef GRANNY_SIM_RNG_H
#define GRANNY_SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t s[4];
} sim_rng;

void sim_rng_seed(sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(sim_rng *r);
double sim_rng_uniform(sim_rng *r);                           /* [0, 1) */
double sim_rng_between(sim_rng *r, double lo, double hi);     /* [lo, hi) */
uint32_t sim_rng_range(sim_rng *r, uint32_t lo, uint32_t hi); /* lo..hi inclusive, unbiased */
double sim_rng_exponential(sim_rng *r, double mean);

#endif

/*
 * xlat_gen.h — a generator of random valid WebAssembly modules (text format) aimed at the
 * translator's loop logic; see xlat_gen.c for what the modules contain and why.
 */
#ifndef GRANNY_TESTS_XLAT_GEN_H
#define GRANNY_TESTS_XLAT_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* How many exported runs (`run0`..) every generated module has: each resets memory and globals,
 * then calls `run` with its own argument set and returns its i64 checksum. */
#define XGEN_RUNS 4

/* Writes the module of `seed` to `out` (deterministic: same seed, same text). False when out of
 * memory or on a write error. */
bool xgen_write_module(uint64_t seed, FILE *out);

#endif

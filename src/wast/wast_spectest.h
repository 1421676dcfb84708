/*
 * wast_spectest.h — the `spectest` host module that the official spec tests import, as the
 * reference interpreter defines it:
 *   functions  print, print_i32, print_i64, print_f32, print_f64, print_i32_f32, print_f64_f64
 *              (silent; with verbose they print their arguments to stderr)
 *   globals    global_i32 = 666, global_i64 = 666, global_f32 = 666.6, global_f64 = 666.6
 * (immutable) table      table: 10 funcref elements, maximum 20 memory     memory: 1 page, maximum
 * 2; shared_memory: 1 page, maximum 2, shared (threads tests) One instance per script, so one
 * script's writes to the table or memory never leak into another.
 */
#ifndef GRANNY_WAST_SPECTEST_H
#define GRANNY_WAST_SPECTEST_H

#include <stdbool.h>

#include "engine/rt/runtime.h"

typedef struct wast_spectest wast_spectest;

wast_spectest *wast_spectest_new(bool verbose, rt_error *err);
void wast_spectest_free(wast_spectest *s);

/* Finds export `name` of the spectest module. The extern is returned with its own kind even when
 * `kind` (the importer's expectation) differs, so the engine reports "incompatible import type"
 * rather than "unknown import". Returns false for names the module does not export. */
bool wast_spectest_lookup(wast_spectest *s, const wasm_name *name, wasm_extern_kind kind,
                          rt_extern *out);

#endif

/*
 * decode.h — WebAssembly binary format (2.0 + threads) -> wasm_module (module.h).
 *
 * wasm_decode copies the input, checks the binary format completely (section order and sizes,
 * LEB128 encodings, UTF-8 names, segment encodings, function/code and data count consistency,
 * every instruction of every function body and constant expression via wasm_read_instr) and
 * builds the IR. It does not type-check: call wasm_validate (validate.h) afterwards.
 * A malformed "name" custom section is ignored, as the spec allows; other custom sections are
 * skipped after their name is checked.
 */
#ifndef GRANNY_ENGINE_DECODE_H
#define GRANNY_ENGINE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/wasm/module.h"

/* Implementation limits (the spec allows them; V8 uses the same values). They bound the work of
 * validation and translation on hostile input: a block type's arity is the cost of each branch. */
enum {
    WASM_MAX_PARAMS = 1000,  /* per function type */
    WASM_MAX_RESULTS = 1000, /* per function type */
    WASM_MAX_LOCALS = 50000, /* declared locals per function, parameters excluded */
};

/* Decodes `len` bytes into *out. On failure returns false, writes a message (the spec's wording
 * where it has one, followed by the byte offset) into err (size errlen), and leaves *out empty
 * (nothing to free). On success free *out with wasm_module_free. */
bool wasm_decode(const uint8_t *bytes, size_t len, wasm_module *out, char *err, size_t errlen);

/* wasm_module_free is declared in module.h; it accepts a zeroed or already freed module. */

#endif

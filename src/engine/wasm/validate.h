/*
 * validate.h — WebAssembly 2.0 + threads validation of a decoded module.
 *
 * Implements the validation algorithm of the spec appendix: an operand stack and a control stack
 * per function, with unreachable code's stack polymorphism, typed select, multi-value block types
 * and reference types; plus the module-level rules (constant expressions, limits, at most one
 * memory, shared memories, index ranges, declared function references, data count, start
 * function, unique export names, natural / exact atomic alignment).
 */
#ifndef GRANNY_ENGINE_VALIDATE_H
#define GRANNY_ENGINE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/wasm/module.h"

/* Returns true when m is valid; otherwise false with a message in err (size errlen): the spec's
 * wording ("type mismatch", "unknown local", ...) followed by where it was found. */
bool wasm_validate(const wasm_module *m, char *err, size_t errlen);

#endif

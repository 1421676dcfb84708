/*
 * validate_internal.h — what the two halves of the validator share: validate.c checks the
 * module-level rules and calls wasm_validate_func (validate_func.c) for each function body.
 * Internal to src/engine/wasm.
 */
#ifndef GRANNY_ENGINE_WASM_VALIDATE_INTERNAL_H
#define GRANNY_ENGINE_WASM_VALIDATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/wasm/module.h"

typedef struct wasm_vctx {
    const wasm_module *m;
    const uint8_t *declared_refs; /* bitmap over function indices: may appear in ref.func */
    char *err;
    size_t errlen;
} wasm_vctx;

static inline bool wasm_vctx_ref_declared(const wasm_vctx *c, uint32_t func) {
    return (c->declared_refs[func / 8] >> (func % 8)) & 1;
}

/* Validates defined function `index` (0-based among defined functions). */
bool wasm_validate_func(const wasm_vctx *c, uint32_t index);

#endif

/*
 * fuzz_decode.c — libFuzzer target for the wasm front end: wasm_decode, then wasm_validate.
 *
 * Besides "no crash, no hang, no sanitizer report" it checks the contracts other parts rely on:
 * a failure always leaves a non-empty, NUL-terminated message (also in a short buffer; no buffer
 * at all is allowed) and an empty module; and in a module that validated, every function body and
 * constant expression can be re-read instruction by instruction with wasm_read_instr (as the
 * translator does) without any error, br_table targets included. Build and run it with
 * scripts/fuzz-decode.sh; replay inputs without libFuzzer with the fuzz_decode_replay program
 * (fuzz/replay_main.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/wasm/decode.h"
#include "engine/wasm/opcodes.h"
#include "engine/wasm/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int cond) {
    if (!cond) abort();
}

static void reread(const uint8_t *code, uint32_t len) {
    const uint8_t *p = code, *end = code + len;
    char err[128];
    while (p < end) {
        wasm_instr in;
        require(wasm_read_instr(&p, end, &in, err, sizeof err));
        require(in.info != NULL && in.info->op == in.opcode);
        if (in.opcode == WASM_OP_BR_TABLE) {
            const uint8_t *cursor = in.br_targets;
            for (uint32_t i = 0; i < in.br_count; i++) {
                uint32_t label = wasm_br_table_next(&cursor);
                if (i < 16) require(label == wasm_br_table_target(&in, i)); /* O(i) each */
            }
        }
    }
    require(p == end && len > 0 && end[-1] == WASM_OP_END);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    wasm_module m;
    char buf[256];
    /* Vary the message buffer: none at all, a short one (truncated messages), a normal one. */
    size_t errlen = size % 4 == 0 ? 0 : size % 4 == 1 ? 12 : sizeof buf;
    char *err = errlen ? buf : NULL;
    memset(buf, 'x', sizeof buf);
    if (!wasm_decode(data, size, &m, err, errlen)) {
        if (errlen) require(memchr(err, '\0', errlen) != NULL && err[0] != '\0');
        require(m.bytes == NULL && m.arena == NULL);
        return 0;
    }
    memset(buf, 'x', sizeof buf);
    if (!wasm_validate(&m, err, errlen)) {
        if (errlen) require(memchr(err, '\0', errlen) != NULL && err[0] != '\0');
    } else {
        for (uint32_t i = 0; i < m.nfuncs; i++)
            reread(m.funcs[i].code, m.funcs[i].code_len);
        for (uint32_t i = 0; i < m.nglobals - m.nglobals_imported; i++)
            reread(m.globals[i].init.code, m.globals[i].init.len);
        for (uint32_t i = 0; i < m.nelems; i++) {
            const wasm_elem *e = &m.elems[i];
            if (e->mode == WASM_SEG_ACTIVE) reread(e->offset.code, e->offset.len);
            for (uint32_t k = 0; e->exprs != NULL && k < e->nitems; k++)
                reread(e->exprs[k].code, e->exprs[k].len);
        }
        for (uint32_t i = 0; i < m.ndatas; i++)
            if (m.datas[i].mode == WASM_SEG_ACTIVE)
                reread(m.datas[i].offset.code, m.datas[i].offset.len);
    }
    wasm_module_free(&m);
    return 0;
}

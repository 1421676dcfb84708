/*
 * arena.c — a list of blocks, each carved front to back. Big requests get a block of their own so
 * that a large array never wastes the tail of the current block. The newest block is at the head;
 * only the head is carved from.
 */
#include "engine/wasm/arena.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

enum { ARENA_BLOCK_SIZE = 64 * 1024, ARENA_ALIGN = 16 };

struct wasm_arena_block {
    wasm_arena_block *next;
    size_t used, size;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void *wasm_arena_alloc(wasm_arena_block **arena, size_t size) {
    if (size > SIZE_MAX / 2) return NULL;
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    wasm_arena_block *head = *arena;
    if (head == NULL || head->size - head->used < rounded) {
        size_t cap = rounded > ARENA_BLOCK_SIZE / 4 ? rounded : ARENA_BLOCK_SIZE;
        wasm_arena_block *b = calloc(1, sizeof *b + cap);
        if (b == NULL) return NULL;
        b->size = cap;
        if (rounded > ARENA_BLOCK_SIZE / 4 && head != NULL) {
            /* a private block: keep carving the current head afterwards */
            b->next = head->next;
            head->next = b;
            b->used = rounded;
            return b->data;
        }
        b->next = head;
        *arena = b;
        head = b;
    }
    void *p = head->data + head->used;
    head->used += rounded;
    assert(head->used <= head->size);
    return p;
}

void wasm_arena_free(wasm_arena_block **arena) {
    wasm_arena_block *b = *arena;
    while (b != NULL) {
        wasm_arena_block *next = b->next;
        free(b);
        b = next;
    }
    *arena = NULL;
}

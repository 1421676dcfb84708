/*
 * types.c — runtime-wide canonical ids for function types.
 *
 * call_indirect compares the callee's type with the expected one, possibly across modules; with
 * every distinct function type interned to one small integer, that comparison is one integer
 * compare in generated code (rt_funcref.type_id against rt_instance.type_ids[t]).
 *
 * Interning: an open-addressing hash table of ids keyed by the type's bytes, under one mutex
 * (interning happens at load and registration time, never on a hot path). Ids start at 1, so a
 * zeroed rt_funcref matches no type. Types live for the whole process.
 *
 * Lookup from id to type (rt_funcref_type) is lock-free: entries sit in fixed chunks of 1024 that
 * are published with release stores and never move, so readers need only acquire loads.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/rt/internal.h"

#define CHUNK_BITS 10
#define CHUNK_SIZE (1u << CHUNK_BITS)
#define MAX_CHUNKS 4096u /* 4M distinct types */

typedef struct type_entry {
    wasm_functype type; /* params/results point into bytes[] */
    uint64_t hash;
    uint8_t bytes[];
} type_entry;

static type_entry **type_chunks[MAX_CHUNKS];
static uint32_t type_next_id = 1;
static uint32_t *type_slots; /* hash table of ids, 0 = empty */
static uint32_t type_slots_cap;
static pthread_mutex_t type_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t type_hash(const wasm_functype *t) {
    uint64_t h = 1469598103934665603ull;
    const uint8_t *parts[2] = {t->params, t->results};
    uint32_t lens[2] = {t->nparams, t->nresults};
    for (int p = 0; p < 2; p++) {
        h = (h ^ lens[p]) * 1099511628211ull;
        for (uint32_t i = 0; i < lens[p]; i++)
            h = (h ^ parts[p][i]) * 1099511628211ull;
    }
    return h;
}

static bool type_equal(const wasm_functype *a, const wasm_functype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (a->nparams == 0 || memcmp(a->params, b->params, a->nparams) == 0) &&
           (a->nresults == 0 || memcmp(a->results, b->results, a->nresults) == 0);
}

const wasm_functype *rt_type_lookup(uint32_t id) {
    if (id == 0 || id / CHUNK_SIZE >= MAX_CHUNKS) return NULL;
    type_entry **chunk = __atomic_load_n(&type_chunks[id >> CHUNK_BITS], __ATOMIC_ACQUIRE);
    if (!chunk) return NULL;
    type_entry *e = __atomic_load_n(&chunk[id & (CHUNK_SIZE - 1)], __ATOMIC_ACQUIRE);
    return e ? &e->type : NULL;
}

static type_entry *entry_of(uint32_t id) {
    return type_chunks[id >> CHUNK_BITS][id & (CHUNK_SIZE - 1)];
}

/* Grows the hash table to twice its size (under type_lock). */
static bool slots_grow(void) {
    uint32_t cap = type_slots_cap ? type_slots_cap * 2 : 256;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return false;
    for (uint32_t i = 0; i < type_slots_cap; i++) {
        uint32_t id = type_slots[i];
        if (!id) continue;
        uint32_t j = (uint32_t)entry_of(id)->hash & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = id;
    }
    free(type_slots);
    type_slots = slots;
    type_slots_cap = cap;
    return true;
}

static uint32_t intern_locked(const wasm_functype *t, uint64_t h) {
    if (type_slots_cap) {
        uint32_t j = (uint32_t)h & (type_slots_cap - 1);
        for (; type_slots[j]; j = (j + 1) & (type_slots_cap - 1)) {
            type_entry *e = entry_of(type_slots[j]);
            if (e->hash == h && type_equal(&e->type, t)) return type_slots[j];
        }
    }
    uint32_t id = type_next_id;
    if (id / CHUNK_SIZE >= MAX_CHUNKS) return 0;
    /* Keep the table at most half full. */
    if ((uint64_t)(id + 1) * 2 > type_slots_cap && !slots_grow()) return 0;
    type_entry *e = malloc(sizeof *e + t->nparams + t->nresults);
    if (!e) return 0;
    if (t->nparams) memcpy(e->bytes, t->params, t->nparams);
    if (t->nresults) memcpy(e->bytes + t->nparams, t->results, t->nresults);
    e->type.nparams = t->nparams;
    e->type.nresults = t->nresults;
    e->type.params = e->bytes;
    e->type.results = e->bytes + t->nparams;
    e->hash = h;
    type_entry **chunk = type_chunks[id >> CHUNK_BITS];
    if (!chunk) {
        chunk = calloc(CHUNK_SIZE, sizeof *chunk);
        if (!chunk) {
            free(e);
            return 0;
        }
        __atomic_store_n(&type_chunks[id >> CHUNK_BITS], chunk, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&chunk[id & (CHUNK_SIZE - 1)], e, __ATOMIC_RELEASE);
    uint32_t j = (uint32_t)h & (type_slots_cap - 1);
    while (type_slots[j])
        j = (j + 1) & (type_slots_cap - 1);
    type_slots[j] = id;
    type_next_id = id + 1;
    return id;
}

uint32_t rt_type_intern(const wasm_functype *t) {
    assert(t);
    uint64_t h = type_hash(t);
    pthread_mutex_lock(&type_lock);
    uint32_t id = intern_locked(t, h);
    pthread_mutex_unlock(&type_lock);
    return id; /* 0 only when out of memory */
}

const wasm_functype *rt_funcref_type(const rt_funcref *f) {
    return f ? rt_type_lookup(f->type_id) : NULL;
}

static bool sig_char_type(char c, uint8_t *out) {
    switch (c) {
    case 'i': *out = WASM_I32; return true;
    case 'I': *out = WASM_I64; return true;
    case 'f': *out = WASM_F32; return true;
    case 'F': *out = WASM_F64; return true;
    case 'r': *out = WASM_EXTERNREF; return true;
    case 'R': *out = WASM_FUNCREF; return true;
    default: return false;
    }
}

bool rt_type_parse_signature(const char *sig, uint32_t *id_out) {
    if (!sig) return false;
    const char *colon = strchr(sig, ':');
    if (!colon || strchr(colon + 1, ':')) return false;
    size_t np = (size_t)(colon - sig), nr = strlen(colon + 1);
    if (np > 1000 || nr > 1000) return false;
    uint8_t bytes[2000];
    for (size_t i = 0; i < np; i++)
        if (!sig_char_type(sig[i], &bytes[i])) return false;
    for (size_t i = 0; i < nr; i++)
        if (!sig_char_type(colon[1 + i], &bytes[np + i])) return false;
    wasm_functype t = {(uint32_t)np, (uint32_t)nr, bytes, bytes + np};
    uint32_t id = rt_type_intern(&t);
    if (!id) return false;
    *id_out = id;
    return true;
}

/*
 * planner_idmap.c - open-addressing hash map from ids to indexes (see planner_idmap.h).
 *
 * The table doubles when it is half full. The hash is a 32-bit multiplicative mix (so that
 * sequential ids spread over the table); deletion shifts later entries of the same probe run back
 * into the hole, which keeps every key reachable from its home bucket without tombstones.
 */
#include "planner/planner_idmap.h"
#include "planner/planner.h"
#include "planner/planner_state.h"

#include <assert.h>
#include <stdlib.h>

static size_t idmap_home(uint32_t key, size_t cap) {
    uint32_t h = key * 0x9E3779B1u;
    h ^= h >> 16;
    return (size_t)h & (cap - 1);
}

void planner_idmap_free(planner_idmap *m) {
    free(m->keys);
    free(m->vals);
    m->keys = m->vals = NULL;
    m->cap = m->n = 0;
}

uint32_t planner_idmap_get(const planner_idmap *m, uint32_t key) {
    if (m->cap == 0 || key == PLANNER_ID_NONE) return PLANNER_ID_NONE;
    for (size_t i = idmap_home(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) return m->vals[i];
        if (m->keys[i] == PLANNER_ID_NONE) return PLANNER_ID_NONE;
    }
}

static void idmap_insert(planner_idmap *m, uint32_t key, uint32_t val) {
    size_t i = idmap_home(key, m->cap);
    while (m->keys[i] != PLANNER_ID_NONE) {
        assert(m->keys[i] != key);
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
}

static void idmap_grow(planner_idmap *m) {
    planner_idmap bigger = {0};
    bigger.cap = m->cap ? m->cap * 2 : 16;
    bigger.keys = planner_xmalloc(bigger.cap * sizeof(uint32_t));
    bigger.vals = planner_xmalloc(bigger.cap * sizeof(uint32_t));
    for (size_t i = 0; i < bigger.cap; i++)
        bigger.keys[i] = PLANNER_ID_NONE;
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] != PLANNER_ID_NONE) idmap_insert(&bigger, m->keys[i], m->vals[i]);
    planner_idmap_free(m);
    *m = bigger;
}

void planner_idmap_put(planner_idmap *m, uint32_t key, uint32_t val) {
    assert(key != PLANNER_ID_NONE);
    if ((m->n + 1) * 2 > m->cap) idmap_grow(m);
    idmap_insert(m, key, val);
}

void planner_idmap_del(planner_idmap *m, uint32_t key) {
    assert(m->cap > 0);
    size_t mask = m->cap - 1, i = idmap_home(key, m->cap);
    while (m->keys[i] != key) {
        assert(m->keys[i] != PLANNER_ID_NONE);
        i = (i + 1) & mask;
    }
    /* Backward shift: move each later entry of the run into the hole if its home allows it. */
    size_t hole = i;
    for (size_t j = (i + 1) & mask; m->keys[j] != PLANNER_ID_NONE; j = (j + 1) & mask) {
        size_t home = idmap_home(m->keys[j], m->cap);
        /* The entry at j may fill the hole when its home is not cyclically in (hole, j]. */
        int home_in_range = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!home_in_range) {
            m->keys[hole] = m->keys[j];
            m->vals[hole] = m->vals[j];
            hole = j;
        }
    }
    m->keys[hole] = PLANNER_ID_NONE;
    m->n--;
}

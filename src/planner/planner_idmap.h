/*
 * planner_idmap.h - a map from caller-chosen 32-bit ids to dense internal indexes.
 *
 * Jobs and VMs are named by the caller (the daemon's journal, a trace file) with arbitrary ids, but
 * the core keeps them in dense arrays and refers to them by index. This is an open-addressing hash
 * table with linear probing and backward-shift deletion (no tombstones, so lookups stay short under
 * the churn of spot VMs). PLANNER_ID_NONE marks an empty bucket and is never a valid key.
 */
#ifndef GRANNY_PLANNER_IDMAP_H
#define GRANNY_PLANNER_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct planner_idmap {
    uint32_t *keys; /* PLANNER_ID_NONE where empty */
    uint32_t *vals;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} planner_idmap;

void planner_idmap_free(planner_idmap *m);
/* The index stored under key, or PLANNER_ID_NONE. */
uint32_t planner_idmap_get(const planner_idmap *m, uint32_t key);
/* Stores key -> val; key must not be present already. */
void planner_idmap_put(planner_idmap *m, uint32_t key, uint32_t val);
/* Removes key, which must be present. */
void planner_idmap_del(planner_idmap *m, uint32_t key);

#endif

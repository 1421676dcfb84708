/*
 * store.h — a snapshot store keyed by id, holding base images and chains of diffs (seed §4.5).
 *
 * An entry is either a base (a full memory image) or a diff against another entry (its parent);
 * reading an entry applies the chain from its base. Entries live in memory and, when the store has
 * a directory, also as files `<id>.base` / `<id>.diff` (a diff file starts with its parent's id),
 * so a store survives the process and can be shipped to another host. Ids are short names of
 * [A-Za-z0-9._-]. Chains are bounded (CELL_STORE_MAX_CHAIN) so a corrupt store cannot loop.
 *
 * Two kinds of diff (seed §4.6): *migration* diffs include every changed byte; *process-semantics*
 * diffs, used to merge a child's changes back into its parent, leave out the ranges the caller
 * names (the child's stack and heap), through cell_store_put_diff's `exclude` list.
 */
#ifndef GRANNY_CELL_STORE_H
#define GRANNY_CELL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cell/diff.h"

#define CELL_STORE_MAX_CHAIN 1024
#define CELL_STORE_ID_MAX    64

typedef struct cell_store cell_store;

typedef struct cell_range {
    uint64_t offset, length;
} cell_range;

/* dir may be NULL (memory only); an existing directory is loaded lazily, on first access of an id.
 */
cell_store *cell_store_open(const char *dir, char *err, size_t errlen);
void cell_store_close(cell_store *st);

bool cell_store_put_base(cell_store *st, const char *id, const uint8_t *mem, size_t len, char *err,
                         size_t errlen);
/* Stores cur as a diff against entry `parent` (whose image is read to compare, unless `dirty` says
 * which pages can differ), leaving out the `exclude` ranges. */
bool cell_store_put_diff(cell_store *st, const char *id, const char *parent, const uint8_t *cur,
                         size_t cur_len, const cell_pageset *dirty, const cell_range *exclude,
                         size_t nexclude, char *err, size_t errlen);
/* Materialises entry `id`: *out (malloc'ed) holds the image, *len its size. */
bool cell_store_get(cell_store *st, const char *id, uint8_t **out, size_t *len, char *err,
                    size_t errlen);
/* Number of links from id to its base (0 for a base); -1 when unknown. */
int cell_store_depth(cell_store *st, const char *id);

#endif

/*
 * diff.h — byte-wise diffs of a memory region against a base (seed §4.5).
 *
 * A diff is a list of (offset, length, bytes) spans plus the new length of the region. It is
 * computed by comparing the current bytes with the base only inside the pages a dirty-page tracker
 * reports as written (dirty.h), or inside every page when no tracker is given; bytes beyond the
 * base's length (memory growth) are compared against zero, since wasm memory grows zero-filled.
 *
 * Spans closer than CELL_DIFF_MERGE_GAP bytes are merged: a span's header costs 16 bytes in the
 * serialised form, so carrying a few unchanged bytes is cheaper than a second header.
 *
 * Serialised form (little-endian): u64 new_len, u64 nspans, then nspans × (u64 offset, u64 length),
 * then the span bytes in order. cell_diff_parse checks every bound of an untrusted buffer.
 */
#ifndef GRANNY_CELL_DIFF_H
#define GRANNY_CELL_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CELL_DIFF_MERGE_GAP 16
#define CELL_PAGE_SIZE      4096u

typedef struct cell_span {
    uint64_t offset;
    uint64_t length;
    const uint8_t *bytes; /* into the diff's own data (or the parsed buffer) */
} cell_span;

typedef struct cell_diff {
    uint64_t new_len;
    uint64_t nspans;
    cell_span *spans;
    uint8_t *data; /* owned span bytes (NULL for a parsed diff that borrows its buffer) */
    size_t data_len;
    size_t cap_spans, cap_data;
} cell_diff;

/* A set of dirty 4 KiB pages of a region, as a bitmap (bit i = page i). */
typedef struct cell_pageset {
    uint64_t npages;
    uint64_t *bits;
} cell_pageset;

bool cell_pageset_init(cell_pageset *s, uint64_t npages);
void cell_pageset_free(cell_pageset *s);
static inline void cell_pageset_add(cell_pageset *s, uint64_t page) {
    s->bits[page >> 6] |= (uint64_t)1 << (page & 63);
}
static inline bool cell_pageset_has(const cell_pageset *s, uint64_t page) {
    return (s->bits[page >> 6] >> (page & 63)) & 1;
}
uint64_t cell_pageset_count(const cell_pageset *s);

/* Computes cur against base. `dirty` (may be NULL = all pages) lists the pages of cur that may
 * differ from base; pages past base_len are always examined. Returns false on allocation failure.
 */
bool cell_diff_compute(const uint8_t *base, size_t base_len, const uint8_t *cur, size_t cur_len,
                       const cell_pageset *dirty, cell_diff *out);

/* Applies a diff in place: `region` holds the base (base_len bytes) and has room for
 * diff->new_len bytes; bytes in [base_len, new_len) not covered by a span become zero.
 * Returns false when a span lies outside new_len or the region is too small. */
bool cell_diff_apply(const cell_diff *d, uint8_t *region, size_t base_len, size_t region_cap);

/* Serialised size, serialisation into buf (exactly cell_diff_size bytes), and parsing of an
 * untrusted buffer (spans then point into buf). */
size_t cell_diff_size(const cell_diff *d);
void cell_diff_write(const cell_diff *d, uint8_t *buf);
bool cell_diff_parse(const uint8_t *buf, size_t len, cell_diff *out, char *err, size_t errlen);

void cell_diff_free(cell_diff *d);

#endif

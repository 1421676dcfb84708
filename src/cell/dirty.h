/*
 * dirty.h — which pages of a memory region were written since the last reset.
 *
 * Diffs (diff.h) only compare pages a tracker reports, so the cost of a diff follows the amount of
 * change rather than the size of memory. Three backends, measured by bench/cell (see
 * docs/cells.md):
 *
 *   CELL_DIRTY_UFFD   userfaultfd write-protection in asynchronous mode (Linux >= 6.7): the kernel
 *                     marks written pages itself without delivering a fault to user space, and the
 *                     PAGEMAP_SCAN ioctl returns the written pages and re-protects them in one
 *                     call. No signal per page. The default where available.
 *   CELL_DIRTY_MPROTECT the region is made read-only; the first write to each page faults, a
 *                     SIGSEGV handler records the page and makes it writable again. Portable, but
 * one signal (several microseconds) per first write to a page. CELL_DIRTY_NONE   no tracking: every
 * page is reported (diffs compare everything).
 *
 * (soft-dirty bits via /proc/self/clear_refs were also tried; this machine's kernel is built
 * without CONFIG_MEM_SOFT_DIRTY, so the backend is not offered.)
 */
#ifndef GRANNY_CELL_DIRTY_H
#define GRANNY_CELL_DIRTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cell/diff.h"

typedef enum cell_dirty_kind {
    CELL_DIRTY_AUTO = 0, /* UFFD if the kernel supports it, else MPROTECT */
    CELL_DIRTY_UFFD,
    CELL_DIRTY_MPROTECT,
    CELL_DIRTY_NONE,
} cell_dirty_kind;

typedef struct cell_dirty cell_dirty;

/* Starts tracking writes to [base, base + len) (page aligned; len may later grow up to `cap`
 * bytes, e.g. a linear memory's reservation: only [base, base + len) is tracked until
 * cell_dirty_extend). Returns NULL with a message when the backend is unavailable. */
cell_dirty *cell_dirty_start(cell_dirty_kind kind, void *base, size_t len, char *err,
                             size_t errlen);
/* Tracks a region that grew (new pages count as dirty). */
bool cell_dirty_extend(cell_dirty *t, size_t new_len);
/* Fills `out` (initialised for at least len/4096 pages) with the pages written since the start or
 * the last collect, and resets tracking. */
bool cell_dirty_collect(cell_dirty *t, cell_pageset *out);
void cell_dirty_stop(cell_dirty *t);
cell_dirty_kind cell_dirty_backend(const cell_dirty *t);
const char *cell_dirty_name(cell_dirty_kind k);

#endif

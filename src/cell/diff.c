/*
 * diff.c — computing, applying and (de)serialising byte-wise diffs; see diff.h.
 *
 * Computation walks the candidate pages in address order. A page equal to its base (one memcmp,
 * which is as fast as memory bandwidth allows) costs nothing more; inside a changed page the walk
 * compares 8-byte words to find runs of change and refines their ends to single bytes. Runs are
 * appended to the last span when the gap between them is below CELL_DIFF_MERGE_GAP, so the span
 * list stays short for scattered small writes. Span bytes are copied from `cur` into one growing
 * buffer; span pointers are fixed up only at the end, because the buffer may move while it grows.
 */
#include "cell/diff.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cell_pageset_init(cell_pageset *s, uint64_t npages) {
    s->npages = npages;
    s->bits = calloc((npages + 63) / 64 + 1, sizeof(uint64_t));
    return s->bits != NULL;
}

void cell_pageset_free(cell_pageset *s) {
    free(s->bits);
    s->bits = NULL;
    s->npages = 0;
}

uint64_t cell_pageset_count(const cell_pageset *s) {
    uint64_t n = 0;
    for (uint64_t i = 0; i < (s->npages + 63) / 64; i++)
        n += (uint64_t)__builtin_popcountll(s->bits[i]);
    return n;
}

static bool diff_reserve(cell_diff *d, size_t more_spans, size_t more_data) {
    if (d->nspans + more_spans > d->cap_spans) {
        size_t cap = d->cap_spans ? d->cap_spans * 2 : 64;
        while (cap < d->nspans + more_spans)
            cap *= 2;
        cell_span *s = realloc(d->spans, cap * sizeof *s);
        if (!s) return false;
        d->spans = s;
        d->cap_spans = cap;
    }
    if (d->data_len + more_data > d->cap_data) {
        size_t cap = d->cap_data ? d->cap_data * 2 : 65536;
        while (cap < d->data_len + more_data)
            cap *= 2;
        uint8_t *p = realloc(d->data, cap);
        if (!p) return false;
        d->data = p;
        d->cap_data = cap;
    }
    return true;
}

/* Records that cur[off, off+len) changed; merges with the previous span across small gaps. The
 * span's `bytes` field temporarily holds its offset into d->data (fixed up in diff_finish). */
static bool diff_add(cell_diff *d, const uint8_t *cur, uint64_t off, uint64_t len) {
    if (d->nspans > 0) {
        cell_span *last = &d->spans[d->nspans - 1];
        uint64_t end = last->offset + last->length;
        assert(off >= end);
        if (off - end < CELL_DIFF_MERGE_GAP) {
            uint64_t extra = off + len - end;
            if (!diff_reserve(d, 0, extra)) return false;
            memcpy(d->data + d->data_len, cur + end, extra);
            d->data_len += extra;
            last->length += extra;
            return true;
        }
    }
    if (!diff_reserve(d, 1, len)) return false;
    cell_span *s = &d->spans[d->nspans++];
    s->offset = off;
    s->length = len;
    s->bytes = (const uint8_t *)(uintptr_t)d->data_len;
    memcpy(d->data + d->data_len, cur + off, len);
    d->data_len += len;
    return true;
}

static uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Finds the changed runs of cur[lo, hi) against b (b == NULL: against zero). */
static bool diff_range(cell_diff *d, const uint8_t *b, const uint8_t *cur, uint64_t lo,
                       uint64_t hi) {
    static const uint8_t zero8[8];
    uint64_t i = lo;
    while (i < hi) {
        /* skip equal words */
        while (i + 8 <= hi && load64(cur + i) == (b ? load64(b + i) : 0))
            i += 8;
        if (i >= hi) break;
        if (i + 8 > hi) { /* tail shorter than a word: byte by byte */
            while (i < hi && cur[i] == (b ? b[i] : 0))
                i++;
            if (i >= hi) break;
        }
        uint64_t start = i;
        while (cur[start] == (b ? b[start] : 0))
            start++;
        /* extend over changed words */
        uint64_t j = start;
        while (j < hi) {
            if (j + 8 <= hi) {
                const uint8_t *bw = b ? b + j : zero8;
                if (memcmp(cur + j, bw, 8) == 0) break;
                j += 8;
            } else {
                if (cur[j] == (b ? b[j] : 0)) break;
                j++;
            }
        }
        /* refine the end: the last changed byte is within the last word scanned */
        uint64_t end = j;
        while (end > start && cur[end - 1] == (b ? b[end - 1] : 0))
            end--;
        if (!diff_add(d, cur, start, end - start)) return false;
        i = j;
    }
    return true;
}

bool cell_diff_compute(const uint8_t *base, size_t base_len, const uint8_t *cur, size_t cur_len,
                       const cell_pageset *dirty, cell_diff *out) {
    memset(out, 0, sizeof *out);
    out->new_len = cur_len;
    uint64_t npages = (cur_len + CELL_PAGE_SIZE - 1) / CELL_PAGE_SIZE;
    for (uint64_t p = 0; p < npages; p++) {
        uint64_t lo = p * CELL_PAGE_SIZE;
        uint64_t hi = lo + CELL_PAGE_SIZE < cur_len ? lo + CELL_PAGE_SIZE : cur_len;
        bool beyond_base = hi > base_len;
        if (!beyond_base && dirty && (p >= dirty->npages || !cell_pageset_has(dirty, p))) continue;
        bool ok;
        if (hi <= base_len) {
            if (memcmp(cur + lo, base + lo, hi - lo) == 0) continue;
            ok = diff_range(out, base, cur, lo, hi);
        } else if (lo >= base_len) {
            ok = diff_range(out, NULL, cur, lo, hi);
        } else {
            ok = diff_range(out, base, cur, lo, base_len) &&
                 diff_range(out, NULL, cur, base_len, hi);
        }
        if (!ok) {
            cell_diff_free(out);
            return false;
        }
    }
    for (uint64_t i = 0; i < out->nspans; i++)
        out->spans[i].bytes = out->data + (uintptr_t)out->spans[i].bytes;
    return true;
}

bool cell_diff_apply(const cell_diff *d, uint8_t *region, size_t base_len, size_t region_cap) {
    if (d->new_len > region_cap) return false;
    for (uint64_t i = 0; i < d->nspans; i++) {
        const cell_span *s = &d->spans[i];
        if (s->offset > d->new_len || s->length > d->new_len - s->offset) return false;
    }
    if (d->new_len > base_len) memset(region + base_len, 0, d->new_len - base_len);
    for (uint64_t i = 0; i < d->nspans; i++)
        memcpy(region + d->spans[i].offset, d->spans[i].bytes, d->spans[i].length);
    return true;
}

size_t cell_diff_size(const cell_diff *d) {
    size_t n = 16 + 16 * d->nspans;
    for (uint64_t i = 0; i < d->nspans; i++)
        n += d->spans[i].length;
    return n;
}

static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void cell_diff_write(const cell_diff *d, uint8_t *buf) {
    put64(buf, d->new_len);
    put64(buf + 8, d->nspans);
    uint8_t *h = buf + 16, *data = buf + 16 + 16 * d->nspans;
    for (uint64_t i = 0; i < d->nspans; i++) {
        put64(h, d->spans[i].offset);
        put64(h + 8, d->spans[i].length);
        h += 16;
        memcpy(data, d->spans[i].bytes, d->spans[i].length);
        data += d->spans[i].length;
    }
}

bool cell_diff_parse(const uint8_t *buf, size_t len, cell_diff *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    if (len < 16) {
        snprintf(err, errlen, "diff truncated: %zu bytes, header needs 16", len);
        return false;
    }
    uint64_t new_len = get64(buf), nspans = get64(buf + 8);
    if (nspans > (len - 16) / 16) {
        snprintf(err, errlen, "diff truncated: %llu spans do not fit in %zu bytes",
                 (unsigned long long)nspans, len);
        return false;
    }
    cell_span *spans = calloc(nspans ? nspans : 1, sizeof *spans);
    if (!spans) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    size_t pos = 16 + 16 * nspans;
    uint64_t prev_end = 0;
    for (uint64_t i = 0; i < nspans; i++) {
        uint64_t off = get64(buf + 16 + 16 * i), n = get64(buf + 24 + 16 * i);
        if (off > new_len || n > new_len - off || off < prev_end) {
            snprintf(err, errlen, "diff span %llu [%llu,+%llu) outside the region or out of order",
                     (unsigned long long)i, (unsigned long long)off, (unsigned long long)n);
            free(spans);
            return false;
        }
        if (n > len - pos) {
            snprintf(err, errlen, "diff truncated in the bytes of span %llu",
                     (unsigned long long)i);
            free(spans);
            return false;
        }
        spans[i] = (cell_span){off, n, buf + pos};
        pos += n;
        prev_end = off + n;
    }
    if (pos != len) {
        snprintf(err, errlen, "diff has %zu trailing bytes", len - pos);
        free(spans);
        return false;
    }
    out->new_len = new_len;
    out->nspans = nspans;
    out->spans = spans;
    return true;
}

void cell_diff_free(cell_diff *d) {
    free(d->spans);
    free(d->data);
    memset(d, 0, sizeof *d);
}

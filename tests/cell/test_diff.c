/*
 * test_diff.c — property tests of byte-wise diffs: for many rounds of random writes (single bytes,
 * runs, whole pages, writes at region ends) and growth, apply(diff(base, cur), base) == cur byte
 * for byte, computed with every dirty-page backend this machine offers and with no tracker;
 * serialise and parse round-trips; and parsing of truncated or corrupt diffs fails cleanly.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "cell/diff.h"
#include "cell/dirty.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static void random_writes(uint8_t *m, size_t len) {
    int n = (int)(next() % 64);
    for (int i = 0; i < n; i++) {
        size_t off = next() % len;
        switch (next() % 5) {
        case 0: m[off] = (uint8_t)next(); break;
        case 1: { /* a run, possibly crossing pages */
            size_t run = next() % 9000;
            if (run > len - off) run = len - off;
            for (size_t j = 0; j < run; j++)
                m[off + j] = (uint8_t)next();
            break;
        }
        case 2: m[len - 1] = (uint8_t)(m[len - 1] + 1); break; /* last byte */
        case 3: m[0] ^= 0x5A; break;                           /* first byte */
        default: m[off] = m[off]; break;                       /* a write with no change */
        }
    }
}

/* One backend: nrounds of writes + growth, each diffed against the previous state. */
static void property_rounds(cell_dirty_kind kind) {
    const size_t cap = 64u << 20;
    uint8_t *mem = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert(mem != MAP_FAILED);
    size_t len = 1u << 20;
    char err[256];
    cell_dirty *t =
        kind == CELL_DIRTY_NONE ? NULL : cell_dirty_start(kind, mem, len, err, sizeof err);
    if (kind != CELL_DIRTY_NONE && !t) {
        printf("backend %s unavailable here: %s (skipped)\n", cell_dirty_name(kind), err);
        munmap(mem, cap);
        return;
    }
    uint8_t *shadow = malloc(cap); /* the base: what the previous round left */
    memcpy(shadow, mem, len);
    size_t shadow_len = len;
    uint64_t spans = 0, bytes = 0;
    for (int round = 0; round < 200; round++) {
        random_writes(mem, len);
        if (round % 17 == 5 && len + (1u << 20) <= cap) { /* growth: new pages zero, then written */
            size_t grow = (1 + next() % 4) * 65536;
            if (t) CHECK(cell_dirty_extend(t, len + grow));
            len += grow;
            mem[len - 1 - next() % grow] = 7;
        }
        cell_pageset dirty;
        CHECK(cell_pageset_init(&dirty, cap / CELL_PAGE_SIZE));
        if (t) CHECK(cell_dirty_collect(t, &dirty));
        cell_diff d;
        CHECK(cell_diff_compute(shadow, shadow_len, mem, len, t ? &dirty : NULL, &d));
        /* serialise + parse round trip, then apply to the base */
        size_t sz = cell_diff_size(&d);
        uint8_t *buf = malloc(sz);
        cell_diff_write(&d, buf);
        cell_diff parsed;
        CHECK(cell_diff_parse(buf, sz, &parsed, err, sizeof err));
        CHECK(cell_diff_apply(&parsed, shadow, shadow_len, cap));
        shadow_len = len;
        CHECK(memcmp(shadow, mem, len) == 0);
        spans += d.nspans;
        bytes += d.data_len;
        cell_diff_free(&parsed);
        cell_diff_free(&d);
        free(buf);
        cell_pageset_free(&dirty);
    }
    printf("backend %-14s 200 rounds ok, %llu spans, %llu bytes carried, final size %zu\n",
           kind == CELL_DIRTY_NONE ? "none" : cell_dirty_name(cell_dirty_backend(t)),
           (unsigned long long)spans, (unsigned long long)bytes, len);
    cell_dirty_stop(t);
    free(shadow);
    munmap(mem, cap);
}

static void exact_spans(void) {
    uint8_t base[8192] = {0}, cur[8192] = {0};
    cur[10] = 1;
    cur[20] = 1; /* gap of 9 < 16: merged with the span at 10 */
    cur[100] = 1;
    cur[8191] = 1;
    cell_diff d;
    CHECK(cell_diff_compute(base, sizeof base, cur, sizeof cur, NULL, &d));
    CHECK(d.nspans == 3);
    CHECK(d.spans[0].offset == 10 && d.spans[0].length == 11);
    CHECK(d.spans[1].offset == 100 && d.spans[1].length == 1);
    CHECK(d.spans[2].offset == 8191 && d.spans[2].length == 1);
    cell_diff_free(&d);
    /* equal regions: no spans */
    CHECK(cell_diff_compute(base, sizeof base, base, sizeof base, NULL, &d));
    CHECK(d.nspans == 0);
    cell_diff_free(&d);
}

static void bad_input(void) {
    uint8_t cur[4096], base[4096] = {0};
    memset(cur, 3, sizeof cur);
    cell_diff d, p;
    char err[256];
    CHECK(cell_diff_compute(base, sizeof base, cur, sizeof cur, NULL, &d));
    size_t sz = cell_diff_size(&d);
    uint8_t *buf = malloc(sz);
    cell_diff_write(&d, buf);
    for (size_t cut = 0; cut < sz; cut++) /* every truncation fails */
        CHECK(!cell_diff_parse(buf, cut, &p, err, sizeof err));
    buf[16] = 0xFF; /* span offset far outside the region */
    buf[23] = 0x7F;
    CHECK(!cell_diff_parse(buf, sz, &p, err, sizeof err));
    CHECK(strstr(err, "outside") != NULL);
    /* a span count that would overflow */
    memset(buf + 8, 0xFF, 8);
    CHECK(!cell_diff_parse(buf, sz, &p, err, sizeof err));
    /* apply into a region too small */
    CHECK(!cell_diff_apply(&d, base, sizeof base, 100));
    free(buf);
    cell_diff_free(&d);
}

int main(void) {
    exact_spans();
    bad_input();
    property_rounds(CELL_DIRTY_NONE);
    property_rounds(CELL_DIRTY_UFFD);
    property_rounds(CELL_DIRTY_MPROTECT);
    if (failures) fprintf(stderr, "%d failures\n", failures);
    return failures ? 1 : 0;
}

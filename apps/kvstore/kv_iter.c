/*
 * kv_iter.c — ordered iteration over the whole database.
 *
 * A key may have versions in the memtable and in several segments; the newest one counts (the
 * memtable is newer than every segment, and a later segment newer than an earlier one). The
 * iterator keeps one cursor per source and repeatedly takes the smallest current key; when
 * several sources are at that key, the newest source's version wins and all of them move on.
 * Tombstones hide the key (unless the caller asks to see them: compaction of a subset of segments
 * would need them; a full compaction drops them). Keys and values returned point into the
 * memtable and the segments, so they stay valid while the database is not written.
 */
#include <stdlib.h>

#include "kv.h"

typedef struct iter_source {
    bool is_mem;
    const kv_sknode *node; /* memtable position */
    kv_seg_cursor cur;     /* segment position */
} iter_source;

struct kv_iter {
    kv_db *db;
    uint32_t n;
    iter_source *src; /* [0..nsegs) segments oldest first, [nsegs] the memtable */
    bool include_tombstones;
    bool valid;
    kv_slice key, value;
    bool tombstone;
};

static bool source_valid(const iter_source *s) {
    return s->is_mem ? s->node != NULL : s->cur.valid;
}

static kv_slice source_key(const iter_source *s) {
    return s->is_mem ? kv_sknode_key(s->node) : s->cur.key;
}

static void source_next(iter_source *s) {
    if (s->is_mem) {
        s->node = kv_sknode_next(s->node);
    } else {
        kv_seg_cursor_next(&s->cur);
    }
}

/* Moves to the next key (the smallest current key of all sources). */
static void step(kv_iter *it) {
    for (;;) {
        int winner = -1;
        for (uint32_t i = 0; i < it->n; i++) {
            if (!source_valid(&it->src[i])) continue;
            if (winner < 0) {
                winner = (int)i;
                continue;
            }
            int c = kv_slice_cmp(source_key(&it->src[i]), source_key(&it->src[winner]));
            if (c <= 0) winner = (int)i; /* equal: the later (newer) source wins */
        }
        if (winner < 0) {
            it->valid = false;
            return;
        }
        iter_source *w = &it->src[winner];
        it->key = source_key(w);
        if (w->is_mem) {
            it->value = kv_sknode_value(w->node);
            it->tombstone = kv_sknode_tombstone(w->node);
        } else {
            it->value = w->cur.value;
            it->tombstone = w->cur.tombstone;
        }
        /* Move every source past this key. */
        kv_slice key = it->key;
        for (uint32_t i = 0; i < it->n; i++) {
            if (source_valid(&it->src[i]) && kv_slice_cmp(source_key(&it->src[i]), key) == 0) {
                if ((int)i != winner) source_next(&it->src[i]);
            }
        }
        it->valid = true;
        /* The winner moves on at the next step; remember to advance it then. */
        source_next(w);
        if (!it->tombstone || it->include_tombstones) return;
    }
}

kv_iter *kv_iter_new(kv_db *db, kv_slice from, bool from_start, bool include_tombstones) {
    kv_iter *it = calloc(1, sizeof *it);
    if (!it) abort();
    it->db = db;
    it->n = db->nsegs + 1;
    it->src = calloc(it->n, sizeof *it->src);
    if (!it->src) abort();
    it->include_tombstones = include_tombstones;
    for (uint32_t i = 0; i < db->nsegs; i++) {
        kv_seg_cursor_seek(&it->src[i].cur, &db->segs[i], from, from_start);
    }
    iter_source *m = &it->src[db->nsegs];
    m->is_mem = true;
    m->node = from_start ? kv_skiplist_first(db->mem) : kv_skiplist_seek(db->mem, from);
    step(it);
    return it;
}

bool kv_iter_valid(const kv_iter *it) {
    return it->valid;
}
kv_slice kv_iter_key(const kv_iter *it) {
    return it->key;
}
kv_slice kv_iter_value(const kv_iter *it) {
    return it->value;
}
bool kv_iter_tombstone(const kv_iter *it) {
    return it->tombstone;
}

void kv_iter_next(kv_iter *it) {
    if (it->valid) step(it);
}

void kv_iter_free(kv_iter *it) {
    if (!it) return;
    free(it->src);
    free(it);
}

/*
 * kv_skiplist.c — the memtable: an ordered map from key to value (or tombstone) for the writes
 * not yet flushed to a segment.
 *
 * A skip list: every node is on level 0 (a sorted linked list) and, with probability 1/4 per
 * level, on higher levels too, so a search skips ahead on the top levels and descends; expected
 * O(log n) per operation. The level of each new node comes from a fixed-seed xorshift generator,
 * so the structure (and anything that might depend on it) is the same on every run and platform.
 * Nodes own copies of their key and value. Replacing a key's value reallocates the node's value
 * only. `bytes` approximates the memory used (with a fixed cost per node, the same on every
 * platform), which is what the database compares against its flush limit.
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"

#define SK_MAX_LEVEL 16
/* Bytes counted per node besides key and value: a constant, not sizeof, so that flushes happen at
 * the same moments on every platform (wasm32 pointers are half the size of x86-64 ones). */
#define SK_NODE_COST 48

struct kv_sknode {
    uint8_t *key, *value;
    size_t klen, vlen;
    bool tombstone;
    int level;
    struct kv_sknode *next[]; /* [level] */
};

struct kv_skiplist {
    kv_sknode *head; /* sentinel with SK_MAX_LEVEL levels */
    int level;       /* levels in use */
    size_t count, bytes;
    uint32_t rng;
};

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) abort();
    return p;
}

static kv_sknode *node_new(int level) {
    kv_sknode *n = xmalloc(sizeof *n + (size_t)level * sizeof n->next[0]);
    memset(n, 0, sizeof *n + (size_t)level * sizeof n->next[0]);
    n->level = level;
    return n;
}

kv_skiplist *kv_skiplist_new(void) {
    kv_skiplist *s = xmalloc(sizeof *s);
    s->head = node_new(SK_MAX_LEVEL);
    s->level = 1;
    s->count = s->bytes = 0;
    s->rng = 0x2545F491u;
    return s;
}

void kv_skiplist_free(kv_skiplist *s) {
    if (!s) return;
    kv_sknode *n = s->head->next[0];
    while (n) {
        kv_sknode *next = n->next[0];
        free(n->key);
        free(n->value);
        free(n);
        n = next;
    }
    free(s->head);
    free(s);
}

static int random_level(kv_skiplist *s) {
    int level = 1;
    for (;;) {
        s->rng ^= s->rng << 13;
        s->rng ^= s->rng >> 17;
        s->rng ^= s->rng << 5;
        if ((s->rng & 3) != 0 || level == SK_MAX_LEVEL) break;
        level++;
    }
    return level;
}

static kv_slice node_key(const kv_sknode *n) {
    kv_slice k = {n->key, n->klen};
    return k;
}

/* Fills update[] with the last node before `key` on every level; returns the node at or after. */
static kv_sknode *find(const kv_skiplist *s, kv_slice key, kv_sknode **update) {
    kv_sknode *x = s->head;
    for (int i = s->level - 1; i >= 0; i--) {
        while (x->next[i] && kv_slice_cmp(node_key(x->next[i]), key) < 0)
            x = x->next[i];
        if (update) update[i] = x;
    }
    return x->next[0];
}

void kv_skiplist_put(kv_skiplist *s, kv_slice key, kv_slice value, bool tombstone) {
    kv_sknode *update[SK_MAX_LEVEL];
    kv_sknode *x = find(s, key, update);
    if (x && kv_slice_cmp(node_key(x), key) == 0) {
        s->bytes -= x->vlen;
        free(x->value);
        x->value = xmalloc(value.n);
        if (value.n) memcpy(x->value, value.p, value.n);
        x->vlen = value.n;
        x->tombstone = tombstone;
        s->bytes += value.n;
        return;
    }
    int level = random_level(s);
    if (level > s->level) {
        for (int i = s->level; i < level; i++)
            update[i] = s->head;
        s->level = level;
    }
    kv_sknode *n = node_new(level);
    n->key = xmalloc(key.n);
    if (key.n) memcpy(n->key, key.p, key.n);
    n->klen = key.n;
    n->value = xmalloc(value.n);
    if (value.n) memcpy(n->value, value.p, value.n);
    n->vlen = value.n;
    n->tombstone = tombstone;
    for (int i = 0; i < level; i++) {
        n->next[i] = update[i]->next[i];
        update[i]->next[i] = n;
    }
    s->count++;
    s->bytes += key.n + value.n + SK_NODE_COST;
}

int kv_skiplist_get(const kv_skiplist *s, kv_slice key, kv_slice *value) {
    kv_sknode *x = find(s, key, NULL);
    if (!x || kv_slice_cmp(node_key(x), key) != 0) return 0;
    if (x->tombstone) return -1;
    value->p = x->value;
    value->n = x->vlen;
    return 1;
}

size_t kv_skiplist_count(const kv_skiplist *s) {
    return s->count;
}
size_t kv_skiplist_bytes(const kv_skiplist *s) {
    return s->bytes;
}
const kv_sknode *kv_skiplist_first(const kv_skiplist *s) {
    return s->head->next[0];
}
const kv_sknode *kv_skiplist_seek(const kv_skiplist *s, kv_slice key) {
    return find(s, key, NULL);
}
const kv_sknode *kv_sknode_next(const kv_sknode *n) {
    return n->next[0];
}
kv_slice kv_sknode_key(const kv_sknode *n) {
    return node_key(n);
}

kv_slice kv_sknode_value(const kv_sknode *n) {
    kv_slice v = {n->value, n->vlen};
    return v;
}

bool kv_sknode_tombstone(const kv_sknode *n) {
    return n->tombstone;
}

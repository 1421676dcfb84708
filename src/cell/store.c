/*
 * store.c — the snapshot store: bases and diff chains by id; see store.h.
 *
 * Entries are kept serialised (a base is its raw image, a diff is cell_diff_write's form), so the
 * in-memory and on-disk forms are the same bytes; a file is `<id>.base`, or `<id>.diff` holding
 * "<parent id>\n" then the diff. Reading walks parent links up to the base (bounded by
 * CELL_STORE_MAX_CHAIN), then applies the diffs from the base down. Every diff is parsed with the
 * untrusting parser, so a damaged store gives an error, not a crash.
 */
#include "cell/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct store_entry {
    char id[CELL_STORE_ID_MAX + 1];
    char parent[CELL_STORE_ID_MAX + 1]; /* "" for a base */
    uint8_t *data;
    size_t len;
} store_entry;

struct cell_store {
    char *dir;
    store_entry *entries;
    size_t n, cap;
};

static bool valid_id(const char *id) {
    size_t n = strlen(id);
    if (n == 0 || n > CELL_STORE_ID_MAX || id[0] == '.') return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

cell_store *cell_store_open(const char *dir, char *err, size_t errlen) {
    cell_store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (dir) {
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: %s", dir, strerror(errno));
            free(st);
            return NULL;
        }
        st->dir = strdup(dir);
    }
    return st;
}

void cell_store_close(cell_store *st) {
    if (!st) return;
    for (size_t i = 0; i < st->n; i++)
        free(st->entries[i].data);
    free(st->entries);
    free(st->dir);
    free(st);
}

static store_entry *find_mem(cell_store *st, const char *id) {
    for (size_t i = 0; i < st->n; i++)
        if (!strcmp(st->entries[i].id, id)) return &st->entries[i];
    return NULL;
}

static store_entry *add_entry(cell_store *st, const char *id, const char *parent, uint8_t *data,
                              size_t len) {
    store_entry *e = find_mem(st, id);
    if (e) {
        free(e->data);
    } else {
        if (st->n == st->cap) {
            size_t cap = st->cap ? st->cap * 2 : 16;
            store_entry *p = realloc(st->entries, cap * sizeof *p);
            if (!p) return NULL;
            st->entries = p;
            st->cap = cap;
        }
        e = &st->entries[st->n++];
    }
    snprintf(e->id, sizeof e->id, "%s", id);
    snprintf(e->parent, sizeof e->parent, "%s", parent ? parent : "");
    e->data = data;
    e->len = len;
    return e;
}

static bool read_whole(const char *path, uint8_t **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0) {
        fclose(f);
        return false;
    }
    uint8_t *b = malloc(sb.st_size ? (size_t)sb.st_size : 1);
    bool ok = b && fread(b, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size;
    fclose(f);
    if (!ok) {
        free(b);
        return false;
    }
    *out = b;
    *len = (size_t)sb.st_size;
    return true;
}

/* Finds an entry in memory, else loads it from the directory. */
static store_entry *find(cell_store *st, const char *id, char *err, size_t errlen) {
    store_entry *e = find_mem(st, id);
    if (e || !st->dir) {
        if (!e) snprintf(err, errlen, "no snapshot '%s' in the store", id);
        return e;
    }
    char path[4096];
    uint8_t *b;
    size_t len;
    snprintf(path, sizeof path, "%s/%s.base", st->dir, id);
    if (read_whole(path, &b, &len)) {
        e = add_entry(st, id, NULL, b, len);
        if (!e) free(b);
        return e;
    }
    snprintf(path, sizeof path, "%s/%s.diff", st->dir, id);
    if (!read_whole(path, &b, &len)) {
        snprintf(err, errlen, "no snapshot '%s' in the store", id);
        return NULL;
    }
    uint8_t *nl = memchr(b, '\n', len < CELL_STORE_ID_MAX + 1 ? len : CELL_STORE_ID_MAX + 1);
    if (!nl) {
        snprintf(err, errlen, "store entry '%s' is malformed (no parent id)", id);
        free(b);
        return NULL;
    }
    char parent[CELL_STORE_ID_MAX + 1];
    size_t pl = (size_t)(nl - b);
    memcpy(parent, b, pl);
    parent[pl] = 0;
    if (!valid_id(parent)) {
        snprintf(err, errlen, "store entry '%s' names an invalid parent", id);
        free(b);
        return NULL;
    }
    size_t dl = len - pl - 1;
    uint8_t *d = malloc(dl ? dl : 1);
    if (!d) {
        free(b);
        return NULL;
    }
    memcpy(d, nl + 1, dl);
    free(b);
    e = add_entry(st, id, parent, d, dl);
    if (!e) free(d);
    return e;
}

static bool persist(cell_store *st, const store_entry *e, char *err, size_t errlen) {
    if (!st->dir) return true;
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s.%s", st->dir, e->id, e->parent[0] ? "diff" : "base");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f != NULL;
    if (ok && e->parent[0]) ok = fprintf(f, "%s\n", e->parent) > 0;
    if (ok && e->len) ok = fwrite(e->data, 1, e->len, f) == e->len;
    if (f && fclose(f) != 0) ok = false;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "writing %s: %s", path, strerror(errno));
        remove(tmp);
        return false;
    }
    return true;
}

bool cell_store_put_base(cell_store *st, const char *id, const uint8_t *mem, size_t len, char *err,
                         size_t errlen) {
    if (!valid_id(id)) {
        snprintf(err, errlen, "invalid snapshot id '%s'", id);
        return false;
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    memcpy(copy, mem, len);
    store_entry *e = add_entry(st, id, NULL, copy, len);
    if (!e) {
        free(copy);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    return persist(st, e, err, errlen);
}

static int range_cmp(const void *a, const void *b) {
    const cell_range *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static bool emit(cell_span **out, size_t *n, size_t *cap, uint64_t off, uint64_t len,
                 const uint8_t *bytes) {
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        cell_span *p = realloc(*out, c * sizeof *p);
        if (!p) return false;
        *out = p;
        *cap = c;
    }
    (*out)[(*n)++] = (cell_span){off, len, bytes};
    return true;
}

/* Removes the parts of spans that fall in excluded ranges, splitting spans where needed. */
static bool exclude_ranges(cell_diff *d, const cell_range *ex_in, size_t nex) {
    if (!nex) return true;
    cell_range *ex = malloc(nex * sizeof *ex);
    if (!ex) return false;
    memcpy(ex, ex_in, nex * sizeof *ex);
    qsort(ex, nex, sizeof *ex, range_cmp);
    cell_span *out = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    for (uint64_t i = 0; ok && i < d->nspans; i++) {
        uint64_t lo = d->spans[i].offset, hi = lo + d->spans[i].length, cur = lo;
        const uint8_t *bytes = d->spans[i].bytes;
        for (size_t k = 0; ok && k < nex && cur < hi; k++) {
            uint64_t a = ex[k].offset, b = ex[k].offset + ex[k].length;
            if (b <= cur || a >= hi) continue;
            if (a > cur) ok = emit(&out, &n, &cap, cur, a - cur, bytes + (cur - lo));
            cur = b;
        }
        if (ok && cur < hi) ok = emit(&out, &n, &cap, cur, hi - cur, bytes + (cur - lo));
    }
    free(ex);
    if (!ok) {
        free(out);
        return false;
    }
    free(d->spans);
    d->spans = out;
    d->nspans = n;
    d->cap_spans = cap;
    return true;
}

bool cell_store_put_diff(cell_store *st, const char *id, const char *parent, const uint8_t *cur,
                         size_t cur_len, const cell_pageset *dirty, const cell_range *exclude,
                         size_t nexclude, char *err, size_t errlen) {
    if (!valid_id(id) || !valid_id(parent) || !strcmp(id, parent)) {
        snprintf(err, errlen, "invalid snapshot ids '%s' <- '%s'", id, parent);
        return false;
    }
    uint8_t *base;
    size_t base_len;
    if (!cell_store_get(st, parent, &base, &base_len, err, errlen)) return false;
    cell_diff d;
    bool ok = cell_diff_compute(base, base_len, cur, cur_len, dirty, &d) &&
              exclude_ranges(&d, exclude, nexclude);
    free(base);
    if (!ok) {
        snprintf(err, errlen, "out of memory computing a diff");
        return false;
    }
    size_t n = cell_diff_size(&d);
    uint8_t *bytes = malloc(n);
    if (!bytes) {
        cell_diff_free(&d);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    cell_diff_write(&d, bytes);
    cell_diff_free(&d);
    store_entry *e = add_entry(st, id, parent, bytes, n);
    if (!e) {
        free(bytes);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    return persist(st, e, err, errlen);
}

bool cell_store_get(cell_store *st, const char *id, uint8_t **out, size_t *len, char *err,
                    size_t errlen) {
    size_t chain[CELL_STORE_MAX_CHAIN + 1]; /* entry indices: find() may move the array */
    int depth = 0;
    store_entry *e = find(st, id, err, errlen);
    while (e && e->parent[0]) {
        if (depth == CELL_STORE_MAX_CHAIN) {
            snprintf(err, errlen, "snapshot '%s': diff chain longer than %d (a cycle?)", id,
                     CELL_STORE_MAX_CHAIN);
            return false;
        }
        chain[depth++] = (size_t)(e - st->entries);
        char parent[CELL_STORE_ID_MAX + 1]; /* find() may move the array e->parent lives in */
        memcpy(parent, e->parent, sizeof parent);
        e = find(st, parent, err, errlen);
    }
    if (!e) return false;
    /* the base; then each diff from the base down. Diffs may grow the image, so keep room. */
    size_t size = e->len, cap = e->len ? e->len : 1;
    uint8_t *img = malloc(cap);
    if (!img) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    memcpy(img, e->data, e->len);
    for (int i = depth - 1; i >= 0; i--) {
        store_entry *de = &st->entries[chain[i]];
        cell_diff d;
        char msg[256];
        if (!cell_diff_parse(de->data, de->len, &d, msg, sizeof msg)) {
            snprintf(err, errlen, "snapshot '%s': %s", de->id, msg);
            free(img);
            return false;
        }
        if (d.new_len > cap) {
            uint8_t *p = realloc(img, d.new_len);
            if (!p) {
                cell_diff_free(&d);
                free(img);
                snprintf(err, errlen, "out of memory");
                return false;
            }
            img = p;
            cap = d.new_len;
        }
        bool ok = cell_diff_apply(&d, img, size, cap);
        size = d.new_len;
        cell_diff_free(&d);
        if (!ok) {
            snprintf(err, errlen, "snapshot '%s': diff does not apply", de->id);
            free(img);
            return false;
        }
    }
    *out = img;
    *len = size;
    return true;
}

int cell_store_depth(cell_store *st, const char *id) {
    char err[128];
    int depth = 0;
    store_entry *e = find(st, id, err, sizeof err);
    while (e && e->parent[0] && depth <= CELL_STORE_MAX_CHAIN) {
        depth++;
        char parent[CELL_STORE_ID_MAX + 1];
        memcpy(parent, e->parent, sizeof parent);
        e = find(st, parent, err, sizeof err);
    }
    return e && depth <= CELL_STORE_MAX_CHAIN ? depth : -1;
}

/*
 * kv_db.c — the database: a memtable in front of a stack of immutable segments, a write-ahead
 * log, and a manifest that says which segments are live.
 *
 * Writes go to the log, then to the memtable. When the memtable exceeds its limit it is flushed:
 * written as a new segment (tombstones included, since older segments may still hold the key),
 * the manifest is replaced to name it, and only then is the log emptied — a crash at any point
 * leaves either the old state (log replayed on open) or the new one. Reads look in the memtable,
 * then in the segments from newest to oldest. Compaction merges every segment into one, dropping
 * deleted keys and old versions, then switches the manifest and removes the old files.
 *
 * MANIFEST is text, replaced by write-to-temporary + fsync + rename:
 *     kvstore-manifest 1
 *     next-segment N
 *     segment ID            (one line per live segment, oldest first)
 *     crc XXXXXXXX          (CRC-32 of all lines above, in hex)
 * On open, segment files the manifest does not name and leftover *.tmp files (from a crash during
 * a flush or compaction) are deleted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kv.h"

#define DEFAULT_MEMTABLE_LIMIT (64 * 1024)

void kv_segment_path(const char *dir, uint32_t id, char *out, size_t len) {
    snprintf(out, len, "%s/seg-%06u.kvs", dir, id);
}

static void apply_record(void *ctx, int type, kv_slice key, kv_slice value) {
    kv_db *db = ctx;
    kv_skiplist_put(db->mem, key, value, type == KV_REC_DEL);
}

static void sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

bool kv_manifest_write(const char *dir, uint32_t next_segment, const uint32_t *ids, uint32_t n,
                       char *err, size_t errlen) {
    kv_buf text;
    kv_buf_init(&text);
    char line[128];
    int k = snprintf(line, sizeof line, "kvstore-manifest 1\nnext-segment %u\n", next_segment);
    kv_buf_put(&text, line, (size_t)k);
    for (uint32_t i = 0; i < n; i++) {
        k = snprintf(line, sizeof line, "segment %u\n", ids[i]);
        kv_buf_put(&text, line, (size_t)k);
    }
    k = snprintf(line, sizeof line, "crc %08x\n", kv_crc32(0, text.data, text.len));
    kv_buf_put(&text, line, (size_t)k);
    char tmp[1024], path[1024];
    snprintf(tmp, sizeof tmp, "%s/MANIFEST.tmp", dir);
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    bool ok = false;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        ok = write(fd, text.data, text.len) == (ssize_t)text.len && fsync(fd) == 0;
        close(fd);
        ok = ok && rename(tmp, path) == 0;
    }
    if (!ok) snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    kv_buf_free(&text);
    sync_dir(dir);
    return ok;
}

static bool write_manifest(kv_db *db, char *err, size_t errlen) {
    uint32_t *ids = calloc(db->nsegs ? db->nsegs : 1, sizeof *ids);
    if (!ids) abort();
    for (uint32_t i = 0; i < db->nsegs; i++)
        ids[i] = db->segs[i].id;
    bool ok = kv_manifest_write(db->dir, db->next_seg_id, ids, db->nsegs, err, errlen);
    free(ids);
    return ok;
}

bool kv_manifest_read(const char *dir, uint32_t *next_segment, uint32_t **ids, uint32_t *nids,
                      char *err, size_t errlen) {
    char path[1024];
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    *ids = NULL;
    *nids = 0;
    *next_segment = 1;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) return true;
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    kv_buf seen;
    kv_buf_init(&seen);
    char line[256];
    bool header = false, crc_ok = false;
    uint32_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned v;
        if (!strcmp(line, "kvstore-manifest 1\n")) {
            header = true;
        } else if (sscanf(line, "next-segment %u", &v) == 1) {
            *next_segment = v;
        } else if (sscanf(line, "segment %u", &v) == 1) {
            if (*nids == cap) {
                cap = cap ? cap * 2 : 8;
                *ids = realloc(*ids, cap * sizeof **ids);
                if (!*ids) abort();
            }
            (*ids)[(*nids)++] = v;
        } else if (sscanf(line, "crc %x", &v) == 1) {
            crc_ok = v == kv_crc32(0, seen.data, seen.len);
            break;
        } else {
            break;
        }
        kv_buf_put(&seen, line, strlen(line));
    }
    fclose(f);
    kv_buf_free(&seen);
    if (!header || !crc_ok) {
        snprintf(err, errlen, "%s is damaged", path);
        free(*ids);
        *ids = NULL;
        *nids = 0;
        return false;
    }
    return true;
}

static bool listed(const uint32_t *ids, uint32_t n, uint32_t id) {
    for (uint32_t i = 0; i < n; i++)
        if (ids[i] == id) return true;
    return false;
}

/* Removes segment files not in the manifest and temporary files left by a crash. */
static void remove_strays(kv_db *db, const uint32_t *ids, uint32_t n) {
    DIR *d = opendir(db->dir);
    if (!d) return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)) != NULL) {
        unsigned id;
        size_t len = strlen(e->d_name);
        bool tmp = len > 4 && !strcmp(e->d_name + len - 4, ".tmp");
        bool stray = sscanf(e->d_name, "seg-%u.kvs", &id) == 1 && len == 14 && !listed(ids, n, id);
        if (tmp || stray) {
            snprintf(path, sizeof path, "%s/%s", db->dir, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
}

kv_db *kv_db_open(const char *dir, char *err, size_t errlen) {
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return NULL;
    }
    kv_db *db = calloc(1, sizeof *db);
    if (!db) abort();
    db->dir = strdup(dir);
    db->next_seg_id = 1;
    db->memtable_limit = DEFAULT_MEMTABLE_LIMIT;
    db->log.fd = -1;
    uint32_t *ids, n;
    if (!kv_manifest_read(dir, &db->next_seg_id, &ids, &n, err, errlen)) {
        kv_db_close(db);
        return NULL;
    }
    remove_strays(db, ids, n);
    db->segs = calloc(n ? n : 1, sizeof *db->segs);
    if (!db->segs) abort();
    for (uint32_t i = 0; i < n; i++) {
        char path[1024];
        kv_segment_path(db->dir, ids[i], path, sizeof path);
        if (!kv_segment_open(&db->segs[i], ids[i], path, err, errlen)) {
            free(ids);
            kv_db_close(db);
            return NULL;
        }
        db->nsegs++;
    }
    free(ids);
    db->mem = kv_skiplist_new();
    char log_path[1024];
    snprintf(log_path, sizeof log_path, "%s/wal.log", dir);
    if (!kv_log_open(&db->log, log_path, apply_record, db, &db->recovered, &db->dropped_bytes, err,
                     errlen)) {
        kv_db_close(db);
        return NULL;
    }
    return db;
}

void kv_db_close(kv_db *db) {
    if (!db) return;
    kv_log_close(&db->log);
    for (uint32_t i = 0; i < db->nsegs; i++)
        kv_segment_close(&db->segs[i]);
    free(db->segs);
    kv_skiplist_free(db->mem);
    free(db->dir);
    free(db);
}

static bool maybe_flush(kv_db *db, char *err, size_t errlen) {
    if (kv_skiplist_bytes(db->mem) <= db->memtable_limit) return true;
    return kv_db_flush(db, err, errlen);
}

bool kv_db_put(kv_db *db, kv_slice key, kv_slice value, char *err, size_t errlen) {
    if (!kv_log_append(&db->log, KV_REC_PUT, key, value, err, errlen)) return false;
    kv_skiplist_put(db->mem, key, value, false);
    return maybe_flush(db, err, errlen);
}

bool kv_db_del(kv_db *db, kv_slice key, char *err, size_t errlen) {
    kv_slice none = {NULL, 0};
    if (!kv_log_append(&db->log, KV_REC_DEL, key, none, err, errlen)) return false;
    kv_skiplist_put(db->mem, key, none, true);
    return maybe_flush(db, err, errlen);
}

int kv_db_get(kv_db *db, kv_slice key, kv_slice *value) {
    int r = kv_skiplist_get(db->mem, key, value);
    if (r != 0) return r > 0;
    for (uint32_t i = db->nsegs; i-- > 0;) {
        r = kv_segment_get(&db->segs[i], key, value);
        if (r != 0) return r > 0;
    }
    return 0;
}

/* ops: a sequence of  u8 type | bytes key | bytes value  (see kv_cmd.c). */
bool kv_db_apply_batch(kv_db *db, const kv_buf *ops, size_t nops, char *err, size_t errlen) {
    kv_buf recs;
    kv_buf_init(&recs);
    kv_slice none = {NULL, 0}, count = {NULL, nops};
    kv_log_encode(&recs, db->log.next_seq++, KV_REC_BEGIN, none, count);
    kv_reader r;
    kv_reader_init(&r, ops->data, ops->len);
    for (size_t i = 0; i < nops; i++) {
        int type = kv_read_u8(&r);
        kv_slice k, v;
        k.n = (size_t)kv_read_varint(&r);
        k.p = kv_read_span(&r, k.n);
        v.n = (size_t)kv_read_varint(&r);
        v.p = kv_read_span(&r, v.n);
        kv_log_encode(&recs, db->log.next_seq++, type, k, v);
    }
    kv_log_encode(&recs, db->log.next_seq++, KV_REC_COMMIT, none, none);
    bool ok = !r.bad && kv_log_append_raw(&db->log, &recs, err, errlen);
    kv_buf_free(&recs);
    if (!ok) return false;
    kv_reader_init(&r, ops->data, ops->len);
    for (size_t i = 0; i < nops; i++) {
        int type = kv_read_u8(&r);
        kv_slice k, v;
        k.n = (size_t)kv_read_varint(&r);
        k.p = kv_read_span(&r, k.n);
        v.n = (size_t)kv_read_varint(&r);
        v.p = kv_read_span(&r, v.n);
        kv_skiplist_put(db->mem, k, v, type == KV_REC_DEL);
    }
    return maybe_flush(db, err, errlen);
}

/* Entry sources for kv_segment_write. */
static bool mem_source(void *ctx, kv_slice *key, kv_slice *value, bool *tombstone) {
    const kv_sknode **pos = ctx;
    if (!*pos) return false;
    *key = kv_sknode_key(*pos);
    *value = kv_sknode_value(*pos);
    *tombstone = kv_sknode_tombstone(*pos);
    *pos = kv_sknode_next(*pos);
    return true;
}

static bool iter_source(void *ctx, kv_slice *key, kv_slice *value, bool *tombstone) {
    kv_iter *it = ctx;
    if (!kv_iter_valid(it)) return false;
    *key = kv_iter_key(it);
    *value = kv_iter_value(it);
    *tombstone = kv_iter_tombstone(it);
    kv_iter_next(it);
    return true;
}

static bool add_segment(kv_db *db, uint32_t id, char *err, size_t errlen) {
    char path[1024];
    kv_segment_path(db->dir, id, path, sizeof path);
    kv_segment *segs = realloc(db->segs, (db->nsegs + 1) * sizeof *segs);
    if (!segs) abort();
    db->segs = segs;
    if (!kv_segment_open(&segs[db->nsegs], id, path, err, errlen)) return false;
    db->nsegs++;
    return true;
}

bool kv_db_flush(kv_db *db, char *err, size_t errlen) {
    if (kv_skiplist_count(db->mem) == 0) return true;
    uint32_t id = db->next_seg_id++;
    char path[1024];
    kv_segment_path(db->dir, id, path, sizeof path);
    const kv_sknode *pos = kv_skiplist_first(db->mem);
    if (!kv_segment_write(path, mem_source, &pos, kv_skiplist_count(db->mem), NULL, err, errlen) ||
        !add_segment(db, id, err, errlen) || !write_manifest(db, err, errlen) ||
        !kv_log_reset(&db->log, err, errlen)) {
        return false;
    }
    kv_skiplist_free(db->mem);
    db->mem = kv_skiplist_new();
    db->flushes++;
    return true;
}

bool kv_db_compact(kv_db *db, char *err, size_t errlen) {
    if (!kv_db_flush(db, err, errlen)) return false;
    if (db->nsegs == 0) return true;
    uint32_t id = db->next_seg_id++;
    char path[1024];
    kv_segment_path(db->dir, id, path, sizeof path);
    uint64_t total = 0;
    for (uint32_t i = 0; i < db->nsegs; i++)
        total += db->segs[i].count;
    kv_iter *it = kv_iter_new(db, kv_slice_str(""), true, false);
    uint64_t written = 0;
    bool ok = kv_segment_write(path, iter_source, it, (size_t)total, &written, err, errlen);
    kv_iter_free(it);
    if (!ok) return false;
    kv_segment *old = db->segs;
    uint32_t nold = db->nsegs;
    db->segs = NULL;
    db->nsegs = 0;
    if (written > 0) {
        if (!add_segment(db, id, err, errlen)) return false;
    } else {
        unlink(path);
    }
    if (!write_manifest(db, err, errlen)) return false;
    for (uint32_t i = 0; i < nold; i++) {
        unlink(old[i].path);
        kv_segment_close(&old[i]);
    }
    free(old);
    db->compactions++;
    return true;
}

uint64_t kv_db_count(kv_db *db) {
    uint64_t n = 0;
    kv_iter *it = kv_iter_new(db, kv_slice_str(""), true, false);
    for (; kv_iter_valid(it); kv_iter_next(it))
        n++;
    kv_iter_free(it);
    return n;
}

bool kv_db_verify(kv_db *db, char *report, size_t len) {
    uint64_t entries = 0;
    for (uint32_t i = 0; i < db->nsegs; i++) {
        if (!kv_segment_verify(&db->segs[i], report, len)) return false;
        entries += db->segs[i].count;
    }
    /* The merged view must be strictly ordered. */
    kv_iter *it = kv_iter_new(db, kv_slice_str(""), true, true);
    kv_buf prev;
    kv_buf_init(&prev);
    bool ordered = true, first = true;
    uint64_t keys = 0;
    for (; kv_iter_valid(it); kv_iter_next(it)) {
        kv_slice k = kv_iter_key(it);
        kv_slice p = {prev.data, prev.len};
        if (!first && kv_slice_cmp(p, k) >= 0) ordered = false;
        kv_buf_reset(&prev);
        kv_buf_put(&prev, k.p, k.n);
        first = false;
        keys++;
    }
    kv_iter_free(it);
    kv_buf_free(&prev);
    if (!ordered) {
        snprintf(report, len, "merged view out of order");
        return false;
    }
    snprintf(report, len,
             "verify ok: %u segments, %llu segment entries, %zu memtable entries, "
             "%llu distinct keys",
             db->nsegs, (unsigned long long)entries, kv_skiplist_count(db->mem),
             (unsigned long long)keys);
    return true;
}

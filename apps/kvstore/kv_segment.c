/*
 * kv_segment.c — immutable sorted segment files (seg-NNNNNN.kvs).
 *
 * When the memtable is flushed, or segments are compacted, the entries are written in key order
 * to a new segment file. A segment never changes afterwards; it is deleted when a compaction has
 * replaced it. Layout:
 *
 *     header   "KVSEG001" | u32 version (1) | u32 flags (0)                       16 bytes
 *     entries  varint klen | varint vlen+1 (0 = tombstone) | key | value          sorted by key
 *     index    varint n | n x (varint entry offset | varint klen | key)   every 16th entry
 *     bloom    u32 nbits | u32 nhashes | nbits/8 bytes
 *     footer   u64 index offset | u64 bloom offset | u64 entry count |
 *              u32 CRC-32 of every byte before the footer | u32 0 | "KVSEGEND"       40 bytes
 *
 * A file is written to NAME.tmp, synced and renamed into place, so a crash leaves either the
 * complete segment or none. Opening reads the whole file and checks the magic numbers, the
 * checksum and the structure (a corrupt segment is refused with a message, never half used).
 * A lookup asks the Bloom filter, binary-searches the sparse index for the last indexed key not
 * after the wanted one, and scans at most 16 entries from there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kv.h"

#define SEG_HEADER 16
#define SEG_FOOTER 40

static const char seg_magic[8] = {'K', 'V', 'S', 'E', 'G', '0', '0', '1'};
static const char seg_end[8] = {'K', 'V', 'S', 'E', 'G', 'E', 'N', 'D'};

static bool seg_fail(char *err, size_t errlen, const char *path, const char *why) {
    snprintf(err, errlen, "segment %s: %s", path, why);
    return false;
}

bool kv_segment_write(const char *path, kv_entry_source next, void *ctx, size_t expected,
                      uint64_t *written, char *err, size_t errlen) {
    kv_buf out, index;
    kv_buf_init(&out);
    kv_buf_init(&index);
    kv_bloom bloom;
    kv_bloom_init(&bloom, expected);
    kv_buf_put(&out, seg_magic, sizeof seg_magic);
    kv_buf_put_u32(&out, 1);
    kv_buf_put_u32(&out, 0);
    uint64_t count = 0, nindex = 0;
    kv_slice key, value;
    bool tombstone;
    while (next(ctx, &key, &value, &tombstone)) {
        if (count % KV_SEG_INDEX_EVERY == 0) {
            kv_buf_put_varint(&index, out.len);
            kv_buf_put_bytes(&index, key.p, key.n);
            nindex++;
        }
        kv_buf_put_varint(&out, key.n);
        kv_buf_put_varint(&out, tombstone ? 0 : value.n + 1);
        kv_buf_put(&out, key.p, key.n);
        if (!tombstone) kv_buf_put(&out, value.p, value.n);
        kv_bloom_add(&bloom, key);
        count++;
    }
    uint64_t index_off = out.len;
    kv_buf_put_varint(&out, nindex);
    kv_buf_put(&out, index.data, index.len);
    uint64_t bloom_off = out.len;
    kv_bloom_encode(&bloom, &out);
    uint32_t crc = kv_crc32(0, out.data, out.len);
    kv_buf_put_u64(&out, index_off);
    kv_buf_put_u64(&out, bloom_off);
    kv_buf_put_u64(&out, count);
    kv_buf_put_u32(&out, crc);
    kv_buf_put_u32(&out, 0);
    kv_buf_put(&out, seg_end, sizeof seg_end);
    kv_buf_free(&index);
    kv_bloom_free(&bloom);

    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    bool ok = false;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
    } else {
        size_t done = 0;
        while (done < out.len) {
            ssize_t k = write(fd, out.data + done, out.len - done);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) break;
            done += (size_t)k;
        }
        if (done != out.len || fsync(fd) != 0) {
            snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        } else if (rename(tmp, path) != 0) {
            snprintf(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
        } else {
            ok = true;
        }
        close(fd);
        if (!ok) unlink(tmp);
    }
    if (written) *written = count;
    kv_buf_free(&out);
    return ok;
}

bool kv_segment_open(kv_segment *s, uint32_t id, const char *path, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    s->id = id;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open segment %s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return seg_fail(err, errlen, path, "cannot stat");
    }
    s->size = (size_t)st.st_size;
    s->data = malloc(s->size ? s->size : 1);
    if (!s->data) abort();
    size_t done = 0;
    while (done < s->size) {
        ssize_t k = read(fd, s->data + done, s->size - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        done += (size_t)k;
    }
    close(fd);
    s->path = strdup(path);
    if (done != s->size) return seg_fail(err, errlen, path, "short read");
    if (s->size < SEG_HEADER + SEG_FOOTER || memcmp(s->data, seg_magic, 8) != 0 ||
        kv_get_u32(s->data + 8) != 1) {
        return seg_fail(err, errlen, path, "not a kvstore segment (bad header)");
    }
    const uint8_t *f = s->data + s->size - SEG_FOOTER;
    if (memcmp(f + 32, seg_end, 8) != 0) return seg_fail(err, errlen, path, "bad footer");
    uint64_t index_off = kv_get_u64(f), bloom_off = kv_get_u64(f + 8);
    s->count = kv_get_u64(f + 16);
    uint32_t crc = kv_get_u32(f + 24);
    size_t body = s->size - SEG_FOOTER;
    if (kv_crc32(0, s->data, body) != crc) return seg_fail(err, errlen, path, "checksum mismatch");
    if (index_off < SEG_HEADER || index_off > bloom_off || bloom_off > body) {
        return seg_fail(err, errlen, path, "bad block offsets");
    }
    s->entries_end = (size_t)index_off;
    kv_reader r;
    kv_reader_init(&r, s->data + index_off, (size_t)(bloom_off - index_off));
    uint64_t n = kv_read_varint(&r);
    if (r.bad || n > s->count + 1 || n > kv_reader_left(&r)) {
        return seg_fail(err, errlen, path, "bad index");
    }
    s->nindex = (uint32_t)n;
    s->index_off = calloc(n ? n : 1, sizeof *s->index_off);
    s->index_key = calloc(n ? n : 1, sizeof *s->index_key);
    if (!s->index_off || !s->index_key) abort();
    for (uint64_t i = 0; i < n; i++) {
        s->index_off[i] = kv_read_varint(&r);
        s->index_key[i].n = (size_t)kv_read_varint(&r);
        s->index_key[i].p = kv_read_span(&r, s->index_key[i].n);
        if (r.bad || s->index_off[i] < SEG_HEADER || s->index_off[i] >= s->entries_end) {
            return seg_fail(err, errlen, path, "bad index entry");
        }
    }
    kv_reader_init(&r, s->data + bloom_off, body - (size_t)bloom_off);
    if (!kv_bloom_decode(&s->bloom, &r)) return seg_fail(err, errlen, path, "bad bloom filter");
    return true;
}

void kv_segment_close(kv_segment *s) {
    free(s->data);
    free(s->path);
    free(s->index_off);
    free(s->index_key);
    kv_bloom_free(&s->bloom);
    memset(s, 0, sizeof *s);
}

/* Decodes the entry at c->off into the cursor; invalid at the end or on damage. */
static void cursor_load(kv_seg_cursor *c) {
    if (c->off >= c->seg->entries_end) {
        c->valid = false;
        return;
    }
    kv_reader r;
    kv_reader_init(&r, c->seg->data + c->off, c->seg->entries_end - c->off);
    size_t klen = (size_t)kv_read_varint(&r);
    uint64_t v1 = kv_read_varint(&r);
    c->key.n = klen;
    c->key.p = kv_read_span(&r, klen);
    c->tombstone = v1 == 0;
    c->value.n = v1 ? (size_t)(v1 - 1) : 0;
    c->value.p = v1 ? kv_read_span(&r, c->value.n) : NULL;
    c->valid = !r.bad;
}

static size_t varint_len(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static size_t entry_size(const kv_seg_cursor *c) {
    uint64_t v1 = c->tombstone ? 0 : c->value.n + 1;
    return varint_len(c->key.n) + varint_len(v1) + c->key.n + (c->tombstone ? 0 : c->value.n);
}

void kv_seg_cursor_next(kv_seg_cursor *c) {
    if (!c->valid) return;
    c->off += entry_size(c);
    cursor_load(c);
}

/* The index slot whose key is the last one <= key (0 if none). */
static uint32_t index_floor(const kv_segment *s, kv_slice key) {
    uint32_t lo = 0, hi = s->nindex;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (kv_slice_cmp(s->index_key[mid], key) <= 0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

void kv_seg_cursor_seek(kv_seg_cursor *c, const kv_segment *s, kv_slice key, bool from_start) {
    c->seg = s;
    c->off = SEG_HEADER;
    if (!from_start && s->nindex > 0) c->off = (size_t)s->index_off[index_floor(s, key)];
    cursor_load(c);
    if (from_start) return;
    while (c->valid && kv_slice_cmp(c->key, key) < 0)
        kv_seg_cursor_next(c);
}

int kv_segment_get(const kv_segment *s, kv_slice key, kv_slice *value) {
    if (s->count == 0 || !kv_bloom_may_contain(&s->bloom, key)) return 0;
    kv_seg_cursor c;
    kv_seg_cursor_seek(&c, s, key, false);
    if (!c.valid || kv_slice_cmp(c.key, key) != 0) return 0;
    if (c.tombstone) return -1;
    *value = c.value;
    return 1;
}

bool kv_segment_verify(const kv_segment *s, char *err, size_t errlen) {
    kv_seg_cursor c;
    kv_seg_cursor_seek(&c, s, kv_slice_str(""), true);
    uint64_t n = 0;
    uint32_t next_index = 0;
    kv_slice prev = {NULL, 0};
    while (c.valid) {
        if (n > 0 && kv_slice_cmp(prev, c.key) >= 0) {
            return seg_fail(err, errlen, s->path, "keys out of order");
        }
        if (n % KV_SEG_INDEX_EVERY == 0) {
            if (next_index >= s->nindex || s->index_off[next_index] != c.off ||
                kv_slice_cmp(s->index_key[next_index], c.key) != 0) {
                return seg_fail(err, errlen, s->path, "index does not match the entries");
            }
            next_index++;
        }
        if (!kv_bloom_may_contain(&s->bloom, c.key)) {
            return seg_fail(err, errlen, s->path, "bloom filter misses a key");
        }
        prev = c.key;
        n++;
        kv_seg_cursor_next(&c);
    }
    if (c.off != s->entries_end) return seg_fail(err, errlen, s->path, "damaged entry");
    if (n != s->count || next_index != s->nindex) {
        return seg_fail(err, errlen, s->path, "entry count does not match the footer");
    }
    return true;
}

/*
 * kv.h — kvstore: a small log-structured key-value store, written to behave identically as a
 * native program and as a Granny cell (it only uses what WASI offers: files, directories, rename,
 * fsync — no mmap, no threads, no clocks in its output).
 *
 * Architecture (one concept per file, prefix kv_):
 *   kv_buf.c      growable byte buffers, little-endian integers and varints
 *   kv_crc.c      CRC-32 (IEEE) for records, segments and the manifest
 *   kv_skiplist.c the memtable: an ordered map of recent writes (deterministic skip list)
 *   kv_bloom.c    Bloom filters that let a lookup skip segments without the key
 *   kv_log.c      the write-ahead log: every write is a checksummed record appended before it is
 *                 applied; on open the log is replayed and a torn tail (a crash mid-write) cut off
 *   kv_segment.c  immutable sorted segment files: entries, a sparse index, a Bloom filter, a footer
 *   kv_iter.c     merging iteration over the memtable and all segments, newest version wins
 *   kv_db.c       the database: memtable + segments + log + manifest; flush and compaction
 *   kv_cmd.c      the command language (put, get, scan, begin/commit, compact, verify ...)
 *   kv_backup.c   consistent copies of a database into another directory (`backup DIR`)
 *   kv_check.c    `kvstore --check DIR`: a read-only consistency check of every file
 *   kv_main.c     `kvstore DIR`: run commands from standard input against the database in DIR
 *
 * On disk, a database directory holds MANIFEST (the list of live segments, replaced atomically
 * by rename), wal.log (writes since the last flush) and seg-NNNNNN.kvs files. All integers are
 * little-endian; see kv_log.c, kv_segment.c and kv_db.c for the exact layouts. The format does not
 * depend on the host: the files written natively and in a cell are byte for byte the same.
 */
#ifndef KV_H
#define KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- kv_buf.c ---- */

typedef struct kv_buf {
    uint8_t *data;
    size_t len, cap;
} kv_buf;

void kv_buf_init(kv_buf *b);
void kv_buf_free(kv_buf *b);
void kv_buf_reset(kv_buf *b);
void kv_buf_reserve(kv_buf *b, size_t extra);
void kv_buf_put(kv_buf *b, const void *p, size_t n);
void kv_buf_put_u8(kv_buf *b, uint8_t v);
void kv_buf_put_u32(kv_buf *b, uint32_t v);
void kv_buf_put_u64(kv_buf *b, uint64_t v);
void kv_buf_put_varint(kv_buf *b, uint64_t v);
void kv_buf_put_bytes(kv_buf *b, const void *p, size_t n); /* varint length + bytes */

uint32_t kv_get_u32(const uint8_t *p);
uint64_t kv_get_u64(const uint8_t *p);
void kv_set_u32(uint8_t *p, uint32_t v);
void kv_set_u64(uint8_t *p, uint64_t v);

/* A cursor over a byte range; every read checks bounds and sets `bad` instead of overrunning. */
typedef struct kv_reader {
    const uint8_t *p, *end;
    bool bad;
} kv_reader;

void kv_reader_init(kv_reader *r, const void *p, size_t n);
uint8_t kv_read_u8(kv_reader *r);
uint32_t kv_read_u32(kv_reader *r);
uint64_t kv_read_u64(kv_reader *r);
uint64_t kv_read_varint(kv_reader *r);
/* Points *out at the next n bytes (no copy); NULL and `bad` when they are not there. */
const uint8_t *kv_read_span(kv_reader *r, size_t n);
size_t kv_reader_left(const kv_reader *r);

/* Keys and values are byte strings; comparison is memcmp order, shorter first on a tie. */
typedef struct kv_slice {
    const uint8_t *p;
    size_t n;
} kv_slice;

kv_slice kv_slice_str(const char *s);
int kv_slice_cmp(kv_slice a, kv_slice b);

/* ---- kv_crc.c ---- */

uint32_t kv_crc32(uint32_t crc, const void *p, size_t n);

/* ---- kv_skiplist.c ---- */

typedef struct kv_skiplist kv_skiplist;
typedef struct kv_sknode kv_sknode;

kv_skiplist *kv_skiplist_new(void);
void kv_skiplist_free(kv_skiplist *s);
/* Inserts or replaces; value NULL with tombstone=true records a deletion. */
void kv_skiplist_put(kv_skiplist *s, kv_slice key, kv_slice value, bool tombstone);
/* 1: found a value, 0: not present, -1: found a tombstone. */
int kv_skiplist_get(const kv_skiplist *s, kv_slice key, kv_slice *value);
size_t kv_skiplist_count(const kv_skiplist *s);
size_t kv_skiplist_bytes(const kv_skiplist *s);
/* Ordered traversal. */
const kv_sknode *kv_skiplist_first(const kv_skiplist *s);
const kv_sknode *kv_skiplist_seek(const kv_skiplist *s, kv_slice key); /* first >= key */
const kv_sknode *kv_sknode_next(const kv_sknode *n);
kv_slice kv_sknode_key(const kv_sknode *n);
kv_slice kv_sknode_value(const kv_sknode *n);
bool kv_sknode_tombstone(const kv_sknode *n);

/* ---- kv_bloom.c ---- */

typedef struct kv_bloom {
    uint32_t nbits, nhashes;
    uint8_t *bits;
} kv_bloom;

void kv_bloom_init(kv_bloom *b, size_t expected_keys);
void kv_bloom_free(kv_bloom *b);
void kv_bloom_add(kv_bloom *b, kv_slice key);
bool kv_bloom_may_contain(const kv_bloom *b, kv_slice key);
void kv_bloom_encode(const kv_bloom *b, kv_buf *out);
bool kv_bloom_decode(kv_bloom *b, kv_reader *r);

/* ---- kv_log.c ---- */

enum { KV_REC_PUT = 1, KV_REC_DEL = 2, KV_REC_BEGIN = 3, KV_REC_COMMIT = 4 };

typedef struct kv_log {
    int fd;
    char *path;
    uint64_t size; /* bytes of valid records */
    uint64_t next_seq;
    bool sync; /* fsync after every commit */
} kv_log;

/* Called for every committed put/delete during replay. */
typedef void (*kv_log_apply_fn)(void *ctx, int type, kv_slice key, kv_slice value);

/* Opens (creating) the log, replays it and truncates a torn or corrupt tail. *dropped gets the
 * number of bytes cut off. Returns false with a message in err. */
bool kv_log_open(kv_log *log, const char *path, kv_log_apply_fn apply, void *ctx,
                 uint64_t *replayed, uint64_t *dropped, char *err, size_t errlen);
void kv_log_close(kv_log *log);
bool kv_log_append(kv_log *log, int type, kv_slice key, kv_slice value, char *err, size_t errlen);
/* Appends a group of records (already encoded with kv_log_encode) with one write. */
bool kv_log_append_raw(kv_log *log, const kv_buf *records, char *err, size_t errlen);
void kv_log_encode(kv_buf *out, uint64_t seq, int type, kv_slice key, kv_slice value);
/* Empties the log (after a flush made its records durable in a segment). */
bool kv_log_reset(kv_log *log, char *err, size_t errlen);
/* Reads a log without changing it: counts the records of complete batches and single writes, and
 * says how many bytes at the end a recovery would cut off. False when the file cannot be read or
 * has no log header. */
bool kv_log_scan(const char *path, uint64_t *records, uint64_t *valid_bytes, uint64_t *total_bytes,
                 char *err, size_t errlen);

/* ---- kv_segment.c ---- */

typedef struct kv_segment {
    uint32_t id;
    char *path;
    uint8_t *data; /* the whole file, read at open */
    size_t size;
    uint64_t count;
    size_t entries_end; /* entries occupy [16, entries_end) */
    uint32_t nindex;    /* sparse index: every KV_SEG_INDEX_EVERY-th entry */
    uint64_t *index_off;
    kv_slice *index_key;
    kv_bloom bloom;
} kv_segment;

#define KV_SEG_INDEX_EVERY 16

/* Writes a segment from an ordered stream of entries (next() returns false at the end). */
typedef bool (*kv_entry_source)(void *ctx, kv_slice *key, kv_slice *value, bool *tombstone);
bool kv_segment_write(const char *path, kv_entry_source next, void *ctx, size_t expected,
                      uint64_t *written, char *err, size_t errlen);
bool kv_segment_open(kv_segment *s, uint32_t id, const char *path, char *err, size_t errlen);
void kv_segment_close(kv_segment *s);
/* 1 found value, 0 absent, -1 tombstone. */
int kv_segment_get(const kv_segment *s, kv_slice key, kv_slice *value);
/* Full check: checksum, key order, index and Bloom filter agree with the entries. */
bool kv_segment_verify(const kv_segment *s, char *err, size_t errlen);

/* A position in a segment's entries. */
typedef struct kv_seg_cursor {
    const kv_segment *seg;
    size_t off;
    bool valid;
    kv_slice key, value;
    bool tombstone;
} kv_seg_cursor;

void kv_seg_cursor_seek(kv_seg_cursor *c, const kv_segment *s, kv_slice key, bool from_start);
void kv_seg_cursor_next(kv_seg_cursor *c);

/* ---- kv_iter.c ---- */

typedef struct kv_db kv_db;

/* Merging iterator over the whole database (memtable + segments), live keys only. */
typedef struct kv_iter kv_iter;
kv_iter *kv_iter_new(kv_db *db, kv_slice from, bool from_start, bool include_tombstones);
bool kv_iter_valid(const kv_iter *it);
kv_slice kv_iter_key(const kv_iter *it);
kv_slice kv_iter_value(const kv_iter *it);
bool kv_iter_tombstone(const kv_iter *it);
void kv_iter_next(kv_iter *it);
void kv_iter_free(kv_iter *it);

/* ---- kv_db.c ---- */

struct kv_db {
    char *dir;
    kv_skiplist *mem;
    kv_segment *segs; /* oldest first */
    uint32_t nsegs;
    uint32_t next_seg_id;
    kv_log log;
    size_t memtable_limit; /* flush when the memtable holds more bytes */
    uint64_t flushes, compactions;
    uint64_t recovered, dropped_bytes;
};

kv_db *kv_db_open(const char *dir, char *err, size_t errlen);
void kv_db_close(kv_db *db);
bool kv_db_put(kv_db *db, kv_slice key, kv_slice value, char *err, size_t errlen);
bool kv_db_del(kv_db *db, kv_slice key, char *err, size_t errlen);
/* 1 found (value points into db memory, valid until the next write), 0 not found. */
int kv_db_get(kv_db *db, kv_slice key, kv_slice *value);
/* Applies a batch of encoded records atomically (one log write framed by BEGIN/COMMIT). */
bool kv_db_apply_batch(kv_db *db, const kv_buf *ops, size_t nops, char *err, size_t errlen);
bool kv_db_flush(kv_db *db, char *err, size_t errlen);
bool kv_db_compact(kv_db *db, char *err, size_t errlen);
bool kv_db_verify(kv_db *db, char *report, size_t len);
uint64_t kv_db_count(kv_db *db);

/* The manifest of a database directory (see kv_db.c): write one atomically, or read one into a
 * malloc'ed id list (a missing manifest reads as an empty database: *ids NULL, *n 0). */
bool kv_manifest_write(const char *dir, uint32_t next_segment, const uint32_t *ids, uint32_t n,
                       char *err, size_t errlen);
bool kv_manifest_read(const char *dir, uint32_t *next_segment, uint32_t **ids, uint32_t *n,
                      char *err, size_t errlen);
/* "DIR/seg-NNNNNN.kvs" into out. */
void kv_segment_path(const char *dir, uint32_t id, char *out, size_t len);

/* ---- kv_backup.c ---- */

/* Flushes the memtable, then copies the live segments and a manifest naming them into `dest`
 * (created if needed; it must not hold a database already). *files gets the number of segment
 * files copied and *bytes their size. The copy opens as a database of its own. */
bool kv_db_backup(kv_db *db, const char *dest, uint32_t *files, uint64_t *bytes, char *err,
                  size_t errlen);

/* ---- kv_check.c ---- */

/* Checks the database in `dir` without changing anything; prints a report on `out`. Returns the
 * number of problems found (0: healthy). */
int kv_check(const char *dir, FILE *out);

/* ---- kv_cmd.c ---- */

typedef struct kv_session kv_session;
kv_session *kv_session_new(kv_db *db, FILE *out);
void kv_session_free(kv_session *s);
/* Executes one command line; returns false for `quit`. May exit the process (crash, torn). */
bool kv_session_exec(kv_session *s, char *line);

#endif

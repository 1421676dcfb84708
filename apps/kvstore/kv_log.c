/*
 * kv_log.c — the write-ahead log.
 *
 * Every change is appended to wal.log before it is applied to the memtable, so a crash loses
 * nothing that was acknowledged (with `set sync on`, nothing that was acknowledged even if the
 * machine loses power: each append is followed by fsync).
 *
 * Layout: the 8 bytes "KVLOG001", then records:
 *     u32 payload length | u32 CRC-32 of the payload | payload
 *     payload = u8 type | varint seq | type-specific fields
 *       PUT:    varint klen, key, varint vlen, value
 *       DEL:    varint klen, key
 *       BEGIN:  varint number of operations that follow
 *       COMMIT: (nothing)
 * A batch (BEGIN, operations, COMMIT) is written with a single write and applied only if its
 * COMMIT record made it to disk.
 *
 * Recovery reads the whole log and stops at the first record that is incomplete (a torn write),
 * fails its checksum, or does not parse; everything from there on — including a batch whose COMMIT
 * is missing — is cut off with ftruncate, so the next append continues from a clean end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kv.h"

static const char log_magic[8] = {'K', 'V', 'L', 'O', 'G', '0', '0', '1'};

static bool fail(char *err, size_t errlen, const char *what, const char *path) {
    snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
    return false;
}

static bool write_all(int fd, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

void kv_log_encode(kv_buf *out, uint64_t seq, int type, kv_slice key, kv_slice value) {
    kv_buf payload;
    kv_buf_init(&payload);
    kv_buf_put_u8(&payload, (uint8_t)type);
    kv_buf_put_varint(&payload, seq);
    if (type == KV_REC_PUT || type == KV_REC_DEL) kv_buf_put_bytes(&payload, key.p, key.n);
    if (type == KV_REC_PUT) kv_buf_put_bytes(&payload, value.p, value.n);
    if (type == KV_REC_BEGIN) kv_buf_put_varint(&payload, value.n); /* operation count */
    kv_buf_put_u32(out, (uint32_t)payload.len);
    kv_buf_put_u32(out, kv_crc32(0, payload.data, payload.len));
    kv_buf_put(out, payload.data, payload.len);
    kv_buf_free(&payload);
}

/* One parsed record. */
typedef struct log_record {
    int type;
    uint64_t seq;
    kv_slice key, value;
    uint64_t count;
} log_record;

/* Parses the record at r; false when it is torn or damaged. */
static bool parse_record(kv_reader *r, log_record *rec) {
    if (kv_reader_left(r) < 8) return false;
    uint32_t len = kv_read_u32(r), crc = kv_read_u32(r);
    const uint8_t *payload = kv_read_span(r, len);
    if (!payload || kv_crc32(0, payload, len) != crc) return false;
    kv_reader p;
    kv_reader_init(&p, payload, len);
    memset(rec, 0, sizeof *rec);
    rec->type = kv_read_u8(&p);
    rec->seq = kv_read_varint(&p);
    switch (rec->type) {
    case KV_REC_PUT:
    case KV_REC_DEL:
        rec->key.n = (size_t)kv_read_varint(&p);
        rec->key.p = kv_read_span(&p, rec->key.n);
        if (rec->type == KV_REC_PUT) {
            rec->value.n = (size_t)kv_read_varint(&p);
            rec->value.p = kv_read_span(&p, rec->value.n);
        }
        break;
    case KV_REC_BEGIN: rec->count = kv_read_varint(&p); break;
    case KV_REC_COMMIT: break;
    default: return false;
    }
    return !p.bad && kv_reader_left(&p) == 0;
}

static uint8_t *read_file(int fd, size_t *len) {
    struct stat st;
    if (fstat(fd, &st) != 0) return NULL;
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) abort();
    size_t done = 0;
    while (done < n) {
        ssize_t k = pread(fd, buf + done, n - done, (off_t)done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        done += (size_t)k;
    }
    *len = done;
    return buf;
}

/* Walks the records after the header: calls apply (if any) for every committed put or delete and
 * returns the number of bytes, header included, that hold complete records and batches. */
static size_t replay(const uint8_t *data, size_t len, kv_log_apply_fn apply, void *ctx,
                     uint64_t *records, uint64_t *next_seq) {
    size_t valid = sizeof log_magic;
    kv_reader r;
    kv_reader_init(&r, data + valid, len - valid);
    *records = 0;
    *next_seq = 1;
    while (kv_reader_left(&r) > 0) {
        log_record rec;
        if (!parse_record(&r, &rec)) break;
        if (rec.type == KV_REC_BEGIN) {
            /* Check the whole batch before applying any of it. */
            kv_reader b = r;
            bool complete = false;
            for (uint64_t i = 0; i <= rec.count; i++) {
                log_record op;
                if (!parse_record(&b, &op)) break;
                if (i == rec.count) {
                    complete = op.type == KV_REC_COMMIT;
                } else if (op.type != KV_REC_PUT && op.type != KV_REC_DEL) {
                    break;
                }
            }
            if (!complete) break;
            for (uint64_t i = 0; i < rec.count; i++) {
                log_record op;
                parse_record(&r, &op);
                if (apply) apply(ctx, op.type, op.key, op.value);
                (*records)++;
            }
            log_record commit;
            parse_record(&r, &commit);
            *next_seq = commit.seq + 1;
        } else if (rec.type == KV_REC_PUT || rec.type == KV_REC_DEL) {
            if (apply) apply(ctx, rec.type, rec.key, rec.value);
            (*records)++;
            *next_seq = rec.seq + 1;
        } else {
            break; /* a COMMIT without its BEGIN */
        }
        valid = (size_t)(r.p - data);
    }
    return valid;
}

bool kv_log_scan(const char *path, uint64_t *records, uint64_t *valid_bytes, uint64_t *total_bytes,
                 char *err, size_t errlen) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return fail(err, errlen, "cannot open", path);
    size_t len = 0;
    uint8_t *data = read_file(fd, &len);
    close(fd);
    if (!data) return fail(err, errlen, "cannot read", path);
    bool ok = len >= sizeof log_magic && memcmp(data, log_magic, sizeof log_magic) == 0;
    if (ok) {
        uint64_t next_seq;
        *valid_bytes = replay(data, len, NULL, NULL, records, &next_seq);
        *total_bytes = len;
    } else {
        snprintf(err, errlen, "%s is not a kvstore log", path);
    }
    free(data);
    return ok;
}

bool kv_log_open(kv_log *log, const char *path, kv_log_apply_fn apply, void *ctx,
                 uint64_t *replayed, uint64_t *dropped, char *err, size_t errlen) {
    memset(log, 0, sizeof *log);
    log->fd = open(path, O_RDWR | O_CREAT, 0644);
    if (log->fd < 0) return fail(err, errlen, "cannot open", path);
    log->path = strdup(path);
    size_t len = 0;
    uint8_t *data = read_file(log->fd, &len);
    if (!data) return fail(err, errlen, "cannot read", path);
    *replayed = *dropped = 0;
    size_t valid = 0;
    if (len >= sizeof log_magic && memcmp(data, log_magic, sizeof log_magic) == 0) {
        valid = sizeof log_magic;
    } else if (len > 0) {
        free(data);
        snprintf(err, errlen, "%s is not a kvstore log", path);
        return false;
    }
    log->next_seq = 1;
    if (valid > 0) valid = replay(data, len, apply, ctx, replayed, &log->next_seq);
    free(data);
    if (len == 0) {
        if (!write_all(log->fd, (const uint8_t *)log_magic, sizeof log_magic)) {
            return fail(err, errlen, "cannot write", path);
        }
        valid = sizeof log_magic;
    } else if (valid < len) {
        *dropped = len - valid;
        if (ftruncate(log->fd, (off_t)valid) != 0)
            return fail(err, errlen, "cannot truncate", path);
    }
    log->size = valid;
    if (lseek(log->fd, (off_t)valid, SEEK_SET) < 0) return fail(err, errlen, "cannot seek", path);
    return true;
}

void kv_log_close(kv_log *log) {
    if (log->fd >= 0) close(log->fd);
    log->fd = -1;
    free(log->path);
    log->path = NULL;
}

bool kv_log_append_raw(kv_log *log, const kv_buf *records, char *err, size_t errlen) {
    if (!write_all(log->fd, records->data, records->len)) {
        return fail(err, errlen, "cannot append to", log->path);
    }
    if (log->sync && fdatasync(log->fd) != 0) return fail(err, errlen, "cannot sync", log->path);
    log->size += records->len;
    return true;
}

bool kv_log_append(kv_log *log, int type, kv_slice key, kv_slice value, char *err, size_t errlen) {
    kv_buf rec;
    kv_buf_init(&rec);
    kv_log_encode(&rec, log->next_seq++, type, key, value);
    bool ok = kv_log_append_raw(log, &rec, err, errlen);
    kv_buf_free(&rec);
    return ok;
}

bool kv_log_reset(kv_log *log, char *err, size_t errlen) {
    if (ftruncate(log->fd, (off_t)sizeof log_magic) != 0 ||
        lseek(log->fd, (off_t)sizeof log_magic, SEEK_SET) < 0) {
        return fail(err, errlen, "cannot reset", log->path);
    }
    if (fsync(log->fd) != 0) return fail(err, errlen, "cannot sync", log->path);
    log->size = sizeof log_magic;
    return true;
}

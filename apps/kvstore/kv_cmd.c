/*
 * kv_cmd.c — the command language of kvstore, one command per line:
 *
 *   put KEY VALUE...        store VALUE (the rest of the line, spaces included)     -> OK
 *   get KEY                 -> the value, or (nil)
 *   del KEY                 -> (integer) 1 if the key existed, else 0
 *   exists KEY              -> (integer) 1 or 0
 *   incr KEY [N]            add N (default 1) to a decimal value (absent = 0)        -> new value
 *   append KEY TEXT         append to the value                                       -> new length
 *   mput K V [K V ...]      several puts as one atomic batch                          -> OK
 *   begin / commit / abort  group puts and deletes into one atomic batch; reads inside a batch
 *                           see the database as it was before the batch
 *   scan [FROM [TO]] [limit N]   keys in [FROM, TO), in order, with values -> ... (N keys)
 *   prefix P                keys starting with P
 *   delrange FROM TO        delete every key in [FROM, TO)                            -> (N
 * deleted) count                   number of live keys fill N PREFIX [LEN]     put N generated keys
 * PREFIX00000.. with LEN-byte values (default 16) flush / compact         write the memtable to a
 * segment / merge all segments into one verify                  check every segment and the merged
 * order checksum                FNV-1a of all live keys and values in order stats counters
 * (segments, memtable, log bytes, flushes, compactions) set memtable BYTES | set sync on|off export
 * FILE / import FILE   write / read "KEY<TAB>VALUE" lines echo TEXT               print TEXT;  #
 * ...  comment;  quit  stop reading crash                   exit at once with status 3, as a power
 * cut after the last write torn                    append half of a record to the log, then exit
 * with status 3
 *
 * Errors print "ERR <reason>" and the session goes on. Output never depends on the host (no
 * times, no addresses, no errno numbers), which is what lets the tests compare a native run with
 * a run in a cell.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"

#define MAX_ARGS 64

struct kv_session {
    kv_db *db;
    FILE *out;
    bool in_batch;
    kv_buf batch;
    size_t batch_ops;
    char err[512];
};

kv_session *kv_session_new(kv_db *db, FILE *out) {
    kv_session *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->db = db;
    s->out = out;
    kv_buf_init(&s->batch);
    return s;
}

void kv_session_free(kv_session *s) {
    if (!s) return;
    kv_buf_free(&s->batch);
    free(s);
}

static void print_slice(FILE *out, kv_slice v) {
    fwrite(v.p, 1, v.n, out);
}

/* Splits `line` at spaces into argv (terminating each argument in place); rest[i] points at the
 * text after argument i in `copy`, an untouched copy of the line (for values with spaces). */
static int split(char *line, char *copy, char **argv, char **rest) {
    int n = 0;
    char *p = line;
    while (n < MAX_ARGS) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p) break;
        argv[n] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        char *after = copy + (p - line);
        if (*after) after++; /* skip the one separator */
        rest[n] = after;
        if (*p) *p++ = '\0';
        n++;
    }
    return n;
}

/* A put or delete: buffered inside a batch, else applied now. */
static bool write_op(kv_session *s, int type, kv_slice key, kv_slice value) {
    if (s->in_batch) {
        kv_buf_put_u8(&s->batch, (uint8_t)type);
        kv_buf_put_bytes(&s->batch, key.p, key.n);
        kv_buf_put_bytes(&s->batch, value.p, value.n);
        s->batch_ops++;
        return true;
    }
    if (type == KV_REC_PUT) return kv_db_put(s->db, key, value, s->err, sizeof s->err);
    return kv_db_del(s->db, key, s->err, sizeof s->err);
}

static void reply_err(kv_session *s, const char *why) {
    fprintf(s->out, "ERR %s\n", why);
}

static bool parse_u64(const char *t, unsigned long long *v) {
    char *end;
    errno = 0;
    *v = strtoull(t, &end, 10);
    return !errno && end != t && !*end && t[0] != '-';
}

static bool parse_i64(const char *t, long long *v) {
    char *end;
    errno = 0;
    *v = strtoll(t, &end, 10);
    return !errno && end != t && !*end;
}

static void cmd_scan(kv_session *s, int argc, char **argv, bool prefix) {
    kv_slice from = kv_slice_str(""), to = kv_slice_str("");
    bool has_from = false, has_to = false;
    unsigned long long limit = ~0ull;
    int i = 1;
    if (prefix) {
        if (argc != 2) return reply_err(s, "usage: prefix P");
        from = kv_slice_str(argv[1]);
        has_from = true;
    } else {
        for (; i < argc; i++) {
            if (!strcmp(argv[i], "limit")) {
                if (i + 1 >= argc || !parse_u64(argv[i + 1], &limit)) {
                    return reply_err(s, "limit needs a number");
                }
                i++;
            } else if (!has_from) {
                from = kv_slice_str(argv[i]);
                has_from = true;
            } else if (!has_to) {
                to = kv_slice_str(argv[i]);
                has_to = true;
            } else {
                return reply_err(s, "usage: scan [FROM [TO]] [limit N]");
            }
        }
    }
    kv_iter *it = kv_iter_new(s->db, from, !has_from, false);
    unsigned long long n = 0;
    for (; kv_iter_valid(it) && n < limit; kv_iter_next(it)) {
        kv_slice k = kv_iter_key(it);
        if (has_to && kv_slice_cmp(k, to) >= 0) break;
        if (prefix && (k.n < from.n || memcmp(k.p, from.p, from.n) != 0)) break;
        print_slice(s->out, k);
        fputs(" = ", s->out);
        print_slice(s->out, kv_iter_value(it));
        fputc('\n', s->out);
        n++;
    }
    kv_iter_free(it);
    fprintf(s->out, "(%llu keys)\n", n);
}

static void cmd_delrange(kv_session *s, const char *from, const char *to) {
    /* Collect first: deleting while iterating would change what the iterator reads. */
    kv_buf keys;
    kv_buf_init(&keys);
    size_t n = 0;
    kv_iter *it = kv_iter_new(s->db, kv_slice_str(from), false, false);
    for (; kv_iter_valid(it); kv_iter_next(it)) {
        kv_slice k = kv_iter_key(it);
        if (kv_slice_cmp(k, kv_slice_str(to)) >= 0) break;
        kv_buf_put_bytes(&keys, k.p, k.n);
        n++;
    }
    kv_iter_free(it);
    kv_reader r;
    kv_reader_init(&r, keys.data, keys.len);
    kv_slice none = {NULL, 0};
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        kv_slice k;
        k.n = (size_t)kv_read_varint(&r);
        k.p = kv_read_span(&r, k.n);
        ok = write_op(s, KV_REC_DEL, k, none);
    }
    kv_buf_free(&keys);
    if (!ok) return reply_err(s, s->err);
    fprintf(s->out, "(%zu deleted)\n", n);
}

static void cmd_fill(kv_session *s, int argc, char **argv) {
    unsigned long long n, len = 16;
    if (argc < 3 || argc > 4 || !parse_u64(argv[1], &n) ||
        (argc == 4 && !parse_u64(argv[3], &len)) || len > 1 << 20) {
        return reply_err(s, "usage: fill N PREFIX [LEN]");
    }
    char key[256];
    char *value = malloc(len + 1);
    if (!value) abort();
    uint32_t x = 2166136261u;
    for (unsigned long long i = 0; i < n; i++) {
        snprintf(key, sizeof key, "%s%05llu", argv[2], i);
        for (unsigned long long k = 0; k < len; k++) {
            x ^= (uint32_t)(i + k);
            x *= 16777619u;
            value[k] = (char)('a' + x % 26);
        }
        if (!write_op(s, KV_REC_PUT, kv_slice_str(key), (kv_slice){(uint8_t *)value, len})) {
            free(value);
            return reply_err(s, s->err);
        }
    }
    free(value);
    fprintf(s->out, "OK (%llu keys)\n", n);
}

static void cmd_export(kv_session *s, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return reply_err(s, "cannot create the export file");
    size_t n = 0;
    kv_iter *it = kv_iter_new(s->db, kv_slice_str(""), true, false);
    for (; kv_iter_valid(it); kv_iter_next(it), n++) {
        print_slice(f, kv_iter_key(it));
        fputc('\t', f);
        print_slice(f, kv_iter_value(it));
        fputc('\n', f);
    }
    kv_iter_free(it);
    if (fclose(f) != 0) return reply_err(s, "cannot write the export file");
    fprintf(s->out, "(%zu keys exported)\n", n);
}

static void cmd_import(kv_session *s, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return reply_err(s, "cannot open the import file");
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    bool ok = true;
    while (ok && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n') line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = '\0';
        kv_slice k = kv_slice_str(line), v = kv_slice_str(tab + 1);
        ok = write_op(s, KV_REC_PUT, k, v);
        n++;
    }
    free(line);
    fclose(f);
    if (!ok) return reply_err(s, s->err);
    fprintf(s->out, "(%zu keys imported)\n", n);
}

static void cmd_stats(kv_session *s) {
    kv_db *db = s->db;
    uint64_t entries = 0;
    for (uint32_t i = 0; i < db->nsegs; i++)
        entries += db->segs[i].count;
    fprintf(s->out, "segments: %u (%llu entries)\n", db->nsegs, (unsigned long long)entries);
    fprintf(s->out, "memtable: %zu entries, %zu bytes (limit %zu)\n", kv_skiplist_count(db->mem),
            kv_skiplist_bytes(db->mem), db->memtable_limit);
    fprintf(s->out, "log: %llu bytes, next sequence %llu\n", (unsigned long long)db->log.size,
            (unsigned long long)db->log.next_seq);
    fprintf(s->out, "flushes: %llu, compactions: %llu, next segment: %u\n",
            (unsigned long long)db->flushes, (unsigned long long)db->compactions, db->next_seg_id);
    fprintf(s->out, "recovered: %llu records, %llu bytes dropped\n",
            (unsigned long long)db->recovered, (unsigned long long)db->dropped_bytes);
}

static void cmd_checksum(kv_session *s) {
    uint64_t h = 14695981039346656037ull;
    size_t n = 0;
    kv_iter *it = kv_iter_new(s->db, kv_slice_str(""), true, false);
    for (; kv_iter_valid(it); kv_iter_next(it), n++) {
        kv_slice parts[2] = {kv_iter_key(it), kv_iter_value(it)};
        for (int p = 0; p < 2; p++) {
            for (size_t i = 0; i < parts[p].n; i++) {
                h ^= parts[p].p[i];
                h *= 1099511628211ull;
            }
            h ^= 0xff;
            h *= 1099511628211ull;
        }
    }
    kv_iter_free(it);
    fprintf(s->out, "checksum %016llx over %zu keys\n", (unsigned long long)h, n);
}

/* Writes the first half of a valid record to the log and exits: a torn write. */
static void cmd_torn(kv_session *s) {
    kv_buf rec;
    kv_buf_init(&rec);
    kv_log_encode(&rec, s->db->log.next_seq, KV_REC_PUT, kv_slice_str("torn-key"),
                  kv_slice_str("this value never fully reaches the disk"));
    ssize_t k = write(s->db->log.fd, rec.data, rec.len / 2);
    fflush(s->out);
    _Exit(k > 0 ? 3 : 4);
}

static void cmd_set(kv_session *s, int argc, char **argv) {
    unsigned long long v;
    if (argc == 3 && !strcmp(argv[1], "memtable") && parse_u64(argv[2], &v) && v >= 256) {
        s->db->memtable_limit = (size_t)v;
    } else if (argc == 3 && !strcmp(argv[1], "sync") &&
               (!strcmp(argv[2], "on") || !strcmp(argv[2], "off"))) {
        s->db->log.sync = !strcmp(argv[2], "on");
    } else {
        return reply_err(s, "usage: set memtable BYTES (>= 256) | set sync on|off");
    }
    fprintf(s->out, "OK\n");
}

static bool exec_command(kv_session *s, int argc, char **argv, char **rest);

bool kv_session_exec(kv_session *s, char *line) {
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    char *argv[MAX_ARGS], *rest[MAX_ARGS];
    char *copy = strdup(line);
    if (!copy) abort();
    int argc = split(line, copy, argv, rest);
    bool more = argc == 0 || argv[0][0] == '#' || exec_command(s, argc, argv, rest);
    free(copy);
    return more;
}

/* Runs one split command; false for quit. */
static bool exec_command(kv_session *s, int argc, char **argv, char **rest) {
    const char *cmd = argv[0];
    kv_slice value;
    if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit")) return false;
    if (!strcmp(cmd, "echo")) {
        fprintf(s->out, "%s\n", rest[0]);
    } else if (!strcmp(cmd, "put")) {
        if (argc < 3) {
            reply_err(s, "usage: put KEY VALUE");
        } else if (!write_op(s, KV_REC_PUT, kv_slice_str(argv[1]), kv_slice_str(rest[1]))) {
            reply_err(s, s->err);
        } else {
            fprintf(s->out, "OK\n");
        }
    } else if (!strcmp(cmd, "get")) {
        if (argc != 2) {
            reply_err(s, "usage: get KEY");
        } else if (kv_db_get(s->db, kv_slice_str(argv[1]), &value)) {
            print_slice(s->out, value);
            fputc('\n', s->out);
        } else {
            fprintf(s->out, "(nil)\n");
        }
    } else if (!strcmp(cmd, "exists") || !strcmp(cmd, "del")) {
        if (argc != 2) {
            reply_err(s, "usage: exists|del KEY");
        } else {
            int found = kv_db_get(s->db, kv_slice_str(argv[1]), &value);
            kv_slice none = {NULL, 0};
            if (!strcmp(cmd, "del") && found &&
                !write_op(s, KV_REC_DEL, kv_slice_str(argv[1]), none)) {
                reply_err(s, s->err);
            } else {
                fprintf(s->out, "(integer) %d\n", found);
            }
        }
    } else if (!strcmp(cmd, "incr")) {
        long long by = 1, cur = 0;
        char num[32];
        if (argc < 2 || argc > 3 || (argc == 3 && !parse_i64(argv[2], &by))) {
            reply_err(s, "usage: incr KEY [N]");
        } else {
            bool ok = true;
            if (kv_db_get(s->db, kv_slice_str(argv[1]), &value)) {
                snprintf(num, sizeof num, "%.*s", (int)(value.n < 31 ? value.n : 31),
                         (const char *)value.p);
                ok = value.n < 31 && parse_i64(num, &cur);
            }
            if (!ok) {
                reply_err(s, "value is not an integer");
            } else {
                snprintf(num, sizeof num, "%lld", cur + by);
                if (!write_op(s, KV_REC_PUT, kv_slice_str(argv[1]), kv_slice_str(num))) {
                    reply_err(s, s->err);
                } else {
                    fprintf(s->out, "(integer) %s\n", num);
                }
            }
        }
    } else if (!strcmp(cmd, "append")) {
        if (argc < 3) {
            reply_err(s, "usage: append KEY TEXT");
        } else {
            kv_buf v;
            kv_buf_init(&v);
            if (kv_db_get(s->db, kv_slice_str(argv[1]), &value)) kv_buf_put(&v, value.p, value.n);
            kv_buf_put(&v, rest[1], strlen(rest[1]));
            if (!write_op(s, KV_REC_PUT, kv_slice_str(argv[1]), (kv_slice){v.data, v.len})) {
                reply_err(s, s->err);
            } else {
                fprintf(s->out, "(integer) %zu\n", v.len);
            }
            kv_buf_free(&v);
        }
    } else if (!strcmp(cmd, "mput")) {
        if (argc < 3 || argc % 2 == 0 || s->in_batch) {
            reply_err(s, s->in_batch ? "mput inside a batch" : "usage: mput K V [K V ...]");
        } else {
            s->in_batch = true;
            for (int i = 1; i < argc; i += 2) {
                write_op(s, KV_REC_PUT, kv_slice_str(argv[i]), kv_slice_str(argv[i + 1]));
            }
            s->in_batch = false;
            if (!kv_db_apply_batch(s->db, &s->batch, s->batch_ops, s->err, sizeof s->err)) {
                reply_err(s, s->err);
            } else {
                fprintf(s->out, "OK\n");
            }
            kv_buf_reset(&s->batch);
            s->batch_ops = 0;
        }
    } else if (!strcmp(cmd, "begin")) {
        if (s->in_batch) {
            reply_err(s, "already in a batch");
        } else {
            s->in_batch = true;
            fprintf(s->out, "OK\n");
        }
    } else if (!strcmp(cmd, "commit") || !strcmp(cmd, "abort")) {
        if (!s->in_batch) {
            reply_err(s, "not in a batch");
        } else {
            s->in_batch = false;
            size_t n = s->batch_ops;
            if (!strcmp(cmd, "abort")) {
                fprintf(s->out, "OK (%zu operations discarded)\n", n);
            } else if (n > 0 && !kv_db_apply_batch(s->db, &s->batch, n, s->err, sizeof s->err)) {
                reply_err(s, s->err);
            } else {
                fprintf(s->out, "OK (%zu operations)\n", n);
            }
            kv_buf_reset(&s->batch);
            s->batch_ops = 0;
        }
    } else if (!strcmp(cmd, "scan") || !strcmp(cmd, "prefix")) {
        cmd_scan(s, argc, argv, !strcmp(cmd, "prefix"));
    } else if (!strcmp(cmd, "delrange")) {
        if (argc != 3) {
            reply_err(s, "usage: delrange FROM TO");
        } else {
            cmd_delrange(s, argv[1], argv[2]);
        }
    } else if (!strcmp(cmd, "count")) {
        fprintf(s->out, "(integer) %llu\n", (unsigned long long)kv_db_count(s->db));
    } else if (!strcmp(cmd, "fill")) {
        cmd_fill(s, argc, argv);
    } else if (!strcmp(cmd, "flush") || !strcmp(cmd, "compact")) {
        bool ok = !strcmp(cmd, "flush") ? kv_db_flush(s->db, s->err, sizeof s->err)
                                        : kv_db_compact(s->db, s->err, sizeof s->err);
        if (ok) {
            fprintf(s->out, "OK\n");
        } else {
            reply_err(s, s->err);
        }
    } else if (!strcmp(cmd, "verify")) {
        char report[512];
        if (kv_db_verify(s->db, report, sizeof report)) {
            fprintf(s->out, "%s\n", report);
        } else {
            reply_err(s, report);
        }
    } else if (!strcmp(cmd, "checksum")) {
        cmd_checksum(s);
    } else if (!strcmp(cmd, "stats")) {
        cmd_stats(s);
    } else if (!strcmp(cmd, "set")) {
        cmd_set(s, argc, argv);
    } else if (!strcmp(cmd, "export") || !strcmp(cmd, "import")) {
        if (argc != 2) {
            reply_err(s, "usage: export|import FILE");
        } else if (!strcmp(cmd, "export")) {
            cmd_export(s, argv[1]);
        } else {
            cmd_import(s, argv[1]);
        }
    } else if (!strcmp(cmd, "backup")) {
        uint32_t files;
        uint64_t bytes;
        if (argc != 2) {
            reply_err(s, "usage: backup DIR");
        } else if (!kv_db_backup(s->db, argv[1], &files, &bytes, s->err, sizeof s->err)) {
            reply_err(s, s->err);
        } else {
            fprintf(s->out, "OK (%u segments, %llu bytes)\n", files, (unsigned long long)bytes);
        }
    } else if (!strcmp(cmd, "check")) {
        fflush(s->out);
        kv_check(s->db->dir, s->out);
    } else if (!strcmp(cmd, "crash")) {
        fflush(s->out);
        _Exit(3);
    } else if (!strcmp(cmd, "torn")) {
        cmd_torn(s);
    } else {
        reply_err(s, "unknown command");
    }
    return true;
}

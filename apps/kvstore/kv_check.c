/*
 * kv_check.c — `kvstore --check DIR`: an offline consistency check that changes nothing.
 *
 * It reads the manifest (header, checksum), opens and fully verifies every segment it names
 * (checksum, key order, index, Bloom filter, entry count), scans the log without truncating it
 * (how many records a recovery would replay and how many bytes it would cut off), and lists files
 * that do not belong (segments the manifest does not name, leftover temporary files). A cut-off
 * log tail is reported but is not a problem: it is what a crash during a write leaves, and the
 * next open repairs it. Every line of the report is deterministic.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reports files in `dir` that are neither a live segment, the manifest nor the log. */
static int check_strays(const char *dir, const uint32_t *ids, uint32_t n, FILE *out) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    char *names[256];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < 256) {
        const char *name = e->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, "MANIFEST") ||
            !strcmp(name, "wal.log"))
            continue;
        unsigned id;
        bool live = false;
        if (sscanf(name, "seg-%u.kvs", &id) == 1 && strlen(name) == 14) {
            uint32_t key = id;
            live = bsearch(&key, ids, n, sizeof *ids, cmp_u32) != NULL;
        }
        if (!live) names[count++] = strdup(name);
    }
    closedir(d);
    qsort(names, (size_t)count, sizeof names[0], cmp_name);
    for (int i = 0; i < count; i++) {
        fprintf(out, "stray file: %s\n", names[i]);
        free(names[i]);
    }
    return count;
}

int kv_check(const char *dir, FILE *out) {
    int problems = 0;
    char err[512];
    uint32_t next, *ids, n;
    if (!kv_manifest_read(dir, &next, &ids, &n, err, sizeof err)) {
        fprintf(out, "manifest: %s\n", "damaged or unreadable");
        return 1;
    }
    fprintf(out, "manifest: %u segments, next segment %u\n", n, next);
    qsort(ids, n, sizeof *ids, cmp_u32);
    uint64_t entries = 0;
    for (uint32_t i = 0; i < n; i++) {
        char path[1100];
        kv_segment_path(dir, ids[i], path, sizeof path);
        kv_segment s;
        if (!kv_segment_open(&s, ids[i], path, err, sizeof err)) {
            fprintf(out, "segment %u: cannot be opened\n", ids[i]);
            problems++;
        } else if (!kv_segment_verify(&s, err, sizeof err)) {
            fprintf(out, "segment %u: damaged\n", ids[i]);
            problems++;
        } else {
            fprintf(out, "segment %u: ok, %llu entries, %zu bytes\n", ids[i],
                    (unsigned long long)s.count, s.size);
            entries += s.count;
        }
        if (ids[i] >= next) {
            fprintf(out, "segment %u: id not below next-segment %u\n", ids[i], next);
            problems++;
        }
        kv_segment_close(&s);
    }
    char log_path[1100];
    snprintf(log_path, sizeof log_path, "%s/wal.log", dir);
    uint64_t records, valid, total;
    if (kv_log_scan(log_path, &records, &valid, &total, err, sizeof err)) {
        fprintf(out, "log: %llu records in %llu bytes", (unsigned long long)records,
                (unsigned long long)valid);
        if (total > valid) {
            fprintf(out, ", %llu bytes of an unfinished write (cut off at the next open)",
                    (unsigned long long)(total - valid));
        }
        fprintf(out, "\n");
    } else {
        fprintf(out, "log: missing or unreadable\n");
    }
    problems += check_strays(dir, ids, n, out);
    free(ids);
    fprintf(out, "%llu segment entries; %s\n", (unsigned long long)entries,
            problems ? "PROBLEMS FOUND" : "healthy");
    return problems;
}

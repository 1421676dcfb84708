/*
 * kv_backup.c — `backup DIR`: a consistent copy of the database that opens on its own.
 *
 * Segments never change once written, so a copy of the live segments plus a manifest naming them
 * is a complete database. The memtable is flushed first (so the log holds nothing the copy would
 * miss), then every live segment is copied with read/write, each file to NAME.tmp, synced and
 * renamed, and the manifest is written last: a crash during the backup leaves a directory without
 * a manifest (an empty database that `backup` may overwrite) or with a complete one, never a
 * manifest that names a missing segment. The destination must not already hold a database.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kv.h"

static bool copy_file(const char *from, const char *to, uint64_t *bytes, char *err, size_t errlen) {
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.tmp", to);
    int in = open(from, O_RDONLY);
    if (in < 0) {
        snprintf(err, errlen, "cannot open %s: %s", from, strerror(errno));
        return false;
    }
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        close(in);
        return false;
    }
    static uint8_t buf[1 << 16];
    bool ok = true;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ok = false;
            break;
        }
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            ssize_t k = write(out, buf + done, (size_t)(n - done));
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) {
                ok = false;
                break;
            }
            done += k;
        }
        if (!ok) break;
        *bytes += (uint64_t)n;
    }
    ok = ok && fsync(out) == 0;
    close(in);
    close(out);
    ok = ok && rename(tmp, to) == 0;
    if (!ok) {
        snprintf(err, errlen, "cannot copy %s to %s: %s", from, to, strerror(errno));
        unlink(tmp);
    }
    return ok;
}

bool kv_db_backup(kv_db *db, const char *dest, uint32_t *files, uint64_t *bytes, char *err,
                  size_t errlen) {
    *files = 0;
    *bytes = 0;
    if (mkdir(dest, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dest, strerror(errno));
        return false;
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/MANIFEST", dest);
    struct stat st;
    if (stat(path, &st) == 0) {
        snprintf(err, errlen, "%s already holds a database", dest);
        return false;
    }
    if (!kv_db_flush(db, err, errlen)) return false;
    uint32_t *ids = calloc(db->nsegs ? db->nsegs : 1, sizeof *ids);
    if (!ids) abort();
    for (uint32_t i = 0; i < db->nsegs; i++) {
        char to[1100];
        ids[i] = db->segs[i].id;
        kv_segment_path(dest, ids[i], to, sizeof to);
        if (!copy_file(db->segs[i].path, to, bytes, err, errlen)) {
            free(ids);
            return false;
        }
        (*files)++;
    }
    bool ok = kv_manifest_write(dest, db->next_seg_id, ids, db->nsegs, err, errlen);
    free(ids);
    return ok;
}

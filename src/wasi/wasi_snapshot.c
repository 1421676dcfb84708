/*
 * wasi_snapshot.c — the descriptor table as data: describe every open descriptor so a snapshot can
 * carry it, and reopen a described table in another process or on another host.
 *
 * A descriptor is described by what it is (stdio stream, preopen, file or directory beneath a
 * preopen), where (the preopen's index and the path relative to the preopen's directory), how
 * (access mode, fdflags, rights) and, for files, the current position. The path is taken from the
 * kernel at describe time (/proc/self/fd), so renames since the open are followed; the lexical
 * path recorded at open time is the fallback where /proc is not mounted. A file deleted while
 * open, or moved out of its preopen, cannot be described (the call fails and says which).
 *
 * Restoring reopens every file beneath the context's own preopen of the same index, through the
 * same sandboxed resolution as path_open, so a snapshot can never give a guest a descriptor outside
 * its preopens, whatever the snapshot says. Rights are intersected with what the file type allows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static bool snap_fail(rt_error *err, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* The path of host fd `fd` relative to `root` (a canonical directory), into out. */
static bool relative_path(int fd, const char *root, const char *fallback, char *out, bool *gone) {
    char proc[64], abs[WASI_PATH_MAX + 32];
    *gone = false;
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(proc, abs, sizeof abs - 1);
    if (n < 0) {
        if (!fallback) return false;
        snprintf(out, WASI_PATH_MAX, "%s", fallback);
        return true;
    }
    abs[n] = '\0';
    const char *deleted = " (deleted)";
    size_t dl = strlen(deleted);
    if ((size_t)n > dl && strcmp(abs + n - dl, deleted) == 0) {
        *gone = true;
        return false;
    }
    size_t rl = strlen(root);
    if (strcmp(abs, root) == 0) {
        snprintf(out, WASI_PATH_MAX, ".");
        return true;
    }
    if (strcmp(root, "/") == 0) {
        if (strlen(abs + 1) >= WASI_PATH_MAX) return false;
        memcpy(out, abs + 1, strlen(abs + 1) + 1);
        return true;
    }
    if (strncmp(abs, root, rl) != 0 || abs[rl] != '/') return false;
    if (strlen(abs + rl + 1) >= WASI_PATH_MAX) return false;
    memcpy(out, abs + rl + 1, strlen(abs + rl + 1) + 1);
    return true;
}

bool wasi_fdtable_describe(wasi_ctx *ctx, wasi_fd_desc **out, size_t *count, rt_error *err) {
    *out = NULL;
    *count = 0;
    wasi_fdtable *t = &ctx->fds;
    /* Take a reference on every entry under the lock, describe them without it. */
    pthread_mutex_lock(&t->lock);
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->nslots; i++)
        n += t->slots[i] != NULL;
    wasi_fd_desc *descs = calloc(n ? n : 1, sizeof *descs);
    wasi_fd_entry **entries = calloc(n ? n : 1, sizeof *entries);
    if (!descs || !entries) {
        pthread_mutex_unlock(&t->lock);
        free(descs);
        free(entries);
        return snap_fail(err, "out of memory");
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < t->nslots; i++) {
        wasi_fd_entry *e = t->slots[i];
        if (!e) continue;
        __atomic_fetch_add(&e->refs, 1, __ATOMIC_RELAXED);
        entries[k] = e;
        descs[k].fd = i;
        descs[k].rights_base = e->rights_base;
        descs[k].rights_inheriting = e->rights_inheriting;
        k++;
    }
    pthread_mutex_unlock(&t->lock);

    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        wasi_fd_entry *e = entries[i];
        wasi_fd_desc *d = &descs[i];
        d->kind = e->kind;
        d->filetype = e->filetype;
        d->access = e->access;
        d->origin = e->origin;
        d->fdflags = wasi_fdflags_of(e->host_fd);
        if (e->kind == WASI_FD_PREOPEN) {
            snprintf(d->path, sizeof d->path, ".");
        } else if (e->kind == WASI_FD_FILE || e->kind == WASI_FD_DIR) {
            bool gone;
            if (e->origin < 0 || (uint32_t)e->origin >= ctx->npreopens) {
                ok = snap_fail(err, "descriptor %u has no preopen", d->fd);
            } else if (!relative_path(e->host_fd, ctx->preopens[e->origin].real_path, e->path,
                                      d->path, &gone)) {
                ok = snap_fail(err, "descriptor %u: %s", d->fd,
                               gone ? "the file was deleted while open"
                                    : "the file is no longer beneath its preopened directory");
            }
            if (e->kind == WASI_FD_FILE) {
                off_t pos = lseek(e->host_fd, 0, SEEK_CUR);
                d->offset = pos > 0 ? (uint64_t)pos : 0;
            }
        }
    }
    for (uint32_t i = 0; i < n; i++)
        wasi_fd_entry_release(entries[i]);
    free(entries);
    if (!ok) {
        free(descs);
        return false;
    }
    *out = descs;
    *count = n;
    return true;
}

static wasi_fd_entry *restore_one(wasi_ctx *ctx, const wasi_fd_desc *d, rt_error *err) {
    if (d->kind == WASI_FD_STDIO) {
        if (d->origin < 0 || d->origin > 2) {
            snap_fail(err, "descriptor %u: bad stdio index %d", d->fd, d->origin);
            return NULL;
        }
        wasi_fd_entry *e = wasi_stdio_entry(d->origin, ctx->stdio_host[d->origin]);
        if (!e) snap_fail(err, "out of memory");
        if (e) {
            e->rights_base &= d->rights_base;
            e->rights_inheriting &= d->rights_inheriting;
        }
        return e;
    }
    if (d->origin < 0 || (uint32_t)d->origin >= ctx->npreopens) {
        snap_fail(err, "descriptor %u: preopen %d does not exist here", d->fd, d->origin);
        return NULL;
    }
    const wasi_preopen *p = &ctx->preopens[d->origin];
    int hfd;
    if (d->kind == WASI_FD_PREOPEN) {
        hfd = fcntl(p->root_fd, F_DUPFD_CLOEXEC, 0);
        if (hfd < 0) hfd = -(int)wasi_errno_from_host(errno);
    } else if (d->kind == WASI_FD_FILE || d->kind == WASI_FD_DIR) {
        if (memchr(d->path, '\0', sizeof d->path) == NULL) {
            snap_fail(err, "descriptor %u: path is not terminated", d->fd);
            return NULL;
        }
        int flags = O_RDONLY;
        if (d->kind == WASI_FD_DIR) {
            flags |= O_DIRECTORY;
        } else if (d->access == (WASI_ACCESS_READ | WASI_ACCESS_WRITE)) {
            flags = O_RDWR;
        } else if (d->access == WASI_ACCESS_WRITE) {
            flags = O_WRONLY;
        }
        flags |= wasi_host_flags_from_fdflags(d->fdflags);
        hfd = wasi_resolve_open(p->root_fd, d->path, flags, 0, true);
    } else {
        snap_fail(err, "descriptor %u: unknown kind %u", d->fd, d->kind);
        return NULL;
    }
    if (hfd < 0) {
        snap_fail(err, "descriptor %u: cannot reopen '%s' beneath '%s': %s", d->fd, d->path,
                  p->host_path, wasi_errno_name((uint16_t)-hfd));
        return NULL;
    }
    if (d->kind == WASI_FD_FILE && d->offset > 0 && lseek(hfd, (off_t)d->offset, SEEK_SET) < 0 &&
        errno != ESPIPE) {
        snap_fail(err, "descriptor %u: cannot seek to %llu", d->fd, (unsigned long long)d->offset);
        close(hfd);
        return NULL;
    }
    struct stat st;
    uint8_t filetype = fstat(hfd, &st) == 0 ? wasi_filetype_from_mode(st.st_mode) : d->filetype;
    wasi_fd_entry *e = wasi_fd_entry_new(hfd, true, d->kind);
    if (!e) {
        close(hfd);
        snap_fail(err, "out of memory");
        return NULL;
    }
    e->filetype = filetype;
    e->access = d->access;
    e->origin = d->origin;
    e->rights_base = d->rights_base & wasi_rights_for(filetype, hfd);
    e->rights_inheriting = d->rights_inheriting;
    e->path = strdup(d->kind == WASI_FD_PREOPEN ? "." : d->path);
    return e;
}

bool wasi_fdtable_restore(wasi_ctx *ctx, const wasi_fd_desc *descs, size_t count, rt_error *err) {
    wasi_fdtable_clear(&ctx->fds);
    for (size_t i = 0; i < count; i++) {
        wasi_fd_entry *e = restore_one(ctx, &descs[i], err);
        if (!e) return false;
        uint16_t r = wasi_fdtable_insert_at(&ctx->fds, descs[i].fd, e);
        if (r) {
            wasi_fd_entry_release(e);
            return snap_fail(err, "descriptor %u: %s", descs[i].fd, wasi_errno_name(r));
        }
    }
    return true;
}

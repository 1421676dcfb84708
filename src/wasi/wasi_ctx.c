/*
 * wasi_ctx.c — the per-cell WASI context: arguments, environment, stdio and preopened
 * directories, and the small conversions (file types, rights, stat records, flags) that the call
 * files share.
 *
 * The descriptor table starts as: 0, 1, 2 = the host's stdin, stdout, stderr (not owned, so a
 * guest that closes its stdout does not close the host's), then one descriptor per preopen in the
 * order they were added, which is what wasi-libc expects (it scans fd_prestat_get from 3 until
 * EBADF). Each preopen keeps a second host descriptor of its own (root_fd) so that descriptors can
 * be restored beneath it even after the guest closed or renumbered the preopen's descriptor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static bool ctx_fail(rt_error *err, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return false;
}

uint8_t wasi_filetype_from_mode(mode_t mode) {
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN; /* FIFOs: preview1 has no type for them */
    }
}

uint64_t wasi_rights_for(uint8_t filetype, int host_fd) {
    switch (filetype) {
    case WASI_FILETYPE_REGULAR_FILE: return WASI_RIGHTS_REGULAR_FILE;
    case WASI_FILETYPE_DIRECTORY: return WASI_RIGHTS_DIRECTORY;
    case WASI_FILETYPE_BLOCK_DEVICE: return WASI_RIGHTS_REGULAR_FILE;
    case WASI_FILETYPE_CHARACTER_DEVICE:
        /* A terminal cannot seek (and wasi-libc's isatty looks for that); /dev/null can. */
        return isatty(host_fd) ? WASI_RIGHTS_STREAM
                               : WASI_RIGHTS_STREAM | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL;
    default: return WASI_RIGHTS_STREAM;
    }
}

static uint64_t timespec_ns(struct timespec ts) {
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void wasi_store_filestat(const wasi_mem *m, uint32_t ptr, const struct stat *st) {
    memset(wasi_mem_at(m, ptr), 0, WASI_FILESTAT_SIZE);
    wasi_store_u64(m, ptr + WASI_FILESTAT_DEV, (uint64_t)st->st_dev);
    wasi_store_u64(m, ptr + WASI_FILESTAT_INO, (uint64_t)st->st_ino);
    wasi_store_u8(m, ptr + WASI_FILESTAT_FILETYPE, wasi_filetype_from_mode(st->st_mode));
    wasi_store_u64(m, ptr + WASI_FILESTAT_NLINK, (uint64_t)st->st_nlink);
    wasi_store_u64(m, ptr + WASI_FILESTAT_FILESIZE, (uint64_t)st->st_size);
    wasi_store_u64(m, ptr + WASI_FILESTAT_ATIM, timespec_ns(st->st_atim));
    wasi_store_u64(m, ptr + WASI_FILESTAT_MTIM, timespec_ns(st->st_mtim));
    wasi_store_u64(m, ptr + WASI_FILESTAT_CTIM, timespec_ns(st->st_ctim));
}

uint16_t wasi_fdflags_of(int host_fd) {
    int fl = fcntl(host_fd, F_GETFL);
    if (fl < 0) return 0;
    uint16_t f = 0;
    if (fl & O_APPEND) f |= WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK) f |= WASI_FDFLAG_NONBLOCK;
    /* On Linux O_SYNC includes the O_DSYNC bit, and O_RSYNC equals O_SYNC. */
    if ((fl & O_SYNC) == O_SYNC) {
        f |= WASI_FDFLAG_SYNC;
    } else if (fl & O_DSYNC) {
        f |= WASI_FDFLAG_DSYNC;
    }
    return f;
}

int wasi_host_flags_from_fdflags(uint16_t fdflags) {
    int fl = 0;
    if (fdflags & WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    if (fdflags & (WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC)) fl |= O_SYNC;
    if (fdflags & WASI_FDFLAG_DSYNC) fl |= O_DSYNC;
    return fl;
}

uint16_t wasi_mem_path(const wasi_mem *m, uint32_t ptr, uint32_t len, char *out) {
    if (!wasi_mem_check(m, ptr, len)) return WASI_EFAULT;
    if (len >= WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    memcpy(out, wasi_mem_at(m, ptr), len);
    out[len] = '\0';
    if (memchr(out, '\0', len)) return WASI_EINVAL;
    return WASI_ESUCCESS;
}

/* ---- the context ---- */

wasi_fd_entry *wasi_stdio_entry(int index, int host_fd) {
    wasi_fd_entry *e = wasi_fd_entry_new(host_fd, false, WASI_FD_STDIO);
    if (!e) return NULL;
    e->origin = index;
    struct stat st;
    e->filetype =
        fstat(host_fd, &st) == 0 ? wasi_filetype_from_mode(st.st_mode) : WASI_FILETYPE_UNKNOWN;
    if (e->filetype == WASI_FILETYPE_UNKNOWN || e->filetype == WASI_FILETYPE_SOCKET_STREAM) {
        int type = 0;
        socklen_t len = sizeof type;
        if (getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM) {
            e->filetype = WASI_FILETYPE_SOCKET_DGRAM;
        }
    }
    e->rights_base = wasi_rights_for(e->filetype, host_fd);
    e->rights_inheriting = 0;
    int fl = fcntl(host_fd, F_GETFL);
    int acc = fl < 0 ? O_RDWR : (fl & O_ACCMODE);
    e->access = (uint8_t)((acc != O_WRONLY ? WASI_ACCESS_READ : 0) |
                          (acc != O_RDONLY ? WASI_ACCESS_WRITE : 0));
    return e;
}

/* GRANNY_WASI_RESOLVE=walk|openat2|auto picks the path resolver (tests force the walk with it). */
static void resolve_mode_from_env(void) {
    const char *m = getenv("GRANNY_WASI_RESOLVE");
    if (!m) return;
    if (!strcmp(m, "walk")) wasi_resolve_set_mode(WASI_RESOLVE_WALK);
    if (!strcmp(m, "openat2")) wasi_resolve_set_mode(WASI_RESOLVE_OPENAT2);
    if (!strcmp(m, "auto")) wasi_resolve_set_mode(WASI_RESOLVE_AUTO);
}

wasi_ctx *wasi_ctx_new(void) {
    resolve_mode_from_env();
    wasi_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    wasi_fdtable_init(&ctx->fds, WASI_DEFAULT_MAX_FDS);
    for (int i = 0; i < 3; i++) {
        ctx->stdio_host[i] = i;
        wasi_fd_entry *e = wasi_stdio_entry(i, i);
        if (!e || wasi_fdtable_insert_at(&ctx->fds, (uint32_t)i, e) != WASI_ESUCCESS) {
            wasi_fd_entry_release(e);
            wasi_ctx_free(ctx);
            return NULL;
        }
    }
    return ctx;
}

static void free_strings(char **v, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void wasi_ctx_free(wasi_ctx *ctx) {
    if (!ctx) return;
    wasi_fdtable_destroy(&ctx->fds);
    free_strings(ctx->argv, ctx->argc);
    free_strings(ctx->env, ctx->envc);
    for (uint32_t i = 0; i < ctx->npreopens; i++) {
        wasi_preopen *p = &ctx->preopens[i];
        if (p->root_fd >= 0) close(p->root_fd);
        free(p->host_path);
        free(p->real_path);
        free(p->guest_path);
    }
    free(ctx->preopens);
    free(ctx);
}

bool wasi_ctx_set_args(wasi_ctx *ctx, int argc, const char *const *argv, rt_error *err) {
    if (argc < 0) return ctx_fail(err, "negative argument count");
    char **v = calloc((size_t)argc + 1, sizeof *v);
    if (!v) return ctx_fail(err, "out of memory");
    for (int i = 0; i < argc; i++) {
        v[i] = strdup(argv[i]);
        if (!v[i]) {
            free_strings(v, (uint32_t)i);
            return ctx_fail(err, "out of memory");
        }
    }
    free_strings(ctx->argv, ctx->argc);
    ctx->argv = v;
    ctx->argc = (uint32_t)argc;
    return true;
}

bool wasi_ctx_add_env(wasi_ctx *ctx, const char *key_value, rt_error *err) {
    const char *eq = strchr(key_value, '=');
    if (!eq || eq == key_value) {
        return ctx_fail(err, "environment entry '%s' is not KEY=VALUE", key_value);
    }
    char **v = realloc(ctx->env, (ctx->envc + 1) * sizeof *v);
    if (!v) return ctx_fail(err, "out of memory");
    ctx->env = v;
    v[ctx->envc] = strdup(key_value);
    if (!v[ctx->envc]) return ctx_fail(err, "out of memory");
    ctx->envc++;
    return true;
}

bool wasi_ctx_add_preopen(wasi_ctx *ctx, const char *host_dir, const char *guest_path,
                          rt_error *err) {
    if (!guest_path || !guest_path[0]) return ctx_fail(err, "empty guest path for '%s'", host_dir);
    int fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ctx_fail(err, "cannot open directory '%s': %s", host_dir, strerror(errno));
    int fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (fd2 < 0) {
        close(fd);
        return ctx_fail(err, "cannot duplicate a descriptor: %s", strerror(errno));
    }
    wasi_preopen *list = realloc(ctx->preopens, (ctx->npreopens + 1) * sizeof *list);
    if (!list) {
        close(fd);
        close(fd2);
        return ctx_fail(err, "out of memory");
    }
    ctx->preopens = list;
    wasi_preopen *p = &list[ctx->npreopens];
    p->host_path = strdup(host_dir);
    p->real_path = realpath(host_dir, NULL);
    if (!p->real_path) p->real_path = strdup(host_dir); /* describe then uses the lexical paths */
    p->guest_path = strdup(guest_path);
    p->root_fd = fd;
    wasi_fd_entry *e = wasi_fd_entry_new(fd2, true, WASI_FD_PREOPEN);
    if (!p->host_path || !p->real_path || !p->guest_path || !e) {
        free(p->host_path);
        free(p->real_path);
        free(p->guest_path);
        close(fd);
        wasi_fd_entry_release(e);
        if (!e) close(fd2);
        return ctx_fail(err, "out of memory");
    }
    e->origin = (int32_t)ctx->npreopens;
    e->filetype = WASI_FILETYPE_DIRECTORY;
    e->access = WASI_ACCESS_READ;
    e->rights_base = WASI_RIGHTS_DIRECTORY;
    e->rights_inheriting = WASI_RIGHTS_DIRECTORY | WASI_RIGHTS_REGULAR_FILE;
    e->path = strdup(".");
    uint32_t guest_fd;
    uint16_t r = wasi_fdtable_insert(&ctx->fds, e, &guest_fd);
    if (r != WASI_ESUCCESS) {
        wasi_fd_entry_release(e);
        free(p->host_path);
        free(p->real_path);
        free(p->guest_path);
        close(fd);
        return ctx_fail(err, "cannot add preopen '%s': %s", host_dir, wasi_errno_name(r));
    }
    ctx->npreopens++;
    return true;
}

bool wasi_ctx_set_stdio(wasi_ctx *ctx, int guest_fd, int host_fd, rt_error *err) {
    if (guest_fd < 0 || guest_fd > 2)
        return ctx_fail(err, "stdio descriptor %d is not 0..2", guest_fd);
    wasi_fd_entry *e = wasi_stdio_entry(guest_fd, host_fd);
    if (!e) return ctx_fail(err, "out of memory");
    uint16_t r = wasi_fdtable_insert_at(&ctx->fds, (uint32_t)guest_fd, e);
    if (r != WASI_ESUCCESS) {
        wasi_fd_entry_release(e);
        return ctx_fail(err, "cannot set stdio: %s", wasi_errno_name(r));
    }
    ctx->stdio_host[guest_fd] = host_fd;
    return true;
}

void wasi_ctx_set_max_fds(wasi_ctx *ctx, uint32_t max_fds) {
    pthread_mutex_lock(&ctx->fds.lock);
    ctx->fds.max_fds = max_fds < 3 ? 3 : max_fds;
    pthread_mutex_unlock(&ctx->fds.lock);
}

wasi_ctx *wasi_ctx_of(rt_instance *caller) {
    if (!caller || !caller->user) return NULL;
    return *(wasi_ctx **)caller->user;
}

/*
 * wasi_fd.c — the fd_* calls: reading, writing, seeking, status, flags, sizes, times, sync,
 * preopen names, readdir, close and renumber.
 *
 * Every call follows the same steps: look the descriptor up with the rights it needs (EBADF,
 * ENOTCAPABLE), check every guest range it will touch (EFAULT) before doing anything with a side
 * effect, make one host system call (EINTR retried), map the host errno, release the entry.
 * Results are written to guest memory only after the call succeeded.
 *
 * One deliberate deviation from the letter of preview1: reading from a descriptor opened without
 * the read right (or writing without the write right) gives EBADF, as POSIX does for a
 * descriptor not open for reading, instead of ENOTCAPABLE. Programs then behave as they do
 * natively; every other missing right gives ENOTCAPABLE.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define WASI_MAX_IOVS 1024 /* IOV_MAX on Linux: more is EINVAL, as for readv/writev */

static uint16_t host_error(void) {
    return wasi_errno_from_host(errno);
}

static bool offset_ok(uint64_t v) {
    return v <= (uint64_t)INT64_MAX;
}

/* Reads an iovec array from guest memory into host iovecs, checking every buffer. */
static uint16_t load_iovs(const wasi_mem *m, uint32_t iovs, uint32_t n, struct iovec *out) {
    if (n > WASI_MAX_IOVS) return WASI_EINVAL;
    if (!wasi_mem_check(m, iovs, (uint64_t)n * WASI_IOVEC_SIZE)) return WASI_EFAULT;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t buf = wasi_load_u32(m, iovs + i * WASI_IOVEC_SIZE);
        uint32_t len = wasi_load_u32(m, iovs + i * WASI_IOVEC_SIZE + 4);
        if (!wasi_mem_check(m, buf, len)) return WASI_EFAULT;
        out[i].iov_base = wasi_mem_at(m, buf);
        out[i].iov_len = len;
    }
    return WASI_ESUCCESS;
}

/* Looks up a descriptor for reading or writing: EBADF rather than ENOTCAPABLE without the right. */
static uint16_t get_for_io(wasi_ctx *c, uint32_t fd, uint64_t rights, wasi_fd_entry **e) {
    uint16_t r = wasi_fdtable_get(&c->fds, fd, rights, e);
    if (r == WASI_ENOTCAPABLE) {
        uint64_t have = 0, inh = 0;
        wasi_fdtable_rights(&c->fds, fd, &have, &inh);
        uint64_t io = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE;
        if ((rights & io & ~have) != 0) r = WASI_EBADF;
    }
    return r;
}

typedef enum io_op { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_op;

static uint16_t do_io(wasi_ctx *c, const wasi_mem *m, io_op op, uint32_t fd, uint32_t iovs,
                      uint32_t iovs_len, uint64_t offset, uint32_t result_ptr) {
    static const uint64_t need[] = {
        [IO_READ] = WASI_RIGHT_FD_READ,
        [IO_WRITE] = WASI_RIGHT_FD_WRITE,
        [IO_PREAD] = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK,
        [IO_PWRITE] = WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK,
    };
    wasi_fd_entry *e;
    uint16_t r = get_for_io(c, fd, need[op], &e);
    if (r) return r;
    /* Most calls pass one or two buffers: no allocation for them. */
    struct iovec small[8];
    struct iovec *iov = small;
    if (iovs_len > 8 && iovs_len <= WASI_MAX_IOVS) {
        iov = malloc(iovs_len * sizeof *iov);
        if (!iov) r = WASI_ENOMEM;
    }
    if (!r && !wasi_mem_check(m, result_ptr, 4)) r = WASI_EFAULT;
    if (!r && (op == IO_PREAD || op == IO_PWRITE) && !offset_ok(offset)) r = WASI_EINVAL;
    if (!r) r = load_iovs(m, iovs, iovs_len, iov);
    if (!r) {
        ssize_t n;
        int cnt = (int)iovs_len;
        do {
            switch (op) {
            case IO_READ: n = readv(e->host_fd, iov, cnt); break;
            case IO_WRITE: n = writev(e->host_fd, iov, cnt); break;
            case IO_PREAD: n = preadv(e->host_fd, iov, cnt, (off_t)offset); break;
            default: n = pwritev(e->host_fd, iov, cnt, (off_t)offset); break;
            }
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            r = host_error();
        } else {
            wasi_store_u32(m, result_ptr, (uint32_t)n);
        }
    }
    if (iov != small) free(iov);
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_read(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                      uint32_t nread_ptr) {
    return do_io(c, m, IO_READ, fd, iovs, iovs_len, 0, nread_ptr);
}

uint16_t wasi_fd_write(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                       uint32_t iovs_len, uint32_t nwritten_ptr) {
    return do_io(c, m, IO_WRITE, fd, iovs, iovs_len, 0, nwritten_ptr);
}

uint16_t wasi_fd_pread(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                       uint32_t iovs_len, uint64_t offset, uint32_t nread_ptr) {
    return do_io(c, m, IO_PREAD, fd, iovs, iovs_len, offset, nread_ptr);
}

uint16_t wasi_fd_pwrite(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                        uint32_t iovs_len, uint64_t offset, uint32_t nwritten_ptr) {
    return do_io(c, m, IO_PWRITE, fd, iovs, iovs_len, offset, nwritten_ptr);
}

uint16_t wasi_fd_seek(wasi_ctx *c, const wasi_mem *m, uint32_t fd, int64_t offset, uint32_t whence,
                      uint32_t newoffset_ptr) {
    static const int host_whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    /* Asking for the position without moving it needs only fd_tell. */
    bool tell_only = offset == 0 && whence == WASI_WHENCE_CUR;
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_SEEK, &e);
    if (r == WASI_ENOTCAPABLE && tell_only) {
        r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_TELL, &e);
    }
    if (r) return r;
    if (whence > WASI_WHENCE_END) {
        r = WASI_EINVAL;
    } else if (!wasi_mem_check(m, newoffset_ptr, 8)) {
        r = WASI_EFAULT;
    } else {
        off_t pos = lseek(e->host_fd, (off_t)offset, host_whence[whence]);
        if (pos < 0) {
            r = host_error();
        } else {
            wasi_store_u64(m, newoffset_ptr, (uint64_t)pos);
        }
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_tell(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t offset_ptr) {
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_TELL, &e);
    if (r) return r;
    if (!wasi_mem_check(m, offset_ptr, 8)) {
        r = WASI_EFAULT;
    } else {
        off_t pos = lseek(e->host_fd, 0, SEEK_CUR);
        if (pos < 0) {
            r = host_error();
        } else {
            wasi_store_u64(m, offset_ptr, (uint64_t)pos);
        }
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_close(wasi_ctx *c, const wasi_mem *m, uint32_t fd) {
    (void)m;
    return wasi_fdtable_close(&c->fds, fd);
}

uint16_t wasi_fd_renumber(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t to) {
    (void)m;
    return wasi_fdtable_renumber(&c->fds, fd, to);
}

static uint16_t sync_call(wasi_ctx *c, uint32_t fd, uint64_t right, bool data_only) {
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, right, &e);
    if (r) return r;
    int rc = data_only ? fdatasync(e->host_fd) : fsync(e->host_fd);
    if (rc != 0) r = host_error();
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_sync(wasi_ctx *c, const wasi_mem *m, uint32_t fd) {
    (void)m;
    return sync_call(c, fd, WASI_RIGHT_FD_SYNC, false);
}

uint16_t wasi_fd_datasync(wasi_ctx *c, const wasi_mem *m, uint32_t fd) {
    (void)m;
    return sync_call(c, fd, WASI_RIGHT_FD_DATASYNC, true);
}

uint16_t wasi_fd_advise(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t offset, uint64_t len,
                        uint32_t advice) {
    (void)m;
    static const int host_advice[] = {
        [WASI_ADVICE_NORMAL] = POSIX_FADV_NORMAL,
        [WASI_ADVICE_SEQUENTIAL] = POSIX_FADV_SEQUENTIAL,
        [WASI_ADVICE_RANDOM] = POSIX_FADV_RANDOM,
        [WASI_ADVICE_WILLNEED] = POSIX_FADV_WILLNEED,
        [WASI_ADVICE_DONTNEED] = POSIX_FADV_DONTNEED,
        [WASI_ADVICE_NOREUSE] = POSIX_FADV_NOREUSE,
    };
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_ADVISE, &e);
    if (r) return r;
    if (advice > WASI_ADVICE_NOREUSE || !offset_ok(offset) || !offset_ok(len)) {
        r = WASI_EINVAL;
    } else {
        int rc = posix_fadvise(e->host_fd, (off_t)offset, (off_t)len, host_advice[advice]);
        if (rc != 0) r = wasi_errno_from_host(rc);
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_allocate(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t offset,
                          uint64_t len) {
    (void)m;
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_ALLOCATE, &e);
    if (r) return r;
    if (!offset_ok(offset) || !offset_ok(len) || offset + len > (uint64_t)INT64_MAX) {
        r = WASI_EINVAL;
    } else {
        int rc;
        do {
            rc = posix_fallocate(e->host_fd, (off_t)offset, (off_t)len);
        } while (rc == EINTR);
        if (rc != 0) r = wasi_errno_from_host(rc);
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_fdstat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf) {
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, 0, &e);
    if (r) return r;
    uint64_t base = 0, inheriting = 0;
    if (!wasi_mem_check(m, buf, WASI_FDSTAT_SIZE)) {
        r = WASI_EFAULT;
    } else if ((r = wasi_fdtable_rights(&c->fds, fd, &base, &inheriting)) == WASI_ESUCCESS) {
        memset(wasi_mem_at(m, buf), 0, WASI_FDSTAT_SIZE);
        wasi_store_u8(m, buf + WASI_FDSTAT_FILETYPE, e->filetype);
        wasi_store_u16(m, buf + WASI_FDSTAT_FLAGS, wasi_fdflags_of(e->host_fd));
        wasi_store_u64(m, buf + WASI_FDSTAT_RIGHTS_BASE, base);
        wasi_store_u64(m, buf + WASI_FDSTAT_RIGHTS_INHERITING, inheriting);
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_fdstat_set_flags(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags) {
    (void)m;
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
    if (r) return r;
    uint16_t sync_flags = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
    uint32_t want_sync = flags & sync_flags;
    if (want_sync & WASI_FDFLAG_RSYNC)
        want_sync = (want_sync & ~WASI_FDFLAG_RSYNC) | WASI_FDFLAG_SYNC;
    if (want_sync & WASI_FDFLAG_SYNC) want_sync &= ~WASI_FDFLAG_DSYNC; /* SYNC implies DSYNC */
    int cur = fcntl(e->host_fd, F_GETFL);
    if (flags & ~(uint32_t)WASI_FDFLAGS_ALL) {
        r = WASI_EINVAL;
    } else if (cur < 0) {
        r = host_error();
    } else if (want_sync != (wasi_fdflags_of(e->host_fd) & sync_flags)) {
        r = WASI_ENOTSUP; /* Linux cannot change the sync mode of an open file */
    } else {
        int fl = (cur & ~(O_APPEND | O_NONBLOCK)) |
                 wasi_host_flags_from_fdflags(
                     (uint16_t)(flags & (WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK)));
        if (fcntl(e->host_fd, F_SETFL, fl) != 0) r = host_error();
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_fdstat_set_rights(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t base,
                                   uint64_t inheriting) {
    (void)m;
    return wasi_fdtable_set_rights(&c->fds, fd, base, inheriting);
}

uint16_t wasi_fd_filestat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf) {
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_FILESTAT_GET, &e);
    if (r) return r;
    struct stat st;
    if (!wasi_mem_check(m, buf, WASI_FILESTAT_SIZE)) {
        r = WASI_EFAULT;
    } else if (fstat(e->host_fd, &st) != 0) {
        r = host_error();
    } else {
        wasi_store_filestat(m, buf, &st);
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_filestat_set_size(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t size) {
    (void)m;
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_FILESTAT_SET_SIZE, &e);
    if (r) return r;
    if (!offset_ok(size)) {
        r = WASI_EINVAL;
    } else {
        int rc;
        do {
            rc = ftruncate(e->host_fd, (off_t)size);
        } while (rc != 0 && errno == EINTR);
        if (rc != 0) r = host_error();
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_timespecs(uint64_t atim, uint64_t mtim, uint32_t fstflags, struct timespec ts[2]) {
    if (fstflags & ~(uint32_t)(WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW | WASI_FSTFLAG_MTIM |
                               WASI_FSTFLAG_MTIM_NOW)) {
        return WASI_EINVAL;
    }
    if ((fstflags & WASI_FSTFLAG_ATIM) && (fstflags & WASI_FSTFLAG_ATIM_NOW)) return WASI_EINVAL;
    if ((fstflags & WASI_FSTFLAG_MTIM) && (fstflags & WASI_FSTFLAG_MTIM_NOW)) return WASI_EINVAL;
    const uint64_t values[2] = {atim, mtim};
    const uint32_t set[2] = {WASI_FSTFLAG_ATIM, WASI_FSTFLAG_MTIM};
    const uint32_t now[2] = {WASI_FSTFLAG_ATIM_NOW, WASI_FSTFLAG_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        if (fstflags & set[i]) {
            ts[i].tv_sec = (time_t)(values[i] / 1000000000u);
            ts[i].tv_nsec = (long)(values[i] % 1000000000u);
        } else {
            ts[i].tv_sec = 0;
            ts[i].tv_nsec = (fstflags & now[i]) ? UTIME_NOW : UTIME_OMIT;
        }
    }
    return WASI_ESUCCESS;
}

uint16_t wasi_fd_filestat_set_times(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t atim,
                                    uint64_t mtim, uint32_t fstflags) {
    (void)m;
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_FILESTAT_SET_TIMES, &e);
    if (r) return r;
    struct timespec ts[2];
    r = wasi_timespecs(atim, mtim, fstflags, ts);
    if (!r && futimens(e->host_fd, ts) != 0) r = host_error();
    wasi_fd_entry_release(e);
    return r;
}

/* ---- preopens ---- */

static uint16_t get_preopen(wasi_ctx *c, uint32_t fd, wasi_fd_entry **e, const char **name) {
    uint16_t r = wasi_fdtable_get(&c->fds, fd, 0, e);
    if (r) return r;
    if ((*e)->kind != WASI_FD_PREOPEN) {
        wasi_fd_entry_release(*e);
        return WASI_EBADF; /* what wasi-libc's scan of the preopens expects */
    }
    if ((*e)->origin < 0 || (uint32_t)(*e)->origin >= c->npreopens) {
        wasi_fd_entry_release(*e);
        return WASI_EBADF;
    }
    *name = c->preopens[(*e)->origin].guest_path;
    return WASI_ESUCCESS;
}

uint16_t wasi_fd_prestat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf) {
    wasi_fd_entry *e;
    const char *name;
    uint16_t r = get_preopen(c, fd, &e, &name);
    if (r) return r;
    if (!wasi_mem_check(m, buf, WASI_PRESTAT_SIZE)) {
        r = WASI_EFAULT;
    } else {
        memset(wasi_mem_at(m, buf), 0, WASI_PRESTAT_SIZE);
        wasi_store_u8(m, buf + WASI_PRESTAT_TAG, WASI_PREOPENTYPE_DIR);
        wasi_store_u32(m, buf + WASI_PRESTAT_NAMELEN, (uint32_t)strlen(name));
    }
    wasi_fd_entry_release(e);
    return r;
}

uint16_t wasi_fd_prestat_dir_name(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                                  uint32_t path_len) {
    wasi_fd_entry *e;
    const char *name;
    uint16_t r = get_preopen(c, fd, &e, &name);
    if (r) return r;
    uint32_t n = (uint32_t)strlen(name);
    if (path_len < n) {
        r = WASI_ENAMETOOLONG;
    } else if (!wasi_mem_check(m, path, n)) {
        r = WASI_EFAULT;
    } else {
        memcpy(wasi_mem_at(m, path), name, n);
    }
    wasi_fd_entry_release(e);
    return r;
}

/* ---- readdir ---- */

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static uint8_t dirent_type(int dirfd, const struct linux_dirent64 *d) {
    switch (d->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_UNKNOWN: {
        struct stat st;
        if (fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            return wasi_filetype_from_mode(st.st_mode);
        }
        return WASI_FILETYPE_UNKNOWN;
    }
    default: return WASI_FILETYPE_UNKNOWN;
    }
}

/* Copies as much of one entry (header + name) as fits at out[used..cap); returns bytes copied. */
static uint32_t put_dirent(uint8_t *out, uint32_t used, uint32_t cap, const uint8_t *header,
                           const char *name, uint32_t namelen) {
    uint32_t n = 0, room = cap - used;
    uint32_t h = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
    memcpy(out + used, header, h);
    n += h;
    room -= h;
    uint32_t k = room < namelen ? room : namelen;
    memcpy(out + used + n, name, k);
    return n + k;
}

uint16_t wasi_fd_readdir(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf,
                         uint32_t buf_len, uint64_t cookie, uint32_t bufused_ptr) {
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, WASI_RIGHT_FD_READDIR, &e);
    if (r) return r;
    if (!wasi_mem_check(m, buf, buf_len) || !wasi_mem_check(m, bufused_ptr, 4)) {
        wasi_fd_entry_release(e);
        return WASI_EFAULT;
    }
    if (!offset_ok(cookie)) {
        wasi_fd_entry_release(e);
        return WASI_EINVAL;
    }
    enum { HOST_BUF = 32768 };
    char *hbuf = malloc(HOST_BUF);
    if (!hbuf) {
        wasi_fd_entry_release(e);
        return WASI_ENOMEM;
    }
    uint8_t *out = wasi_mem_at(m, buf);
    uint32_t used = 0;
    pthread_mutex_lock(&e->lock); /* the seek and the reads belong together */
    if (lseek(e->host_fd, (off_t)cookie, SEEK_SET) < 0) r = host_error();
    while (!r && used < buf_len) {
        long n = syscall(SYS_getdents64, e->host_fd, hbuf, HOST_BUF);
        if (n < 0) {
            if (errno == EINTR) continue;
            r = host_error();
            break;
        }
        if (n == 0) break; /* end of directory */
        for (long off = 0; off < n && used < buf_len;) {
            const struct linux_dirent64 *d = (const struct linux_dirent64 *)(hbuf + off);
            off += d->d_reclen;
            uint32_t namelen = (uint32_t)strlen(d->d_name);
            uint8_t header[WASI_DIRENT_SIZE];
            memset(header, 0, sizeof header);
            uint64_t next = (uint64_t)d->d_off;
            uint64_t ino = d->d_ino;
            memcpy(header + WASI_DIRENT_NEXT, &next, 8);
            memcpy(header + WASI_DIRENT_INO, &ino, 8);
            memcpy(header + WASI_DIRENT_NAMLEN, &namelen, 4);
            header[WASI_DIRENT_TYPE] = dirent_type(e->host_fd, d);
            used += put_dirent(out, used, buf_len, header, d->d_name, namelen);
        }
    }
    pthread_mutex_unlock(&e->lock);
    free(hbuf);
    if (!r) wasi_store_u32(m, bufused_ptr, used);
    wasi_fd_entry_release(e);
    return r;
}

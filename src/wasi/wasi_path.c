/*
 * wasi_path.c — the path_* calls: open, create and remove directories, unlink, rename, link,
 * symlink, readlink, stat and utimes by path.
 *
 * Each call takes a directory descriptor (with the right for the operation) and a guest path,
 * which is copied out of guest memory (EFAULT, ENAMETOOLONG, EINVAL for a NUL inside) and then
 * resolved only through wasi_resolve.c, beneath that directory. See wasi_resolve.c for how escapes
 * are refused; this file only chooses which of its two forms a call needs:
 *   - calls on the object a path names (open, stat, utimes) open it with wasi_resolve_open;
 *   - calls on a directory entry (mkdir, rmdir, unlink, rename, link, symlink, readlink) get the
 *     holding directory from wasi_resolve_parent and give the kernel one name to look up there.
 *
 * path_open computes the new descriptor's rights as (asked for) & (the directory's inheriting
 * rights) & (what its file type allows): a guest can never widen its rights by reopening. The
 * host open mode follows the rights (read: fd_read or fd_readdir; write: fd_write, fd_datasync,
 * fd_allocate or fd_filestat_set_size), as wasi-libc asks for them from the O_ACCMODE of open().
 * Created files get mode 0666 and directories 0777, minus the host's umask (preview1 has no modes).
 * Symlinks with an absolute target are refused (ENOTCAPABLE): inside the sandbox they could never
 * be followed, and on the host they would point a user's tools out of the directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static uint16_t host_error(void) {
    return wasi_errno_from_host(errno);
}

/* Looks up a directory descriptor with `rights` and copies the guest path into `path`. */
static uint16_t path_begin(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t rights,
                           uint32_t ptr, uint32_t len, char *path, wasi_fd_entry **e) {
    uint16_t r = wasi_fdtable_get(&c->fds, fd, rights, e);
    if (r) return r;
    r = wasi_mem_path(m, ptr, len, path);
    if (r) {
        wasi_fd_entry_release(*e);
        *e = NULL;
    }
    return r;
}

uint16_t wasi_path_open(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t dirflags,
                        uint32_t path, uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                        uint64_t rights_inheriting, uint32_t fdflags, uint32_t fd_ptr) {
    uint64_t need = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_OFLAG_CREAT) need |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_OFLAG_TRUNC) need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    char buf[WASI_PATH_MAX];
    wasi_fd_entry *dir;
    uint16_t r = path_begin(c, m, fd, need, path, path_len, buf, &dir);
    if (r) return r;
    uint64_t dir_base = 0, dir_inheriting = 0;
    wasi_fdtable_rights(&c->fds, fd, &dir_base, &dir_inheriting);
    if ((oflags & ~(uint32_t)WASI_OFLAGS_ALL) || (fdflags & ~(uint32_t)WASI_FDFLAGS_ALL)) {
        r = WASI_EINVAL;
    } else if (!wasi_mem_check(m, fd_ptr, 4)) {
        r = WASI_EFAULT;
    }
    if (r) {
        wasi_fd_entry_release(dir);
        return r;
    }

    uint64_t base = rights_base & dir_inheriting;
    uint64_t inheriting = rights_inheriting & dir_inheriting;
    bool readable = base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    bool writable = base & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_ALLOCATE |
                            WASI_RIGHT_FD_FILESTAT_SET_SIZE);
    int flags = writable ? (readable ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & WASI_OFLAG_CREAT) flags |= O_CREAT;
    if (oflags & WASI_OFLAG_DIRECTORY) flags |= O_DIRECTORY;
    if (oflags & WASI_OFLAG_EXCL) flags |= O_EXCL;
    if (oflags & WASI_OFLAG_TRUNC) flags |= O_TRUNC;
    flags |= wasi_host_flags_from_fdflags((uint16_t)fdflags);
    bool follow = dirflags & WASI_LOOKUP_SYMLINK_FOLLOW;

    int hfd = wasi_resolve_open(dir->host_fd, buf, flags, 0666, follow);
    if (hfd < 0) {
        wasi_fd_entry_release(dir);
        return (uint16_t)-hfd;
    }
    struct stat st;
    if (fstat(hfd, &st) != 0) {
        r = host_error();
        close(hfd);
        wasi_fd_entry_release(dir);
        return r;
    }
    uint8_t filetype = wasi_filetype_from_mode(st.st_mode);
    wasi_fd_entry *e = wasi_fd_entry_new(
        hfd, true, filetype == WASI_FILETYPE_DIRECTORY ? WASI_FD_DIR : WASI_FD_FILE);
    if (!e) {
        close(hfd);
        wasi_fd_entry_release(dir);
        return WASI_ENOMEM;
    }
    e->filetype = filetype;
    e->origin = dir->origin;
    e->access = (uint8_t)((readable || !writable ? WASI_ACCESS_READ : 0) |
                          (writable ? WASI_ACCESS_WRITE : 0));
    e->rights_base = base & wasi_rights_for(filetype, hfd);
    e->rights_inheriting = filetype == WASI_FILETYPE_DIRECTORY ? inheriting : 0;
    char joined[WASI_PATH_MAX];
    if (dir->path && wasi_resolve_join(dir->path, buf, joined)) e->path = strdup(joined);
    wasi_fd_entry_release(dir);

    uint32_t newfd;
    r = wasi_fdtable_insert(&c->fds, e, &newfd);
    if (r) {
        wasi_fd_entry_release(e);
        return r;
    }
    wasi_store_u32(m, fd_ptr, newfd);
    return WASI_ESUCCESS;
}

uint16_t wasi_path_filestat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                uint32_t path, uint32_t path_len, uint32_t buf) {
    char p[WASI_PATH_MAX];
    wasi_fd_entry *dir;
    uint16_t r = path_begin(c, m, fd, WASI_RIGHT_PATH_FILESTAT_GET, path, path_len, p, &dir);
    if (r) return r;
    if (!wasi_mem_check(m, buf, WASI_FILESTAT_SIZE)) {
        wasi_fd_entry_release(dir);
        return WASI_EFAULT;
    }
    int hfd = wasi_resolve_open(dir->host_fd, p, O_PATH, 0, flags & WASI_LOOKUP_SYMLINK_FOLLOW);
    wasi_fd_entry_release(dir);
    if (hfd < 0) return (uint16_t)-hfd;
    struct stat st;
    if (fstat(hfd, &st) != 0) {
        r = host_error();
    } else {
        wasi_store_filestat(m, buf, &st);
    }
    close(hfd);
    return r;
}

uint16_t wasi_path_filestat_set_times(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                      uint32_t path, uint32_t path_len, uint64_t atim,
                                      uint64_t mtim, uint32_t fstflags) {
    char p[WASI_PATH_MAX];
    wasi_fd_entry *dir;
    uint16_t r = path_begin(c, m, fd, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, path, path_len, p, &dir);
    if (r) return r;
    struct timespec ts[2];
    r = wasi_timespecs(atim, mtim, fstflags, ts);
    if (r) {
        wasi_fd_entry_release(dir);
        return r;
    }
    bool follow = flags & WASI_LOOKUP_SYMLINK_FOLLOW;
    int hfd = wasi_resolve_open(dir->host_fd, p, O_PATH, 0, follow);
    wasi_fd_entry_release(dir);
    if (hfd < 0) return (uint16_t)-hfd;
    /* Act on the resolved object itself: AT_EMPTY_PATH (Linux >= 5.8 for utimensat), else its
     * /proc/self/fd link, which the host (not the guest) resolves. */
    int at = AT_EMPTY_PATH | (follow ? 0 : AT_SYMLINK_NOFOLLOW);
    if (utimensat(hfd, "", ts, at) != 0) {
        if (errno == EINVAL) {
            char proc[64];
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", hfd);
            if (utimensat(AT_FDCWD, proc, ts, 0) != 0) r = host_error();
        } else {
            r = host_error();
        }
    }
    close(hfd);
    return r;
}

uint16_t wasi_path_create_directory(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                                    uint32_t path_len) {
    char p[WASI_PATH_MAX];
    wasi_fd_entry *dir;
    uint16_t r = path_begin(c, m, fd, WASI_RIGHT_PATH_CREATE_DIRECTORY, path, path_len, p, &dir);
    if (r) return r;
    const char *name;
    int info;
    int pfd = wasi_resolve_parent(dir->host_fd, p, &name, &info);
    wasi_fd_entry_release(dir);
    if (pfd < 0) return (uint16_t)-pfd;
    if (mkdirat(pfd, name, 0777) != 0) r = host_error();
    close(pfd);
    return r;
}

uint16_t wasi_path_remove_directory(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                                    uint32_t path_len) {
    char p[WASI_PATH_MAX];
    wasi_fd_entry *dir;
    uint16_t r = path_begin(c, m, fd, WASI_RIGHT_PATH_REMOVE_DIRECTORY, path, path_len, p, &dir);
    if (r) return r;
    const char *name;
    int info;
    int pfd = wasi_resolve_parent(dir->host_fd, p, &name, &info);
    wasi_fd_entry_release(dir);
    if (pfd < 0) return (uint16_t)-pfd;
    if ((info & WASI_NAME_SLASH) && !(info & WASI_NAME_IS_DIR)) {
        r = WASI_ENOENT;
    } else if (unlinkat(pfd, name, AT_REMOVEDIR) != 0) {
        r = host_error();
    }
    close(pfd);
    return r;
}

uint16_t wasi_path_unlink_file(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                               uint32_t path_len) {
    char p[WASI_PATH_MAX];
    wasi_fd_entry *dir;
    uint16_t r = path_begin(c, m, fd, WASI_RIGHT_PATH_UNLINK_FILE, path, path_len, p, &dir);
    if (r) return r;
    const char *name;
    int info;
    int pfd = wasi_resolve_parent(dir->host_fd, p, &name, &info);
    wasi_fd_entry_release(dir);
    if (pfd < 0) return (uint16_t)-pfd;
    if (info & WASI_NAME_SLASH) {
        r = (info & WASI_NAME_IS_DIR) ? WASI_EISDIR : WASI_ENOENT;
    } else if (unlinkat(pfd, name, 0) != 0) {
        r = host_error();
    }
    close(pfd);
    return r;
}

uint16_t wasi_path_rename(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t old_path,
                          uint32_t old_len, uint32_t new_fd, uint32_t new_path, uint32_t new_len) {
    char op[WASI_PATH_MAX], np[WASI_PATH_MAX];
    wasi_fd_entry *odir, *ndir;
    uint16_t r = path_begin(c, m, fd, WASI_RIGHT_PATH_RENAME_SOURCE, old_path, old_len, op, &odir);
    if (r) return r;
    r = path_begin(c, m, new_fd, WASI_RIGHT_PATH_RENAME_TARGET, new_path, new_len, np, &ndir);
    if (r) {
        wasi_fd_entry_release(odir);
        return r;
    }
    const char *oname, *nname;
    int oinfo, ninfo;
    int opfd = wasi_resolve_parent(odir->host_fd, op, &oname, &oinfo);
    int npfd = opfd < 0 ? -1 : wasi_resolve_parent(ndir->host_fd, np, &nname, &ninfo);
    wasi_fd_entry_release(odir);
    wasi_fd_entry_release(ndir);
    if (opfd < 0) return (uint16_t)-opfd;
    if (npfd < 0) {
        close(opfd);
        return (uint16_t)-npfd;
    }
    if ((oinfo & WASI_NAME_SLASH) && !(oinfo & WASI_NAME_IS_DIR)) {
        r = WASI_ENOENT;
    } else {
        /* "new/" must name a directory: only a directory may be renamed to it. */
        struct stat st;
        if ((ninfo & WASI_NAME_SLASH) &&
            (fstatat(opfd, oname, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))) {
            r = WASI_ENOTDIR;
        } else if (renameat(opfd, oname, npfd, nname) != 0) {
            r = host_error();
        }
    }
    close(opfd);
    close(npfd);
    return r;
}

uint16_t wasi_path_link(wasi_ctx *c, const wasi_mem *m, uint32_t old_fd, uint32_t old_flags,
                        uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                        uint32_t new_len) {
    char op[WASI_PATH_MAX], np[WASI_PATH_MAX];
    wasi_fd_entry *odir, *ndir;
    uint16_t r =
        path_begin(c, m, old_fd, WASI_RIGHT_PATH_LINK_SOURCE, old_path, old_len, op, &odir);
    if (r) return r;
    r = path_begin(c, m, new_fd, WASI_RIGHT_PATH_LINK_TARGET, new_path, new_len, np, &ndir);
    if (r) {
        wasi_fd_entry_release(odir);
        return r;
    }
    const char *nname;
    int ninfo;
    int npfd = wasi_resolve_parent(ndir->host_fd, np, &nname, &ninfo);
    wasi_fd_entry_release(ndir);
    if (npfd < 0) {
        wasi_fd_entry_release(odir);
        return (uint16_t)-npfd;
    }
    if (ninfo & WASI_NAME_SLASH) {
        r = (ninfo & WASI_NAME_IS_DIR) ? WASI_EEXIST : WASI_ENOENT;
    } else if (old_flags & WASI_LOOKUP_SYMLINK_FOLLOW) {
        /* Link the object the path resolves to (beneath the directory). */
        int ofd = wasi_resolve_open(odir->host_fd, op, O_PATH, 0, true);
        if (ofd < 0) {
            r = (uint16_t)-ofd;
        } else {
            char proc[64];
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", ofd);
            if (linkat(AT_FDCWD, proc, npfd, nname, AT_SYMLINK_FOLLOW) != 0) {
                int e = errno; /* no /proc: AT_EMPTY_PATH (needs CAP_DAC_READ_SEARCH) */
                if (e == ENOENT && linkat(ofd, "", npfd, nname, AT_EMPTY_PATH) == 0) e = 0;
                if (e) r = wasi_errno_from_host(e);
            }
            close(ofd);
        }
    } else {
        const char *oname;
        int oinfo;
        int opfd = wasi_resolve_parent(odir->host_fd, op, &oname, &oinfo);
        if (opfd < 0) {
            r = (uint16_t)-opfd;
        } else {
            if (oinfo & WASI_NAME_SLASH) {
                r = (oinfo & WASI_NAME_IS_DIR) ? WASI_EPERM : WASI_ENOENT;
            } else if (linkat(opfd, oname, npfd, nname, 0) != 0) {
                r = host_error();
            }
            close(opfd);
        }
    }
    wasi_fd_entry_release(odir);
    close(npfd);
    return r;
}

uint16_t wasi_path_symlink(wasi_ctx *c, const wasi_mem *m, uint32_t old_path, uint32_t old_len,
                           uint32_t fd, uint32_t new_path, uint32_t new_len) {
    char target[WASI_PATH_MAX], np[WASI_PATH_MAX];
    uint16_t r = wasi_mem_path(m, old_path, old_len, target);
    if (r) return r;
    wasi_fd_entry *dir;
    r = path_begin(c, m, fd, WASI_RIGHT_PATH_SYMLINK, new_path, new_len, np, &dir);
    if (r) return r;
    if (target[0] == '/') {
        wasi_fd_entry_release(dir);
        return WASI_ENOTCAPABLE;
    }
    const char *name;
    int info;
    int pfd = wasi_resolve_parent(dir->host_fd, np, &name, &info);
    wasi_fd_entry_release(dir);
    if (pfd < 0) return (uint16_t)-pfd;
    if (info & WASI_NAME_SLASH) {
        r = (info & WASI_NAME_IS_DIR) ? WASI_EEXIST : WASI_ENOENT;
    } else if (symlinkat(target, pfd, name) != 0) {
        r = host_error();
    }
    close(pfd);
    return r;
}

uint16_t wasi_path_readlink(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                            uint32_t path_len, uint32_t buf, uint32_t buf_len,
                            uint32_t bufused_ptr) {
    char p[WASI_PATH_MAX], target[WASI_PATH_MAX];
    wasi_fd_entry *dir;
    uint16_t r = path_begin(c, m, fd, WASI_RIGHT_PATH_READLINK, path, path_len, p, &dir);
    if (r) return r;
    if (!wasi_mem_check(m, buf, buf_len) || !wasi_mem_check(m, bufused_ptr, 4)) {
        wasi_fd_entry_release(dir);
        return WASI_EFAULT;
    }
    const char *name;
    int info;
    int pfd = wasi_resolve_parent(dir->host_fd, p, &name, &info);
    wasi_fd_entry_release(dir);
    if (pfd < 0) return (uint16_t)-pfd;
    if (info & WASI_NAME_SLASH) {
        r = (info & WASI_NAME_IS_DIR) ? WASI_EINVAL : WASI_ENOENT;
    } else {
        ssize_t n = readlinkat(pfd, name, target, sizeof target);
        if (n < 0) {
            r = host_error();
        } else {
            uint32_t k = (uint32_t)n < buf_len ? (uint32_t)n : buf_len;
            memcpy(wasi_mem_at(m, buf), target, k);
            wasi_store_u32(m, bufused_ptr, k);
        }
    }
    close(pfd);
    return r;
}

/*
 * wasi_resolve.c — the sandbox: resolving guest paths beneath a directory descriptor.
 *
 * Every path a guest passes is relative to a directory descriptor it holds (a preopen or a
 * directory opened beneath one). Nothing may leave that directory: not `..`, not an absolute path,
 * not a symlink (whether it was there before or the guest created it, absolute or relative, or a
 * loop), not /proc's "magic" links. Two implementations give the same answers:
 *
 *  1. openat2(dirfd, path, {flags, mode, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}) (Linux >= 5.6):
 *     the kernel resolves the whole path and refuses, with EXDEV, any step that would leave dirfd
 *     (reported to the guest as ENOTCAPABLE). It is atomic with respect to concurrent renames
 *     (EAGAIN, retried).
 *  2. A component-by-component walk where openat2 is missing (ENOSYS): each component is opened
 *     with O_PATH | O_NOFOLLOW relative to the previous one and inspected with fstat on that very
 *     descriptor (no check-then-use race); `..` pops a stack of descriptors and fails at the
 *     bottom; a symlink is read through its own O_PATH descriptor and its target spliced in front
 *     of the rest of the path (absolute targets fail, more than 40 expansions give ELOOP). The
 *     final component is opened with O_NOFOLLOW, so a symlink swapped in after the inspection
 *     fails with ELOOP instead of being followed.
 *
 * Operations on a directory entry (mkdirat, unlinkat, renameat, linkat, symlinkat, readlinkat) use
 * wasi_resolve_parent: the holding directory is resolved beneath dirfd, and the kernel call then
 * only looks up one name in it without following it. Where the kernel would still resolve the
 * final component itself (a trailing slash, a final "." or ".."), the whole path is resolved
 * beneath dirfd first. Stat and utimes open the object itself with O_PATH (O_NOFOLLOW unless the
 * guest asks to follow) and act on that descriptor.
 *
 * Results are host descriptors or negative WASI errnos.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

#define WALK_MAX_SYMLINKS 40
#define WALK_MAX_DEPTH    2048

static int resolve_mode = WASI_RESOLVE_AUTO; /* atomic */
static int openat2_missing;                  /* atomic: the kernel said ENOSYS once */

void wasi_resolve_set_mode(wasi_resolve_mode mode) {
    __atomic_store_n(&resolve_mode, (int)mode, __ATOMIC_RELAXED);
}

wasi_resolve_mode wasi_resolve_get_mode(void) {
    return (wasi_resolve_mode)__atomic_load_n(&resolve_mode, __ATOMIC_RELAXED);
}

static int fail_host(int host_errno) {
    return -(int)wasi_errno_from_host(host_errno);
}

static int final_flags(int flags) {
    flags |= O_CLOEXEC;
    if (!(flags & O_PATH)) flags |= O_NOCTTY;
    return flags;
}

/* ---- openat2 ---- */

/* Returns an fd, or -(host errno). */
static int open_openat2(int dirfd, const char *path, int flags, mode_t mode, bool follow) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(final_flags(flags) | (follow ? 0 : O_NOFOLLOW));
    if (flags & O_CREAT) how.mode = mode & 07777;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (int attempt = 0;; attempt++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) return (int)fd;
        if (errno == EINTR) continue;
        if (errno == EAGAIN && attempt < 64) continue; /* a rename raced with the lookup */
        return -errno;
    }
}

/* ---- the walk ---- */

typedef struct walk_state {
    int stack[WALK_MAX_DEPTH]; /* descriptors of the directories entered; [0] is not owned */
    int depth;                 /* number of entries in stack */
} walk_state;

static int walk_top(const walk_state *w) {
    return w->stack[w->depth - 1];
}

static void walk_close(walk_state *w) {
    for (int i = 1; i < w->depth; i++)
        close(w->stack[i]);
    w->depth = 1;
}

/* Replaces the unconsumed path `rest` (inside buf) by "target/rest". */
static int walk_splice(char *buf, size_t cap, const char *rest, const char *target, bool slash) {
    size_t tlen = strlen(target), rlen = strlen(rest);
    if (tlen + 1 + rlen + 1 > cap) return -WASI_ENAMETOOLONG;
    memmove(buf + tlen + 1, rest, rlen + 1);
    memcpy(buf, target, tlen);
    buf[tlen] = (rlen > 0 || slash) ? '/' : '\0';
    return 0;
}

static int open_walk(int dirfd, const char *path, int flags, mode_t mode, bool follow) {
    static const size_t cap = 2 * WASI_PATH_MAX + 2;
    char *buf = malloc(cap);
    walk_state *w = malloc(sizeof *w);
    if (!buf || !w) {
        free(buf);
        free(w);
        return -WASI_ENOMEM;
    }
    size_t plen = strlen(path);
    if (plen + 1 > cap) {
        free(buf);
        free(w);
        return -WASI_ENAMETOOLONG;
    }
    memcpy(buf, path, plen + 1);
    w->stack[0] = dirfd;
    w->depth = 1;

    int result = 0, links = 0;
    char name[NAME_MAX + 1];
    const char *p = buf;
    for (;;) {
        if (*p == '/') { /* absolute (at the start or from a symlink target) */
            result = -WASI_ENOTCAPABLE;
            break;
        }
        if (*p == '\0') { /* the path names the current directory itself ("", ".", "a/..") */
            if (p == buf && plen == 0) {
                result = -WASI_ENOENT;
                break;
            }
            int fd = openat(walk_top(w), ".", final_flags(flags), mode);
            result = fd >= 0 ? fd : fail_host(errno);
            break;
        }
        size_t len = strcspn(p, "/");
        const char *rest = p + len;
        bool trailing = *rest == '/';
        while (*rest == '/')
            rest++;
        bool last = *rest == '\0';
        if (len == 1 && p[0] == '.') {
            p = rest;
            continue;
        }
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (w->depth == 1) {
                result = -WASI_ENOTCAPABLE;
                break;
            }
            close(w->stack[--w->depth]);
            p = rest;
            continue;
        }
        if (len > NAME_MAX) {
            result = -WASI_ENAMETOOLONG;
            break;
        }
        memcpy(name, p, len);
        name[len] = '\0';

        if (!last || follow || trailing) {
            int fd = openat(walk_top(w), name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                if (errno == ENOENT && last && (flags & O_CREAT)) goto open_final;
                result = fail_host(errno);
                break;
            }
            struct stat st;
            if (fstat(fd, &st) != 0) {
                result = fail_host(errno);
                close(fd);
                break;
            }
            if (S_ISLNK(st.st_mode) && (!last || follow || trailing)) {
                char target[WASI_PATH_MAX + 1];
                ssize_t n = readlinkat(fd, "", target, WASI_PATH_MAX);
                int saved = errno;
                close(fd);
                if (n < 0) {
                    result = fail_host(saved);
                    break;
                }
                target[n] = '\0';
                if (++links > WALK_MAX_SYMLINKS) {
                    result = -WASI_ELOOP;
                    break;
                }
                if (n == 0) {
                    result = -WASI_ENOENT;
                    break;
                }
                /* Splice the target in place of the link; rest stays where it is in buf, so
                 * copy it first. */
                char *restcopy = strdup(rest);
                if (!restcopy) {
                    result = -WASI_ENOMEM;
                    break;
                }
                int r = walk_splice(buf, cap, restcopy, target, trailing);
                free(restcopy);
                if (r < 0) {
                    result = r;
                    break;
                }
                p = buf;
                continue;
            }
            if (!last) {
                if (!S_ISDIR(st.st_mode)) {
                    close(fd);
                    result = -WASI_ENOTDIR;
                    break;
                }
                if (w->depth == WALK_MAX_DEPTH) {
                    close(fd);
                    result = -WASI_ENAMETOOLONG;
                    break;
                }
                w->stack[w->depth++] = fd;
                p = rest;
                continue;
            }
            close(fd);
        }
    open_final:;
        int fflags = final_flags(flags) | O_NOFOLLOW;
        if (trailing) {
            if (flags & O_CREAT) {
                result = -WASI_EISDIR;
                break;
            }
            fflags |= O_DIRECTORY;
        }
        int fd = openat(walk_top(w), name, fflags, mode);
        result = fd >= 0 ? fd : fail_host(errno);
        break;
    }
    walk_close(w);
    free(w);
    free(buf);
    return result;
}

int wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode, bool follow) {
    if (path[0] == '/') return -WASI_ENOTCAPABLE;
    if (path[0] == '\0') return -WASI_ENOENT;
    wasi_resolve_mode m = wasi_resolve_get_mode();
    if (m == WASI_RESOLVE_WALK ||
        (m == WASI_RESOLVE_AUTO && __atomic_load_n(&openat2_missing, __ATOMIC_RELAXED))) {
        return open_walk(dirfd, path, flags, mode, follow);
    }
    int fd = open_openat2(dirfd, path, flags, mode, follow);
    if (fd >= 0) return fd;
    int e = -fd;
    if (e == ENOSYS && m == WASI_RESOLVE_AUTO) {
        __atomic_store_n(&openat2_missing, 1, __ATOMIC_RELAXED);
        return open_walk(dirfd, path, flags, mode, follow);
    }
    /* Some container seccomp profiles answer EPERM for system calls they do not know; the walk
     * then gives the real answer. */
    if (e == EPERM && m == WASI_RESOLVE_AUTO) return open_walk(dirfd, path, flags, mode, follow);
    if (e == EXDEV) return -WASI_ENOTCAPABLE;
    return fail_host(e);
}

bool wasi_resolve_is_dot(const char *name) {
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == '/')
        n--;
    return (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.');
}

int wasi_resolve_parent(int dirfd, char *path, const char **name, int *info) {
    *info = 0;
    if (path[0] == '/') return -WASI_ENOTCAPABLE;
    if (path[0] == '\0') return -WASI_ENOENT;
    size_t len = strlen(path), end = len;
    while (end > 0 && path[end - 1] == '/')
        end--;
    assert(end > 0);
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    bool slash = end < len;
    if (slash || wasi_resolve_is_dot(path + start)) {
        /* The kernel would follow the final component (trailing slash) or resolve it ("..")
         * itself: resolve the whole path beneath dirfd first. */
        int fd = wasi_resolve_open(dirfd, path, O_PATH, 0, true);
        if (fd >= 0) {
            struct stat st;
            if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) *info |= WASI_NAME_IS_DIR;
            close(fd);
        } else if (!(slash && fd == -WASI_ENOENT)) {
            return fd;
        }
        if (slash) *info |= WASI_NAME_SLASH;
        path[end] = '\0';
    }
    *name = path + start;
    if (start == 0) return wasi_resolve_open(dirfd, ".", O_PATH | O_DIRECTORY, 0, true);
    path[start - 1] = '\0';
    return wasi_resolve_open(dirfd, path, O_PATH | O_DIRECTORY, 0, true);
}

bool wasi_resolve_join(const char *base, const char *path, char *out) {
    size_t n = 0; /* length of out */
    const char *parts[2] = {base, path};
    for (int i = 0; i < 2; i++) {
        const char *p = parts[i];
        if (i == 1 && p[0] == '/') return false;
        while (*p) {
            size_t len = strcspn(p, "/");
            if (len == 0 || (len == 1 && p[0] == '.')) {
                /* nothing */
            } else if (len == 2 && p[0] == '.' && p[1] == '.') {
                if (n == 0) return false;
                while (n > 0 && out[n - 1] != '/')
                    n--;
                if (n > 0) n--; /* the separator */
            } else {
                if (n + (n > 0) + len + 1 > WASI_PATH_MAX) return false;
                if (n > 0) out[n++] = '/';
                memcpy(out + n, p, len);
                n += len;
            }
            p += len;
            while (*p == '/')
                p++;
        }
    }
    if (n == 0) out[n++] = '.';
    out[n] = '\0';
    return true;
}

/*
 * common.h — helpers shared by the WASI test programs. Each program in this folder is built twice,
 * natively with gcc and as a cell with granny-cc, runs in a fresh empty directory (its current
 * directory natively, the preopen "." in the cell) and must print the same thing either way, so
 * nothing printed may depend on the host: no inode numbers, no absolute paths, no times except
 * the ones the program sets itself, no errno *numbers* (they differ between glibc and wasi-libc;
 * errname() prints the symbolic name).
 *
 * Header comments of a program may say how to run it:
 *   ARGS: words      arguments after argv[0]
 *   STDIN: file      a file of this folder given as standard input (default: empty)
 *   ENV: K=V ...     the whole environment (natively `env -i`, in the cell --env)
 *   EXIT: n          the expected exit status (default 0)
 *   BASEDIR          argv[1] is the directory to work in: "." natively, "/sandbox" in the cell
 *                    (the temporary directory is preopened there instead of ".")
 */
#ifndef WASI_TEST_COMMON_H
#define WASI_TEST_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline const char *errname(int e) {
    switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case EMFILE: return "EMFILE";
    case EMLINK: return "EMLINK";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOSPC: return "ENOSPC";
    case ENOSYS: return "ENOSYS";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSUP: return "ENOTSUP";
    case EPERM: return "EPERM";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    default: return "E_OTHER";
    }
}

/* Prints "what: OK" or "what: ENAME" for a call that returned rc (< 0 means failure). */
static inline void report(const char *what, int rc) {
    printf("%s: %s\n", what, rc < 0 ? errname(errno) : "OK");
}

static inline void die(const char *what) {
    printf("FATAL %s: %s\n", what, errname(errno));
    exit(99);
}

static inline int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* FNV-1a, for checksums of larger data. */
static inline unsigned long long fnv1a(const void *p, size_t n, unsigned long long h) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

#define FNV_INIT 14695981039346656037ull

#endif

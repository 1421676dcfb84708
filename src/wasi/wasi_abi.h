/*
 * wasi_abi.h — the WASI preview1 (`wasi_snapshot_preview1`) ABI as data: error numbers, rights,
 * flags, file types and the byte layout of every structure a call reads from or writes to guest
 * memory.
 *
 * The guest is wasm32 and little-endian; structures are never overlaid on guest memory (it may be
 * unaligned and shared with other threads), they are read and written field by field at the
 * offsets below (see wasi_internal.h). Values and offsets follow the witx definitions of preview1
 * (the same numbers wasi-libc's <wasi/api.h> checks with static assertions).
 */
#ifndef GRANNY_WASI_ABI_H
#define GRANNY_WASI_ABI_H

#include <stdint.h>

/* ---- errno (u16) ---- */
enum {
    WASI_ESUCCESS = 0,
    WASI_E2BIG = 1,
    WASI_EACCES = 2,
    WASI_EADDRINUSE = 3,
    WASI_EADDRNOTAVAIL = 4,
    WASI_EAFNOSUPPORT = 5,
    WASI_EAGAIN = 6,
    WASI_EALREADY = 7,
    WASI_EBADF = 8,
    WASI_EBADMSG = 9,
    WASI_EBUSY = 10,
    WASI_ECANCELED = 11,
    WASI_ECHILD = 12,
    WASI_ECONNABORTED = 13,
    WASI_ECONNREFUSED = 14,
    WASI_ECONNRESET = 15,
    WASI_EDEADLK = 16,
    WASI_EDESTADDRREQ = 17,
    WASI_EDOM = 18,
    WASI_EDQUOT = 19,
    WASI_EEXIST = 20,
    WASI_EFAULT = 21,
    WASI_EFBIG = 22,
    WASI_EHOSTUNREACH = 23,
    WASI_EIDRM = 24,
    WASI_EILSEQ = 25,
    WASI_EINPROGRESS = 26,
    WASI_EINTR = 27,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_EISCONN = 30,
    WASI_EISDIR = 31,
    WASI_ELOOP = 32,
    WASI_EMFILE = 33,
    WASI_EMLINK = 34,
    WASI_EMSGSIZE = 35,
    WASI_EMULTIHOP = 36,
    WASI_ENAMETOOLONG = 37,
    WASI_ENETDOWN = 38,
    WASI_ENETRESET = 39,
    WASI_ENETUNREACH = 40,
    WASI_ENFILE = 41,
    WASI_ENOBUFS = 42,
    WASI_ENODEV = 43,
    WASI_ENOENT = 44,
    WASI_ENOEXEC = 45,
    WASI_ENOLCK = 46,
    WASI_ENOLINK = 47,
    WASI_ENOMEM = 48,
    WASI_ENOMSG = 49,
    WASI_ENOPROTOOPT = 50,
    WASI_ENOSPC = 51,
    WASI_ENOSYS = 52,
    WASI_ENOTCONN = 53,
    WASI_ENOTDIR = 54,
    WASI_ENOTEMPTY = 55,
    WASI_ENOTRECOVERABLE = 56,
    WASI_ENOTSOCK = 57,
    WASI_ENOTSUP = 58,
    WASI_ENOTTY = 59,
    WASI_ENXIO = 60,
    WASI_EOVERFLOW = 61,
    WASI_EOWNERDEAD = 62,
    WASI_EPERM = 63,
    WASI_EPIPE = 64,
    WASI_EPROTO = 65,
    WASI_EPROTONOSUPPORT = 66,
    WASI_EPROTOTYPE = 67,
    WASI_ERANGE = 68,
    WASI_EROFS = 69,
    WASI_ESPIPE = 70,
    WASI_ESRCH = 71,
    WASI_ESTALE = 72,
    WASI_ETIMEDOUT = 73,
    WASI_ETXTBSY = 74,
    WASI_EXDEV = 75,
    WASI_ENOTCAPABLE = 76,
    WASI_ERRNO_COUNT = 77
};

/* ---- rights (u64) ---- */
#define WASI_RIGHT_FD_DATASYNC             ((uint64_t)1 << 0)
#define WASI_RIGHT_FD_READ                 ((uint64_t)1 << 1)
#define WASI_RIGHT_FD_SEEK                 ((uint64_t)1 << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS     ((uint64_t)1 << 3)
#define WASI_RIGHT_FD_SYNC                 ((uint64_t)1 << 4)
#define WASI_RIGHT_FD_TELL                 ((uint64_t)1 << 5)
#define WASI_RIGHT_FD_WRITE                ((uint64_t)1 << 6)
#define WASI_RIGHT_FD_ADVISE               ((uint64_t)1 << 7)
#define WASI_RIGHT_FD_ALLOCATE             ((uint64_t)1 << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY   ((uint64_t)1 << 9)
#define WASI_RIGHT_PATH_CREATE_FILE        ((uint64_t)1 << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE        ((uint64_t)1 << 11)
#define WASI_RIGHT_PATH_LINK_TARGET        ((uint64_t)1 << 12)
#define WASI_RIGHT_PATH_OPEN               ((uint64_t)1 << 13)
#define WASI_RIGHT_FD_READDIR              ((uint64_t)1 << 14)
#define WASI_RIGHT_PATH_READLINK           ((uint64_t)1 << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE      ((uint64_t)1 << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET      ((uint64_t)1 << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET       ((uint64_t)1 << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE  ((uint64_t)1 << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES ((uint64_t)1 << 20)
#define WASI_RIGHT_FD_FILESTAT_GET         ((uint64_t)1 << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE    ((uint64_t)1 << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES   ((uint64_t)1 << 23)
#define WASI_RIGHT_PATH_SYMLINK            ((uint64_t)1 << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY   ((uint64_t)1 << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE        ((uint64_t)1 << 26)
#define WASI_RIGHT_POLL_FD_READWRITE       ((uint64_t)1 << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN           ((uint64_t)1 << 28)
#define WASI_RIGHT_SOCK_ACCEPT             ((uint64_t)1 << 29)
#define WASI_RIGHTS_ALL                    (((uint64_t)1 << 30) - 1)

/* What a descriptor of each kind can ever do (intersected with what its opener asked for). */
#define WASI_RIGHTS_REGULAR_FILE                                                                   \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |                            \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |                    \
     WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |                         \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                                \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_DIRECTORY                                                                      \
    (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_ADVISE |                  \
     WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE |                              \
     WASI_RIGHT_PATH_LINK_SOURCE | WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |            \
     WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE |            \
     WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_GET |                                \
     WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |                      \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK |     \
     WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE |                              \
     WASI_RIGHT_POLL_FD_READWRITE)
/* Terminals, pipes, sockets: no seek or tell (wasi-libc's isatty looks for exactly that). */
#define WASI_RIGHTS_STREAM                                                                         \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_WRITE |                   \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE | WASI_RIGHT_FD_SYNC |              \
     WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_ADVISE)

/* ---- file types (u8) ---- */
enum {
    WASI_FILETYPE_UNKNOWN = 0,
    WASI_FILETYPE_BLOCK_DEVICE = 1,
    WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_DIRECTORY = 3,
    WASI_FILETYPE_REGULAR_FILE = 4,
    WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6,
    WASI_FILETYPE_SYMBOLIC_LINK = 7
};

/* ---- flags ---- */
enum { /* fdflags (u16) */
       WASI_FDFLAG_APPEND = 1 << 0,
       WASI_FDFLAG_DSYNC = 1 << 1,
       WASI_FDFLAG_NONBLOCK = 1 << 2,
       WASI_FDFLAG_RSYNC = 1 << 3,
       WASI_FDFLAG_SYNC = 1 << 4,
       WASI_FDFLAGS_ALL = (1 << 5) - 1
};
enum { /* oflags (u16) */
       WASI_OFLAG_CREAT = 1 << 0,
       WASI_OFLAG_DIRECTORY = 1 << 1,
       WASI_OFLAG_EXCL = 1 << 2,
       WASI_OFLAG_TRUNC = 1 << 3,
       WASI_OFLAGS_ALL = (1 << 4) - 1
};
enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 << 0 }; /* lookupflags (u32) */
enum {                                        /* fstflags (u16) */
       WASI_FSTFLAG_ATIM = 1 << 0,
       WASI_FSTFLAG_ATIM_NOW = 1 << 1,
       WASI_FSTFLAG_MTIM = 1 << 2,
       WASI_FSTFLAG_MTIM_NOW = 1 << 3
};
enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };
enum {
    WASI_ADVICE_NORMAL = 0,
    WASI_ADVICE_SEQUENTIAL = 1,
    WASI_ADVICE_RANDOM = 2,
    WASI_ADVICE_WILLNEED = 3,
    WASI_ADVICE_DONTNEED = 4,
    WASI_ADVICE_NOREUSE = 5
};
enum {
    WASI_CLOCK_REALTIME = 0,
    WASI_CLOCK_MONOTONIC = 1,
    WASI_CLOCK_PROCESS_CPUTIME = 2,
    WASI_CLOCK_THREAD_CPUTIME = 3
};
enum { WASI_EVENTTYPE_CLOCK = 0, WASI_EVENTTYPE_FD_READ = 1, WASI_EVENTTYPE_FD_WRITE = 2 };
enum { WASI_EVENTRWFLAG_HANGUP = 1 << 0 };
enum { WASI_SUBCLOCKFLAG_ABSTIME = 1 << 0 };
enum { WASI_PREOPENTYPE_DIR = 0 };

/* Signals of proc_raise (preview1 numbering, not the host's). */
enum {
    WASI_SIGNONE = 0,
    WASI_SIGHUP,
    WASI_SIGINT,
    WASI_SIGQUIT,
    WASI_SIGILL,
    WASI_SIGTRAP,
    WASI_SIGABRT,
    WASI_SIGBUS,
    WASI_SIGFPE,
    WASI_SIGKILL,
    WASI_SIGUSR1,
    WASI_SIGSEGV,
    WASI_SIGUSR2,
    WASI_SIGPIPE,
    WASI_SIGALRM,
    WASI_SIGTERM,
    WASI_SIGCHLD,
    WASI_SIGCONT,
    WASI_SIGSTOP,
    WASI_SIGTSTP,
    WASI_SIGTTIN,
    WASI_SIGTTOU,
    WASI_SIGURG,
    WASI_SIGXCPU,
    WASI_SIGXFSZ,
    WASI_SIGVTALRM,
    WASI_SIGPROF,
    WASI_SIGWINCH,
    WASI_SIGPOLL,
    WASI_SIGPWR,
    WASI_SIGSYS,
    WASI_SIGNAL_COUNT
};

/* ---- structure layouts: sizes and field offsets in guest memory ---- */
enum {
    WASI_IOVEC_SIZE = 8, /* iovec / ciovec: buf u32 @0, buf_len u32 @4 */

    WASI_FDSTAT_SIZE = 24,
    WASI_FDSTAT_FILETYPE = 0, /* u8 */
    WASI_FDSTAT_FLAGS = 2,    /* u16 */
    WASI_FDSTAT_RIGHTS_BASE = 8,
    WASI_FDSTAT_RIGHTS_INHERITING = 16,

    WASI_FILESTAT_SIZE = 64,
    WASI_FILESTAT_DEV = 0,
    WASI_FILESTAT_INO = 8,
    WASI_FILESTAT_FILETYPE = 16, /* u8 */
    WASI_FILESTAT_NLINK = 24,
    WASI_FILESTAT_FILESIZE = 32,
    WASI_FILESTAT_ATIM = 40,
    WASI_FILESTAT_MTIM = 48,
    WASI_FILESTAT_CTIM = 56,

    WASI_DIRENT_SIZE = 24, /* followed by the name, not NUL-terminated */
    WASI_DIRENT_NEXT = 0,
    WASI_DIRENT_INO = 8,
    WASI_DIRENT_NAMLEN = 16, /* u32 */
    WASI_DIRENT_TYPE = 20,   /* u8 */

    WASI_PRESTAT_SIZE = 8,
    WASI_PRESTAT_TAG = 0,     /* u8 */
    WASI_PRESTAT_NAMELEN = 4, /* u32 */

    WASI_SUBSCRIPTION_SIZE = 48,
    WASI_SUBSCRIPTION_USERDATA = 0,
    WASI_SUBSCRIPTION_TAG = 8,              /* u8 eventtype */
    WASI_SUBSCRIPTION_CLOCK_ID = 16,        /* u32 */
    WASI_SUBSCRIPTION_CLOCK_TIMEOUT = 24,   /* u64 */
    WASI_SUBSCRIPTION_CLOCK_PRECISION = 32, /* u64 */
    WASI_SUBSCRIPTION_CLOCK_FLAGS = 40,     /* u16 */
    WASI_SUBSCRIPTION_FD = 16,              /* u32 */

    WASI_EVENT_SIZE = 32,
    WASI_EVENT_USERDATA = 0,
    WASI_EVENT_ERROR = 8,   /* u16 */
    WASI_EVENT_TYPE = 10,   /* u8 */
    WASI_EVENT_NBYTES = 16, /* u64 */
    WASI_EVENT_FLAGS = 24   /* u16 */
};

/* Longest path a guest may pass (bytes, without the terminating NUL), as on Linux. */
#define WASI_PATH_MAX 4096

#endif

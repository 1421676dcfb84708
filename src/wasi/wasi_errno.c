/*
 * wasi_errno.c — host errno <-> WASI errno, as one table.
 *
 * The table is indexed by the WASI number and gives the name and the Linux errno of each WASI
 * error. WASI's list is POSIX's, so every WASI error but ENOTCAPABLE has a host twin; the reverse
 * direction scans the table (errors are the slow path). Linux aliases (EWOULDBLOCK = EAGAIN,
 * EOPNOTSUPP = ENOTSUP, EDEADLOCK = EDEADLK) share a number, so they map too. Host errors outside
 * POSIX (ENOMEDIUM, EKEYEXPIRED, ...) become EIO: the guest learns that the operation failed but
 * nothing about the host it could not name portably. ENOTCAPABLE is never produced from a host
 * errno: the sandbox decides it (escapes, missing rights).
 */
#include <errno.h>
#include <stddef.h>

#include "wasi/wasi.h"

typedef struct wasi_errno_info {
    const char *name;
    int host;
} wasi_errno_info;

static const wasi_errno_info wasi_errno_table[WASI_ERRNO_COUNT] = {
    [WASI_ESUCCESS] = {"ESUCCESS", 0},
    [WASI_E2BIG] = {"E2BIG", E2BIG},
    [WASI_EACCES] = {"EACCES", EACCES},
    [WASI_EADDRINUSE] = {"EADDRINUSE", EADDRINUSE},
    [WASI_EADDRNOTAVAIL] = {"EADDRNOTAVAIL", EADDRNOTAVAIL},
    [WASI_EAFNOSUPPORT] = {"EAFNOSUPPORT", EAFNOSUPPORT},
    [WASI_EAGAIN] = {"EAGAIN", EAGAIN},
    [WASI_EALREADY] = {"EALREADY", EALREADY},
    [WASI_EBADF] = {"EBADF", EBADF},
    [WASI_EBADMSG] = {"EBADMSG", EBADMSG},
    [WASI_EBUSY] = {"EBUSY", EBUSY},
    [WASI_ECANCELED] = {"ECANCELED", ECANCELED},
    [WASI_ECHILD] = {"ECHILD", ECHILD},
    [WASI_ECONNABORTED] = {"ECONNABORTED", ECONNABORTED},
    [WASI_ECONNREFUSED] = {"ECONNREFUSED", ECONNREFUSED},
    [WASI_ECONNRESET] = {"ECONNRESET", ECONNRESET},
    [WASI_EDEADLK] = {"EDEADLK", EDEADLK},
    [WASI_EDESTADDRREQ] = {"EDESTADDRREQ", EDESTADDRREQ},
    [WASI_EDOM] = {"EDOM", EDOM},
    [WASI_EDQUOT] = {"EDQUOT", EDQUOT},
    [WASI_EEXIST] = {"EEXIST", EEXIST},
    [WASI_EFAULT] = {"EFAULT", EFAULT},
    [WASI_EFBIG] = {"EFBIG", EFBIG},
    [WASI_EHOSTUNREACH] = {"EHOSTUNREACH", EHOSTUNREACH},
    [WASI_EIDRM] = {"EIDRM", EIDRM},
    [WASI_EILSEQ] = {"EILSEQ", EILSEQ},
    [WASI_EINPROGRESS] = {"EINPROGRESS", EINPROGRESS},
    [WASI_EINTR] = {"EINTR", EINTR},
    [WASI_EINVAL] = {"EINVAL", EINVAL},
    [WASI_EIO] = {"EIO", EIO},
    [WASI_EISCONN] = {"EISCONN", EISCONN},
    [WASI_EISDIR] = {"EISDIR", EISDIR},
    [WASI_ELOOP] = {"ELOOP", ELOOP},
    [WASI_EMFILE] = {"EMFILE", EMFILE},
    [WASI_EMLINK] = {"EMLINK", EMLINK},
    [WASI_EMSGSIZE] = {"EMSGSIZE", EMSGSIZE},
    [WASI_EMULTIHOP] = {"EMULTIHOP", EMULTIHOP},
    [WASI_ENAMETOOLONG] = {"ENAMETOOLONG", ENAMETOOLONG},
    [WASI_ENETDOWN] = {"ENETDOWN", ENETDOWN},
    [WASI_ENETRESET] = {"ENETRESET", ENETRESET},
    [WASI_ENETUNREACH] = {"ENETUNREACH", ENETUNREACH},
    [WASI_ENFILE] = {"ENFILE", ENFILE},
    [WASI_ENOBUFS] = {"ENOBUFS", ENOBUFS},
    [WASI_ENODEV] = {"ENODEV", ENODEV},
    [WASI_ENOENT] = {"ENOENT", ENOENT},
    [WASI_ENOEXEC] = {"ENOEXEC", ENOEXEC},
    [WASI_ENOLCK] = {"ENOLCK", ENOLCK},
    [WASI_ENOLINK] = {"ENOLINK", ENOLINK},
    [WASI_ENOMEM] = {"ENOMEM", ENOMEM},
    [WASI_ENOMSG] = {"ENOMSG", ENOMSG},
    [WASI_ENOPROTOOPT] = {"ENOPROTOOPT", ENOPROTOOPT},
    [WASI_ENOSPC] = {"ENOSPC", ENOSPC},
    [WASI_ENOSYS] = {"ENOSYS", ENOSYS},
    [WASI_ENOTCONN] = {"ENOTCONN", ENOTCONN},
    [WASI_ENOTDIR] = {"ENOTDIR", ENOTDIR},
    [WASI_ENOTEMPTY] = {"ENOTEMPTY", ENOTEMPTY},
    [WASI_ENOTRECOVERABLE] = {"ENOTRECOVERABLE", ENOTRECOVERABLE},
    [WASI_ENOTSOCK] = {"ENOTSOCK", ENOTSOCK},
    [WASI_ENOTSUP] = {"ENOTSUP", ENOTSUP},
    [WASI_ENOTTY] = {"ENOTTY", ENOTTY},
    [WASI_ENXIO] = {"ENXIO", ENXIO},
    [WASI_EOVERFLOW] = {"EOVERFLOW", EOVERFLOW},
    [WASI_EOWNERDEAD] = {"EOWNERDEAD", EOWNERDEAD},
    [WASI_EPERM] = {"EPERM", EPERM},
    [WASI_EPIPE] = {"EPIPE", EPIPE},
    [WASI_EPROTO] = {"EPROTO", EPROTO},
    [WASI_EPROTONOSUPPORT] = {"EPROTONOSUPPORT", EPROTONOSUPPORT},
    [WASI_EPROTOTYPE] = {"EPROTOTYPE", EPROTOTYPE},
    [WASI_ERANGE] = {"ERANGE", ERANGE},
    [WASI_EROFS] = {"EROFS", EROFS},
    [WASI_ESPIPE] = {"ESPIPE", ESPIPE},
    [WASI_ESRCH] = {"ESRCH", ESRCH},
    [WASI_ESTALE] = {"ESTALE", ESTALE},
    [WASI_ETIMEDOUT] = {"ETIMEDOUT", ETIMEDOUT},
    [WASI_ETXTBSY] = {"ETXTBSY", ETXTBSY},
    [WASI_EXDEV] = {"EXDEV", EXDEV},
    [WASI_ENOTCAPABLE] = {"ENOTCAPABLE", -1}, /* no host twin */
};

uint16_t wasi_errno_from_host(int host_errno) {
    if (host_errno == 0) return WASI_ESUCCESS;
    for (uint16_t i = 1; i < WASI_ERRNO_COUNT; i++) {
        if (wasi_errno_table[i].host == host_errno) return i;
    }
    return WASI_EIO;
}

int wasi_errno_to_host(uint16_t wasi_errno) {
    if (wasi_errno >= WASI_ERRNO_COUNT || wasi_errno_table[wasi_errno].host < 0) return EIO;
    return wasi_errno_table[wasi_errno].host;
}

const char *wasi_errno_name(uint16_t wasi_errno) {
    if (wasi_errno >= WASI_ERRNO_COUNT) return "E?";
    return wasi_errno_table[wasi_errno].name;
}

/*
 * wasi.h — WASI preview1 for Granny cells: the `wasi_snapshot_preview1` host functions, the
 * per-cell context they work on, and the descriptor table as data for snapshots.
 *
 * A cell's WASI state is a wasi_ctx: program arguments, environment, preopened directories and a
 * descriptor table (stdio, preopens, files and directories the guest opened). The host functions
 * are registered once in an rt_host_registry (wasi_register); at run time each call finds its
 * context through the calling instance: `caller->user` points to a struct whose FIRST member is a
 * `wasi_ctx *` (the cell struct follows that convention; so does `granny run`).
 *
 * Sandbox: the guest reaches the file system only through preopened directories. Every path is
 * resolved beneath the directory descriptor it is relative to, by the kernel (openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) or, where openat2 is missing, by a
 * component-by-component walk that opens each step with O_NOFOLLOW and expands symlinks itself;
 * neither lets `..`, absolute paths or symlinks leave the preopen. Guest descriptor numbers are
 * indices into the cell's own table, never host descriptors. Every guest pointer and length is
 * checked against the memory size before use (EFAULT), so a call can never touch host memory
 * outside linear memory. See docs/wasi.md for the full list of calls and their errors.
 *
 * Threads: a context may be used by several threads of one cell at once (thread cells share their
 * parent's descriptor table, as POSIX threads do); the table is locked and entries are reference
 * counted, so closing a descriptor while another thread reads from it is safe.
 */
#ifndef GRANNY_WASI_H
#define GRANNY_WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt/runtime.h"
#include "wasi/wasi_abi.h"

typedef struct wasi_ctx wasi_ctx;

/* ---- Context ---- */

/* A context with no arguments, an empty environment, no preopens and the host's stdin, stdout and
 * stderr as descriptors 0, 1 and 2 (not owned: closing them in the guest leaves the host's
 * open). Returns NULL only when out of memory. */
wasi_ctx *wasi_ctx_new(void);
void wasi_ctx_free(wasi_ctx *ctx);

/* Program arguments (argv[0] included), copied. */
bool wasi_ctx_set_args(wasi_ctx *ctx, int argc, const char *const *argv, rt_error *err);
/* Adds one environment variable "KEY=VALUE" (copied); fails without '=' or with an empty key. */
bool wasi_ctx_add_env(wasi_ctx *ctx, const char *key_value, rt_error *err);
/* Preopens host directory `host_dir` under the guest name `guest_path` (e.g. "." or "/sandbox").
 * Preopens get descriptors 3, 4, ... in the order they are added; call before the guest runs. */
bool wasi_ctx_add_preopen(wasi_ctx *ctx, const char *host_dir, const char *guest_path,
                          rt_error *err);
/* Maps guest descriptor 0, 1 or 2 to `host_fd` (not owned, e.g. a worker's log file). */
bool wasi_ctx_set_stdio(wasi_ctx *ctx, int guest_fd, int host_fd, rt_error *err);
/* Caps the descriptor table (default 1024); opening more gives EMFILE. */
void wasi_ctx_set_max_fds(wasi_ctx *ctx, uint32_t max_fds);

/* The context of the instance that called a host function (caller->user's first member), or NULL
 * when the instance has none. */
wasi_ctx *wasi_ctx_of(rt_instance *caller);

/* ---- Host functions ---- */

/* Registers every wasi_snapshot_preview1 function in `registry`. */
bool wasi_register(rt_host_registry *registry, rt_error *err);

/* The functions as a table (name, signature in the rt_host_register notation, entry), for tools
 * and tests; ends with a NULL name. */
typedef struct wasi_function {
    const char *name;
    const char *signature;
    rt_host_fn fn;
} wasi_function;
const wasi_function *wasi_functions(void);

/* ---- Errors ---- */

/* The WASI errno for a host errno (EIO for host errors WASI has no name for). */
uint16_t wasi_errno_from_host(int host_errno);
/* The host errno for a WASI errno (EIO for ENOTCAPABLE and out-of-range values). */
int wasi_errno_to_host(uint16_t wasi_errno);
/* "EBADF", "ENOTCAPABLE", ...; "E?" for out-of-range values. */
const char *wasi_errno_name(uint16_t wasi_errno);

/* ---- Descriptor table as data (for snapshots) ---- */

typedef enum wasi_fd_kind {
    WASI_FD_STDIO = 0,   /* one of the host's stdio streams (origin = 0, 1 or 2) */
    WASI_FD_PREOPEN = 1, /* a preopened directory (origin = preopen index) */
    WASI_FD_FILE = 2,    /* a file the guest opened beneath preopen `origin` */
    WASI_FD_DIR = 3      /* a directory the guest opened beneath preopen `origin` */
} wasi_fd_kind;

enum { WASI_ACCESS_READ = 1, WASI_ACCESS_WRITE = 2 };

/* One descriptor, described so that it can be reopened in another process or on another host
 * that has the same preopens. */
typedef struct wasi_fd_desc {
    uint32_t fd;      /* guest descriptor number */
    uint8_t kind;     /* wasi_fd_kind */
    uint8_t filetype; /* WASI_FILETYPE_* */
    uint8_t access;   /* WASI_ACCESS_READ | WASI_ACCESS_WRITE: how the host file is opened */
    uint16_t fdflags; /* WASI_FDFLAG_* in force */
    int32_t origin;   /* stdio index or preopen index, see wasi_fd_kind */
    uint64_t rights_base, rights_inheriting;
    uint64_t offset;          /* file position (FILE only) */
    char path[WASI_PATH_MAX]; /* FILE, DIR: path relative to the preopen's directory */
} wasi_fd_desc;

/* Describes every open descriptor, in increasing fd order, into a malloc'ed array (*out, *count;
 * free with free()). Fails (with a message) for a file that was deleted while open, or one that
 * is no longer beneath its preopen. */
bool wasi_fdtable_describe(wasi_ctx *ctx, wasi_fd_desc **out, size_t *count, rt_error *err);
/* Replaces the context's descriptor table by the described one, reopening every file beneath the
 * context's own preopens (which must be the same list, by index) and restoring positions. On
 * failure the table is left empty except for what was restored before the failing entry. */
bool wasi_fdtable_restore(wasi_ctx *ctx, const wasi_fd_desc *descs, size_t count, rt_error *err);

#endif

/*
 * wasi_internal.h — what the files of src/wasi share: guest memory access, the descriptor table,
 * sandboxed path resolution and the context structure. Not for use outside src/wasi (and its unit
 * tests).
 *
 * Guest memory: a call captures the memory's base and its current size once (wasi_mem). Growth can
 * only make the memory larger and the base never moves, so a range checked against that size stays
 * valid for the whole call even if another thread grows the memory. Every access goes through
 * wasi_mem_check first; loads and stores use memcpy (guest data is little-endian and may be
 * unaligned). Strings the host acts upon (paths) are copied out of guest memory before use, so a
 * second guest thread cannot change them between check and use.
 */
#ifndef GRANNY_WASI_INTERNAL_H
#define GRANNY_WASI_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "wasi/wasi.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "src/wasi assumes a little-endian host (guest memory is little-endian)"
#endif

/* ---- Guest memory ---- */

typedef struct wasi_mem {
    uint8_t *base;
    uint64_t size; /* accessible bytes at the start of the call */
} wasi_mem;

static inline bool wasi_mem_check(const wasi_mem *m, uint32_t ptr, uint64_t len) {
    return (uint64_t)ptr + len <= m->size;
}
static inline uint8_t *wasi_mem_at(const wasi_mem *m, uint32_t ptr) {
    return m->base + ptr;
}

static inline uint16_t wasi_load_u16(const wasi_mem *m, uint32_t ptr) {
    uint16_t v;
    memcpy(&v, m->base + ptr, sizeof v);
    return v;
}
static inline uint32_t wasi_load_u32(const wasi_mem *m, uint32_t ptr) {
    uint32_t v;
    memcpy(&v, m->base + ptr, sizeof v);
    return v;
}
static inline uint64_t wasi_load_u64(const wasi_mem *m, uint32_t ptr) {
    uint64_t v;
    memcpy(&v, m->base + ptr, sizeof v);
    return v;
}
static inline void wasi_store_u8(const wasi_mem *m, uint32_t ptr, uint8_t v) {
    m->base[ptr] = v;
}
static inline void wasi_store_u16(const wasi_mem *m, uint32_t ptr, uint16_t v) {
    memcpy(m->base + ptr, &v, sizeof v);
}
static inline void wasi_store_u32(const wasi_mem *m, uint32_t ptr, uint32_t v) {
    memcpy(m->base + ptr, &v, sizeof v);
}
static inline void wasi_store_u64(const wasi_mem *m, uint32_t ptr, uint64_t v) {
    memcpy(m->base + ptr, &v, sizeof v);
}

/* Copies a guest path (ptr, len) into out[WASI_PATH_MAX] with a terminating NUL. Errors: EFAULT
 * (outside memory), ENAMETOOLONG (len >= WASI_PATH_MAX), EINVAL (an embedded NUL byte). */
uint16_t wasi_mem_path(const wasi_mem *m, uint32_t ptr, uint32_t len, char *out);

/* ---- Descriptor table ---- */

typedef struct wasi_fd_entry {
    int host_fd;
    bool owns_host_fd; /* false for the host's stdio: closing in the guest leaves them open */
    uint8_t kind;      /* wasi_fd_kind */
    uint8_t filetype;  /* WASI_FILETYPE_* */
    uint8_t access;    /* WASI_ACCESS_* */
    int32_t origin;    /* stdio index or preopen index */
    uint64_t rights_base, rights_inheriting; /* read and written under the table lock */
    char *path;           /* relative to the preopen (FILE, DIR; "." for a preopen), else NULL */
    uint32_t refs;        /* the table's reference + one per call in progress (atomic) */
    pthread_mutex_t lock; /* serialises multi-step operations on the host fd (readdir) */
} wasi_fd_entry;

typedef struct wasi_fdtable {
    pthread_mutex_t lock;
    wasi_fd_entry **slots; /* [nslots], NULL = free */
    uint32_t nslots;
    uint32_t max_fds;
} wasi_fdtable;

#define WASI_DEFAULT_MAX_FDS 1024u

void wasi_fdtable_init(wasi_fdtable *t, uint32_t max_fds);
/* Closes every descriptor (entries still used by a call are freed when that call ends). */
void wasi_fdtable_clear(wasi_fdtable *t);
void wasi_fdtable_destroy(wasi_fdtable *t);

/* A new entry with one reference (the caller's); host_fd -1, no path. NULL if out of memory. */
wasi_fd_entry *wasi_fd_entry_new(int host_fd, bool owns_host_fd, uint8_t kind);
/* Drops one reference; the last one closes the host fd (if owned) and frees the entry. */
void wasi_fd_entry_release(wasi_fd_entry *e);

/* Puts `e` at the lowest free descriptor (the table takes over the caller's reference) and writes
 * the number to *fd. EMFILE when the table is full. */
uint16_t wasi_fdtable_insert(wasi_fdtable *t, wasi_fd_entry *e, uint32_t *fd);
/* Puts `e` at descriptor `fd`, closing what was there (restore). */
uint16_t wasi_fdtable_insert_at(wasi_fdtable *t, uint32_t fd, wasi_fd_entry *e);
/* Looks up `fd` and checks that it has every right in `rights`; on success *out holds a new
 * reference (release it with wasi_fd_entry_release). EBADF for a free or unknown descriptor,
 * ENOTCAPABLE for a missing right. */
uint16_t wasi_fdtable_get(wasi_fdtable *t, uint32_t fd, uint64_t rights, wasi_fd_entry **out);
uint16_t wasi_fdtable_close(wasi_fdtable *t, uint32_t fd);
uint16_t wasi_fdtable_renumber(wasi_fdtable *t, uint32_t from, uint32_t to);
/* Narrows the rights of `fd`; ENOTCAPABLE when asking for a right it does not have. */
uint16_t wasi_fdtable_set_rights(wasi_fdtable *t, uint32_t fd, uint64_t base, uint64_t inheriting);
/* Copies the rights of `fd` under the table lock. */
uint16_t wasi_fdtable_rights(wasi_fdtable *t, uint32_t fd, uint64_t *base, uint64_t *inheriting);
/* The highest descriptor number in use + 1. */
uint32_t wasi_fdtable_limit(wasi_fdtable *t);

/* ---- Sandboxed path resolution (wasi_resolve.c) ---- */

typedef enum wasi_resolve_mode {
    WASI_RESOLVE_AUTO = 0,    /* openat2 when the kernel has it, else the walk */
    WASI_RESOLVE_OPENAT2 = 1, /* openat2 only */
    WASI_RESOLVE_WALK = 2     /* the component-by-component walk only (tests force it) */
} wasi_resolve_mode;
void wasi_resolve_set_mode(wasi_resolve_mode mode);
wasi_resolve_mode wasi_resolve_get_mode(void);

/* Opens `path` beneath directory `dirfd` with host open `flags` (O_PATH allowed; O_CLOEXEC and
 * O_NOCTTY are added) and `mode` for O_CREAT. `follow`: whether a symlink as the final component is
 * followed (symlinks in the middle always are, beneath dirfd). Returns the new host fd, or
 * -(WASI errno): ENOTCAPABLE for an absolute path or any escape from dirfd. */
int wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode, bool follow);

/* For calls that act on a directory entry (mkdir, unlink, rename, link, symlink, readlink):
 * opens the directory that holds the final component of `path` beneath `dirfd` (an O_PATH
 * descriptor the caller closes) and sets *name to the final component inside `path`. The kernel
 * call then looks up that one name without following it. Two cases make the kernel resolve the
 * final component itself, so the whole path is first resolved beneath dirfd (its error returned,
 * ENOTCAPABLE for an escape): a trailing slash (stripped from *name; *info gets WASI_NAME_SLASH,
 * and the lookup may give ENOENT, for mkdir "d/"), and a final "." or "..". *info gets
 * WASI_NAME_IS_DIR when that resolution found a directory. Returns the parent fd or
 * -(WASI errno). */
enum { WASI_NAME_SLASH = 1, WASI_NAME_IS_DIR = 2 };
int wasi_resolve_parent(int dirfd, char *path, const char **name, int *info);

/* True when the final component (trailing slashes ignored) of `name` is "." or "..". */
bool wasi_resolve_is_dot(const char *name);

/* Joins a normalised relative path `base` ("." for none) and a guest path into out[WASI_PATH_MAX]:
 * "." and ".." are applied lexically. Returns false when the result would leave `base`'s root or
 * does not fit (the entry then records no path). */
bool wasi_resolve_join(const char *base, const char *path, char *out);

/* ---- Context ---- */

typedef struct wasi_preopen {
    char *host_path;  /* as given */
    char *real_path;  /* canonical host path (for describing descriptors) */
    char *guest_path; /* the name the guest sees */
    int root_fd;      /* O_RDONLY|O_DIRECTORY descriptor kept for the context's lifetime */
} wasi_preopen;

struct wasi_ctx {
    char **argv;
    uint32_t argc;
    char **env;
    uint32_t envc;
    wasi_preopen *preopens;
    uint32_t npreopens;
    int stdio_host[3];
    wasi_fdtable fds;
};

/* ---- Helpers shared by the call files ---- */

/* A descriptor entry for host stdio stream `host_fd` seen as guest descriptor `index` (0..2). */
wasi_fd_entry *wasi_stdio_entry(int index, int host_fd);

uint8_t wasi_filetype_from_mode(mode_t mode);
/* The descriptor-level rights a host fd of this type can have. */
uint64_t wasi_rights_for(uint8_t filetype, int host_fd);
void wasi_store_filestat(const wasi_mem *m, uint32_t ptr, const struct stat *st);
/* WASI fdflags of an open host fd (fcntl F_GETFL). */
uint16_t wasi_fdflags_of(int host_fd);
/* Host open(2) flags for WASI fdflags. */
int wasi_host_flags_from_fdflags(uint16_t fdflags);
/* utimensat times for WASI (atim, mtim, fstflags); EINVAL for contradictory flags. */
uint16_t wasi_timespecs(uint64_t atim, uint64_t mtim, uint32_t fstflags, struct timespec ts[2]);

/* ---- The calls, typed (wasi_register.c unpacks the wasm arguments) ---- */

uint16_t wasi_args_get(wasi_ctx *c, const wasi_mem *m, uint32_t argv, uint32_t argv_buf);
uint16_t wasi_args_sizes_get(wasi_ctx *c, const wasi_mem *m, uint32_t argc_ptr, uint32_t size_ptr);
uint16_t wasi_environ_get(wasi_ctx *c, const wasi_mem *m, uint32_t env, uint32_t env_buf);
uint16_t wasi_environ_sizes_get(wasi_ctx *c, const wasi_mem *m, uint32_t count_ptr,
                                uint32_t size_ptr);
uint16_t wasi_clock_res_get(wasi_ctx *c, const wasi_mem *m, uint32_t id, uint32_t res_ptr);
uint16_t wasi_clock_time_get(wasi_ctx *c, const wasi_mem *m, uint32_t id, uint64_t precision,
                             uint32_t time_ptr);
uint16_t wasi_random_get(wasi_ctx *c, const wasi_mem *m, uint32_t buf, uint32_t len);
uint16_t wasi_sched_yield(wasi_ctx *c, const wasi_mem *m);
/* proc_raise: returns an errno, or sets *exit_code (>= 0) when the signal terminates the guest. */
uint16_t wasi_proc_raise(wasi_ctx *c, const wasi_mem *m, uint32_t sig, int *exit_code);
uint16_t wasi_poll_oneoff(wasi_ctx *c, const wasi_mem *m, uint32_t in, uint32_t out,
                          uint32_t nsubscriptions, uint32_t nevents_ptr);

uint16_t wasi_fd_advise(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t offset, uint64_t len,
                        uint32_t advice);
uint16_t wasi_fd_allocate(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t offset,
                          uint64_t len);
uint16_t wasi_fd_close(wasi_ctx *c, const wasi_mem *m, uint32_t fd);
uint16_t wasi_fd_datasync(wasi_ctx *c, const wasi_mem *m, uint32_t fd);
uint16_t wasi_fd_fdstat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf);
uint16_t wasi_fd_fdstat_set_flags(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags);
uint16_t wasi_fd_fdstat_set_rights(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t base,
                                   uint64_t inheriting);
uint16_t wasi_fd_filestat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf);
uint16_t wasi_fd_filestat_set_size(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t size);
uint16_t wasi_fd_filestat_set_times(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint64_t atim,
                                    uint64_t mtim, uint32_t fstflags);
uint16_t wasi_fd_pread(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                       uint32_t iovs_len, uint64_t offset, uint32_t nread_ptr);
uint16_t wasi_fd_prestat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf);
uint16_t wasi_fd_prestat_dir_name(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                                  uint32_t path_len);
uint16_t wasi_fd_pwrite(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                        uint32_t iovs_len, uint64_t offset, uint32_t nwritten_ptr);
uint16_t wasi_fd_read(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                      uint32_t nread_ptr);
uint16_t wasi_fd_readdir(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t buf,
                         uint32_t buf_len, uint64_t cookie, uint32_t bufused_ptr);
uint16_t wasi_fd_renumber(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t to);
uint16_t wasi_fd_seek(wasi_ctx *c, const wasi_mem *m, uint32_t fd, int64_t offset, uint32_t whence,
                      uint32_t newoffset_ptr);
uint16_t wasi_fd_sync(wasi_ctx *c, const wasi_mem *m, uint32_t fd);
uint16_t wasi_fd_tell(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t offset_ptr);
uint16_t wasi_fd_write(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t iovs,
                       uint32_t iovs_len, uint32_t nwritten_ptr);

uint16_t wasi_path_create_directory(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                                    uint32_t path_len);
uint16_t wasi_path_filestat_get(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                uint32_t path, uint32_t path_len, uint32_t buf);
uint16_t wasi_path_filestat_set_times(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags,
                                      uint32_t path, uint32_t path_len, uint64_t atim,
                                      uint64_t mtim, uint32_t fstflags);
uint16_t wasi_path_link(wasi_ctx *c, const wasi_mem *m, uint32_t old_fd, uint32_t old_flags,
                        uint32_t old_path, uint32_t old_len, uint32_t new_fd, uint32_t new_path,
                        uint32_t new_len);
uint16_t wasi_path_open(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t dirflags,
                        uint32_t path, uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                        uint64_t rights_inheriting, uint32_t fdflags, uint32_t fd_ptr);
uint16_t wasi_path_readlink(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                            uint32_t path_len, uint32_t buf, uint32_t buf_len,
                            uint32_t bufused_ptr);
uint16_t wasi_path_remove_directory(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                                    uint32_t path_len);
uint16_t wasi_path_rename(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t old_path,
                          uint32_t old_len, uint32_t new_fd, uint32_t new_path, uint32_t new_len);
uint16_t wasi_path_symlink(wasi_ctx *c, const wasi_mem *m, uint32_t old_path, uint32_t old_len,
                           uint32_t fd, uint32_t new_path, uint32_t new_len);
uint16_t wasi_path_unlink_file(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t path,
                               uint32_t path_len);

uint16_t wasi_sock_accept(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags,
                          uint32_t fd_ptr);
uint16_t wasi_sock_recv(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t ri_data,
                        uint32_t ri_data_len, uint32_t ri_flags, uint32_t ro_datalen_ptr,
                        uint32_t ro_flags_ptr);
uint16_t wasi_sock_send(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t si_data,
                        uint32_t si_data_len, uint32_t si_flags, uint32_t so_datalen_ptr);
uint16_t wasi_sock_shutdown(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t how);

#endif

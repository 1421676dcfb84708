/*
 * w2c_main.c — the host side of the wasm2c peer: runs one benchmark kernel that Debian's wasm2c
 * translated to C, so that run.sh can time the same .wasm file under wasm2c and under Granny.
 *
 * run.sh translates each kernel with `wasm2c -n module k.wasm -o module.c` and compiles module.c,
 * this file and wabt's wasm-rt-impl.c together (-O2, WASM_RT_MEMCHECK_SIGNAL_HANDLER=1: guard
 * pages instead of bounds checks, the fast configuration). wasm2c names every import
 * Z_<module>Z_<name> and passes it a pointer to an instance struct of the importing module's
 * choosing; here that struct is the whole WASI state.
 *
 * The kernels (bench.h) import only a handful of WASI preview1 functions: args_get,
 * args_sizes_get, clock_time_get, fd_write, proc_exit, and fd_close/fd_seek (referenced by libc's
 * exit-time flush); fd_fdstat_get and environ_* are here too so that a printf program such as
 * apps/hello also runs. They work on stdout/stderr only; every guest pointer is checked
 * against the memory size, so a bad module gets a WASI error, never a host crash. A trap prints its
 * reason and exits with status 3; proc_exit unwinds with siglongjmp and exits with the guest's
 * code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "module.h"
#include "wasm-rt-impl.h"

enum {
    WASI_SUCCESS = 0,
    WASI_EBADF = 8,
    WASI_EFAULT = 21,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_ESPIPE = 70,
};

struct Z_wasi_snapshot_preview1_instance_t {
    wasm_rt_memory_t *memory;
    int argc;
    char **argv;
    sigjmp_buf exit_jump;
    int exit_code;
};

/* A guest range [addr, addr+len) as a host pointer, or NULL when it leaves the memory. */
static uint8_t *guest_range(struct Z_wasi_snapshot_preview1_instance_t *wasi, uint32_t addr,
                            uint64_t len) {
    if ((uint64_t)addr + len > wasi->memory->size) return NULL;
    return wasi->memory->data + addr;
}

static int store_u32(struct Z_wasi_snapshot_preview1_instance_t *wasi, uint32_t addr, uint32_t v) {
    uint8_t *p = guest_range(wasi, addr, 4);
    if (p == NULL) return 0;
    memcpy(p, &v, 4); /* wasm and x86-64 are both little-endian */
    return 1;
}

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *wasi,
                                             u32 argc_ptr, u32 size_ptr) {
    uint32_t size = 0;
    for (int i = 0; i < wasi->argc; i++)
        size += (uint32_t)strlen(wasi->argv[i]) + 1;
    if (!store_u32(wasi, argc_ptr, (uint32_t)wasi->argc) || !store_u32(wasi, size_ptr, size))
        return WASI_EFAULT;
    return WASI_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_get(struct Z_wasi_snapshot_preview1_instance_t *wasi,
                                       u32 argv_ptr, u32 buf_ptr) {
    for (int i = 0; i < wasi->argc; i++) {
        uint32_t len = (uint32_t)strlen(wasi->argv[i]) + 1;
        uint8_t *dst = guest_range(wasi, buf_ptr, len);
        if (dst == NULL || !store_u32(wasi, argv_ptr + 4u * (uint32_t)i, buf_ptr))
            return WASI_EFAULT;
        memcpy(dst, wasi->argv[i], len);
        buf_ptr += len;
    }
    return WASI_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(struct Z_wasi_snapshot_preview1_instance_t *wasi,
                                             u32 clock_id, u64 precision, u32 time_ptr) {
    static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                       CLOCK_THREAD_CPUTIME_ID};
    (void)precision;
    if (clock_id >= sizeof clocks / sizeof clocks[0]) return WASI_EINVAL;
    struct timespec ts;
    if (clock_gettime(clocks[clock_id], &ts) != 0) return WASI_EINVAL;
    uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    uint8_t *p = guest_range(wasi, time_ptr, 8);
    if (p == NULL) return WASI_EFAULT;
    memcpy(p, &ns, 8);
    return WASI_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 fd,
                                       u32 iovs, u32 iovs_len, u32 nwritten_ptr) {
    if (fd != 1 && fd != 2) return WASI_EBADF;
    uint32_t total = 0;
    for (uint32_t i = 0; i < iovs_len; i++) {
        uint8_t *iov = guest_range(wasi, iovs + 8u * i, 8);
        if (iov == NULL) return WASI_EFAULT;
        uint32_t buf, len;
        memcpy(&buf, iov, 4);
        memcpy(&len, iov + 4, 4);
        uint8_t *data = guest_range(wasi, buf, len);
        if (data == NULL) return WASI_EFAULT;
        while (len > 0) {
            ssize_t n = write((int)fd, data, len);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return WASI_EIO;
            data += n;
            len -= (uint32_t)n;
            total += (uint32_t)n;
        }
    }
    return store_u32(wasi, nwritten_ptr, total) ? WASI_SUCCESS : WASI_EFAULT;
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 fd,
                                      u64 offset, u32 whence, u32 newoffset_ptr) {
    (void)wasi, (void)offset, (void)whence, (void)newoffset_ptr;
    return fd <= 2 ? WASI_ESPIPE : WASI_EBADF;
}

/* printf's stdout asks whether fd 1 is a terminal; answer "character device" for 0-2. */
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t *wasi,
                                            u32 fd, u32 stat_ptr) {
    if (fd > 2) return WASI_EBADF;
    uint8_t *stat = guest_range(wasi, stat_ptr, 24);
    if (stat == NULL) return WASI_EFAULT;
    memset(stat, 0, 24);
    stat[0] = 2;                /* fs_filetype: character device */
    memset(stat + 8, 0xff, 16); /* fs_rights_base, fs_rights_inheriting: everything */
    return WASI_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *wasi,
                                                u32 count_ptr, u32 size_ptr) {
    return store_u32(wasi, count_ptr, 0) && store_u32(wasi, size_ptr, 0) ? WASI_SUCCESS
                                                                         : WASI_EFAULT;
}

u32 Z_wasi_snapshot_preview1Z_environ_get(struct Z_wasi_snapshot_preview1_instance_t *wasi,
                                          u32 environ_ptr, u32 buf_ptr) {
    (void)wasi, (void)environ_ptr, (void)buf_ptr;
    return WASI_SUCCESS; /* the guest sees an empty environment */
}

u32 Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 fd) {
    (void)wasi, (void)fd;
    return WASI_EBADF; /* the kernels open nothing, and stdio stays open */
}

void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *wasi,
                                         u32 code) {
    wasi->exit_code = (int)(code & 0xff);
    siglongjmp(wasi->exit_jump, 1);
}

int main(int argc, char **argv) {
    static struct Z_wasi_snapshot_preview1_instance_t wasi;
    static Z_module_instance_t instance;
    wasi.argc = argc;
    wasi.argv = argv;

    wasm_rt_init();
    Z_module_init_module();
    Z_module_instantiate(&instance, &wasi);
    wasi.memory = Z_moduleZ_memory(&instance);

    if (sigsetjmp(wasi.exit_jump, 1) != 0) {
        fflush(stdout);
        return wasi.exit_code;
    }
    wasm_rt_trap_t trap = wasm_rt_impl_try();
    if (trap != WASM_RT_TRAP_NONE) {
        fprintf(stderr, "%s: wasm trap: %s\n", argv[0], wasm_rt_strerror(trap));
        return 3;
    }
    Z_moduleZ__start(&instance);
    return 0; /* _start returned: the guest's main returned 0 */
}

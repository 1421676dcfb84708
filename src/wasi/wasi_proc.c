/*
 * wasi_proc.c — the process-level calls: arguments, environment, randomness, yielding, signals
 * and the socket calls preview1 only half defines.
 *
 * args_get / environ_get write an array of guest pointers followed by the NUL-terminated strings,
 * after checking both ranges against the sizes *_sizes_get reported. random_get reads from the
 * kernel's CSPRNG (getrandom). proc_exit is handled in wasi_register.c (it unwinds the guest with
 * rt_trap_exit). proc_raise: signal 0 does nothing, signals whose default action is to be ignored
 * (SIGCHLD, SIGCONT, SIGURG, SIGWINCH) do nothing, SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU are refused
 * (ENOTSUP: a cell cannot be stopped from inside), and every other signal ends the guest with
 * exit status 128 + the host's signal number, as a shell reports a process killed by it.
 *
 * Sockets: preview1 has no way to create or connect a socket, and a cell is never handed one, so
 * sock_accept, sock_recv, sock_send and sock_shutdown check their descriptor (EBADF) and then
 * report ENOTSOCK for anything that is not a socket and ENOTSUP otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/random.h>

#include "wasi/wasi_internal.h"

/* Writes `n` strings as a pointer array at `vec` and their bytes at `buf`. */
static uint16_t put_strings(const wasi_mem *m, char *const *v, uint32_t n, uint32_t vec,
                            uint32_t buf) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += strlen(v[i]) + 1;
    if (!wasi_mem_check(m, vec, (uint64_t)n * 4) || !wasi_mem_check(m, buf, total)) {
        return WASI_EFAULT;
    }
    uint32_t at = buf;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)strlen(v[i]) + 1;
        wasi_store_u32(m, vec + i * 4, at);
        memcpy(wasi_mem_at(m, at), v[i], len);
        at += len;
    }
    return WASI_ESUCCESS;
}

static uint16_t put_sizes(const wasi_mem *m, char *const *v, uint32_t n, uint32_t count_ptr,
                          uint32_t size_ptr) {
    if (!wasi_mem_check(m, count_ptr, 4) || !wasi_mem_check(m, size_ptr, 4)) return WASI_EFAULT;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += strlen(v[i]) + 1;
    if (total > UINT32_MAX) return WASI_E2BIG;
    wasi_store_u32(m, count_ptr, n);
    wasi_store_u32(m, size_ptr, (uint32_t)total);
    return WASI_ESUCCESS;
}

uint16_t wasi_args_get(wasi_ctx *c, const wasi_mem *m, uint32_t argv, uint32_t argv_buf) {
    return put_strings(m, c->argv, c->argc, argv, argv_buf);
}

uint16_t wasi_args_sizes_get(wasi_ctx *c, const wasi_mem *m, uint32_t argc_ptr, uint32_t size_ptr) {
    return put_sizes(m, c->argv, c->argc, argc_ptr, size_ptr);
}

uint16_t wasi_environ_get(wasi_ctx *c, const wasi_mem *m, uint32_t env, uint32_t env_buf) {
    return put_strings(m, c->env, c->envc, env, env_buf);
}

uint16_t wasi_environ_sizes_get(wasi_ctx *c, const wasi_mem *m, uint32_t count_ptr,
                                uint32_t size_ptr) {
    return put_sizes(m, c->env, c->envc, count_ptr, size_ptr);
}

uint16_t wasi_random_get(wasi_ctx *c, const wasi_mem *m, uint32_t buf, uint32_t len) {
    (void)c;
    if (!wasi_mem_check(m, buf, len)) return WASI_EFAULT;
    uint8_t *p = wasi_mem_at(m, buf);
    uint32_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(p + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return wasi_errno_from_host(errno);
        }
        done += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

uint16_t wasi_sched_yield(wasi_ctx *c, const wasi_mem *m) {
    (void)c;
    (void)m;
    sched_yield();
    return WASI_ESUCCESS;
}

/* Host signal numbers of the preview1 signals, in WASI order. */
static const int wasi_host_signal[WASI_SIGNAL_COUNT] = {
    [WASI_SIGNONE] = 0,         [WASI_SIGHUP] = SIGHUP,       [WASI_SIGINT] = SIGINT,
    [WASI_SIGQUIT] = SIGQUIT,   [WASI_SIGILL] = SIGILL,       [WASI_SIGTRAP] = SIGTRAP,
    [WASI_SIGABRT] = SIGABRT,   [WASI_SIGBUS] = SIGBUS,       [WASI_SIGFPE] = SIGFPE,
    [WASI_SIGKILL] = SIGKILL,   [WASI_SIGUSR1] = SIGUSR1,     [WASI_SIGSEGV] = SIGSEGV,
    [WASI_SIGUSR2] = SIGUSR2,   [WASI_SIGPIPE] = SIGPIPE,     [WASI_SIGALRM] = SIGALRM,
    [WASI_SIGTERM] = SIGTERM,   [WASI_SIGCHLD] = SIGCHLD,     [WASI_SIGCONT] = SIGCONT,
    [WASI_SIGSTOP] = SIGSTOP,   [WASI_SIGTSTP] = SIGTSTP,     [WASI_SIGTTIN] = SIGTTIN,
    [WASI_SIGTTOU] = SIGTTOU,   [WASI_SIGURG] = SIGURG,       [WASI_SIGXCPU] = SIGXCPU,
    [WASI_SIGXFSZ] = SIGXFSZ,   [WASI_SIGVTALRM] = SIGVTALRM, [WASI_SIGPROF] = SIGPROF,
    [WASI_SIGWINCH] = SIGWINCH, [WASI_SIGPOLL] = SIGPOLL,     [WASI_SIGPWR] = SIGPWR,
    [WASI_SIGSYS] = SIGSYS,
};

uint16_t wasi_proc_raise(wasi_ctx *c, const wasi_mem *m, uint32_t sig, int *exit_code) {
    (void)c;
    (void)m;
    *exit_code = -1;
    if (sig >= WASI_SIGNAL_COUNT) return WASI_EINVAL;
    switch (sig) {
    case WASI_SIGNONE:
    case WASI_SIGCHLD:
    case WASI_SIGCONT:
    case WASI_SIGURG:
    case WASI_SIGWINCH: return WASI_ESUCCESS;
    case WASI_SIGSTOP:
    case WASI_SIGTSTP:
    case WASI_SIGTTIN:
    case WASI_SIGTTOU: return WASI_ENOTSUP;
    default: *exit_code = 128 + wasi_host_signal[sig]; return WASI_ESUCCESS;
    }
}

/* ---- sockets ---- */

static uint16_t sock_check(wasi_ctx *c, uint32_t fd, uint64_t rights) {
    wasi_fd_entry *e;
    uint16_t r = wasi_fdtable_get(&c->fds, fd, rights, &e);
    if (r) return r;
    bool socket =
        e->filetype == WASI_FILETYPE_SOCKET_STREAM || e->filetype == WASI_FILETYPE_SOCKET_DGRAM;
    wasi_fd_entry_release(e);
    return socket ? WASI_ENOTSUP : WASI_ENOTSOCK;
}

uint16_t wasi_sock_accept(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t flags,
                          uint32_t fd_ptr) {
    (void)m;
    (void)flags;
    (void)fd_ptr;
    return sock_check(c, fd, 0);
}

uint16_t wasi_sock_recv(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t ri_data,
                        uint32_t ri_data_len, uint32_t ri_flags, uint32_t ro_datalen_ptr,
                        uint32_t ro_flags_ptr) {
    (void)m;
    (void)ri_data;
    (void)ri_data_len;
    (void)ri_flags;
    (void)ro_datalen_ptr;
    (void)ro_flags_ptr;
    return sock_check(c, fd, 0);
}

uint16_t wasi_sock_send(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t si_data,
                        uint32_t si_data_len, uint32_t si_flags, uint32_t so_datalen_ptr) {
    (void)m;
    (void)si_data;
    (void)si_data_len;
    (void)si_flags;
    (void)so_datalen_ptr;
    return sock_check(c, fd, 0);
}

uint16_t wasi_sock_shutdown(wasi_ctx *c, const wasi_mem *m, uint32_t fd, uint32_t how) {
    (void)m;
    (void)how;
    return sock_check(c, fd, 0);
}

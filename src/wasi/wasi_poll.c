/*
 * wasi_poll.c — clocks and poll_oneoff.
 *
 * Clocks map one to one onto the host's: realtime = CLOCK_REALTIME, monotonic = CLOCK_MONOTONIC,
 * process CPU time = CLOCK_PROCESS_CPUTIME_ID (the whole host process, which may run other cells),
 * thread CPU time = CLOCK_THREAD_CPUTIME_ID of the host thread running the calling guest thread.
 *
 * poll_oneoff copies every subscription out of guest memory first, then:
 *   - clock subscriptions (realtime or monotonic, relative or absolute) become one deadline on the
 *     monotonic clock, the earliest of them;
 *   - fd_read / fd_write subscriptions look their descriptor up (rights fd_read / fd_write and
 *     poll_fd_readwrite); a bad one becomes an immediate event carrying its error. Regular files
 *     are always ready (nbytes = bytes left to read, as POSIX poll says); other descriptors go to
 *     the host's ppoll;
 *   - ppoll waits until a descriptor is ready or the deadline passes (EINTR restarts it with the
 *     time that is left; with an immediate event it does not wait at all);
 *   - every ready subscription produces one event, in subscription order.
 * No subscriptions is EINVAL (there would be nothing to wait for, forever).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static bool host_clock(uint32_t id, clockid_t *out) {
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static uint64_t ts_ns(struct timespec ts) {
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(clockid_t clk) {
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts_ns(ts);
}

uint16_t wasi_clock_res_get(wasi_ctx *c, const wasi_mem *m, uint32_t id, uint32_t res_ptr) {
    (void)c;
    clockid_t clk;
    if (!host_clock(id, &clk)) return WASI_EINVAL;
    if (!wasi_mem_check(m, res_ptr, 8)) return WASI_EFAULT;
    struct timespec ts;
    if (clock_getres(clk, &ts) != 0) return wasi_errno_from_host(errno);
    wasi_store_u64(m, res_ptr, ts_ns(ts));
    return WASI_ESUCCESS;
}

uint16_t wasi_clock_time_get(wasi_ctx *c, const wasi_mem *m, uint32_t id, uint64_t precision,
                             uint32_t time_ptr) {
    (void)c;
    (void)precision; /* the host clocks are as precise as they get */
    clockid_t clk;
    if (!host_clock(id, &clk)) return WASI_EINVAL;
    if (!wasi_mem_check(m, time_ptr, 8)) return WASI_EFAULT;
    struct timespec ts;
    if (clock_gettime(clk, &ts) != 0) return wasi_errno_from_host(errno);
    wasi_store_u64(m, time_ptr, ts_ns(ts));
    return WASI_ESUCCESS;
}

/* ---- poll_oneoff ---- */

typedef struct poll_sub {
    uint64_t userdata;
    uint8_t type;
    uint16_t error;       /* an immediate error event */
    bool ready;           /* an immediate event (error, regular file) */
    uint64_t deadline;    /* clocks: monotonic ns */
    wasi_fd_entry *entry; /* fd subscriptions */
    int pollfd;           /* index in the pollfd array, or -1 */
    uint64_t nbytes;
    uint16_t flags;
} poll_sub;

/* Reads one subscription; returns false on a malformed tag (EINVAL for the whole call). */
static bool read_sub(wasi_ctx *c, const wasi_mem *m, uint32_t at, poll_sub *s) {
    memset(s, 0, sizeof *s);
    s->pollfd = -1;
    s->userdata = wasi_load_u64(m, at + WASI_SUBSCRIPTION_USERDATA);
    s->type = m->base[at + WASI_SUBSCRIPTION_TAG];
    if (s->type == WASI_EVENTTYPE_CLOCK) {
        uint32_t id = wasi_load_u32(m, at + WASI_SUBSCRIPTION_CLOCK_ID);
        uint64_t timeout = wasi_load_u64(m, at + WASI_SUBSCRIPTION_CLOCK_TIMEOUT);
        uint16_t flags = wasi_load_u16(m, at + WASI_SUBSCRIPTION_CLOCK_FLAGS);
        uint64_t mono = now_ns(CLOCK_MONOTONIC);
        if (id != WASI_CLOCK_REALTIME && id != WASI_CLOCK_MONOTONIC) {
            s->ready = true; /* CPU-time clocks cannot be waited for */
            s->error = WASI_ENOTSUP;
        } else if (!(flags & WASI_SUBCLOCKFLAG_ABSTIME)) {
            s->deadline = timeout > UINT64_MAX - mono ? UINT64_MAX : mono + timeout;
        } else if (id == WASI_CLOCK_MONOTONIC) {
            s->deadline = timeout;
        } else {
            uint64_t real = now_ns(CLOCK_REALTIME);
            s->deadline = timeout <= real ? mono : mono + (timeout - real);
        }
        return true;
    }
    if (s->type != WASI_EVENTTYPE_FD_READ && s->type != WASI_EVENTTYPE_FD_WRITE) return false;
    uint32_t fd = wasi_load_u32(m, at + WASI_SUBSCRIPTION_FD);
    uint64_t need = WASI_RIGHT_POLL_FD_READWRITE |
                    (s->type == WASI_EVENTTYPE_FD_READ ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE);
    uint16_t r = wasi_fdtable_get(&c->fds, fd, need, &s->entry);
    if (r) {
        s->ready = true;
        s->error = r;
        return true;
    }
    if (s->entry->filetype == WASI_FILETYPE_REGULAR_FILE) {
        s->ready = true;
        if (s->type == WASI_EVENTTYPE_FD_READ) {
            struct stat st;
            off_t pos = lseek(s->entry->host_fd, 0, SEEK_CUR);
            if (fstat(s->entry->host_fd, &st) == 0 && pos >= 0 && st.st_size > pos) {
                s->nbytes = (uint64_t)(st.st_size - pos);
            }
        }
    }
    return true;
}

static void time_left(uint64_t deadline, struct timespec *ts) {
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    uint64_t left = deadline > now ? deadline - now : 0;
    ts->tv_sec = (time_t)(left / 1000000000u);
    ts->tv_nsec = (long)(left % 1000000000u);
}

/* Writes the events of every subscription that fired; returns how many. */
static uint32_t collect_events(const wasi_mem *m, uint32_t out, poll_sub *subs, uint32_t n,
                               const struct pollfd *pfds) {
    uint32_t nevents = 0;
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    for (uint32_t i = 0; i < n; i++) {
        poll_sub *s = &subs[i];
        bool fire = s->ready;
        if (!fire && s->type == WASI_EVENTTYPE_CLOCK) fire = s->deadline <= now;
        if (!fire && s->pollfd >= 0) {
            short re = pfds[s->pollfd].revents;
            if (re & POLLNVAL) {
                fire = true;
                s->error = WASI_EBADF;
            } else if (re & (POLLIN | POLLOUT | POLLHUP | POLLERR)) {
                fire = true;
                if (re & POLLHUP) s->flags |= WASI_EVENTRWFLAG_HANGUP;
                int avail = 0;
                if (s->type == WASI_EVENTTYPE_FD_READ &&
                    ioctl(s->entry->host_fd, FIONREAD, &avail) == 0 && avail > 0) {
                    s->nbytes = (uint64_t)avail;
                }
            }
        }
        if (!fire) continue;
        uint32_t at = out + nevents * WASI_EVENT_SIZE;
        memset(wasi_mem_at(m, at), 0, WASI_EVENT_SIZE);
        wasi_store_u64(m, at + WASI_EVENT_USERDATA, s->userdata);
        wasi_store_u16(m, at + WASI_EVENT_ERROR, s->error);
        wasi_store_u8(m, at + WASI_EVENT_TYPE, s->type);
        if (s->type != WASI_EVENTTYPE_CLOCK) {
            wasi_store_u64(m, at + WASI_EVENT_NBYTES, s->nbytes);
            wasi_store_u16(m, at + WASI_EVENT_FLAGS, s->flags);
        }
        nevents++;
    }
    return nevents;
}

uint16_t wasi_poll_oneoff(wasi_ctx *c, const wasi_mem *m, uint32_t in, uint32_t out,
                          uint32_t nsubscriptions, uint32_t nevents_ptr) {
    if (nsubscriptions == 0) return WASI_EINVAL;
    if (!wasi_mem_check(m, in, (uint64_t)nsubscriptions * WASI_SUBSCRIPTION_SIZE) ||
        !wasi_mem_check(m, out, (uint64_t)nsubscriptions * WASI_EVENT_SIZE) ||
        !wasi_mem_check(m, nevents_ptr, 4)) {
        return WASI_EFAULT;
    }
    poll_sub *subs = calloc(nsubscriptions, sizeof *subs);
    struct pollfd *pfds = calloc(nsubscriptions, sizeof *pfds);
    if (!subs || !pfds) {
        free(subs);
        free(pfds);
        return WASI_ENOMEM;
    }
    uint16_t r = WASI_ESUCCESS;
    uint32_t nread = 0, npoll = 0;
    bool any_ready = false, any_clock = false;
    uint64_t deadline = UINT64_MAX;
    for (; nread < nsubscriptions; nread++) {
        poll_sub *s = &subs[nread];
        if (!read_sub(c, m, in + nread * WASI_SUBSCRIPTION_SIZE, s)) {
            r = WASI_EINVAL;
            break;
        }
        if (s->ready) {
            any_ready = true;
        } else if (s->type == WASI_EVENTTYPE_CLOCK) {
            any_clock = true;
            if (s->deadline < deadline) deadline = s->deadline;
        } else {
            s->pollfd = (int)npoll;
            pfds[npoll].fd = s->entry->host_fd;
            pfds[npoll].events = s->type == WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
            npoll++;
        }
    }

    /* Wait until something fires; a wake-up with nothing to report (EINTR, a clock read a
     * hair early) waits again for what is left. */
    while (!r) {
        struct timespec ts = {0, 0}, *tsp = NULL;
        if (any_ready) {
            tsp = &ts;
        } else if (any_clock) {
            time_left(deadline, &ts);
            tsp = &ts;
        }
        int n = ppoll(pfds, npoll, tsp, NULL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            r = wasi_errno_from_host(errno);
            break;
        }
        uint32_t nevents = collect_events(m, out, subs, nsubscriptions, pfds);
        if (nevents > 0) {
            wasi_store_u32(m, nevents_ptr, nevents);
            break;
        }
    }
    for (uint32_t i = 0; i < nread; i++)
        wasi_fd_entry_release(subs[i].entry);
    free(subs);
    free(pfds);
    return r;
}

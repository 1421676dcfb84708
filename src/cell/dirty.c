/*
 * dirty.c — dirty-page tracking backends; see dirty.h for the choice between them.
 *
 * UFFD: a userfaultfd registered in write-protect mode with UFFD_FEATURE_WP_ASYNC (and
 * WP_UNPOPULATED, so never-touched pages are protected too). The kernel resolves write faults
 * itself and records "written"; PAGEMAP_SCAN with PM_SCAN_WP_MATCHING reports written pages and
 * protects them again atomically. The constants come from the kernel's UAPI (linux/fs.h and
 * linux/userfaultfd.h of 6.7+); Debian 12's headers predate them, so they are spelled out here.
 *
 * MPROTECT: the region is read-only between collects. The SIGSEGV handler looks the faulting
 * address up among tracked regions (a short fixed array read without locks; the signal handler
 * may not take a mutex), sets the page's bit with an atomic or, and makes that page writable.
 * Faults outside tracked regions go to the handler that was installed before ours (the engine's
 * trap handler), so guest out-of-bounds accesses still become traps. Its limits: a write by the
 * kernel into a protected page (read(2) into guest memory) fails with EFAULT instead of faulting,
 * so the host must not do I/O into a tracked region; and collect expects the writers to be paused.
 */
#define _GNU_SOURCE
#include "cell/dirty.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DIRTY_UFFD_FEATURE_WP_UNPOPULATED (1u << 13)
#define DIRTY_UFFD_FEATURE_WP_ASYNC       (1u << 15)
#define DIRTY_PAGE_IS_WRITTEN             (1u << 1)
#define DIRTY_PM_SCAN_WP_MATCHING         (1u << 0)
#define DIRTY_PM_SCAN_CHECK_WPASYNC       (1u << 1)

struct dirty_page_region {
    uint64_t start, end, categories;
};

struct dirty_pm_scan_arg {
    uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
    uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};

#define DIRTY_PAGEMAP_SCAN _IOWR('f', 16, struct dirty_pm_scan_arg)

#define DIRTY_MAX_MPROTECT 64
#define DIRTY_SCAN_VEC     512

struct cell_dirty {
    cell_dirty_kind kind;
    uint8_t *base;
    size_t len;
    int uffd, pagemap;
    cell_pageset pages; /* MPROTECT: pages faulted since the last collect */
    int slot;           /* MPROTECT: index in dirty_regions */
};

const char *cell_dirty_name(cell_dirty_kind k) {
    switch (k) {
    case CELL_DIRTY_AUTO: return "auto";
    case CELL_DIRTY_UFFD: return "uffd-wp-async";
    case CELL_DIRTY_MPROTECT: return "mprotect";
    case CELL_DIRTY_NONE: return "none";
    }
    return "?";
}

cell_dirty_kind cell_dirty_backend(const cell_dirty *t) {
    return t->kind;
}

/* ---- userfaultfd + PAGEMAP_SCAN ---- */

static bool uffd_protect(cell_dirty *t, size_t off, size_t len) {
    struct uffdio_register reg = {.range = {(uintptr_t)t->base + off, len},
                                  .mode = UFFDIO_REGISTER_MODE_WP};
    if (ioctl(t->uffd, UFFDIO_REGISTER, &reg) != 0) return false;
    struct uffdio_writeprotect wp = {.range = {(uintptr_t)t->base + off, len},
                                     .mode = UFFDIO_WRITEPROTECT_MODE_WP};
    return ioctl(t->uffd, UFFDIO_WRITEPROTECT, &wp) == 0;
}

static bool uffd_start(cell_dirty *t, char *err, size_t errlen) {
    t->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (t->uffd < 0) {
        snprintf(err, errlen, "userfaultfd: %s", strerror(errno));
        return false;
    }
    struct uffdio_api api = {.api = UFFD_API,
                             .features =
                                 DIRTY_UFFD_FEATURE_WP_ASYNC | DIRTY_UFFD_FEATURE_WP_UNPOPULATED};
    if (ioctl(t->uffd, UFFDIO_API, &api) != 0) {
        snprintf(err, errlen, "userfaultfd write-protect async mode unavailable: %s",
                 strerror(errno));
        return false;
    }
    t->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (t->pagemap < 0) {
        snprintf(err, errlen, "/proc/self/pagemap: %s", strerror(errno));
        return false;
    }
    if (t->len && !uffd_protect(t, 0, t->len)) {
        snprintf(err, errlen, "userfaultfd register: %s", strerror(errno));
        return false;
    }
    /* probe PAGEMAP_SCAN once (Linux >= 6.7) */
    struct dirty_page_region vec[1];
    struct dirty_pm_scan_arg a = {.size = sizeof a,
                                  .start = (uintptr_t)t->base,
                                  .end = (uintptr_t)t->base + (t->len ? 4096 : 0),
                                  .vec = (uintptr_t)vec,
                                  .vec_len = 1,
                                  .category_mask = DIRTY_PAGE_IS_WRITTEN,
                                  .return_mask = DIRTY_PAGE_IS_WRITTEN};
    if (ioctl(t->pagemap, DIRTY_PAGEMAP_SCAN, &a) < 0) {
        snprintf(err, errlen, "PAGEMAP_SCAN unavailable: %s", strerror(errno));
        return false;
    }
    return true;
}

static bool uffd_collect(cell_dirty *t, cell_pageset *out) {
    struct dirty_page_region vec[DIRTY_SCAN_VEC];
    uint64_t start = (uintptr_t)t->base, end = start + t->len;
    while (start < end) {
        struct dirty_pm_scan_arg a = {.size = sizeof a,
                                      .flags =
                                          DIRTY_PM_SCAN_WP_MATCHING | DIRTY_PM_SCAN_CHECK_WPASYNC,
                                      .start = start,
                                      .end = end,
                                      .vec = (uintptr_t)vec,
                                      .vec_len = DIRTY_SCAN_VEC,
                                      .category_mask = DIRTY_PAGE_IS_WRITTEN,
                                      .return_mask = DIRTY_PAGE_IS_WRITTEN};
        long n = ioctl(t->pagemap, DIRTY_PAGEMAP_SCAN, &a);
        if (n < 0) return false;
        for (long i = 0; i < n; i++)
            for (uint64_t p = vec[i].start; p < vec[i].end; p += CELL_PAGE_SIZE)
                cell_pageset_add(out, (p - (uintptr_t)t->base) / CELL_PAGE_SIZE);
        if (a.walk_end <= start) return false;
        start = a.walk_end;
    }
    return true;
}

/* ---- mprotect + SIGSEGV ---- */

typedef struct dirty_region {
    uintptr_t base; /* 0: free */
    uintptr_t len;
    uint64_t *bits;
} dirty_region;

static dirty_region dirty_regions[DIRTY_MAX_MPROTECT];
static pthread_mutex_t dirty_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction dirty_prev_segv;
static bool dirty_handler_installed;

static void dirty_segv(int sig, siginfo_t *info, void *ctx) {
    uintptr_t a = (uintptr_t)info->si_addr;
    for (int i = 0; i < DIRTY_MAX_MPROTECT; i++) {
        uintptr_t b = __atomic_load_n(&dirty_regions[i].base, __ATOMIC_ACQUIRE);
        uintptr_t l = __atomic_load_n(&dirty_regions[i].len, __ATOMIC_ACQUIRE);
        if (b && a >= b && a - b < l) {
            uint64_t page = (a - b) / CELL_PAGE_SIZE;
            __atomic_or_fetch(&dirty_regions[i].bits[page >> 6], (uint64_t)1 << (page & 63),
                              __ATOMIC_RELAXED);
            if (mprotect((void *)(b + page * CELL_PAGE_SIZE), CELL_PAGE_SIZE,
                         PROT_READ | PROT_WRITE) == 0)
                return;
        }
    }
    if (dirty_prev_segv.sa_flags & SA_SIGINFO) {
        if (dirty_prev_segv.sa_sigaction) dirty_prev_segv.sa_sigaction(sig, info, ctx);
        return;
    }
    if (dirty_prev_segv.sa_handler == SIG_IGN) return;
    if (dirty_prev_segv.sa_handler != SIG_DFL) {
        dirty_prev_segv.sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL); /* re-executes the instruction and dies */
}

static bool mprotect_start(cell_dirty *t, char *err, size_t errlen) {
    pthread_mutex_lock(&dirty_lock);
    if (!dirty_handler_installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = dirty_segv;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, &dirty_prev_segv);
        dirty_handler_installed = true;
    }
    t->slot = -1;
    for (int i = 0; i < DIRTY_MAX_MPROTECT; i++)
        if (!dirty_regions[i].base) {
            t->slot = i;
            break;
        }
    if (t->slot < 0) {
        pthread_mutex_unlock(&dirty_lock);
        snprintf(err, errlen, "too many mprotect-tracked regions (%d)", DIRTY_MAX_MPROTECT);
        return false;
    }
    dirty_region *r = &dirty_regions[t->slot];
    r->bits = t->pages.bits;
    __atomic_store_n(&r->len, t->len, __ATOMIC_RELEASE);
    __atomic_store_n(&r->base, (uintptr_t)t->base, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&dirty_lock);
    if (t->len && mprotect(t->base, t->len, PROT_READ) != 0) {
        snprintf(err, errlen, "mprotect: %s", strerror(errno));
        return false;
    }
    return true;
}

static void mprotect_stop(cell_dirty *t) {
    if (t->slot < 0) return;
    pthread_mutex_lock(&dirty_lock);
    __atomic_store_n(&dirty_regions[t->slot].base, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&dirty_lock);
    if (t->len) mprotect(t->base, t->len, PROT_READ | PROT_WRITE);
    t->slot = -1;
}

/* ---- common ---- */

cell_dirty *cell_dirty_start(cell_dirty_kind kind, void *base, size_t len, char *err,
                             size_t errlen) {
    if ((uintptr_t)base % CELL_PAGE_SIZE || len % CELL_PAGE_SIZE) {
        snprintf(err, errlen, "dirty tracking needs a page-aligned region");
        return NULL;
    }
    cell_dirty *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->base = base;
    t->len = len;
    t->uffd = t->pagemap = t->slot = -1;
    if (kind == CELL_DIRTY_AUTO) {
        t->kind = CELL_DIRTY_UFFD;
        if (uffd_start(t, err, errlen)) return t;
        if (t->uffd >= 0) close(t->uffd);
        if (t->pagemap >= 0) close(t->pagemap);
        t->uffd = t->pagemap = -1;
        kind = CELL_DIRTY_MPROTECT;
    }
    t->kind = kind;
    bool ok = true;
    if (kind == CELL_DIRTY_UFFD) ok = uffd_start(t, err, errlen);
    if (kind == CELL_DIRTY_MPROTECT) {
        /* the bitmap is shared with the signal handler: size it for the region's growth too */
        ok = cell_pageset_init(&t->pages, len / CELL_PAGE_SIZE) && mprotect_start(t, err, errlen);
    }
    if (!ok) {
        cell_dirty_stop(t);
        return NULL;
    }
    return t;
}

bool cell_dirty_extend(cell_dirty *t, size_t new_len) {
    if (new_len <= t->len) return true;
    if (new_len % CELL_PAGE_SIZE) return false;
    size_t old = t->len;
    switch (t->kind) {
    case CELL_DIRTY_UFFD: t->len = new_len; return uffd_protect(t, old, new_len - old);
    case CELL_DIRTY_MPROTECT: {
        /* new pages are reported dirty by the next collect via the length change; keep them
         * writable and extend the handler's bitmap by swapping in a larger one */
        cell_pageset bigger;
        if (!cell_pageset_init(&bigger, new_len / CELL_PAGE_SIZE)) return false;
        pthread_mutex_lock(&dirty_lock);
        memcpy(bigger.bits, t->pages.bits, (t->pages.npages + 63) / 64 * sizeof(uint64_t));
        for (uint64_t p = old / CELL_PAGE_SIZE; p < new_len / CELL_PAGE_SIZE; p++)
            cell_pageset_add(&bigger, p);
        dirty_regions[t->slot].bits = bigger.bits;
        __atomic_store_n(&dirty_regions[t->slot].len, new_len, __ATOMIC_RELEASE);
        cell_pageset_free(&t->pages);
        t->pages = bigger;
        t->len = new_len;
        pthread_mutex_unlock(&dirty_lock);
        return true;
    }
    default: t->len = new_len; return true;
    }
}

bool cell_dirty_collect(cell_dirty *t, cell_pageset *out) {
    uint64_t npages = t->len / CELL_PAGE_SIZE;
    if (out->npages < npages) return false;
    switch (t->kind) {
    case CELL_DIRTY_UFFD: return uffd_collect(t, out);
    case CELL_DIRTY_MPROTECT: {
        /* the writers are paused (snapshots are taken at control points), so protecting and
         * harvesting need no ordering between them */
        if (mprotect(t->base, t->len, PROT_READ) != 0) return false;
        for (uint64_t w = 0; w < (npages + 63) / 64; w++)
            out->bits[w] |= __atomic_exchange_n(&t->pages.bits[w], 0, __ATOMIC_ACQ_REL);
        return true;
    }
    default:
        for (uint64_t p = 0; p < npages; p++)
            cell_pageset_add(out, p);
        return true;
    }
}

void cell_dirty_stop(cell_dirty *t) {
    if (!t) return;
    if (t->kind == CELL_DIRTY_MPROTECT) mprotect_stop(t);
    if (t->uffd >= 0) close(t->uffd); /* closing the uffd drops the write protection */
    if (t->pagemap >= 0) close(t->pagemap);
    cell_pageset_free(&t->pages);
    free(t);
}

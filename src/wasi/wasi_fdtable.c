/*
 * wasi_fdtable.c — a cell's descriptor table: guest descriptor numbers -> host descriptors.
 *
 * The guest never sees a host descriptor number. Slot i of the table holds the entry of guest
 * descriptor i (NULL when free); new descriptors take the lowest free slot, as POSIX open does, up
 * to a limit (EMFILE beyond). A guessed number is only ever looked up in this table, so it can name
 * nothing but the cell's own descriptors.
 *
 * Entries are reference counted: the table holds one reference, and every call in progress holds
 * one from wasi_fdtable_get until it releases it. fd_close (or fd_renumber over a descriptor)
 * only drops the table's reference; the host descriptor is closed when the last call using it
 * finishes. So a thread cell that closes a descriptor while another thread of the same cell reads
 * from it can never make that read use a recycled host descriptor number.
 *
 * Rights are checked under the table lock on every lookup: a call states the rights it needs and
 * gets ENOTCAPABLE when one is missing.
 */
#include <assert.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

void wasi_fdtable_init(wasi_fdtable *t, uint32_t max_fds) {
    pthread_mutex_init(&t->lock, NULL);
    t->slots = NULL;
    t->nslots = 0;
    t->max_fds = max_fds ? max_fds : WASI_DEFAULT_MAX_FDS;
}

void wasi_fdtable_clear(wasi_fdtable *t) {
    pthread_mutex_lock(&t->lock);
    wasi_fd_entry **slots = t->slots;
    uint32_t n = t->nslots;
    t->slots = NULL;
    t->nslots = 0;
    pthread_mutex_unlock(&t->lock);
    for (uint32_t i = 0; i < n; i++) {
        if (slots[i]) wasi_fd_entry_release(slots[i]);
    }
    free(slots);
}

void wasi_fdtable_destroy(wasi_fdtable *t) {
    wasi_fdtable_clear(t);
    pthread_mutex_destroy(&t->lock);
}

wasi_fd_entry *wasi_fd_entry_new(int host_fd, bool owns_host_fd, uint8_t kind) {
    wasi_fd_entry *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->host_fd = host_fd;
    e->owns_host_fd = owns_host_fd;
    e->kind = kind;
    e->origin = -1;
    e->refs = 1;
    pthread_mutex_init(&e->lock, NULL);
    return e;
}

void wasi_fd_entry_release(wasi_fd_entry *e) {
    if (!e) return;
    uint32_t before = __atomic_fetch_sub(&e->refs, 1, __ATOMIC_ACQ_REL);
    assert(before > 0);
    if (before != 1) return;
    if (e->owns_host_fd && e->host_fd >= 0) close(e->host_fd);
    pthread_mutex_destroy(&e->lock);
    free(e->path);
    free(e);
}

/* Makes slot `fd` addressable; called with the lock held. */
static bool fdtable_reserve(wasi_fdtable *t, uint32_t fd) {
    if (fd < t->nslots) return true;
    uint32_t n = t->nslots ? t->nslots : 8;
    while (n <= fd)
        n *= 2;
    if (n > t->max_fds) n = t->max_fds;
    assert(fd < n);
    wasi_fd_entry **slots = realloc(t->slots, n * sizeof *slots);
    if (!slots) return false;
    for (uint32_t i = t->nslots; i < n; i++)
        slots[i] = NULL;
    t->slots = slots;
    t->nslots = n;
    return true;
}

uint16_t wasi_fdtable_insert(wasi_fdtable *t, wasi_fd_entry *e, uint32_t *fd) {
    pthread_mutex_lock(&t->lock);
    uint32_t i = 0;
    while (i < t->nslots && t->slots[i])
        i++;
    if (i >= t->max_fds) {
        pthread_mutex_unlock(&t->lock);
        return WASI_EMFILE;
    }
    if (!fdtable_reserve(t, i)) {
        pthread_mutex_unlock(&t->lock);
        return WASI_ENOMEM;
    }
    t->slots[i] = e;
    pthread_mutex_unlock(&t->lock);
    *fd = i;
    return WASI_ESUCCESS;
}

uint16_t wasi_fdtable_insert_at(wasi_fdtable *t, uint32_t fd, wasi_fd_entry *e) {
    pthread_mutex_lock(&t->lock);
    if (fd >= t->max_fds) {
        pthread_mutex_unlock(&t->lock);
        return WASI_EMFILE;
    }
    if (!fdtable_reserve(t, fd)) {
        pthread_mutex_unlock(&t->lock);
        return WASI_ENOMEM;
    }
    wasi_fd_entry *old = t->slots[fd];
    t->slots[fd] = e;
    pthread_mutex_unlock(&t->lock);
    wasi_fd_entry_release(old);
    return WASI_ESUCCESS;
}

uint16_t wasi_fdtable_get(wasi_fdtable *t, uint32_t fd, uint64_t rights, wasi_fd_entry **out) {
    *out = NULL;
    pthread_mutex_lock(&t->lock);
    wasi_fd_entry *e = fd < t->nslots ? t->slots[fd] : NULL;
    if (!e) {
        pthread_mutex_unlock(&t->lock);
        return WASI_EBADF;
    }
    if ((e->rights_base & rights) != rights) {
        pthread_mutex_unlock(&t->lock);
        return WASI_ENOTCAPABLE;
    }
    __atomic_fetch_add(&e->refs, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&t->lock);
    *out = e;
    return WASI_ESUCCESS;
}

uint16_t wasi_fdtable_close(wasi_fdtable *t, uint32_t fd) {
    pthread_mutex_lock(&t->lock);
    wasi_fd_entry *e = fd < t->nslots ? t->slots[fd] : NULL;
    if (!e) {
        pthread_mutex_unlock(&t->lock);
        return WASI_EBADF;
    }
    t->slots[fd] = NULL;
    pthread_mutex_unlock(&t->lock);
    wasi_fd_entry_release(e);
    return WASI_ESUCCESS;
}

uint16_t wasi_fdtable_renumber(wasi_fdtable *t, uint32_t from, uint32_t to) {
    pthread_mutex_lock(&t->lock);
    wasi_fd_entry *e = from < t->nslots ? t->slots[from] : NULL;
    wasi_fd_entry *old = to < t->nslots ? t->slots[to] : NULL;
    if (!e || !old) {
        pthread_mutex_unlock(&t->lock);
        return WASI_EBADF;
    }
    if (from == to) {
        pthread_mutex_unlock(&t->lock);
        return WASI_ESUCCESS;
    }
    t->slots[to] = e;
    t->slots[from] = NULL;
    pthread_mutex_unlock(&t->lock);
    wasi_fd_entry_release(old);
    return WASI_ESUCCESS;
}

uint16_t wasi_fdtable_set_rights(wasi_fdtable *t, uint32_t fd, uint64_t base, uint64_t inheriting) {
    pthread_mutex_lock(&t->lock);
    wasi_fd_entry *e = fd < t->nslots ? t->slots[fd] : NULL;
    uint16_t r = WASI_ESUCCESS;
    if (!e) {
        r = WASI_EBADF;
    } else if ((base & ~e->rights_base) || (inheriting & ~e->rights_inheriting)) {
        r = WASI_ENOTCAPABLE;
    } else {
        e->rights_base = base;
        e->rights_inheriting = inheriting;
    }
    pthread_mutex_unlock(&t->lock);
    return r;
}

uint16_t wasi_fdtable_rights(wasi_fdtable *t, uint32_t fd, uint64_t *base, uint64_t *inheriting) {
    pthread_mutex_lock(&t->lock);
    wasi_fd_entry *e = fd < t->nslots ? t->slots[fd] : NULL;
    if (e) {
        *base = e->rights_base;
        *inheriting = e->rights_inheriting;
    }
    pthread_mutex_unlock(&t->lock);
    return e ? WASI_ESUCCESS : WASI_EBADF;
}

uint32_t wasi_fdtable_limit(wasi_fdtable *t) {
    pthread_mutex_lock(&t->lock);
    uint32_t n = t->nslots;
    while (n > 0 && !t->slots[n - 1])
        n--;
    pthread_mutex_unlock(&t->lock);
    return n;
}

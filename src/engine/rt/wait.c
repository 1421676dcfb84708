/*
 * wait.c — memory.atomic.wait32/wait64 and memory.atomic.notify (threads proposal), futex-like.
 *
 * Waiters are queued per (memory, address) in a fixed hash table of buckets; each bucket has a
 * mutex and a FIFO list of waiters. A waiter lives on the waiting thread's stack with its own
 * condition variable (monotonic clock), so notify wakes exactly the threads it dequeues.
 *
 * The value check and the enqueue happen under the bucket lock, and notify takes the same lock, so
 * the classic lost-wakeup race cannot happen: a thread that stores a new value and then notifies
 * either runs before the waiter's check (the waiter sees the new value and returns "not-equal") or
 * after the enqueue (the waiter is woken).
 *
 * A waiter is "woken" only by notify (result 0); on timeout it dequeues itself (result 2). Notify
 * dequeues up to `count` waiters in FIFO order and returns how many it woke. Waiting on an
 * unshared memory traps ("expected shared memory"); notify on one wakes nobody and returns 0, as
 * the proposal specifies.
 */
#include <errno.h>
#include <time.h>

#include "engine/rt/internal.h"

#define WAIT_BUCKETS 1024u

typedef struct waiter {
    struct waiter *next;
    const rt_memory *mem;
    uint64_t addr;
    pthread_cond_t cond;
    bool woken;
} waiter;

typedef struct bucket {
    pthread_mutex_t lock;
    waiter *head, *tail;
} bucket;

static bucket buckets[WAIT_BUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void buckets_init(void) {
    for (unsigned i = 0; i < WAIT_BUCKETS; i++)
        pthread_mutex_init(&buckets[i].lock, NULL);
}

static bucket *bucket_of(const rt_memory *mem, uint64_t addr) {
    pthread_once(&buckets_once, buckets_init);
    uint64_t h = ((uint64_t)(uintptr_t)mem >> 4) ^ addr;
    h *= 0x9E3779B97F4A7C15ull;
    return &buckets[h >> 54]; /* top 10 bits: WAIT_BUCKETS == 1024 */
}

static void remove_waiter(bucket *b, waiter *w) {
    waiter *prev = NULL;
    for (waiter *it = b->head; it; prev = it, it = it->next) {
        if (it != w) continue;
        if (prev)
            prev->next = it->next;
        else
            b->head = it->next;
        if (b->tail == it) b->tail = prev;
        return;
    }
    assert(!"waiter not in its bucket");
}

/* Absolute CLOCK_MONOTONIC deadline `ns` from now; false when it is too far to matter. */
static bool deadline_after(int64_t ns, struct timespec *out) {
    if (ns > (int64_t)1 << 60) return false; /* ~36 years: treat as forever */
    clock_gettime(CLOCK_MONOTONIC, out);
    out->tv_sec += (time_t)(ns / 1000000000);
    out->tv_nsec += (long)(ns % 1000000000);
    if (out->tv_nsec >= 1000000000) {
        out->tv_sec++;
        out->tv_nsec -= 1000000000;
    }
    return true;
}

static uint32_t wait_common(rt_memory *mem, uint64_t addr, bool wide, uint64_t expected,
                            int64_t timeout_ns) {
    if (!mem->shared) rt_trap(RT_TRAP_WAIT_UNSHARED);
    assert(addr + (wide ? 8 : 4) <= __atomic_load_n(&mem->size, __ATOMIC_ACQUIRE));
    assert(addr % (wide ? 8 : 4) == 0);
    bucket *b = bucket_of(mem, addr);
    pthread_mutex_lock(&b->lock);
    uint64_t current = wide ? __atomic_load_n((uint64_t *)(mem->base + addr), __ATOMIC_SEQ_CST)
                            : __atomic_load_n((uint32_t *)(mem->base + addr), __ATOMIC_SEQ_CST);
    if (current != expected) {
        pthread_mutex_unlock(&b->lock);
        return 1; /* "not-equal" */
    }
    if (timeout_ns == 0) {
        pthread_mutex_unlock(&b->lock);
        return 2; /* "timed-out" */
    }
    struct timespec deadline;
    bool forever = timeout_ns < 0 || !deadline_after(timeout_ns, &deadline);
    waiter w = {NULL, mem, addr, PTHREAD_COND_INITIALIZER, false};
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cond, &attr);
    pthread_condattr_destroy(&attr);
    if (b->tail)
        b->tail->next = &w;
    else
        b->head = &w;
    b->tail = &w;
    while (!w.woken) {
        if (forever) {
            pthread_cond_wait(&w.cond, &b->lock);
        } else if (pthread_cond_timedwait(&w.cond, &b->lock, &deadline) == ETIMEDOUT) {
            break;
        }
    }
    if (!w.woken) remove_waiter(b, &w);
    pthread_mutex_unlock(&b->lock);
    pthread_cond_destroy(&w.cond);
    return w.woken ? 0 : 2;
}

uint32_t rt_atomic_wait32(rt_memory *mem, uint64_t addr, uint32_t expected, int64_t timeout_ns) {
    return wait_common(mem, addr, false, expected, timeout_ns);
}

uint32_t rt_atomic_wait64(rt_memory *mem, uint64_t addr, uint64_t expected, int64_t timeout_ns) {
    return wait_common(mem, addr, true, expected, timeout_ns);
}

uint32_t rt_atomic_notify(rt_memory *mem, uint64_t addr, uint32_t count) {
    if (count == 0 || !mem->shared) return 0;
    bucket *b = bucket_of(mem, addr);
    uint32_t woken = 0;
    pthread_mutex_lock(&b->lock);
    waiter *prev = NULL, *w = b->head;
    while (w && woken < count) {
        waiter *next = w->next;
        if (w->mem == mem && w->addr == addr) {
            if (prev)
                prev->next = next;
            else
                b->head = next;
            if (b->tail == w) b->tail = prev;
            w->woken = true;
            pthread_cond_signal(&w->cond);
            woken++;
        } else {
            prev = w;
        }
        w = next;
    }
    pthread_mutex_unlock(&b->lock);
    return woken;
}

/*
 * gomp_sync.c — the waiting primitives of the OpenMP runtime: futexes, spin-then-sleep waits, a
 * one-word lock and an event counter.
 *
 * Why futexes and not pthread objects: locks of the OpenMP program (omp_lock_t, critical names)
 * live in the guest's linear memory, which the host sees as plain memory, so a lock must be a word
 * that any thread can operate on atomically; a futex on that word gives efficient sleeping. The
 * same word lock and event counter then serve the host-side structures too.
 *
 * Waiting policy: a waiter first spins for `spin_us` microseconds (short: the cores belong to the
 * computation, OpenMP's "passive" flavour with a brief active phase), then sleeps. Sleeps use a
 * timeout of GOMP_SLEEP_MS so that a waiter re-checks the abort flag of its process even when no
 * one wakes it; this is what guarantees that a trap in one thread never leaves others hanging.
 *
 * Word lock (Drepper, "Futexes are tricky", mutex #2): 0 free, 1 held, 2 held and maybe sleepers;
 * unlock wakes one sleeper only when the word was 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "omp/gomp_internal.h"

#define GOMP_SLEEP_MS 50

void gomp_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

uint64_t gomp_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void gomp_futex_wait(uint32_t *word, uint32_t val, int timeout_ms) {
    struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, timeout_ms >= 0 ? &ts : NULL, NULL, 0);
}

void gomp_futex_wake(uint32_t *word, int count) {
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}

static bool aborted(const uint32_t *abort) {
    return abort && __atomic_load_n(abort, __ATOMIC_ACQUIRE) != 0;
}

bool gomp_spin_change(uint32_t *word, uint32_t val, int spin_us) {
    if (spin_us <= 0) return __atomic_load_n(word, __ATOMIC_ACQUIRE) != val;
    uint64_t deadline = 0;
    for (unsigned i = 0;; i++) {
        if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != val) return true;
        gomp_cpu_relax();
        if ((i & 255) == 255) {
            uint64_t now = gomp_now_ns();
            if (!deadline)
                deadline = now + (uint64_t)spin_us * 1000u;
            else if (now >= deadline)
                return false;
        }
    }
}

bool gomp_wait_change(uint32_t *word, uint32_t val, int spin_us, const uint32_t *abort) {
    if (gomp_spin_change(word, val, spin_us)) return true;
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val) {
        if (aborted(abort)) return false;
        gomp_futex_wait(word, val, GOMP_SLEEP_MS);
    }
    return true;
}

bool gomp_word_trylock(uint32_t *word) {
    uint32_t expected = 0;
    return __atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

bool gomp_word_lock(uint32_t *word, int spin_us, const uint32_t *abort) {
    if (gomp_word_trylock(word)) return true;
    /* Brief spin while the holder is likely to release soon. */
    uint64_t deadline = gomp_now_ns() + (uint64_t)(spin_us > 0 ? spin_us : 0) * 1000u;
    while (spin_us > 0 && gomp_now_ns() < deadline) {
        for (int i = 0; i < 64; i++) {
            if (__atomic_load_n(word, __ATOMIC_RELAXED) == 0 && gomp_word_trylock(word))
                return true;
            gomp_cpu_relax();
        }
    }
    /* Mark contended and sleep until we take it free. */
    while (__atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE) != 0) {
        if (aborted(abort)) return false;
        gomp_futex_wait(word, 2, GOMP_SLEEP_MS);
    }
    return true;
}

void gomp_word_unlock(uint32_t *word) {
    if (__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2) gomp_futex_wake(word, 1);
}

uint32_t gomp_event_read(gomp_event *e) {
    return __atomic_load_n(&e->seq, __ATOMIC_SEQ_CST);
}

void gomp_event_bump(gomp_event *e) {
    __atomic_fetch_add(&e->seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&e->sleepers, __ATOMIC_SEQ_CST) != 0) gomp_futex_wake(&e->seq, INT_MAX);
}

void gomp_event_wait(gomp_event *e, uint32_t seen, int spin_us) {
    if (gomp_spin_change(&e->seq, seen, spin_us)) return;
    __atomic_fetch_add(&e->sleepers, 1, __ATOMIC_SEQ_CST);
    gomp_futex_wait(&e->seq, seen, GOMP_SLEEP_MS);
    __atomic_fetch_sub(&e->sleepers, 1, __ATOMIC_SEQ_CST);
}

int gomp_spin_left(gomp_proc *p, uint64_t *end) {
    int spin_us = p->opts.spin_us;
    if (spin_us <= 0) return 0;
    uint64_t now = gomp_now_ns();
    if (*end == 0) *end = now + (uint64_t)spin_us * 1000u;
    return now >= *end ? 0 : (int)((*end - now) / 1000u) + 1;
}

/*
 * thread.c — per-thread state for running guest code: where the stack ends, and an alternate
 * signal stack.
 *
 * Stack exhaustion. Generated code recurses without depth counters and is compiled with
 * -fstack-clash-protection, so a stack that runs out always touches the page just below its end
 * first. Threads started by rt_run_on_thread get a stack we map ourselves with a PROT_NONE guard
 * region (RT_STACK_GUARD bytes) below it; a fault there is RT_TRAP_STACK_EXHAUSTED. Other threads
 * (the main thread, a thread pool's threads) are supported as far as the system tells their bounds:
 * pthread_getattr_np gives the lowest address of the stack, glibc's guard page lies right below it,
 * and the main thread's stack stops growing at its rlimit, possibly up to the kernel's stack guard
 * gap (1 MiB) above the reported bound; faults within RT_STACK_MARGIN around that bound count.
 *
 * Alternate signal stack. The fault handler cannot run on an exhausted stack, so each thread that
 * runs guest code gets its own sigaltstack (with a guard page), created on first use and released
 * by a thread-specific-data destructor when the thread exits. A thread that already has one keeps
 * it.
 *
 * The state lives in initial-exec TLS so that the signal handler reads it without calling into
 * the dynamic linker.
 */
#define _GNU_SOURCE /* dladdr, pthread_getattr_np, REG_RIP */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/rt/internal.h"

#define RT_STACK_GUARD   (64u << 10)
#define RT_STACK_MARGIN  ((uintptr_t)1 << 20)
#define RT_ALTSTACK_SIZE (256u << 10)
#define RT_DEFAULT_STACK ((size_t)8 << 20)
#define RT_MIN_STACK     ((size_t)64 << 10)

typedef struct thread_state {
    bool prepared;
    uintptr_t guard_lo, guard_hi; /* faults in [guard_lo, guard_hi) exhaust the stack */
} thread_state;

static __thread thread_state tls_thread __attribute__((tls_model("initial-exec")));

static pthread_key_t altstack_key;
static pthread_once_t altstack_key_once = PTHREAD_ONCE_INIT;

static size_t page_size(void) {
    static size_t cached; /* benign race: every thread computes the same value */
    size_t p = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (!p) {
        p = (size_t)sysconf(_SC_PAGESIZE);
        __atomic_store_n(&cached, p, __ATOMIC_RELAXED);
    }
    return p;
}

static void altstack_release(void *mapping) {
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    munmap(mapping, RT_ALTSTACK_SIZE + page_size());
}

static void altstack_key_create(void) {
    pthread_key_create(&altstack_key, altstack_release);
}

static void altstack_setup(void) {
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE) &&
        current.ss_size >= RT_MIN_STACK)
        return;
    pthread_once(&altstack_key_once, altstack_key_create);
    size_t guard = page_size();
    uint8_t *mapping = mmap(NULL, RT_ALTSTACK_SIZE + guard, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED) return; /* faults then stay fatal; nothing better to do */
    mprotect(mapping, guard, PROT_NONE);
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = mapping + guard;
    ss.ss_size = RT_ALTSTACK_SIZE;
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(mapping, RT_ALTSTACK_SIZE + guard);
        return;
    }
    pthread_setspecific(altstack_key, mapping);
}

/* Bounds of a stack we did not create, as far as the system tells. */
static void stack_bounds_from_system(void) {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr) {
        uintptr_t lo = (uintptr_t)addr;
        tls_thread.guard_lo = lo > RT_STACK_MARGIN ? lo - RT_STACK_MARGIN : 0;
        uintptr_t above = RT_STACK_MARGIN + RT_STACK_GUARD;
        tls_thread.guard_hi = size > 2 * above ? lo + above : lo;
    }
    pthread_attr_destroy(&attr);
}

void rt_thread_prepare(void) {
    if (__builtin_expect(tls_thread.prepared, 1)) return;
    rt_signals_install();
    altstack_setup();
    if (tls_thread.guard_hi == 0) stack_bounds_from_system();
    tls_thread.prepared = true;
}

bool rt_thread_stack_fault(uintptr_t addr) {
    return addr >= tls_thread.guard_lo && addr < tls_thread.guard_hi;
}

/* ---- Threads with a stack of our own ---- */

typedef struct thread_start {
    void (*fn)(void *);
    void *arg;
    uintptr_t guard_lo, guard_hi;
} thread_start;

static void *thread_main(void *p) {
    const thread_start *start = p;
    tls_thread.guard_lo = start->guard_lo;
    tls_thread.guard_hi = start->guard_hi;
    rt_thread_prepare();
    start->fn(start->arg);
    return NULL;
}

int rt_run_on_thread(size_t stack_size, void (*fn)(void *), void *arg) {
    size_t page = page_size();
    size_t size = stack_size ? stack_size : RT_DEFAULT_STACK;
    if (size < RT_MIN_STACK) size = RT_MIN_STACK;
    size = (size + page - 1) / page * page;
    uint8_t *mapping = mmap(NULL, size + RT_STACK_GUARD, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED) return errno;
    if (mprotect(mapping, RT_STACK_GUARD, PROT_NONE) != 0) {
        int e = errno;
        munmap(mapping, size + RT_STACK_GUARD);
        return e;
    }
    rt_signals_install();
    thread_start start = {fn, arg, (uintptr_t)mapping, (uintptr_t)mapping + RT_STACK_GUARD};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    int rc = pthread_attr_setstack(&attr, mapping + RT_STACK_GUARD, size);
    pthread_t thread;
    if (rc == 0) rc = pthread_create(&thread, &attr, thread_main, &start);
    pthread_attr_destroy(&attr);
    if (rc == 0) rc = pthread_join(thread, NULL);
    munmap(mapping, size + RT_STACK_GUARD);
    return rc;
}

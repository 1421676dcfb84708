/*
 * signals.c — turning hardware faults in guest code into wasm traps.
 *
 * Generated code accesses linear memory without bounds checks and recurses without depth checks;
 * both kinds of error end in a SIGSEGV (or SIGBUS) on a PROT_NONE page. The handler decides, from
 * the faulting address alone, whether the fault is a trap:
 *   - the calling thread must be inside guest code: it has an active trap frame (trap.c);
 *   - the address lies in a registered linear-memory reservation -> RT_TRAP_MEMORY_OOB;
 *   - or it lies in the guard region of the thread's stack -> RT_TRAP_STACK_EXHAUSTED (thread.c).
 * Then it leaves through the frame with siglongjmp. Anything else is a genuine crash: the handler
 * passes the signal on to whatever handler was installed before it, or restores the default action
 * and returns, so that the faulting instruction runs again and the process dies with a core dump.
 *
 * The registry of reservations is read inside the signal handler, so it is a fixed array of
 * (base, length) slots written with atomic stores under a mutex and read with atomic loads without
 * any lock. A slot is published by storing its length last; it is retired by storing length 0
 * before the mapping goes away. Readers scan up to a high-water mark. 16384 slots cover the whole
 * 47-bit address space at 8 GiB per memory.
 *
 * The handler is installed with SA_ONSTACK (a stack overflow leaves no stack to run on; every
 * thread that runs guest code gets an alternate signal stack, see thread.c) and SA_NODEFER (it
 * leaves by siglongjmp without restoring the signal mask, so the signal must not stay blocked).
 */
#define _GNU_SOURCE /* dladdr, pthread_getattr_np, REG_RIP */
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "engine/rt/internal.h"

#define RT_FAULT_SLOTS 16384

typedef struct fault_range {
    uintptr_t base;
    uintptr_t len; /* 0: free */
} fault_range;

static fault_range fault_ranges[RT_FAULT_SLOTS];
static bool fault_used[RT_FAULT_SLOTS]; /* under fault_lock */
static int fault_high_water;            /* atomic: slots [0, high_water) may be in use */
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;

int rt_fault_register(void *base, size_t len) {
    assert(len > 0);
    pthread_mutex_lock(&fault_lock);
    int slot = -1;
    for (int i = 0; i < RT_FAULT_SLOTS; i++) {
        if (!fault_used[i]) {
            slot = i;
            break;
        }
    }
    if (slot >= 0) {
        fault_used[slot] = true;
        __atomic_store_n(&fault_ranges[slot].len, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&fault_ranges[slot].base, (uintptr_t)base, __ATOMIC_RELEASE);
        __atomic_store_n(&fault_ranges[slot].len, (uintptr_t)len, __ATOMIC_RELEASE);
        if (slot >= fault_high_water)
            __atomic_store_n(&fault_high_water, slot + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&fault_lock);
    return slot;
}

void rt_fault_unregister(int slot) {
    assert(slot >= 0 && slot < RT_FAULT_SLOTS);
    pthread_mutex_lock(&fault_lock);
    assert(fault_used[slot]);
    __atomic_store_n(&fault_ranges[slot].len, 0, __ATOMIC_RELEASE);
    fault_used[slot] = false;
    pthread_mutex_unlock(&fault_lock);
}

bool rt_fault_in_memory(uintptr_t addr) {
    int n = __atomic_load_n(&fault_high_water, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++) {
        uintptr_t len = __atomic_load_n(&fault_ranges[i].len, __ATOMIC_ACQUIRE);
        if (len == 0) continue;
        uintptr_t base = __atomic_load_n(&fault_ranges[i].base, __ATOMIC_ACQUIRE);
        if (addr - base < len) return true;
    }
    return false;
}

/* ---- The handler ---- */

static struct sigaction previous_segv, previous_bus;

/* The program counter of the interrupted code (platform-specific register layout). */
static uintptr_t context_pc(void *context) {
    const ucontext_t *uc = context;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

/* Not ours: hand the signal to the previous handler, or die of it with the default action. */
static void pass_on(int sig, siginfo_t *info, void *context) {
    const struct sigaction *prev = sig == SIGSEGV ? &previous_segv : &previous_bus;
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
        prev->sa_sigaction(sig, info, context);
        return;
    }
    if (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL &&
        prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
        return;
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* A fault re-executes the instruction and dies of the default action when we return; a signal
     * sent by kill() would not come back, so raise it again. */
    if (info->si_code <= 0) raise(sig);
}

static void fault_handler(int sig, siginfo_t *info, void *context) {
    rt_trap_frame *frame = rt_trap_current_frame();
    if (frame && info->si_code > 0) {
        uintptr_t addr = (uintptr_t)info->si_addr;
        if (rt_fault_in_memory(addr))
            rt_trap_from_signal(frame, RT_TRAP_MEMORY_OOB, context_pc(context));
        if (rt_thread_stack_fault(addr))
            rt_trap_from_signal(frame, RT_TRAP_STACK_EXHAUSTED, context_pc(context));
    }
    pass_on(sig, info, context);
}

static void install_once(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
    sigaction(SIGBUS, &sa, &previous_bus);
}

void rt_signals_install(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_once);
}

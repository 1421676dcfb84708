/*
 * test_wait.c — memory.atomic.wait32/wait64 and notify with real threads: not-equal, timeouts,
 * FIFO wake-ups counted by notify, the unshared-memory trap, and a ping-pong between two thread
 * cells (instances sharing one memory through use_memory) that hangs if a wake-up is ever lost.
 */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "rt_test.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct wait_call {
    rt_memory *mem;
    uint64_t addr;
    uint64_t expected;
    int64_t timeout;
    int wide;
    uint32_t result;
} wait_call;

static void do_wait(void *arg) {
    wait_call *w = arg;
    w->result = w->wide ? rt_atomic_wait64(w->mem, w->addr, w->expected, w->timeout)
                        : rt_atomic_wait32(w->mem, w->addr, (uint32_t)w->expected, w->timeout);
}

static void test_unshared(void) {
    rt_error err;
    rt_memory *m = rt_memory_new(1, 1, true, false, &err);
    wait_call w = {m, 0, 0, 0, 0, 9};
    rt_trap_info trap;
    CHECK(!rt_catch(do_wait, &w, &trap) && trap.kind == RT_TRAP_WAIT_UNSHARED);
    CHECK(strcmp(trap.msg, "expected shared memory") == 0);
    CHECK(rt_atomic_notify(m, 0, 1) == 0);
    rt_memory_free(m);
}

static void test_single_thread(void) {
    rt_error err;
    rt_memory *m = rt_memory_new(1, 1, true, true, &err);
    m->base[8] = 5;
    wait_call w = {m, 8, 4, -1, 0, 9};
    CHECK(test_catch(do_wait, &w) == RT_TRAP_NONE && w.result == 1); /* not-equal */
    w.wide = 1;
    CHECK(test_catch(do_wait, &w) == RT_TRAP_NONE && w.result == 1);
    w.expected = 5;
    w.timeout = 0;
    CHECK(test_catch(do_wait, &w) == RT_TRAP_NONE && w.result == 2); /* timed-out at once */
    w.timeout = 20 * 1000 * 1000;
    double t0 = now_ms();
    CHECK(test_catch(do_wait, &w) == RT_TRAP_NONE && w.result == 2);
    CHECK(now_ms() - t0 >= 19.0);
    w.wide = 0;
    t0 = now_ms();
    CHECK(test_catch(do_wait, &w) == RT_TRAP_NONE && w.result == 2);
    CHECK(now_ms() - t0 >= 19.0);
    CHECK(rt_atomic_notify(m, 8, 10) == 0);
    CHECK(rt_atomic_notify(m, 8, 0) == 0);
    rt_memory_free(m);
}

/* ---- Several waiters ---- */

enum { WAITERS = 4 };

static void *waiter_thread(void *arg) {
    wait_call *w = arg;
    CHECK(test_catch(do_wait, w) == RT_TRAP_NONE);
    return NULL;
}

static void test_many_waiters(int wide) {
    rt_error err;
    rt_memory *m = rt_memory_new(1, 1, true, true, &err);
    wait_call w[WAITERS];
    pthread_t t[WAITERS];
    for (int i = 0; i < WAITERS; i++) {
        w[i] = (wait_call){m, 64, 0, -1, wide, 9};
        CHECK(pthread_create(&t[i], NULL, waiter_thread, &w[i]) == 0);
    }
    /* Waiters on another address or another memory are not woken. */
    rt_memory *other = rt_memory_new(1, 1, true, true, &err);
    wait_call o = {other, 64, 0, 50 * 1000 * 1000, wide, 9};
    pthread_t ot;
    CHECK(pthread_create(&ot, NULL, waiter_thread, &o) == 0);
    uint32_t woken = 0;
    double t0 = now_ms();
    while (woken < WAITERS) {
        uint32_t n = rt_atomic_notify(m, 64, 2);
        CHECK(n <= 2);
        woken += n;
        CHECK(rt_atomic_notify(m, 68, 100) == 0);
        usleep(1000);
        CHECK(now_ms() - t0 < 10000);
    }
    for (int i = 0; i < WAITERS; i++) {
        pthread_join(t[i], NULL);
        CHECK(w[i].result == 0);
    }
    pthread_join(ot, NULL);
    CHECK(o.result == 2);
    CHECK(rt_atomic_notify(m, 64, 100) == 0);
    rt_memory_free(other);
    rt_memory_free(m);
}

static void test_many_waiters32(void) {
    test_many_waiters(0);
}
static void test_many_waiters64(void) {
    test_many_waiters(1);
}

/* ---- Ping-pong between two thread cells through the generated-code path ---- */

enum { ROUNDS = 2000 };

typedef struct player {
    rt_instance *inst;
    uint32_t parity;
    bool ok;
} player;

static uint32_t call(rt_instance *inst, const char *name, uint32_t a, uint64_t b, uint64_t c) {
    rt_value io[3];
    io[0].i32 = a;
    io[1].i64 = b;
    io[2].i64 = c;
    rt_trap_info trap;
    rt_error err;
    CHECK(rt_invoke_export(inst, name, io, &trap, &err));
    return io[0].i32;
}

static void play(void *arg) {
    player *p = arg;
    for (uint32_t turn = p->parity; turn < 2 * ROUNDS; turn += 2) {
        for (;;) {
            uint32_t v = call(p->inst, "load", 0, 0, 0);
            if (v == turn) break;
            call(p->inst, "wait32", 0, v, (uint64_t)-1);
        }
        call(p->inst, "add", 0, 1, 0);
        call(p->inst, "notify", 0, 1, 0);
    }
    p->ok = true;
}

static void *play_on_own_stack(void *arg) {
    CHECK(rt_run_on_thread(0, play, arg) == 0);
    return NULL;
}

static void test_ping_pong(void) {
    rt_module *m = test_load_module("mod_atomic");
    rt_trap_info trap;
    rt_error err;
    rt_instance *a = rt_instance_new(m, NULL, &trap, &err);
    CHECK(a && a->memory->shared);
    rt_instance_options opts = {.use_memory = a->memory};
    rt_instance *b = rt_instance_new(m, &opts, &trap, &err);
    CHECK(b && b->memory == a->memory);
    /* Misaligned and out-of-bounds waits trap in the (generated) bounds checks. */
    rt_value io[3] = {{.i32 = 2}, {.i32 = 0}, {.i64 = 0}};
    CHECK(!rt_invoke_export(a, "wait32", io, &trap, &err));
    CHECK(trap.kind == RT_TRAP_UNALIGNED_ATOMIC);
    io[0].i32 = 65536;
    CHECK(!rt_invoke_export(a, "notify", io, &trap, &err) && trap.kind == RT_TRAP_MEMORY_OOB);

    player pa = {a, 0, false}, pb = {b, 1, false};
    double t0 = now_ms();
    pthread_t t;
    CHECK(pthread_create(&t, NULL, play_on_own_stack, &pb) == 0);
    play(&pa);
    pthread_join(t, NULL);
    CHECK(pb.ok && call(a, "load", 0, 0, 0) == 2 * ROUNDS);
    printf("  %d wait/notify round trips in %.1f ms\n", ROUNDS, now_ms() - t0);
    CHECK(pa.ok);
    rt_instance_free(b);
    rt_instance_free(a);
    rt_module_free(m);
}

int main(void) {
    RUN(test_unshared);
    RUN(test_single_thread);
    RUN(test_many_waiters32);
    RUN(test_many_waiters64);
    RUN(test_ping_pong);
    return 0;
}

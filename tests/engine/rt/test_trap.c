/*
 * test_trap.c — traps from guest code (mod_trap): out-of-bounds accesses through the guard region,
 * explicit rt_trap, stack exhaustion by deep recursion (small and huge frames, on a thread of
 * rt_run_on_thread and on the main thread), nested invokes (guest -> host -> guest), host traps and
 * exit, the function a trap is attributed to, and that genuine crashes stay crashes.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_test.h"

static rt_module *module;
static volatile int *volatile bad_pointer = (volatile int *)8; /* an address nobody maps */
static rt_instance *instance;
static rt_host_registry *registry;

/* env.callback: what it does depends on its argument (see the cases in test_nested). */
static void host_callback(rt_instance *caller, void *data, rt_value *io) {
    uint32_t what = io[0].i32;
    rt_value args[1];
    rt_trap_info trap;
    rt_error err;
    CHECK(caller == instance && data == &module);
    switch (what) {
    case 0: /* nested invoke that returns */
        args[0].i32 = 16;
        CHECK(rt_invoke_export(caller, "load", args, &trap, &err));
        io[0].i32 = args[0].i32;
        return;
    case 1: /* nested invoke that traps: the inner rt_invoke reports it, we carry on */
        CHECK(!rt_invoke_export(caller, "boom", args, &trap, &err));
        io[0].i32 = 100 + trap.kind;
        return;
    case 2: rt_trap_host("host says no %d", 42);
    case 3: rt_trap_exit(7);
    case 4: /* two levels of nesting */
        args[0].i32 = 1;
        CHECK(rt_invoke_export(caller, "via_host", args, &trap, &err));
        io[0].i32 = args[0].i32 + 1000;
        return;
    case 5: /* a genuine bug in host code */ *bad_pointer = 1; return;
    case 6: /* stack exhaustion inside a nested invoke */
        args[0].i32 = 0;
        CHECK(!rt_invoke_export(caller, "rec", args, &trap, &err));
        io[0].i32 = 100 + trap.kind;
        return;
    default: io[0].i32 = what; return;
    }
}

static void setup(void) {
    module = test_load_module("mod_trap");
    registry = rt_host_registry_new();
    CHECK(rt_host_register(registry, "env", "callback", "i:i", host_callback, &module));
    rt_instance_options opts = {.resolve = rt_host_resolve, .resolve_ctx = registry};
    rt_trap_info trap;
    rt_error err;
    instance = rt_instance_new(module, &opts, &trap, &err);
    if (!instance) fprintf(stderr, "%s\n", err.msg);
    CHECK(instance);
}

/* Calls export `name` with up to two i32 arguments; returns the trap kind, result in *result. */
static rt_trap_kind call(const char *name, uint32_t a, uint32_t b, uint32_t *result,
                         rt_trap_info *trap_out) {
    rt_value io[2];
    io[0].i32 = a;
    io[1].i32 = b;
    rt_trap_info trap;
    rt_error err;
    bool ok = rt_invoke_export(instance, name, io, &trap, &err);
    if (trap_out) *trap_out = trap;
    if (ok && result) *result = io[0].i32;
    return ok ? RT_TRAP_NONE : trap.kind;
}

static bool attributed_to(const rt_trap_info *t, const char *name) {
    const char *n = rt_module_func_name(t->module, t->func_index);
    return t->module == module && n && strcmp(n, name) == 0;
}

static void test_memory_oob(void) {
    uint32_t r = 0;
    rt_trap_info t;
    CHECK(call("store", 16, 0x01020304, NULL, NULL) == RT_TRAP_NONE);
    CHECK(call("load", 16, 0, &r, NULL) == RT_TRAP_NONE && r == 0x01020304);
    CHECK(call("load", 65532, 0, &r, NULL) == RT_TRAP_NONE);
    CHECK(call("load", 65533, 0, NULL, &t) == RT_TRAP_MEMORY_OOB);
    CHECK(strcmp(t.msg, "out of bounds memory access") == 0);
    CHECK(t.func_index == 2 && attributed_to(&t, "load"));
    CHECK(call("load", UINT32_MAX, 0, NULL, NULL) == RT_TRAP_MEMORY_OOB);
    CHECK(call("load_far", 0, 0, NULL, &t) == RT_TRAP_MEMORY_OOB);
    CHECK(attributed_to(&t, "load_far"));
    CHECK(call("load_far", UINT32_MAX, 0, NULL, NULL) == RT_TRAP_MEMORY_OOB);
    CHECK(call("store", 65536, 1, NULL, &t) == RT_TRAP_MEMORY_OOB);
    CHECK(attributed_to(&t, "store"));
    CHECK(call("load", 16, 0, &r, NULL) == RT_TRAP_NONE && r == 0x01020304);
}

static void test_explicit_trap(void) {
    rt_trap_info t;
    CHECK(call("boom", 0, 0, NULL, &t) == RT_TRAP_UNREACHABLE);
    CHECK(strcmp(t.msg, "unreachable") == 0);
    CHECK(t.func_index == 3 && attributed_to(&t, "boom"));
    CHECK(call("nope", 0, 0, NULL, &t) == RT_TRAP_NONE); /* unknown export: an error, no trap */
}

typedef struct on_thread {
    const char *name;
    uint32_t arg;
    rt_trap_kind kind;
    uint32_t result;
    rt_trap_info trap;
} on_thread;

static void run_call(void *p) {
    on_thread *o = p;
    o->kind = call(o->name, o->arg, 0, &o->result, &o->trap);
}

static void *run_call_pthread(void *p) {
    run_call(p);
    return NULL;
}

static void test_stack_exhaustion(void) {
    on_thread o = {"rec", 0, RT_TRAP_NONE, 0, {0}};
    CHECK(rt_run_on_thread(256 << 10, run_call, &o) == 0);
    CHECK(o.kind == RT_TRAP_STACK_EXHAUSTED);
    CHECK(strcmp(o.trap.msg, "call stack exhausted") == 0);
    CHECK(attributed_to(&o.trap, "rec"));
    /* Frames larger than the guard region are probed page by page. */
    o.name = "big";
    CHECK(rt_run_on_thread(4 << 20, run_call, &o) == 0);
    CHECK(o.kind == RT_TRAP_STACK_EXHAUSTED);
    /* Default size, and the thread is usable again after a trap. */
    o.name = "rec";
    CHECK(rt_run_on_thread(0, run_call, &o) == 0 && o.kind == RT_TRAP_STACK_EXHAUSTED);
    /* On the main thread, whose bounds come from the system. */
    CHECK(call("rec", 0, 0, NULL, NULL) == RT_TRAP_STACK_EXHAUSTED);
    CHECK(call("big", 0, 0, NULL, NULL) == RT_TRAP_STACK_EXHAUSTED);
    uint32_t r;
    CHECK(call("load", 16, 0, &r, NULL) == RT_TRAP_NONE && r == 0x01020304);
    /* On a plain pthread. */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, run_call_pthread, &o) == 0);
    pthread_join(t, NULL);
    CHECK(o.kind == RT_TRAP_STACK_EXHAUSTED);
}

static void test_nested(void) {
    uint32_t r = 0;
    rt_trap_info t;
    CHECK(call("via_host", 0, 0, &r, NULL) == RT_TRAP_NONE && r == 0x01020304);
    CHECK(call("via_host", 1, 0, &r, NULL) == RT_TRAP_NONE && r == 100 + RT_TRAP_UNREACHABLE);
    CHECK(call("via_host", 2, 0, NULL, &t) == RT_TRAP_HOST);
    CHECK(strcmp(t.msg, "host says no 42") == 0);
    CHECK(call("via_host", 3, 0, NULL, &t) == RT_TRAP_EXIT && t.exit_code == 7);
    CHECK(call("via_host", 4, 0, &r, NULL) == RT_TRAP_NONE &&
          r == 1000 + 100 + RT_TRAP_UNREACHABLE);
    on_thread o = {"via_host", 6, RT_TRAP_NONE, 0, {0}};
    CHECK(rt_run_on_thread(512 << 10, run_call, &o) == 0);
    CHECK(o.kind == RT_TRAP_NONE && o.result == 100 + RT_TRAP_STACK_EXHAUSTED);
    CHECK(call("via_host", 99, 0, &r, NULL) == RT_TRAP_NONE && r == 99);
}

/* Runs fn in a child process; returns its wait status. */
static int in_child(void (*fn)(void)) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        fn();
        _exit(99); /* survived: wrong */
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    return status;
}

static void crash_outside_guest(void) {
    *bad_pointer = 1;
}
static void crash_in_host(void) {
    call("via_host", 5, 0, NULL, NULL);
}
static void trap_without_frame(void) {
    rt_trap(RT_TRAP_UNREACHABLE);
}

static bool died_of(int status, int sig) {
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer's own SEGV handler may report and exit instead. */
    if (sig == SIGSEGV && WIFEXITED(status)) return WEXITSTATUS(status) != 99;
#endif
    return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

static void test_genuine_crashes(void) {
    CHECK(died_of(in_child(crash_outside_guest), SIGSEGV));
    CHECK(died_of(in_child(crash_in_host), SIGSEGV));
    CHECK(died_of(in_child(trap_without_frame), SIGABRT));
}

int main(void) {
    setup();
    RUN(test_memory_oob);
    RUN(test_explicit_trap);
    RUN(test_stack_exhaustion);
    RUN(test_nested);
    RUN(test_genuine_crashes);
    rt_instance_free(instance);
    rt_module_free(module);
    rt_host_registry_free(registry);
    return 0;
}

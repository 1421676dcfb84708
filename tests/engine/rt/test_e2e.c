/*
 * test_e2e.c — the runtime with the real pipeline: rt_module_load (decode, validate, translate,
 * compile with cc, cache, dlopen) on wat2wasm modules. Checks the load statistics and the cache
 * (second load is a hit), then traps raised by generated code (guard-region faults, explicit trap
 * checks, stack exhaustion) with their attribution to wasm functions, host calls, tables,
 * memory.grow/fill, and wait/notify between two thread cells on one shared memory.
 */
#define _GNU_SOURCE /* nftw */
#include <ftw.h>
#include <pthread.h>
#include <unistd.h>

#include "rt_test.h"

static char cache_dir[] = "/tmp/granny-rt-e2e-XXXXXX";

static rt_module *load(const char *name, rt_load_stats *stats) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", RT_TEST_DIR, name);
    size_t len;
    uint8_t *bytes = test_read_file(path, &len);
    rt_load_options opts = {.cache_dir = cache_dir};
    rt_error err;
    rt_module *m = rt_module_load(bytes, len, &opts, stats, &err);
    free(bytes);
    if (!m) fprintf(stderr, "loading %s: %s\n", name, err.msg);
    CHECK(m);
    return m;
}

/* ---- Loading and the cache ---- */

static void host_add_plain(rt_instance *caller, void *data, rt_value *io) {
    io[0].i32 += io[1].i32;
}

static void test_load_and_cache(void) {
    rt_load_stats s1, s2;
    rt_module *m1 = load("e2e", &s1);
    CHECK(!s1.cache_hit && s1.so_path[0] && s1.compile_ms > 0);
    rt_module *m2 = load("e2e", &s2);
    CHECK(s2.cache_hit && strcmp(s1.so_path, s2.so_path) == 0);
    char h1[65], h2[65];
    rt_module_hash_hex(m1, h1);
    rt_module_hash_hex(m2, h2);
    CHECK(strlen(h1) == 64 && strcmp(h1, h2) == 0);
    printf("  miss: decode %.2f validate %.2f translate %.2f compile %.2f dlopen %.2f ms; "
           "hit: dlopen %.2f ms\n",
           s1.decode_ms, s1.validate_ms, s1.translate_ms, s1.compile_ms, s1.dlopen_ms,
           s2.dlopen_ms);
    /* Two modules on one shared object: a trap names the module whose instance ran. */
    rt_host_registry *hosts = rt_host_registry_new();
    CHECK(rt_host_register(hosts, "env", "host_add", "ii:i", host_add_plain, NULL));
    rt_instance_options opts = {.resolve = rt_host_resolve, .resolve_ctx = hosts};
    rt_trap_info trap;
    rt_error err;
    rt_module *mods[2] = {m1, m2};
    for (int i = 0; i < 2; i++) {
        rt_instance *inst = rt_instance_new(mods[i], &opts, &trap, &err);
        CHECK(inst);
        rt_value io[2] = {{.i32 = 1}, {.i32 = 0}};
        CHECK(!rt_invoke_export(inst, "div", io, &trap, &err));
        CHECK(trap.kind == RT_TRAP_DIV_ZERO && trap.module == mods[i]);
        CHECK(strcmp(rt_module_func_name(trap.module, trap.func_index), "div") == 0);
        rt_instance_free(inst);
    }
    rt_host_registry_free(hosts);
    rt_module_free(m2);
    rt_module_free(m1);

    const uint8_t invalid[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 5};
    CHECK(!rt_module_load(invalid, sizeof invalid, NULL, NULL, &err) && err.msg[0]);
}

/* ---- Running generated code ---- */

static rt_module *module;
static rt_instance *instance;

static void host_add(rt_instance *caller, void *data, rt_value *io) {
    CHECK(caller == instance);
    if (io[0].i32 == 1000) rt_trap_host("bad argument %u", io[0].i32);
    io[0].i32 += io[1].i32;
}

static rt_trap_kind call(const char *name, uint32_t a, uint32_t b, uint32_t c, rt_value *result,
                         rt_trap_info *trap_out) {
    rt_value io[3] = {{.i32 = a}, {.i32 = b}, {.i32 = c}};
    rt_trap_info trap;
    rt_error err;
    bool ok = rt_invoke_export(instance, name, io, &trap, &err);
    CHECK(ok || trap.kind != RT_TRAP_NONE);
    if (trap_out) *trap_out = trap;
    if (ok && result) *result = io[0];
    return ok ? RT_TRAP_NONE : trap.kind;
}

static bool attributed_to(const rt_trap_info *t, const char *name) {
    const char *n = rt_module_func_name(t->module, t->func_index);
    if (!n || strcmp(n, name) != 0)
        fprintf(stderr, "  trap attributed to %u (%s), expected %s\n", t->func_index, n ? n : "?",
                name);
    return t->module == module && n && strcmp(n, name) == 0;
}

typedef struct on_thread {
    rt_trap_kind kind;
    rt_trap_info trap;
} on_thread;

static void run_rec(void *p) {
    on_thread *o = p;
    o->kind = call("rec", 0, 0, 0, NULL, &o->trap);
}

static void test_run(void) {
    module = load("e2e", NULL);
    rt_host_registry *hosts = rt_host_registry_new();
    CHECK(rt_host_register(hosts, "env", "host_add", "ii:i", host_add, NULL));
    rt_instance_options opts = {.resolve = rt_host_resolve, .resolve_ctx = hosts};
    rt_trap_info trap;
    rt_error err;
    instance = rt_instance_new(module, &opts, &trap, &err);
    CHECK(instance);

    rt_value r;
    CHECK(call("sum", 1000, 0, 0, &r, NULL) == RT_TRAP_NONE && r.i64 == 332833500);
    CHECK(call("load", 8, 0, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == 42);
    CHECK(call("load", 65533, 0, 0, NULL, &trap) == RT_TRAP_MEMORY_OOB);
    CHECK(attributed_to(&trap, "load"));
    CHECK(call("div", 7, 0, 0, NULL, &trap) == RT_TRAP_DIV_ZERO);
    CHECK(strcmp(trap.msg, "integer divide by zero") == 0 && attributed_to(&trap, "div"));
    CHECK(call("div", 0x80000000u, UINT32_MAX, 0, NULL, &trap) == RT_TRAP_INT_OVERFLOW);
    CHECK(call("div", 7, 2, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == 3);

    CHECK(call("ind", 0, 5, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == 25);
    CHECK(call("ind", 1, 5, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == 6);
    CHECK(call("ind", 2, 5, 0, NULL, &trap) == RT_TRAP_INDIRECT_TYPE);
    CHECK(call("ind", 3, 5, 0, NULL, &trap) == RT_TRAP_INDIRECT_NULL);
    CHECK(call("ind", 5, 5, 0, NULL, &trap) == RT_TRAP_INDIRECT_OOB);

    CHECK(call("host", 2, 3, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == 5);
    CHECK(call("host", 1000, 3, 0, NULL, &trap) == RT_TRAP_HOST);
    CHECK(strcmp(trap.msg, "bad argument 1000") == 0);
    rt_extern calls;
    CHECK(rt_instance_export(instance, "calls", &calls) && calls.u.global->i32 == 2);

    CHECK(call("grow", 1, 0, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == 1);
    CHECK(call("grow", 200, 0, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == UINT32_MAX);
    CHECK(call("load", 2 * 65536 - 4, 0, 0, &r, NULL) == RT_TRAP_NONE && r.i32 == 0);
    CHECK(call("fill", 2 * 65536 - 1, 1, 2, NULL, &trap) == RT_TRAP_MEMORY_OOB);
    CHECK(instance->mem_base[2 * 65536 - 1] == 0);
    CHECK(call("fill", 2 * 65536 - 2, 1, 2, NULL, NULL) == RT_TRAP_NONE);
    CHECK(instance->mem_base[2 * 65536 - 1] == 1);

    on_thread o = {RT_TRAP_NONE, {0}};
    CHECK(rt_run_on_thread(1 << 20, run_rec, &o) == 0);
    CHECK(o.kind == RT_TRAP_STACK_EXHAUSTED && attributed_to(&o.trap, "rec"));
    run_rec(&o);
    CHECK(o.kind == RT_TRAP_STACK_EXHAUSTED);
    CHECK(call("sum", 10, 0, 0, &r, NULL) == RT_TRAP_NONE && r.i64 == 285);

    rt_instance_free(instance);
    rt_module_free(module);
    rt_host_registry_free(hosts);
}

/* ---- Two thread cells on one shared memory: wait/notify ping-pong in generated code ---- */

enum { ROUNDS = 1000 };

typedef struct player {
    rt_instance *inst;
    uint32_t parity;
    bool ok;
} player;

static uint32_t call_on(rt_instance *inst, const char *name, uint32_t a, uint64_t b, uint64_t c) {
    rt_value io[3];
    io[0].i32 = a;
    io[1].i64 = b;
    io[2].i64 = c;
    rt_trap_info trap;
    rt_error err;
    if (!rt_invoke_export(inst, name, io, &trap, &err)) fprintf(stderr, "%s: %s\n", name, err.msg);
    return io[0].i32;
}

static void play(void *arg) {
    player *p = arg;
    for (uint32_t turn = p->parity; turn < 2 * ROUNDS; turn += 2) {
        for (;;) {
            uint32_t v = call_on(p->inst, "load", 0, 0, 0);
            if (v == turn) break;
            call_on(p->inst, "wait32", 0, v, (uint64_t)-1);
        }
        call_on(p->inst, "add", 0, 1, 0);
        call_on(p->inst, "notify", 0, 1, 0);
    }
    p->ok = true;
}

static void *play_on_own_stack(void *arg) {
    CHECK(rt_run_on_thread(0, play, arg) == 0);
    return NULL;
}

static void test_threads(void) {
    rt_module *m = load("mod_atomic", NULL);
    rt_trap_info trap;
    rt_error err;
    rt_instance *a = rt_instance_new(m, NULL, &trap, &err);
    CHECK(a && a->memory->shared);
    rt_instance_options opts = {.use_memory = a->memory};
    rt_instance *b = rt_instance_new(m, &opts, &trap, &err);
    CHECK(b && b->memory == a->memory);
    rt_value io[3] = {{.i32 = 2}, {.i32 = 0}, {.i64 = 0}};
    CHECK(!rt_invoke_export(a, "wait32", io, &trap, &err));
    CHECK(trap.kind == RT_TRAP_UNALIGNED_ATOMIC);
    io[0].i32 = 0;
    io[1].i32 = 0;
    io[2].i64 = 1000000; /* 1 ms */
    CHECK(rt_invoke_export(a, "wait32", io, &trap, &err) && io[0].i32 == 2);

    player pa = {a, 0, false}, pb = {b, 1, false};
    pthread_t t;
    CHECK(pthread_create(&t, NULL, play_on_own_stack, &pb) == 0);
    play(&pa);
    pthread_join(t, NULL);
    CHECK(pa.ok && pb.ok && call_on(a, "load", 0, 0, 0) == 2 * ROUNDS);
    rt_instance_free(b);
    rt_instance_free(a);
    rt_module_free(m);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    return remove(path);
}

int main(void) {
    CHECK(mkdtemp(cache_dir));
    RUN(test_load_and_cache);
    RUN(test_run);
    RUN(test_threads);
    nftw(cache_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

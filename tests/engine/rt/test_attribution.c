/*
 * test_attribution.c — which wasm function a trap names (rt_trap_info.func_index / .module).
 *
 * attribution.wat (with attribution_lib.wat, whose export it imports) is loaded through the whole
 * pipeline at -O1 and -O2, with no_cache (so the runtime must read the object's symbol table
 * before the object is deleted, right after dlopen), and every kind of trap is checked against the
 * function that raised it:
 *   - explicit traps of generated code (division, unreachable, float->int conversion,
 *     call_indirect) in small functions that gcc inlines into their exported callers: the trap
 *     names the callee, not the caller it was inlined into;
 *   - a trap raised inside a runtime service (memory.fill out of bounds) and by a host function:
 *     the wasm function that called it;
 *   - a fault (out-of-bounds load): the function whose code faulted;
 *   - a trap in a function imported from another module: that module and its function.
 * It also checks that a no_cache load leaves no file behind in $TMPDIR.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <ftw.h>
#include <unistd.h>

#include "rt_test.h"

static char tmp_dir[] = "/tmp/granny-rt-attr-XXXXXX";

static rt_module *load(const char *name, int opt_level) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", RT_TEST_DIR, name);
    size_t len;
    uint8_t *bytes = test_read_file(path, &len);
    rt_load_options opts = {.no_cache = true, .opt_level = opt_level};
    rt_error err;
    rt_module *m = rt_module_load(bytes, len, &opts, NULL, &err);
    free(bytes);
    if (!m) fprintf(stderr, "loading %s: %s\n", name, err.msg);
    CHECK(m);
    return m;
}

static bool dir_is_empty(const char *path) {
    DIR *d = opendir(path);
    CHECK(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            fprintf(stderr, "  left behind: %s/%s\n", path, e->d_name);
            n++;
        }
    closedir(d);
    return n == 0;
}

/* ---- imports: a failing host function and the library instance's export ---- */

static rt_instance *lib;

static void host_fail(rt_instance *caller, void *data, rt_value *io) {
    if (io[0].i32 != 0) rt_trap_host("host refused %u", io[0].i32);
}

static bool resolve(void *ctx, const wasm_name *module, const wasm_name *name,
                    wasm_extern_kind kind, rt_extern *out) {
    if (strcmp(module->bytes, "lib") == 0) return rt_instance_export(lib, name->bytes, out);
    return rt_host_resolve(ctx, module, name, kind, out);
}

/* ---- checks ---- */

static rt_instance *inst;

static rt_trap_kind call(const char *export_name, uint32_t arg, rt_trap_info *trap) {
    rt_value io[1] = {{.i32 = arg}};
    rt_error err;
    return rt_invoke_export(inst, export_name, io, trap, &err) ? RT_TRAP_NONE : trap->kind;
}

/* Calls export_name(arg), which must trap with `kind` in function `func` of `module`. */
static rt_trap_info expect(const char *export_name, uint32_t arg, rt_trap_kind kind,
                           const rt_module *module, const char *func) {
    rt_trap_info t;
    rt_trap_kind got = call(export_name, arg, &t);
    const char *name = got != RT_TRAP_NONE && t.module && t.func_index != UINT32_MAX
                           ? rt_module_func_name(t.module, t.func_index)
                           : NULL;
    if (got != kind || t.module != module || !name || strcmp(name, func) != 0) {
        fprintf(stderr, "  %s(%u): trap %d (%s) in %s (function %u), expected %d in %s\n",
                export_name, arg, got, t.msg, name ? name : "?", t.func_index, kind, func);
        exit(1);
    }
    return t;
}

static void test_at_level(int opt_level) {
    rt_module *lib_module = load("attribution_lib", opt_level);
    rt_module *m = load("attribution", opt_level);
    CHECK(dir_is_empty(tmp_dir)); /* no_cache objects are deleted once mapped */
    rt_trap_info trap;
    rt_error err;
    lib = rt_instance_new(lib_module, NULL, &trap, &err);
    CHECK(lib);
    rt_host_registry *hosts = rt_host_registry_new();
    CHECK(rt_host_register(hosts, "env", "fail", "i:i", host_fail, NULL));
    rt_instance_options opts = {.resolve = resolve, .resolve_ctx = hosts};
    inst = rt_instance_new(m, &opts, &trap, &err);
    if (!inst) fprintf(stderr, "%s\n", err.msg);
    CHECK(inst);

    CHECK(call("call_divide", 2, &trap) == RT_TRAP_NONE);
    expect("call_divide", 0, RT_TRAP_DIV_ZERO, m, "divide");
    CHECK(call("call_boom", 0, &trap) == RT_TRAP_NONE);
    expect("call_boom", 1, RT_TRAP_UNREACHABLE, m, "boom");
    expect("call_convert", 1, RT_TRAP_INT_OVERFLOW, m, "convert");
    expect("call_fill", 65530, RT_TRAP_MEMORY_OOB, m, "fill");
    expect("indirect", 0, RT_TRAP_DIV_ZERO, m, "divide");
    expect("indirect", 1, RT_TRAP_INDIRECT_NULL, m, "indirect");
    expect("indirect", 7, RT_TRAP_INDIRECT_OOB, m, "indirect");
    CHECK(call("host", 0, &trap) == RT_TRAP_NONE);
    trap = expect("host", 5, RT_TRAP_HOST, m, "host");
    CHECK(strcmp(trap.msg, "host refused 5") == 0);
    expect("via_lib", 0, RT_TRAP_DIV_ZERO, lib_module, "lib_divide");
    expect("load", 65535, RT_TRAP_MEMORY_OOB, m, "load");

    rt_instance_free(inst);
    rt_instance_free(lib);
    rt_host_registry_free(hosts);
    rt_module_free(m);
    rt_module_free(lib_module);
}

int main(void) {
    CHECK(mkdtemp(tmp_dir));
    setenv("TMPDIR", tmp_dir, 1);
    test_at_level(1);
    printf("ok attribution at -O1\n");
    test_at_level(2);
    printf("ok attribution at -O2\n");
    CHECK(dir_is_empty(tmp_dir));
    rmdir(tmp_dir);
    return 0;
}

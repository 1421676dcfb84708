/*
 * wasm_main.c — perf driver for translated modules: loads a .wasm through the engine (translate,
 * compile, cache), instantiates it without imports and times its exported `run` (best of R runs,
 * compilation excluded). Prints "seconds checksum" like native_main.c.
 *   xlat_perf_run module.wasm [reps] [cache_dir]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/rt/runtime.h"

static void *run_thread_arg;
static double best_time, result;
static int reps;

static void bench(void *arg) {
    rt_instance *inst = arg;
    best_time = 1e30;
    for (int i = 0; i < reps; i++) {
        rt_value io[1];
        rt_trap_info trap;
        rt_error err;
        struct timespec a, b;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
        if (!rt_invoke_export(inst, "run", io, &trap, &err)) {
            fprintf(stderr, "run: %s%s\n", trap.msg, err.msg);
            exit(1);
        }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
        double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
        if (t < best_time) best_time = t;
        result = io[0].f64;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: xlat_perf_run module.wasm [reps] [cache_dir]\n");
        return 2;
    }
    reps = argc > 2 ? atoi(argv[2]) : 3;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *bytes = malloc((size_t)n);
    if (!bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n) return 1;
    fclose(f);
    rt_load_options o;
    memset(&o, 0, sizeof o);
    o.cache_dir = argc > 3 ? argv[3] : NULL;
    rt_load_stats st;
    rt_error err;
    rt_module *m = rt_module_load(bytes, (size_t)n, &o, &st, &err);
    if (!m) {
        fprintf(stderr, "load: %s\n", err.msg);
        return 1;
    }
    rt_trap_info trap;
    rt_instance *inst = rt_instance_new(m, NULL, &trap, &err);
    if (!inst) {
        fprintf(stderr, "instantiate: %s %s\n", err.msg, trap.msg);
        return 1;
    }
    (void)run_thread_arg;
    rt_run_on_thread(0, bench, inst);
    printf("%.4f %.17g\n", best_time, result);
    fprintf(stderr, "compile %.0f ms (cache %s)\n", st.compile_ms, st.cache_hit ? "hit" : "miss");
    rt_instance_free(inst);
    rt_module_free(m);
    free(bytes);
    return 0;
}

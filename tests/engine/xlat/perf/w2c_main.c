/* wasm2c peer driver for the perf kernels (no imports): times Z_moduleZ_run, best of R runs.
 * Built by perf.sh from `wasm2c -n module k.wasm` output with -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "module.h"
#include "wasm-rt-impl.h"

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 3;
    wasm_rt_init();
    Z_module_init_module();
    Z_module_instance_t inst;
    Z_module_instantiate(&inst);
    double best = 1e30, r = 0;
    for (int i = 0; i < reps; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
        r = Z_moduleZ_run(&inst);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
        double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
        if (t < best) best = t;
    }
    printf("%.4f %.17g\n", best, r);
    Z_module_free(&inst);
    wasm_rt_free();
    return 0;
}

/* Entry points called with bad arguments, as a corrupted or hand-written program could: each
 * case must end in a trap with a clear message, never crash the host. The case is argv[1]. */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct ident ident;
void __kmpc_fork_call(ident *loc, int argc, void *microtask, ...);
void __kmpc_critical(ident *loc, int gtid, void *name);
void __kmpc_end_serialized_parallel(ident *loc, int gtid);
int __kmpc_omp_task(ident *loc, int gtid, void *task);
void __kmpc_for_static_init_4(ident *loc, int gtid, int sched, int *last, int *lb, int *ub, int *st,
                              int incr, int chunk);

static char buffer[64];

int main(int argc, char **argv) {
    const char *c = argc > 1 ? argv[1] : "";
    int lb = 0, ub = 9, st = 1, last = 0;
    if (!strcmp(c, "fork_bad_function")) __kmpc_fork_call(0, 0, (void *)(uintptr_t)99999);
    if (!strcmp(c, "fork_bad_argc")) __kmpc_fork_call(0, -1, (void *)(uintptr_t)1);
    if (!strcmp(c, "fork_wrong_type")) __kmpc_fork_call(0, 3, (void *)(uintptr_t)1, 1, 2, 3);
    if (!strcmp(c, "critical_misaligned")) __kmpc_critical(0, 0, buffer + 1);
    if (!strcmp(c, "lock_out_of_bounds")) omp_set_lock((omp_lock_t *)(uintptr_t)0xfffffff0u);
    if (!strcmp(c, "end_serialized")) __kmpc_end_serialized_parallel(0, 0);
    if (!strcmp(c, "task_unknown")) __kmpc_omp_task(0, 0, buffer);
    if (!strcmp(c, "loop_zero_step"))
        __kmpc_for_static_init_4(0, 0, 34, &last, &lb, &ub, &st, 0, 0);
    if (!strcmp(c, "loop_bad_pointer"))
        __kmpc_for_static_init_4(0, 0, 34, &last, (int *)(uintptr_t)0xfffffffcu, &ub, &st, 1, 0);
    printf("no error for '%s'\n", c);
    return 0;
}

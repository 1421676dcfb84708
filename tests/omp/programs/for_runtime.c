/* schedule(runtime) with omp_set_schedule; omp_get_schedule. */
#include "omp_test.h"

static int hits[5000];

static void run(omp_sched_t kind, int chunk) {
    omp_set_schedule(kind, chunk);
    omp_sched_t k;
    int c;
    omp_get_schedule(&k, &c);
    for (int i = 0; i < 5000; i++)
        hits[i] = 0;
#pragma omp parallel for schedule(runtime)
    for (int i = 0; i < 5000; i++)
        hits[i]++;
    printf("kind %d chunk %d: once %d\n", (int)k & 0xff, c, count_eq(hits, 5000, 1));
}

int main(void) {
    run(omp_sched_static, 10);
    run(omp_sched_dynamic, 7);
    run(omp_sched_guided, 3);
    int owner[16];
    omp_set_schedule(omp_sched_static, 2);
#pragma omp parallel for schedule(runtime)
    for (int i = 0; i < 16; i++)
        owner[i] = omp_get_thread_num();
    print_ints("static,2", owner, 16);
    return 0;
}

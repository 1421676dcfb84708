/* internal control variables: dynamic, max active levels, nested, schedule, levels outside. */
#include "omp_test.h"

int main(void) {
    printf("dynamic %d\n", omp_get_dynamic());
    omp_set_dynamic(1);
    printf("dynamic after set %d\n", omp_get_dynamic());
    omp_set_dynamic(0);
    printf("max active levels %d\n", omp_get_max_active_levels());
    omp_set_max_active_levels(3);
    printf("after set %d\n", omp_get_max_active_levels());
    omp_set_max_active_levels(1);
    printf("level %d active %d ancestor %d team size %d\n", omp_get_level(), omp_get_active_level(),
           omp_get_ancestor_thread_num(0), omp_get_team_size(0));
    omp_sched_t k;
    int c;
    omp_set_schedule(omp_sched_guided, 4);
    omp_get_schedule(&k, &c);
    printf("schedule %d %d\n", (int)k & 0xff, c);
    int inner_dyn = -1, inner_max = -1;
    omp_set_num_threads(3);
#pragma omp parallel num_threads(2)
#pragma omp master
    {
        inner_dyn = omp_get_dynamic();
        inner_max = omp_get_max_threads();
    }
    printf("inherited dynamic %d max %d\n", inner_dyn, inner_max);
    printf("in_final %d cancellation %d initial device %d\n", omp_in_final(),
           omp_get_cancellation(), omp_is_initial_device());
    printf("procs positive %d limit positive %d\n", omp_get_num_procs() > 0,
           omp_get_thread_limit() > 0);
    return 0;
}

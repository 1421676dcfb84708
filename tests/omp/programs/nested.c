/* nested parallel regions with max-active-levels 2: levels, ancestors, team sizes. */
#include "omp_test.h"

int main(void) {
    omp_set_max_active_levels(2);
    int info[4][4][4];
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 4; c++)
                info[a][b][c] = -9;
#pragma omp parallel num_threads(2)
    {
        int outer = omp_get_thread_num();
#pragma omp parallel num_threads(2)
        {
            int inner = omp_get_thread_num();
            info[outer][inner][0] = omp_get_level();
            info[outer][inner][1] = omp_get_active_level();
            info[outer][inner][2] = omp_get_ancestor_thread_num(1);
            info[outer][inner][3] = omp_get_team_size(2) * 10 + omp_get_team_size(1);
        }
    }
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 2; i++)
            print_ints("info", info[o][i], 4);
    long total = 0;
#pragma omp parallel num_threads(2) reduction(+ : total)
    {
#pragma omp parallel for num_threads(2) reduction(+ : total)
        for (int i = 0; i < 1000; i++)
            total += i;
    }
    printf("total %ld\n", total);
    printf("outside: level %d ancestor(0) %d team_size(0) %d bad level %d\n", omp_get_level(),
           omp_get_ancestor_thread_num(0), omp_get_team_size(0), omp_get_ancestor_thread_num(3));
    return 0;
}

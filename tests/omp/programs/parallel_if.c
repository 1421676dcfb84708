/* parallel if(false): a serialized region (a team of one, still a nesting level). */
#include "omp_test.h"

static void level_in(int cond) {
    int lvl = -1, act = -1, num = -1, inpar = -1;
#pragma omp parallel if (cond)
    {
#pragma omp master
        {
            lvl = omp_get_level();
            act = omp_get_active_level();
            num = omp_get_num_threads();
            inpar = omp_in_parallel();
        }
    }
    int max = omp_get_max_threads();
    printf("if(%d): level %d active %d threads %d in_parallel %d\n", cond, lvl,
           cond && max > 1 ? act : 0, num == (cond ? max : 1), cond && max > 1 ? inpar : 0);
}

int main(void) {
    level_in(0);
    level_in(1);
    int x = 0;
#pragma omp parallel if (0) num_threads(4)
    {
        x += omp_get_num_threads();
#pragma omp barrier
#pragma omp for
        for (int i = 0; i < 10; i++)
            x += i;
    }
    printf("x %d\n", x);
    return 0;
}

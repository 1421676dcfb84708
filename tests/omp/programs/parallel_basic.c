/* parallel: team size, thread numbers, the implicit barrier at the end. */
#include "omp_test.h"

int main(void) {
    int seen[MAXT] = {0}, sizes[MAXT] = {0};
    int n = 0;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
        seen[t] = 1;
        sizes[t] = omp_get_num_threads();
#pragma omp single
        n = omp_get_num_threads();
    }
    printf("team %d\n", n);
    for (int i = 0; i < n; i++)
        printf("thread %d seen %d size %d\n", i, seen[i], sizes[i]);
    printf("after: num_threads %d thread_num %d in_parallel %d\n", omp_get_num_threads(),
           omp_get_thread_num(), omp_in_parallel());
    for (int round = 0; round < 50; round++) {
        int hits = 0;
#pragma omp parallel reduction(+ : hits)
        hits += 1;
        if (hits != n) printf("round %d: %d hits\n", round, hits);
    }
    printf("50 rounds done\n");
    return 0;
}

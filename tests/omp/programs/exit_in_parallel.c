/* exit() inside a parallel region ends the whole program with its status. */
#include "omp_test.h"

int main(void) {
    printf("before\n");
    fflush(stdout);
#pragma omp parallel
    {
#pragma omp barrier
        if (omp_get_thread_num() == omp_get_num_threads() - 1) exit(3);
        while (1) {
#pragma omp barrier
        }
    }
    printf("not reached\n");
    return 0;
}

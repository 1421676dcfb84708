/* A trap in one thread (integer division by zero in thread 1) while the other waits in a
 * barrier: the cell must end with the trap, not hang. */
#include <omp.h>
#include <stdio.h>

volatile int zero = 0, hundred = 100;

int main(void) {
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == 1) printf("%d\n", hundred / zero);
#pragma omp barrier
    }
    printf("not reached\n");
    return 0;
}

/* a producer/consumer handshake through a flag with flush (as ParRes p2p does). */
#include "omp_test.h"

int main(void) {
    volatile int flag = 0;
    int data = 0, seen = -1;
#pragma omp parallel num_threads(2)
    {
        if (omp_get_num_threads() == 1) {
            data = 99;
            seen = data;
        } else if (omp_get_thread_num() == 0) {
            data = 99;
#pragma omp flush
            flag = 1;
#pragma omp flush
        } else {
            while (1) {
#pragma omp flush
                if (flag) break;
            }
#pragma omp flush
            seen = data;
        }
    }
    printf("seen %d\n", seen);
    return 0;
}

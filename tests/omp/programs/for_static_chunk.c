/* for schedule(static, chunk): round-robin chunks. */
#include "omp_test.h"

int main(void) {
    int owner[50];
    for (int chunk = 1; chunk <= 7; chunk += 3) {
#pragma omp parallel for schedule(static, chunk)
        for (int i = 0; i < 50; i++)
            owner[i] = omp_get_thread_num();
        printf("chunk %d:", chunk);
        for (int i = 0; i < 50; i++)
            printf("%d", owner[i]);
        printf("\n");
    }
    int last = -1;
#pragma omp parallel for schedule(static, 4) lastprivate(last)
    for (int i = 0; i < 23; i++)
        last = i * 2;
    printf("lastprivate %d\n", last);
    long sum = 0;
#pragma omp parallel for schedule(static, 3) reduction(+ : sum)
    for (int i = 100; i > 0; i -= 2)
        sum += i;
    printf("sum %ld\n", sum);
    return 0;
}

/* collapse(2) and collapse(3). */
#include "omp_test.h"

static int m[30][40];

int main(void) {
    int owner2[6][5];
#pragma omp parallel for collapse(2)
    for (int i = 0; i < 30; i++)
        for (int j = 0; j < 40; j++)
            m[i][j] = i * 40 + j;
    long s = 0;
    for (int i = 0; i < 30; i++)
        for (int j = 0; j < 40; j++)
            s += m[i][j];
    printf("sum %ld\n", s);
#pragma omp parallel for collapse(2) schedule(static)
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 5; j++)
            owner2[i][j] = omp_get_thread_num();
    for (int i = 0; i < 6; i++)
        print_ints("row", owner2[i], 5);
    long c = 0;
#pragma omp parallel for collapse(3) schedule(dynamic, 4) reduction(+ : c)
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 8; j++)
            for (int k = 0; k < 9; k++)
                c += i * j * k;
    printf("triple %ld\n", c);
    return 0;
}

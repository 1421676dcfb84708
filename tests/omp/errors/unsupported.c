/* A construct whose entry point Granny does not provide (task dependences): a clear error naming
 * the entry point when the program gets there. */
#include <omp.h>
#include <stdio.h>

int main(void) {
    int x = 0;
    printf("before\n");
    fflush(stdout);
#pragma omp parallel
#pragma omp single
    {
#pragma omp task depend(out : x)
        x = 1;
#pragma omp task depend(in : x)
        x++;
    }
    printf("x %d\n", x);
    return 0;
}

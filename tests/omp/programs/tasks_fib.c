/* recursive tasks with taskwait. */
#include "omp_test.h"

static long fib(int n) {
    if (n < 2) return n;
    long a, b;
#pragma omp task shared(a) if (n > 10)
    a = fib(n - 1);
#pragma omp task shared(b) if (n > 10)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

int main(void) {
    long r = 0;
#pragma omp parallel
#pragma omp single
    r = fib(22);
    printf("fib(22) = %ld\n", r);
    return 0;
}

/* Recursive Fibonacci: call overhead. */
#include "kernels.h"
static __attribute__((noinline)) int fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
KERNEL {
    volatile int n = 34;
    return (double)fib(n);
}

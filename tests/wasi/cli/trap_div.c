/* trap_div.c — divides by a zero the compiler cannot see: the cell traps (status 134). */
#include <stdio.h>

__attribute__((noinline)) int divide(int a, int b) {
    return a / b;
}

int main(int argc, char **argv) {
    (void)argv;
    printf("before the trap\n");
    fflush(stdout);
    return divide(10, argc - 1);
}

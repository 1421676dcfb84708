/* hello.c — the smallest program: print a line and the argument count.
 * ARGS: a b c
 */
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    printf("hello from a cell, %d arguments\n", argc - 1);
    return 0;
}

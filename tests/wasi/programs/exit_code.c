/* exit_code.c — exit(n) with buffered output pending: the output is flushed and the status kept.
 * ARGS: 42
 * EXIT: 42
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int code = argc > 1 ? atoi(argv[1]) : 1;
    printf("exiting with %d\n", code);
    exit(code);
}

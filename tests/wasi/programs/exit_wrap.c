/* exit_wrap.c — exit statuses are taken modulo 256, as by a shell.
 * ARGS: 300
 * EXIT: 44
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int code = atoi(argv[argc - 1]);
    printf("exit(%d)\n", code);
    fflush(stdout);
    _Exit(code);
}

/* exit_code.c — exits with the status given as argv[1] (proc_exit), or returns 0. */
#include <stdlib.h>

int main(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 0;
}

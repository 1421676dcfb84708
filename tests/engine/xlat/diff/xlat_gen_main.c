/*
 * xlat_gen_main.c — command-line front of the module generator (xlat_gen.c):
 *   xlat_gen SEED > module.wat
 */
#include <stdio.h>
#include <stdlib.h>

#include "xlat_gen.h"

int main(int argc, char **argv) {
    char *end = NULL;
    unsigned long long seed = argc == 2 ? strtoull(argv[1], &end, 10) : 0;
    if (argc != 2 || !end || *end || end == argv[1]) {
        fprintf(stderr, "usage: xlat_gen SEED > module.wat\n");
        return 2;
    }
    if (!xgen_write_module(seed, stdout)) {
        fprintf(stderr, "xlat_gen: out of memory or write error\n");
        return 1;
    }
    return 0;
}

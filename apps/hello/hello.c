/*
 * hello.c — the smallest Granny application: prints a greeting and its command-line arguments.
 *
 * It is plain C with nothing Granny-specific, so it builds natively (`cc hello.c`) and to
 * WebAssembly (`granny-cc hello.c -o hello.wasm`) from the same source, and `granny run hello.wasm
 * a b` must print exactly what `./a.out a b` prints, apart from argv[0]. scripts/demo.sh runs it.
 */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("Hello from Granny! %d argument%s\n", argc - 1, argc == 2 ? "" : "s");
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}

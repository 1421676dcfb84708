/* alloc.c — allocates argv[1] MiB; prints whether it worked (memory growth may be capped).
 * The pointer escapes through a volatile global, or clang would remove the allocation and assume
 * it succeeded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *volatile alloc_sink;

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 1;
    char *p = malloc(mib << 20);
    if (!p) {
        printf("allocation of %zu MiB failed\n", mib);
        return 3;
    }
    alloc_sink = p;
    memset(p, 1, mib << 20);
    printf("allocated %zu MiB\n", mib);
    return 0;
}

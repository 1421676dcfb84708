/* file_stdout_large.c — a large amount of standard output, in many printf calls and one fwrite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    for (int i = 0; i < 20000; i++)
        printf("%06d %s\n", i, (i % 7) ? "tick" : "TOCK");
    size_t n = 1 << 20;
    char *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)('a' + i % 26);
    for (size_t i = 99; i < n; i += 100)
        buf[i] = '\n';
    fwrite(buf, 1, n, stdout);
    printf("\ndone\n");
    free(buf);
    return 0;
}

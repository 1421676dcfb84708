/* stderr_split.c — standard error is separate from standard output (only stdout is compared);
 * stdout buffering and explicit flushes keep the order of stdout lines. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("out 1\n");
    fprintf(stderr, "err 1\n");
    fflush(stdout);
    if (write(1, "out 2 (write)\n", 14) != 14) return 1;
    fprintf(stderr, "err 2\n");
    printf("out 3\n");
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("out 4 unbuffered\n");
    perror("perror line goes to stderr");
    return 0;
}

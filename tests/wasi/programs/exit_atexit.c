/* exit_atexit.c — atexit handlers run in reverse order, then status 3.
 * EXIT: 3
 */
#include <stdio.h>
#include <stdlib.h>

static void first(void) {
    printf("handler registered first runs last\n");
}
static void second(void) {
    printf("handler registered second runs first\n");
}

int main(void) {
    atexit(first);
    atexit(second);
    printf("main done\n");
    exit(3);
}

/* exit_return.c — the value returned by main is the exit status.
 * EXIT: 7
 */
#include <stdio.h>

int main(void) {
    printf("returning 7 from main\n");
    return 7;
}

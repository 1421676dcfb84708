/* abort.c — abort() ends the program with status 134: SIGABRT natively, a trap in a cell.
 * EXIT: 134
 */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("about to abort\n");
    fflush(stdout);
    abort();
}

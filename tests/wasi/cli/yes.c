/* yes.c — writes lines until a write fails (a closed pipe gives EPIPE), then exits with 5. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    for (long i = 0;; i++) {
        if (write(1, "y\n", 2) != 2) return 5;
        if (i > 100000000) return 6;
    }
}

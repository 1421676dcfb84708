/* Globals, statics, floating point, function pointers and the environment across suspensions. */
#include <granny.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double integral;
static int (*op)(int, int);
static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b % 1000003; }

int main(int argc, char **argv) {
    const char *who = getenv("WHO");
    printf("args %d, first %s, WHO=%s\n", argc, argc > 1 ? argv[1] : "-", who ? who : "(unset)");
    int acc = 1;
    for (int step = 0; step < 8; step++) {
        op = step % 2 ? mul : add;
        acc = op(acc, step + 3);
        for (int k = 0; k < 1000; k++) integral += sin(k * 0.001 + step) * 0.001;
        granny_checkpoint();
        printf("step %d acc %d integral %.12f\n", step, acc, integral);
    }
    return 0;
}

/* stack_overflow.c — unbounded recursion ends as the trap "call stack exhausted", not a crash.
 * (The division keeps clang and gcc from turning the recursion into a loop.) */
#include <stdio.h>

__attribute__((noinline)) static unsigned long recurse(unsigned long n) {
    if (n == ~0ul) return 0;
    return recurse(n + 1) / 2 + n;
}

int main(int argc, char **argv) {
    (void)argv;
    printf("%lu\n", recurse((unsigned long)argc));
    return 0;
}

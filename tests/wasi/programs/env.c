/* env.c — the environment is exactly what the runner gives: getenv, environ, setenv/unsetenv.
 * ENV: GREETING=hello EMPTY= NUMBER=42 PATHLIKE=/a:/b:/c WITH_EQUALS=a=b=c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

extern char **environ;

int main(void) {
    const char *names[] = {"GREETING", "EMPTY", "NUMBER", "PATHLIKE", "WITH_EQUALS", "MISSING"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        printf("%s=%s\n", names[i], v ? v : "(unset)");
    }
    int n = 0;
    const char *all[64];
    for (char **e = environ; *e && n < 64; e++)
        all[n++] = *e;
    qsort(all, (size_t)n, sizeof all[0], cmp_str);
    printf("%d variables:\n", n);
    for (int i = 0; i < n; i++)
        printf("  %s\n", all[i]);
    setenv("ADDED", "yes", 1);
    unsetenv("GREETING");
    printf("after: ADDED=%s GREETING=%s\n", getenv("ADDED"),
           getenv("GREETING") ? "set" : "(unset)");
    printf("NUMBER+1=%d\n", atoi(getenv("NUMBER")) + 1);
    return 0;
}

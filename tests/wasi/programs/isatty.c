/* isatty.c — standard streams redirected to files are not terminals; fileno, fdopen, fstat of
 * the standard streams.
 * STDIN: stdin_text.txt
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    printf("isatty(0)=%d isatty(1)=%d\n", isatty(0), isatty(1));
    struct stat st;
    fstat(0, &st);
    printf("stdin is a regular file: %s\n", S_ISREG(st.st_mode) ? "yes" : "no");
    printf("fileno(stdin)=%d fileno(stdout)=%d fileno(stderr)=%d\n", fileno(stdin), fileno(stdout),
           fileno(stderr));
    FILE *in = fdopen(0, "r");
    char line[64];
    if (in && fgets(line, sizeof line, in)) printf("first line via fdopen: %s", line);
    printf("lseek on stdin: %ld\n", (long)lseek(0, 0, SEEK_SET));
    return 0;
}

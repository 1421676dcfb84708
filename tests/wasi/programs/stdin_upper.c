/* stdin_upper.c — read standard input line by line, upper-case it, count lines and bytes.
 * STDIN: stdin_text.txt
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    char line[512];
    int lines = 0;
    size_t bytes = 0;
    while (fgets(line, sizeof line, stdin)) {
        lines++;
        bytes += strlen(line);
        for (char *p = line; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        fputs(line, stdout);
    }
    printf("%d lines, %zu bytes, eof=%d\n", lines, bytes, feof(stdin) ? 1 : 0);
    return 0;
}

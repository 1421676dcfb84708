/* args.c — program arguments arrive intact: spaces, empty strings, UTF-8, long ones.
 * ARGS: alpha "two words" "" "ünïcødé ✓" --flag=1 -x 12345678901234567890
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    return 0;
}

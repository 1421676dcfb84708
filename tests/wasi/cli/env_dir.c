/* env_dir.c — prints $NAME and the first line of FILE (argv[1]), to check --env and --dir. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    const char *v = getenv("NAME");
    printf("NAME=%s\n", v ? v : "(unset)");
    if (argc > 1) {
        FILE *f = fopen(argv[1], "r");
        char line[128];
        if (!f || !fgets(line, sizeof line, f)) {
            printf("cannot read %s\n", argv[1]);
            return 1;
        }
        printf("%s", line);
        fclose(f);
    }
    return 0;
}

/* chdir.c — changing the working directory: relative paths then resolve from there. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    mkdir("work", 0755);
    mkdir("work/inner", 0755);
    report("chdir work", chdir("work"));
    FILE *f = fopen("made-in-work.txt", "w");
    printf("create relative: %s\n", f ? "OK" : errname(errno));
    if (f) fclose(f);
    report("chdir inner", chdir("inner"));
    report("chdir ..", chdir(".."));
    report("access relative", access("made-in-work.txt", F_OK));
    report("chdir missing", chdir("missing"));
    report("chdir a file", chdir("made-in-work.txt"));
    report("chdir ..", chdir(".."));
    report("access from top", access("work/made-in-work.txt", F_OK));
    return 0;
}

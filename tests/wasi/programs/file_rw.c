/* file_rw.c — stdio files: write lines with fprintf, read them back with fgets, reopen in r+ and
 * overwrite in the middle, read with fread. */
#include <stdio.h>
#include <string.h>

#include "common.h"

int main(void) {
    FILE *f = fopen("lines.txt", "w");
    if (!f) die("fopen w");
    for (int i = 1; i <= 20; i++)
        fprintf(f, "line %02d: %d squared is %d\n", i, i, i * i);
    if (fclose(f) != 0) die("fclose");
    f = fopen("lines.txt", "r");
    if (!f) die("fopen r");
    char buf[128];
    int n = 0;
    while (fgets(buf, sizeof buf, f)) {
        if (++n % 5 == 0) fputs(buf, stdout);
    }
    printf("read %d lines\n", n);
    fclose(f);
    f = fopen("lines.txt", "r+");
    if (!f) die("fopen r+");
    fseek(f, 9, SEEK_SET);
    fputs("ONE", f);
    fseek(f, 0, SEEK_SET);
    size_t k = fread(buf, 1, 40, f);
    buf[k] = '\0';
    printf("after overwrite: %s", buf);
    printf("\nftell=%ld\n", ftell(f));
    fseek(f, 0, SEEK_END);
    printf("size=%ld\n", ftell(f));
    fclose(f);
    f = fopen("missing.txt", "r");
    printf("fopen missing: %s\n", f ? "opened?!" : errname(errno));
    return 0;
}

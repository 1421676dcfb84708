/* basedir.c — work below a directory given as argv[1] ("." natively, "/sandbox" in the cell):
 * absolute guest paths resolve through the preopen of that name.
 * BASEDIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    const char *base = argv[1];
    char p[512];
    snprintf(p, sizeof p, "%s/data", base);
    report("mkdir data", mkdir(p, 0755));
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/data/file%d.txt", base, i);
        FILE *f = fopen(p, "w");
        if (!f) die("fopen");
        fprintf(f, "file %d\n", i);
        fclose(f);
    }
    snprintf(p, sizeof p, "%s/data", base);
    DIR *d = opendir(p);
    if (!d) die("opendir");
    char *names[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 16)
        if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    for (int i = 0; i < n; i++)
        printf("%s\n", names[i]);
    snprintf(p, sizeof p, "%s/data/../data/./file3.txt", base);
    FILE *f = fopen(p, "r");
    char line[32] = "";
    if (f && fgets(line, sizeof line, f)) printf("dotted path: %s", line);
    if (f) fclose(f);
    return 0;
}

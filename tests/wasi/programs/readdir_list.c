/* readdir_list.c — opendir/readdir: every entry once, with its type; rewinddir starts over. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int list(const char *dir, char **names, char *types) {
    DIR *d = opendir(dir);
    if (!d) die("opendir");
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        names[n] = strdup(e->d_name);
        types[n] = e->d_type == DT_DIR   ? 'd'
                   : e->d_type == DT_REG ? 'f'
                   : e->d_type == DT_LNK ? 'l'
                                         : '?';
        n++;
    }
    rewinddir(d);
    int again = 0;
    while ((e = readdir(d)) != NULL)
        again++;
    printf("rewinddir sees %d entries with . and ..\n", again);
    closedir(d);
    return n;
}

int main(void) {
    mkdir("top", 0755);
    const char *files[] = {"zeta.txt",     "alpha.txt", "Mixed Case",
                           "with space.c", "émoji-✓",   ".hidden"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[64];
        snprintf(p, sizeof p, "top/%s", files[i]);
        FILE *f = fopen(p, "w");
        if (!f) die("fopen");
        fclose(f);
    }
    mkdir("top/subdir", 0755);
    symlink("alpha.txt", "top/link");
    char *names[32];
    char types[32];
    int n = list("top", names, types);
    /* sort names and types together */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
                char c = types[i];
                types[i] = types[j];
                types[j] = c;
            }
    printf("%d entries:\n", n);
    for (int i = 0; i < n; i++)
        printf("  %c %s\n", types[i], names[i]);
    DIR *d = opendir("missing");
    printf("opendir missing: %s\n", d ? "opened?!" : errname(errno));
    d = opendir("top/alpha.txt");
    printf("opendir a file: %s\n", d ? "opened?!" : errname(errno));
    return 0;
}

/* readdir_many.c — a directory of 1500 entries with long names is listed completely (several
 * fd_readdir calls continue from cookies), then emptied while a second listing is checked. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define N 1500

int main(void) {
    mkdir("many", 0755);
    char p[300];
    for (int i = 0; i < N; i++) {
        snprintf(
            p, sizeof p, "many/entry-%04d-%s", i,
            i % 3
                ? "short"
                : "a-much-longer-name-that-takes-more-room-in-the-readdir-buffer-xxxxxxxxxxxxxxxx");
        FILE *f = fopen(p, "w");
        if (!f) die("fopen");
        if (i % 100 == 0) fprintf(f, "%d", i);
        fclose(f);
    }
    DIR *d = opendir("many");
    if (!d) die("opendir");
    static char seen[N];
    int count = 0, dups = 0;
    unsigned long long sumlen = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        int idx = -1;
        if (sscanf(e->d_name, "entry-%d-", &idx) != 1 || idx < 0 || idx >= N) continue;
        dups += seen[idx]++ != 0;
        count++;
        sumlen += strlen(e->d_name);
    }
    closedir(d);
    int missing = 0;
    for (int i = 0; i < N; i++)
        missing += !seen[i];
    printf("listed %d entries, %d missing, %d duplicates, name bytes %llu\n", count, missing, dups,
           sumlen);
    int removed = 0;
    for (int i = 0; i < N; i++) {
        snprintf(
            p, sizeof p, "many/entry-%04d-%s", i,
            i % 3
                ? "short"
                : "a-much-longer-name-that-takes-more-room-in-the-readdir-buffer-xxxxxxxxxxxxxxxx");
        removed += unlink(p) == 0;
    }
    printf("removed %d, rmdir: %s\n", removed, rmdir("many") == 0 ? "OK" : errname(errno));
    return 0;
}

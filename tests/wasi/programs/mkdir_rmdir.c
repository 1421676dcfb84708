/* mkdir_rmdir.c — creating and removing directory trees, and the errors on the way. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    report("mkdir a", mkdir("a", 0755));
    report("mkdir a again", mkdir("a", 0755));
    report("mkdir a/b", mkdir("a/b", 0755));
    report("mkdir a/b/c/", mkdir("a/b/c/", 0755));
    report("mkdir x/y (no x)", mkdir("x/y", 0755));
    FILE *f = fopen("a/file", "w");
    fclose(f);
    report("mkdir a/file/sub", mkdir("a/file/sub", 0755));
    report("rmdir a (not empty)", rmdir("a"));
    report("rmdir a/file", rmdir("a/file"));
    report("rmdir a/b/c", rmdir("a/b/c"));
    report("rmdir a/b/c again", rmdir("a/b/c"));
    report("rmdir a/b/", rmdir("a/b/"));
    report("unlink a/file", unlink("a/file"));
    report("rmdir a", rmdir("a"));
    struct stat st;
    report("stat a", stat("a", &st));
    /* A deep tree. */
    char path[512] = "deep";
    for (int i = 0; i < 30; i++) {
        if (mkdir(path, 0755) != 0) die("mkdir deep");
        snprintf(path + strlen(path), sizeof path - strlen(path), "/d%d", i);
    }
    report("stat deep chain", stat("deep/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10", &st));
    int removed = 0;
    for (;;) {
        char *slash = strrchr(path, '/');
        if (!slash) break;
        *slash = '\0';
        if (rmdir(path) == 0) removed++;
    }
    removed += rmdir(path) == 0;
    printf("removed %d directories\n", removed);
    return 0;
}

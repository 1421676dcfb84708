/* stat_types.c — stat, fstat and lstat: file types, sizes, link counts; errors for missing paths
 * and for a path through a file. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static const char *type_of(mode_t m) {
    if (S_ISREG(m)) return "regular";
    if (S_ISDIR(m)) return "directory";
    if (S_ISLNK(m)) return "symlink";
    return "other";
}

static void show(const char *path) {
    struct stat st, lst;
    if (stat(path, &st) != 0) {
        printf("%-12s stat: %s\n", path, errname(errno));
        return;
    }
    lstat(path, &lst);
    printf("%-12s %-9s (lstat %-9s) size %-5lld links %lld\n", path, type_of(st.st_mode),
           type_of(lst.st_mode), S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size,
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_nlink);
}

int main(void) {
    FILE *f = fopen("file.txt", "w");
    fputs("twelve bytes", f);
    fclose(f);
    mkdir("dir", 0755);
    symlink("file.txt", "link");
    link("file.txt", "hard");
    show("file.txt");
    show("dir");
    show("link");
    show("hard");
    show("missing");
    show("file.txt/x");
    int fd = open("file.txt", O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    printf("fstat: %s size %lld\n", type_of(st.st_mode), (long long)st.st_size);
    close(fd);
    fd = open("dir", O_RDONLY | O_DIRECTORY);
    fstat(fd, &st);
    printf("fstat dir: %s\n", type_of(st.st_mode));
    close(fd);
    struct stat a, b;
    stat("file.txt", &a);
    stat("hard", &b);
    printf("hard link is the same file: %s\n",
           a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "yes" : "no");
    printf("access F_OK: file %d, missing %d\n", access("file.txt", F_OK), access("nope", F_OK));
    return 0;
}

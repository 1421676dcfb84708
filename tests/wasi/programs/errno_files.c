/* errno_files.c — the errors of open(2) and friends come back with the right errno. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void try_open(const char *what, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    printf("%-28s %s\n", what, fd < 0 ? errname(errno) : "OK");
    if (fd >= 0) close(fd);
}

int main(void) {
    FILE *f = fopen("exists", "w");
    fclose(f);
    mkdir("dir", 0755);
    try_open("missing", "missing", O_RDONLY);
    try_open("missing/child", "missing/child", O_RDONLY);
    try_open("create excl existing", "exists", O_WRONLY | O_CREAT | O_EXCL);
    try_open("create new", "new", O_WRONLY | O_CREAT | O_EXCL);
    try_open("write a directory", "dir", O_WRONLY);
    try_open("read a directory", "dir", O_RDONLY);
    try_open("O_DIRECTORY on file", "exists", O_RDONLY | O_DIRECTORY);
    try_open("file as directory", "exists/x", O_RDONLY);
    try_open("trailing slash on file", "exists/", O_RDONLY);
    try_open("create in missing dir", "nodir/f", O_WRONLY | O_CREAT);
    char name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    try_open("name of 299 bytes", name, O_RDONLY);
    int fd = open("exists", O_RDONLY);
    char c;
    printf("%-28s %s\n", "write to read-only fd", write(fd, "x", 1) < 0 ? errname(errno) : "OK");
    close(fd);
    fd = open("exists", O_WRONLY);
    printf("%-28s %s\n", "read from write-only fd", read(fd, &c, 1) < 0 ? errname(errno) : "OK");
    close(fd);
    printf("%-28s %s\n", "close a closed fd", close(fd) < 0 ? errname(errno) : "OK");
    printf("%-28s %s\n", "read fd 57", read(57, &c, 1) < 0 ? errname(errno) : "OK");
    printf("%-28s %s\n", "lseek on a closed fd",
           lseek(fd, 0, SEEK_SET) < 0 ? errname(errno) : "OK");
    return 0;
}

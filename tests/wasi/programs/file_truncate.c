/* file_truncate.c — ftruncate and truncate grow and shrink files; O_TRUNC empties them. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static long size_of(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

int main(void) {
    int fd = open("t.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    if (write(fd, "abcdefghij", 10) != 10) die("write");
    printf("written: %ld\n", size_of("t.dat"));
    report("ftruncate 4", ftruncate(fd, 4));
    printf("size: %ld\n", size_of("t.dat"));
    report("ftruncate 4096", ftruncate(fd, 4096));
    printf("size: %ld\n", size_of("t.dat"));
    char buf[8];
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, 6);
    printf("read %zd: %.4s then %d %d\n", n, buf, buf[4], buf[5]);
    close(fd);
    report("truncate 100", truncate("t.dat", 100));
    printf("size: %ld\n", size_of("t.dat"));
    report("truncate missing", truncate("none.dat", 1));
    fd = open("t.dat", O_WRONLY | O_TRUNC);
    printf("after O_TRUNC: %ld\n", size_of("t.dat"));
    close(fd);
    return 0;
}

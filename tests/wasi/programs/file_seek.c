/* file_seek.c — lseek with SEEK_SET, SEEK_CUR and SEEK_END, writing past the end (a hole reads as
 * zeros), negative positions refused. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    int fd = open("seek.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    if (write(fd, "0123456789", 10) != 10) die("write");
    printf("SEEK_SET 3 -> %ld\n", (long)lseek(fd, 3, SEEK_SET));
    printf("SEEK_CUR 2 -> %ld\n", (long)lseek(fd, 2, SEEK_CUR));
    char c;
    if (read(fd, &c, 1) != 1) die("read");
    printf("byte at 5: %c\n", c);
    printf("SEEK_END -1 -> %ld\n", (long)lseek(fd, -1, SEEK_END));
    if (read(fd, &c, 1) != 1) die("read");
    printf("last byte: %c\n", c);
    printf("SEEK_END +100 -> %ld\n", (long)lseek(fd, 100, SEEK_END));
    if (write(fd, "X", 1) != 1) die("write X");
    struct {
        char b[200];
    } buf;
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf.b, sizeof buf.b);
    int zeros = 0;
    for (ssize_t i = 10; i < 110; i++)
        zeros += buf.b[i] == 0;
    printf("size %zd, %d zero bytes in the hole, tail %c\n", n, zeros, buf.b[110]);
    off_t r = lseek(fd, -5, SEEK_SET);
    printf("negative seek: %ld %s\n", (long)r, r < 0 ? errname(errno) : "");
    r = lseek(fd, 0, 42);
    printf("bad whence: %s\n", r < 0 ? errname(errno) : "accepted?!");
    printf("position kept: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    return 0;
}

/* file_pread.c — pread/pwrite at explicit offsets leave the file position where it was. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    int fd = open("p.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    char block[64];
    for (int i = 0; i < 16; i++) {
        memset(block, 'a' + i, sizeof block);
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block) die("write");
    }
    lseek(fd, 100, SEEK_SET);
    if (pwrite(fd, "XYZ", 3, 64 * 5) != 3) die("pwrite");
    char b[8] = {0};
    if (pread(fd, b, 5, 64 * 5 - 1) != 5) die("pread");
    printf("around block 5: %s\n", b);
    printf("position still %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    ssize_t n = pread(fd, b, 8, 64 * 16 - 2);
    printf("pread at the end: %zd bytes\n", n);
    n = pread(fd, b, 8, 5000);
    printf("pread past the end: %zd bytes\n", n);
    if (pwrite(fd, "END", 3, 2000) != 3) die("pwrite far");
    printf("size now %ld\n", (long)lseek(fd, 0, SEEK_END));
    close(fd);
    return 0;
}

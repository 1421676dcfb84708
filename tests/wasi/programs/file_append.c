/* file_append.c — O_APPEND: every write lands at the end, whatever the position; "a+" reads. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    int fd = open("log.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    if (write(fd, "first\n", 6) != 6) die("write");
    close(fd);
    fd = open("log.txt", O_WRONLY | O_APPEND);
    if (fd < 0) die("open append");
    lseek(fd, 0, SEEK_SET);
    if (write(fd, "second\n", 7) != 7) die("write 2");
    printf("position after append: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    FILE *f = fopen("log.txt", "a+");
    if (!f) die("fopen a+");
    fputs("third\n", f);
    fflush(f);
    rewind(f);
    char buf[64];
    while (fgets(buf, sizeof buf, f))
        printf("> %s", buf);
    fclose(f);
    int flags = 0;
    fd = open("log.txt", O_RDWR | O_APPEND);
    flags = fcntl(fd, F_GETFL);
    printf("O_APPEND reported: %s\n", (flags & O_APPEND) ? "yes" : "no");
    fcntl(fd, F_SETFL, flags & ~O_APPEND);
    printf("O_APPEND after clearing: %s\n", (fcntl(fd, F_GETFL) & O_APPEND) ? "yes" : "no");
    lseek(fd, 0, SEEK_SET);
    if (write(fd, "FIRST", 5) != 5) die("write 3");
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    printf("%s", buf);
    close(fd);
    return 0;
}

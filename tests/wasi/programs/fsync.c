/* fsync.c — fsync, fdatasync, posix_fallocate and posix_fadvise on files. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    int fd = open("durable.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    if (write(fd, "data", 4) != 4) die("write");
    report("fsync", fsync(fd));
    report("fdatasync", fdatasync(fd));
    int r = posix_fallocate(fd, 0, 1 << 16);
    printf("posix_fallocate: %s\n", r ? errname(r) : "OK");
    struct stat st;
    fstat(fd, &st);
    printf("size after fallocate: %lld\n", (long long)st.st_size);
    r = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    printf("posix_fadvise: %s\n", r ? errname(r) : "OK");
    r = posix_fadvise(fd, 0, 0, 12345);
    printf("posix_fadvise bad advice: %s\n", r ? errname(r) : "OK");
    close(fd);
    report("fsync closed fd", fsync(fd));
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    report("fsync a directory", fsync(dfd));
    close(dfd);
    return 0;
}

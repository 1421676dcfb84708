/* unlink.c — removing files: an open file stays readable after unlink; errors for directories
 * and missing names. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    int fd = open("doomed.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    if (write(fd, "still here", 10) != 10) die("write");
    report("unlink open file", unlink("doomed.txt"));
    report("access after unlink", access("doomed.txt", F_OK));
    lseek(fd, 0, SEEK_SET);
    char buf[16] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read through open descriptor: %zd \"%s\"\n", n, buf);
    struct stat st;
    fstat(fd, &st);
    printf("links now %lld\n", (long long)st.st_nlink);
    close(fd);
    report("unlink again", unlink("doomed.txt"));
    mkdir("dir", 0755);
    report("unlink a directory", unlink("dir"));
    report("remove() a directory", remove("dir"));
    FILE *f = fopen("r.txt", "w");
    fclose(f);
    report("remove() a file", remove("r.txt"));
    report("unlink with trailing slash", unlink("nothing/"));
    return 0;
}

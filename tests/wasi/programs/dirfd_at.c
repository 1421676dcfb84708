/* dirfd_at.c — the *at calls relative to a directory descriptor: openat, mkdirat, fstatat,
 * renameat, linkat, symlinkat, readlinkat, unlinkat. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    mkdir("base", 0755);
    int dfd = open("base", O_RDONLY | O_DIRECTORY);
    if (dfd < 0) die("open base");
    report("mkdirat sub", mkdirat(dfd, "sub", 0755));
    int fd = openat(dfd, "sub/file", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("openat");
    if (write(fd, "at-calls", 8) != 8) die("write");
    close(fd);
    struct stat st;
    report("fstatat sub/file", fstatat(dfd, "sub/file", &st, 0));
    printf("size %lld\n", (long long)st.st_size);
    report("renameat", renameat(dfd, "sub/file", dfd, "moved"));
    report("linkat", linkat(dfd, "moved", dfd, "sub/linked", 0));
    report("symlinkat", symlinkat("moved", dfd, "sym"));
    char buf[32];
    ssize_t n = readlinkat(dfd, "sym", buf, sizeof buf);
    printf("readlinkat: %.*s\n", (int)(n > 0 ? n : 0), buf);
    report("fstatat nofollow", fstatat(dfd, "sym", &st, AT_SYMLINK_NOFOLLOW));
    printf("is link: %s\n", S_ISLNK(st.st_mode) ? "yes" : "no");
    report("unlinkat sym", unlinkat(dfd, "sym", 0));
    report("unlinkat dir without flag", unlinkat(dfd, "sub", 0));
    report("unlinkat sub/linked", unlinkat(dfd, "sub/linked", 0));
    report("unlinkat dir", unlinkat(dfd, "sub", AT_REMOVEDIR));
    report("faccessat moved", faccessat(dfd, "moved", F_OK, 0));
    fd = openat(dfd, "moved", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    printf("read back: %.*s\n", (int)(n > 0 ? n : 0), buf);
    close(fd);
    close(dfd);
    return 0;
}

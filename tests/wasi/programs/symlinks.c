/* symlinks.c — symlink, readlink, lstat; opening through links, dangling links, loops. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    FILE *f = fopen("target.txt", "w");
    fputs("through the link", f);
    fclose(f);
    mkdir("dir", 0755);
    report("symlink", symlink("target.txt", "link"));
    report("symlink exists", symlink("target.txt", "link"));
    report("dir symlink", symlink("dir", "dirlink"));
    report("relative up symlink", symlink("../target.txt", "dir/up"));
    report("dangling symlink", symlink("nowhere", "dangling"));
    report("loop a", symlink("loop_b", "loop_a"));
    report("loop b", symlink("loop_a", "loop_b"));
    char buf[64];
    ssize_t n = readlink("link", buf, sizeof buf);
    printf("readlink link: %.*s (%zd)\n", (int)(n > 0 ? n : 0), buf, n);
    n = readlink("link", buf, 3);
    printf("readlink truncated: %.*s (%zd)\n", (int)(n > 0 ? n : 0), buf, n);
    n = readlink("target.txt", buf, sizeof buf);
    printf("readlink a file: %s\n", n < 0 ? errname(errno) : "ok?!");
    f = fopen("link", "r");
    if (f && fgets(buf, sizeof buf, f)) printf("via link: %s\n", buf);
    if (f) fclose(f);
    f = fopen("dir/up", "r");
    if (f && fgets(buf, sizeof buf, f)) printf("via dir/up: %s\n", buf);
    if (f) fclose(f);
    f = fopen("dirlink/new.txt", "w");
    printf("create through dir link: %s\n", f ? "OK" : errname(errno));
    if (f) fclose(f);
    struct stat st;
    report("stat dir/new.txt", stat("dir/new.txt", &st));
    printf("open dangling: %s\n", open("dangling", O_RDONLY) < 0 ? errname(errno) : "ok?!");
    printf("open loop: %s\n", open("loop_a", O_RDONLY) < 0 ? errname(errno) : "ok?!");
    printf("open O_NOFOLLOW on link: %s\n",
           open("link", O_RDONLY | O_NOFOLLOW) < 0 ? errname(errno) : "ok?!");
    lstat("dangling", &st);
    printf("lstat dangling: %s, size %lld\n", S_ISLNK(st.st_mode) ? "symlink" : "other",
           (long long)st.st_size);
    report("unlink link", unlink("link"));
    report("target survives", access("target.txt", F_OK));
    int fd = open("dangling", O_WRONLY | O_CREAT, 0644);
    printf("O_CREAT through dangling link: %s\n", fd < 0 ? errname(errno) : "OK");
    if (fd >= 0) close(fd);
    report("nowhere now exists", access("nowhere", F_OK));
    return 0;
}

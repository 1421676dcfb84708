/* utimes.c — setting access and modification times with utimensat and futimens, on files,
 * directories and (without following) symlinks.
 * (Neither UTIME_NOW / UTIME_OMIT nor a NULL `times` is used: Debian's wasi-libc gets them wrong,
 * see docs/wasi.md; the host side of "now" is tested in tests/wasi/test_wasi_unit.c.) */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void show(const char *what, const char *p) {
    struct stat st;
    if (stat(p, &st) != 0) {
        printf("%s: %s\n", what, errname(errno));
        return;
    }
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", what, (long long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void) {
    FILE *f = fopen("f", "w");
    fclose(f);
    struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
    report("utimensat", utimensat(AT_FDCWD, "f", ts, 0));
    show("set both", "f");
    int fd = open("f", O_RDWR);
    struct timespec ts2[2] = {{2000000000, 5}, {1500000000, 0}};
    report("futimens", futimens(fd, ts2));
    close(fd);
    show("futimens", "f");
    struct stat st;
    mkdir("d", 0755);
    report("utimensat dir", utimensat(AT_FDCWD, "d", ts, 0));
    show("dir", "d");
    symlink("f", "l");
    struct timespec lts[2] = {{111, 0}, {222, 0}};
    report("utimensat nofollow", utimensat(AT_FDCWD, "l", lts, AT_SYMLINK_NOFOLLOW));
    struct stat lst;
    lstat("l", &lst);
    printf("link mtime %lld, target mtime changed: %s\n", (long long)lst.st_mtim.tv_sec,
           (stat("f", &st), st.st_mtim.tv_sec == 222) ? "yes" : "no");
    report("utimensat missing", utimensat(AT_FDCWD, "missing", ts, 0));
    return 0;
}

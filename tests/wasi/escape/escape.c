/*
 * escape.c — a hostile guest: tries every way out of its preopened directory that we know of,
 * calling the wasi_snapshot_preview1 functions directly (raw imports), so that wasi-libc cannot
 * normalise or refuse anything before the host sees it. Each attempt must fail with the stated
 * errno; the program prints one line per attempt and exits with the number of failures.
 *
 * run_escape.sh prepares the directory (descriptor 3 = the preopen "box", with planted symlinks
 * to /etc, to ../secret.txt, to an absolute path and to /proc) and afterwards checks that nothing
 * outside the box was read, created or changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMPORT(n) __attribute__((import_module("wasi_snapshot_preview1"), import_name(n)))

IMPORT("path_open")
int32_t w_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t len, int32_t oflags,
                    int64_t base, int64_t inheriting, int32_t fdflags, int32_t out);
IMPORT("fd_read") int32_t w_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t out);
IMPORT("fd_write") int32_t w_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t out);
IMPORT("fd_close") int32_t w_fd_close(int32_t fd);
IMPORT("fd_renumber") int32_t w_fd_renumber(int32_t fd, int32_t to);
IMPORT("fd_prestat_get") int32_t w_fd_prestat_get(int32_t fd, int32_t out);
IMPORT("fd_readdir")
int32_t w_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t out);
IMPORT("fd_fdstat_set_rights") int32_t w_fd_fdstat_set_rights(int32_t fd, int64_t b, int64_t i);
IMPORT("path_filestat_get")
int32_t w_path_filestat_get(int32_t fd, int32_t flags, int32_t path, int32_t len, int32_t out);
IMPORT("path_filestat_set_times")
int32_t w_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path, int32_t len,
                                  int64_t atim, int64_t mtim, int32_t fst);
IMPORT("path_create_directory") int32_t w_path_create_directory(int32_t fd, int32_t p, int32_t l);
IMPORT("path_remove_directory") int32_t w_path_remove_directory(int32_t fd, int32_t p, int32_t l);
IMPORT("path_unlink_file") int32_t w_path_unlink_file(int32_t fd, int32_t p, int32_t l);
IMPORT("path_rename")
int32_t w_path_rename(int32_t fd, int32_t op, int32_t ol, int32_t nfd, int32_t np, int32_t nl);
IMPORT("path_link")
int32_t w_path_link(int32_t ofd, int32_t of, int32_t op, int32_t ol, int32_t nfd, int32_t np,
                    int32_t nl);
IMPORT("path_symlink")
int32_t w_path_symlink(int32_t op, int32_t ol, int32_t fd, int32_t np, int32_t nl);
IMPORT("path_readlink")
int32_t w_path_readlink(int32_t fd, int32_t p, int32_t l, int32_t buf, int32_t bl, int32_t out);

enum {
    OK = 0,
    EBADF = 8,
    EFAULT = 21,
    EINVAL = 28,
    ELOOP = 32,
    ENAMETOOLONG = 37,
    ENOTCAPABLE = 76
};
#define BOX        3
#define FOLLOW     1
#define RIGHTS_ALL ((int64_t)((1ull << 30) - 1))
/* everything but the rights that make path_open ask for write access */
#define RIGHTS_DIR (RIGHTS_ALL & ~(int64_t)(1 | 64 | 256 | (1 << 22)))
#define P(s)       ((int32_t)(uintptr_t)(s))
#define L(s)       ((int32_t)strlen(s))

static int failures, checks;

static void expect(const char *what, int32_t got, int32_t want) {
    checks++;
    int ok = got == want;
    failures += !ok;
    printf("%-58s %3d %s\n", what, got, ok ? "ok" : "FAILED");
}

static int32_t open_path(int32_t dir, const char *path, int32_t dirflags, int32_t oflags,
                         int32_t *fd) {
    int64_t rights = (oflags & 2) ? RIGHTS_DIR : RIGHTS_ALL;
    return w_path_open(dir, dirflags, P(path), L(path), oflags, rights, RIGHTS_ALL, 0, P(fd));
}

static void attempt_open(const char *path, int32_t dirflags, int32_t want) {
    char what[128];
    int32_t fd = -1;
    snprintf(what, sizeof what, "open %s%s", path, dirflags ? "" : " (nofollow)");
    int32_t r = open_path(BOX, path, dirflags, 0, &fd);
    expect(what, r, want);
    if (r == OK) w_fd_close(fd);
}

static char big[8192];

int main(void) {
    int32_t fd;
    /* Plain escapes through the path. */
    attempt_open("../secret.txt", FOLLOW, ENOTCAPABLE);
    attempt_open("..", FOLLOW, ENOTCAPABLE);
    attempt_open("/etc/passwd", FOLLOW, ENOTCAPABLE);
    attempt_open("/", FOLLOW, ENOTCAPABLE);
    attempt_open("sub/../../secret.txt", FOLLOW, ENOTCAPABLE);
    attempt_open("sub/./../sub/../../canary.txt", FOLLOW, ENOTCAPABLE);
    attempt_open("etc_link/../secret.txt", FOLLOW, ENOTCAPABLE);
    /* Planted symlinks. */
    attempt_open("etc_link/passwd", FOLLOW, ENOTCAPABLE);
    attempt_open("etc_link/passwd", 0, ENOTCAPABLE);
    attempt_open("etc_link", FOLLOW, ENOTCAPABLE);
    attempt_open("etc_link/", 0, ENOTCAPABLE);
    attempt_open("secret_rel", FOLLOW, ENOTCAPABLE);
    attempt_open("secret_abs", FOLLOW, ENOTCAPABLE);
    attempt_open("parent_link/canary.txt", FOLLOW, ENOTCAPABLE);
    attempt_open("sub/deep_link", FOLLOW, ENOTCAPABLE);
    attempt_open("proc_link/etc/passwd", FOLLOW, ENOTCAPABLE);
    attempt_open("proc_self_fd/3/../secret.txt", FOLLOW, ENOTCAPABLE);
    /* Symlinks the guest makes itself. */
    expect("symlink mine -> ../secret.txt (inert)",
           w_path_symlink(P("../secret.txt"), 13, BOX, P("mine"), 4), OK);
    attempt_open("mine", FOLLOW, ENOTCAPABLE);
    expect("symlink abs -> /etc/passwd", w_path_symlink(P("/etc/passwd"), 11, BOX, P("abs"), 3),
           ENOTCAPABLE);
    expect("symlink la -> lb", w_path_symlink(P("lb"), 2, BOX, P("la"), 2), OK);
    expect("symlink lb -> la", w_path_symlink(P("la"), 2, BOX, P("lb"), 2), OK);
    attempt_open("la", FOLLOW, ELOOP);
    expect("symlink self -> self", w_path_symlink(P("self"), 4, BOX, P("self"), 4), OK);
    attempt_open("self/x", FOLLOW, ELOOP);
    expect("symlink up -> ..", w_path_symlink(P(".."), 2, BOX, P("up"), 2), OK);
    attempt_open("up/secret.txt", FOLLOW, ENOTCAPABLE);
    expect("symlink into the planted link", w_path_symlink(P("etc_link"), 8, BOX, P("e2"), 2), OK);
    attempt_open("e2/passwd", FOLLOW, ENOTCAPABLE);
    /* Rename and hard links out of (or into) the box. */
    expect("rename file.txt -> ../stolen.txt",
           w_path_rename(BOX, P("file.txt"), 8, BOX, P("../stolen.txt"), 13), ENOTCAPABLE);
    expect("rename ../canary.txt -> got.txt",
           w_path_rename(BOX, P("../canary.txt"), 13, BOX, P("got.txt"), 7), ENOTCAPABLE);
    expect("rename sub -> ../outside/sub",
           w_path_rename(BOX, P("sub"), 3, BOX, P("../outside/sub"), 14), ENOTCAPABLE);
    expect("rename file.txt -> parent_link/x",
           w_path_rename(BOX, P("file.txt"), 8, BOX, P("parent_link/x"), 13), ENOTCAPABLE);
    expect("link ../secret.txt -> hl", w_path_link(BOX, 0, P("../secret.txt"), 13, BOX, P("hl"), 2),
           ENOTCAPABLE);
    expect("link file.txt -> ../outside/hl",
           w_path_link(BOX, 0, P("file.txt"), 8, BOX, P("../outside/hl"), 13), ENOTCAPABLE);
    expect("link (follow) secret_rel -> hl2",
           w_path_link(BOX, FOLLOW, P("secret_rel"), 10, BOX, P("hl2"), 3), ENOTCAPABLE);
    expect("link secret_abs/.. -> hl3",
           w_path_link(BOX, 0, P("secret_abs/.."), 13, BOX, P("hl3"), 3), ENOTCAPABLE);
    /* Other calls that take paths. */
    char st[64];
    expect("stat ../secret.txt", w_path_filestat_get(BOX, FOLLOW, P("../secret.txt"), 13, P(st)),
           ENOTCAPABLE);
    expect("stat etc_link/passwd",
           w_path_filestat_get(BOX, FOLLOW, P("etc_link/passwd"), 15, P(st)), ENOTCAPABLE);
    expect("mkdir ../outside/x", w_path_create_directory(BOX, P("../outside/x"), 12), ENOTCAPABLE);
    expect("mkdir parent_link/x", w_path_create_directory(BOX, P("parent_link/x"), 13),
           ENOTCAPABLE);
    expect("unlink ../canary.txt", w_path_unlink_file(BOX, P("../canary.txt"), 13), ENOTCAPABLE);
    expect("unlink parent_link/canary.txt",
           w_path_unlink_file(BOX, P("parent_link/canary.txt"), 22), ENOTCAPABLE);
    expect("rmdir ..", w_path_remove_directory(BOX, P(".."), 2), ENOTCAPABLE);
    expect("rmdir ../outside", w_path_remove_directory(BOX, P("../outside"), 10), ENOTCAPABLE);
    expect("utimes ../canary.txt",
           w_path_filestat_set_times(BOX, FOLLOW, P("../canary.txt"), 13, 0, 0, 10), ENOTCAPABLE);
    expect("utimes parent_link/canary.txt",
           w_path_filestat_set_times(BOX, FOLLOW, P("parent_link/canary.txt"), 22, 0, 0, 10),
           ENOTCAPABLE);
    expect("utimes etc_link (follow)",
           w_path_filestat_set_times(BOX, FOLLOW, P("etc_link"), 8, 0, 0, 10), ENOTCAPABLE);
    int32_t used;
    expect("readlink ../x", w_path_readlink(BOX, P("../x"), 4, P(st), 64, P(&used)), ENOTCAPABLE);
    expect("readlink parent_link/box/etc_link",
           w_path_readlink(BOX, P("parent_link/box/etc_link"), 24, P(st), 64, P(&used)),
           ENOTCAPABLE);
    /* A directory descriptor opened inside the box is a box of its own. */
    expect("open sub as a directory", open_path(BOX, "sub", FOLLOW, 2, &fd), OK);
    int32_t fd2;
    expect("  from sub: ../file.txt", open_path(fd, "../file.txt", FOLLOW, 0, &fd2), ENOTCAPABLE);
    expect("  from sub: ../../secret.txt", open_path(fd, "../../secret.txt", FOLLOW, 0, &fd2),
           ENOTCAPABLE);
    w_fd_close(fd);
    /* A file descriptor has no path rights. */
    expect("open file.txt", open_path(BOX, "file.txt", FOLLOW, 0, &fd), OK);
    expect("  open beneath a file descriptor", open_path(fd, "x", FOLLOW, 0, &fd2), ENOTCAPABLE);
    expect("  drop to read-only", w_fd_fdstat_set_rights(fd, 2, 0), OK);
    expect("  widen the rights again", w_fd_fdstat_set_rights(fd, RIGHTS_ALL, 0), ENOTCAPABLE);
    w_fd_close(fd);
    /* Guessed descriptor numbers. */
    int bad = 0, tried = 0;
    int32_t guesses[] = {4,  5,   6,   7,    9,    10,    16,         31, 63,
                         64, 100, 255, 1000, 4096, 65535, 0x7FFFFFFF, -1, -2};
    for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++) {
        int32_t n;
        tried += 3;
        bad += w_fd_read(guesses[i], P(big), 0, P(&n)) == EBADF;
        bad += open_path(guesses[i], "file.txt", FOLLOW, 0, &fd2) == EBADF;
        bad += w_fd_prestat_get(guesses[i], P(st)) == EBADF;
    }
    expect("guessed descriptors: calls refused with EBADF", bad, tried);
    expect("renumber the box onto a guessed fd", w_fd_renumber(BOX, 1000), EBADF);
    expect("prestat of stdout", w_fd_prestat_get(1, P(st)), EBADF);
    /* Malformed paths. */
    static const char nul_path[] = "file.txt\0/../../secret.txt";
    expect("path with a NUL inside",
           w_path_open(BOX, FOLLOW, P(nul_path), (int32_t)sizeof nul_path - 1, 0, RIGHTS_ALL, 0, 0,
                       P(&fd2)),
           EINVAL);
    memset(big, 'a', 6000);
    expect("path of 6000 bytes",
           w_path_open(BOX, FOLLOW, P(big), 6000, 0, RIGHTS_ALL, 0, 0, P(&fd2)), ENAMETOOLONG);
    memset(big, 'b', 300);
    expect("component of 300 bytes",
           w_path_open(BOX, FOLLOW, P(big), 300, 0, RIGHTS_ALL, 0, 0, P(&fd2)), ENAMETOOLONG);
    for (int i = 0; i < 1300; i++)
        memcpy(big + 3 * i, "../", 3);
    big[3900] = 'x';
    expect("1300 levels of ..",
           w_path_open(BOX, FOLLOW, P(big), 3901, 0, RIGHTS_ALL, 0, 0, P(&fd2)), ENOTCAPABLE);
    /* Pointers outside linear memory. */
    expect("path pointer past the end of memory",
           w_path_open(BOX, FOLLOW, (int32_t)0xFFFFFF00, 0x200, 0, RIGHTS_ALL, 0, 0, P(&fd2)),
           EFAULT);
    int32_t iov[2] = {(int32_t)0xFFFFFFF0, 64};
    expect("write from outside memory", w_fd_write(1, P(iov), 1, P(&used)), EFAULT);
    iov[0] = P(big);
    iov[1] = 16;
    expect("result pointer outside memory", w_fd_write(1, P(iov), 1, (int32_t)0xFFFFFFFE), EFAULT);
    /* The listing of the box shows nothing from outside. */
    char dir[4096];
    int32_t n = 0;
    expect("readdir the box", w_fd_readdir(BOX, P(dir), sizeof dir, 0, P(&n)), OK);
    int leaked = 0;
    for (int32_t off = 0; off + 24 <= n;) {
        uint32_t namlen;
        memcpy(&namlen, dir + off + 16, 4);
        if (off + 24 + (int32_t)namlen > n) break;
        const char *name = dir + off + 24;
        if ((namlen == 10 && !memcmp(name, "secret.txt", 10)) ||
            (namlen == 10 && !memcmp(name, "canary.txt", 10)))
            leaked++;
        off += 24 + (int32_t)namlen;
    }
    expect("names from outside in the listing", leaked, 0);
    printf("%d checks, %d failed\n", checks, failures);
    return failures;
}

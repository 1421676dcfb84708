/*
 * test_wasi_unit.c — unit tests of src/wasi without the engine: errno mapping, the descriptor
 * table, sandboxed path resolution (openat2 and the fallback walk must agree on every case), and
 * the host functions themselves, called through the wasi_functions() table on a fake instance
 * whose "linear memory" is a plain buffer. rt_trap_exit / rt_trap_host are stubbed with longjmp.
 *
 * Each test builds what it needs in a fresh temporary directory and removes it afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi_internal.h"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static void check_errno(const char *what, unsigned got, unsigned want, int line) {
    if (got != want) {
        fprintf(stderr, "test_wasi_unit.c:%d: %s: got %s (%u), want %s (%u)\n", line, what,
                wasi_errno_name((uint16_t)got), got, wasi_errno_name((uint16_t)want), want);
        failures++;
    }
}
#define CHECK_ERRNO(what, got, want) check_errno(what, (unsigned)(got), (unsigned)(want), __LINE__)

/* ---- engine stubs ---- */

static jmp_buf trap_jmp;
static int trap_code;
static char trap_msg[256];

void rt_trap_exit(int code) {
    trap_code = code;
    longjmp(trap_jmp, 1);
}

void rt_trap_host(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(trap_msg, sizeof trap_msg, fmt, ap);
    va_end(ap);
    longjmp(trap_jmp, 2);
}

static int registered;

bool rt_host_register(rt_host_registry *r, const char *module, const char *name, const char *sig,
                      rt_host_fn fn, void *data) {
    (void)r, (void)data;
    if (strcmp(module, "wasi_snapshot_preview1") != 0 || !name || !sig || !fn) return false;
    registered++;
    return true;
}

/* ---- a fake instance ---- */

#define MEM_SIZE (1u << 20)

typedef struct test_cell {
    wasi_ctx *wasi;
} test_cell;

static uint8_t *guest;
static rt_memory memory;
static rt_instance *inst;
static test_cell cell;
static uint32_t bump; /* guest allocator */

static void instance_setup(wasi_ctx *ctx) {
    if (!guest) guest = calloc(1, MEM_SIZE);
    memset(guest, 0, MEM_SIZE);
    memory.base = guest;
    memory.size = MEM_SIZE;
    memory.pages = MEM_SIZE / RT_PAGE_SIZE;
    if (!inst) inst = calloc(1, sizeof *inst + 16);
    inst->memory = &memory;
    inst->mem_base = guest;
    cell.wasi = ctx;
    inst->user = &cell;
    bump = 1024;
}

static uint32_t galloc(uint32_t n) {
    uint32_t at = (bump + 7) & ~7u;
    bump = at + n;
    if (bump > MEM_SIZE) abort();
    return at;
}

static uint32_t gstr(const char *s) {
    uint32_t at = galloc((uint32_t)strlen(s) + 1);
    memcpy(guest + at, s, strlen(s) + 1);
    return at;
}

static uint32_t g32(uint32_t at) {
    uint32_t v;
    memcpy(&v, guest + at, 4);
    return v;
}

static uint64_t g64(uint32_t at) {
    uint64_t v;
    memcpy(&v, guest + at, 8);
    return v;
}

static const wasi_function *find_fn(const char *name) {
    for (const wasi_function *f = wasi_functions(); f->name; f++) {
        if (!strcmp(f->name, name)) return f;
    }
    fprintf(stderr, "no such function %s\n", name);
    abort();
}

/* Calls a host function with integer arguments, typed by its signature; returns io[0].i32. */
static uint32_t call(const char *name, ...) {
    const wasi_function *f = find_fn(name);
    rt_value io[16];
    memset(io, 0, sizeof io);
    va_list ap;
    va_start(ap, name);
    int k = 0;
    for (const char *s = f->signature; *s && *s != ':'; s++, k++) {
        uint64_t v = va_arg(ap, uint64_t);
        if (*s == 'I') {
            io[k].i64 = v;
        } else {
            io[k].i32 = (uint32_t)v;
        }
    }
    va_end(ap);
    f->fn(inst, NULL, io);
    return io[0].i32;
}

#define A(x) ((uint64_t)(x))

/* Opens `path` beneath fd with the rights wasi-libc asks for; returns the errno. */
static uint32_t open_at(uint32_t dirfd, const char *path, uint32_t oflags, uint64_t rights,
                        uint32_t fdflags, uint32_t *fd) {
    uint32_t p = gstr(path), out = galloc(4);
    uint32_t r = call("path_open", A(dirfd), A(WASI_LOOKUP_SYMLINK_FOLLOW), A(p), A(strlen(path)),
                      A(oflags), A(rights), A(WASI_RIGHTS_ALL), A(fdflags), A(out));
    *fd = g32(out);
    return r;
}

static uint32_t write_str(uint32_t fd, const char *s) {
    uint32_t buf = gstr(s), iov = galloc(8), n = galloc(4);
    memcpy(guest + iov, &buf, 4);
    uint32_t len = (uint32_t)strlen(s);
    memcpy(guest + iov + 4, &len, 4);
    return call("fd_write", A(fd), A(iov), A(1), A(n));
}

/* Reads up to cap-1 bytes into a host string. */
static uint32_t read_str(uint32_t fd, char *out, uint32_t cap) {
    uint32_t buf = galloc(cap), iov = galloc(8), n = galloc(4);
    memcpy(guest + iov, &buf, 4);
    uint32_t len = cap - 1;
    memcpy(guest + iov + 4, &len, 4);
    uint32_t r = call("fd_read", A(fd), A(iov), A(1), A(n));
    uint32_t got = r ? 0 : g32(n);
    memcpy(out, guest + buf, got);
    out[got] = '\0';
    return r;
}

/* ---- temporary trees ---- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir) {
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void put_file(const char *dir, const char *name, const char *content) {
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f) abort();
    fputs(content, f);
    fclose(f);
}

/* tmp/ holds box/ (the preopen) and secret.txt beside it. */
static void make_tree(char *tmp, char *box) {
    strcpy(tmp, "/tmp/wasi-unit-XXXXXX");
    if (!mkdtemp(tmp)) abort();
    sprintf(box, "%s/box", tmp);
    mkdir(box, 0755);
    put_file(tmp, "secret.txt", "TOPSECRET");
    put_file(box, "a.txt", "hello");
    char p[4200];
    sprintf(p, "%s/sub", box);
    mkdir(p, 0755);
    put_file(p, "b.txt", "bee");
    sprintf(p, "%s/up", box);
    symlink("..", p);
    sprintf(p, "%s/abs", box);
    symlink("/etc", p);
    sprintf(p, "%s/secret_link", box);
    symlink("../secret.txt", p);
    sprintf(p, "%s/loop1", box);
    symlink("loop2", p);
    sprintf(p, "%s/loop2", box);
    symlink("loop1", p);
    sprintf(p, "%s/inside", box);
    symlink("sub/b.txt", p);
    sprintf(p, "%s/subl", box);
    symlink("sub", p);
    sprintf(p, "%s/sub/deep_up", box);
    symlink("../../secret.txt", p);
    sprintf(p, "%s/sub/to_a", box);
    symlink("../a.txt", p);
    sprintf(p, "%s/dangling", box);
    symlink("nothere", p);
    sprintf(p, "%s/proc_link", box);
    symlink("/proc/self/cwd", p);
}

/* ---- tests ---- */

static void test_errno(void) {
    for (uint16_t i = 1; i < WASI_ERRNO_COUNT; i++) {
        if (i == WASI_ENOTCAPABLE) continue;
        CHECK_ERRNO(wasi_errno_name(i), wasi_errno_from_host(wasi_errno_to_host(i)), i);
    }
    CHECK_ERRNO("0", wasi_errno_from_host(0), WASI_ESUCCESS);
    CHECK_ERRNO("EWOULDBLOCK", wasi_errno_from_host(EWOULDBLOCK), WASI_EAGAIN);
    CHECK_ERRNO("EOPNOTSUPP", wasi_errno_from_host(EOPNOTSUPP), WASI_ENOTSUP);
    CHECK_ERRNO("ENOMEDIUM", wasi_errno_from_host(ENOMEDIUM), WASI_EIO);
    CHECK(wasi_errno_to_host(WASI_ENOTCAPABLE) == EIO);
    CHECK(wasi_errno_to_host(500) == EIO);
    CHECK(!strcmp(wasi_errno_name(WASI_EBADF), "EBADF"));
    CHECK(!strcmp(wasi_errno_name(WASI_ENOTCAPABLE), "ENOTCAPABLE"));
    CHECK(!strcmp(wasi_errno_name(999), "E?"));
}

static void test_fdtable(void) {
    wasi_fdtable t;
    wasi_fdtable_init(&t, 8);
    uint32_t fd;
    for (uint32_t i = 0; i < 5; i++) {
        wasi_fd_entry *e = wasi_fd_entry_new(-1, false, WASI_FD_FILE);
        e->rights_base = WASI_RIGHT_FD_READ;
        CHECK(wasi_fdtable_insert(&t, e, &fd) == 0 && fd == i);
    }
    CHECK(wasi_fdtable_close(&t, 2) == 0);
    CHECK_ERRNO("close twice", wasi_fdtable_close(&t, 2), WASI_EBADF);
    wasi_fd_entry *e = wasi_fd_entry_new(-1, false, WASI_FD_FILE);
    CHECK(wasi_fdtable_insert(&t, e, &fd) == 0 && fd == 2); /* lowest free */
    wasi_fd_entry *got;
    CHECK(wasi_fdtable_get(&t, 0, WASI_RIGHT_FD_READ, &got) == 0);
    wasi_fd_entry_release(got);
    CHECK_ERRNO("missing right", wasi_fdtable_get(&t, 0, WASI_RIGHT_FD_WRITE, &got),
                WASI_ENOTCAPABLE);
    CHECK_ERRNO("free slot", wasi_fdtable_get(&t, 6, 0, &got), WASI_EBADF);
    CHECK_ERRNO("huge", wasi_fdtable_get(&t, 0xFFFFFFFFu, 0, &got), WASI_EBADF);
    CHECK_ERRNO("renumber bad from", wasi_fdtable_renumber(&t, 7, 1), WASI_EBADF);
    CHECK_ERRNO("renumber bad to", wasi_fdtable_renumber(&t, 1, 7), WASI_EBADF);
    CHECK(wasi_fdtable_renumber(&t, 4, 1) == 0);
    CHECK_ERRNO("renumbered from", wasi_fdtable_get(&t, 4, 0, &got), WASI_EBADF);
    CHECK(wasi_fdtable_set_rights(&t, 1, WASI_RIGHT_FD_READ, 0) == 0);
    CHECK_ERRNO("widen", wasi_fdtable_set_rights(&t, 1, WASI_RIGHT_FD_WRITE, 0), WASI_ENOTCAPABLE);
    CHECK(wasi_fdtable_set_rights(&t, 1, 0, 0) == 0);
    CHECK_ERRNO("dropped", wasi_fdtable_get(&t, 1, WASI_RIGHT_FD_READ, &got), WASI_ENOTCAPABLE);
    /* Fill up to the limit. */
    uint32_t n = 0;
    for (;;) {
        wasi_fd_entry *x = wasi_fd_entry_new(-1, false, WASI_FD_FILE);
        uint16_t r = wasi_fdtable_insert(&t, x, &fd);
        if (r) {
            CHECK_ERRNO("full", r, WASI_EMFILE);
            wasi_fd_entry_release(x);
            break;
        }
        n++;
    }
    CHECK(n == 4); /* 0..7 minus the 4 in use */
    CHECK(wasi_fdtable_limit(&t) == 8);
    /* A descriptor closed while a call holds it stays open until the call releases it. */
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    wasi_fd_entry *pe = wasi_fd_entry_new(pipefd[0], true, WASI_FD_FILE);
    CHECK(wasi_fdtable_insert_at(&t, 3, pe) == 0);
    CHECK(wasi_fdtable_get(&t, 3, 0, &got) == 0);
    CHECK(wasi_fdtable_close(&t, 3) == 0);
    CHECK(fcntl(pipefd[0], F_GETFD) >= 0);
    wasi_fd_entry_release(got);
    CHECK(fcntl(pipefd[0], F_GETFD) < 0 && errno == EBADF);
    close(pipefd[1]);
    wasi_fdtable_destroy(&t);
}

/* Two threads of one cell: one keeps reading through a descriptor while the other closes and
 * reopens it. Every read must see either EBADF or a live host descriptor (never a recycled one). */
typedef struct race_state {
    wasi_fdtable *t;
    int stop;
    long reads, badf, wrong;
} race_state;

static void *race_reader(void *arg) {
    race_state *rs = arg;
    while (!__atomic_load_n(&rs->stop, __ATOMIC_ACQUIRE)) {
        wasi_fd_entry *e;
        uint16_t r = wasi_fdtable_get(rs->t, 0, 0, &e);
        if (r) {
            rs->badf++;
            continue;
        }
        if (fcntl(e->host_fd, F_GETFD) < 0) rs->wrong++;
        rs->reads++;
        wasi_fd_entry_release(e);
    }
    return NULL;
}

static void test_fdtable_threads(void) {
    wasi_fdtable t;
    wasi_fdtable_init(&t, 16);
    race_state rs = {&t, 0, 0, 0, 0};
    pthread_t th;
    CHECK(pthread_create(&th, NULL, race_reader, &rs) == 0);
    for (int i = 0; i < 20000; i++) {
        int fd = open("/dev/null", O_RDONLY);
        wasi_fd_entry *e = wasi_fd_entry_new(fd, true, WASI_FD_FILE);
        CHECK(wasi_fdtable_insert_at(&t, 0, e) == 0);
        if (i % 2) CHECK(wasi_fdtable_close(&t, 0) == 0);
    }
    __atomic_store_n(&rs.stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    CHECK(rs.wrong == 0);
    CHECK(rs.reads + rs.badf > 0);
    wasi_fdtable_destroy(&t);
}

typedef struct resolve_case {
    const char *path;
    int flags;
    bool follow;
    uint16_t want; /* 0 = success */
} resolve_case;

static void test_resolve_mode(const char *box, wasi_resolve_mode mode) {
    static const resolve_case cases[] = {
        {"a.txt", O_RDONLY, true, 0},
        {"./a.txt", O_RDONLY, true, 0},
        {"sub/b.txt", O_RDONLY, true, 0},
        {"sub//b.txt", O_RDONLY, true, 0},
        {"sub/../a.txt", O_RDONLY, true, 0},
        {"sub/./../sub/b.txt", O_RDONLY, true, 0},
        {"inside", O_RDONLY, true, 0},
        {"subl/b.txt", O_RDONLY, true, 0},
        {"sub/to_a", O_RDONLY, true, 0},
        {".", O_RDONLY | O_DIRECTORY, true, 0},
        {"sub/..", O_RDONLY | O_DIRECTORY, true, 0},
        {"sub/", O_RDONLY, true, 0},
        {"..", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"../secret.txt", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"sub/../../secret.txt", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"/etc/passwd", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"/", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"abs", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"abs/passwd", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"abs/passwd", O_RDONLY, false, WASI_ENOTCAPABLE},
        {"abs/", O_RDONLY, false, WASI_ENOTCAPABLE},
        {"up/secret.txt", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"up", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"secret_link", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"sub/deep_up", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"proc_link", O_RDONLY, true, WASI_ENOTCAPABLE},
        {"loop1", O_RDONLY, true, WASI_ELOOP},
        {"loop1/x", O_RDONLY, false, WASI_ELOOP},
        {"abs", O_RDONLY, false, WASI_ELOOP}, /* O_NOFOLLOW on a symlink */
        {"abs", O_PATH, false, 0},            /* the link itself */
        {"loop1", O_PATH, false, 0},
        {"nope", O_RDONLY, true, WASI_ENOENT},
        {"nope/x", O_RDONLY, true, WASI_ENOENT},
        {"dangling", O_RDONLY, true, WASI_ENOENT},
        {"a.txt/x", O_RDONLY, true, WASI_ENOTDIR},
        {"a.txt/", O_RDONLY, true, WASI_ENOTDIR},
        {"", O_RDONLY, true, WASI_ENOENT},
        {"new.txt", O_RDWR | O_CREAT | O_EXCL, true, 0},
        {"new.txt", O_RDWR | O_CREAT | O_EXCL, true, WASI_EEXIST},
        {"sub/new2.txt", O_WRONLY | O_CREAT, true, 0},
        {"../created.txt", O_WRONLY | O_CREAT, true, WASI_ENOTCAPABLE},
        {"secret_link", O_WRONLY | O_CREAT, true, WASI_ENOTCAPABLE},
        {"abs/created", O_WRONLY | O_CREAT, true, WASI_ENOTCAPABLE},
        {"sub", O_WRONLY, true, WASI_EISDIR},
    };
    wasi_resolve_set_mode(mode);
    int dirfd = open(box, O_RDONLY | O_DIRECTORY);
    CHECK(dirfd >= 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const resolve_case *c = &cases[i];
        int fd = wasi_resolve_open(dirfd, c->path, c->flags, 0644, c->follow);
        uint16_t got = fd >= 0 ? 0 : (uint16_t)-fd;
        if (got != c->want) {
            fprintf(stderr, "resolve (%s) '%s' flags %#x follow %d: got %s, want %s\n",
                    mode == WASI_RESOLVE_WALK ? "walk" : "openat2", c->path, c->flags, c->follow,
                    wasi_errno_name(got), wasi_errno_name(c->want));
            failures++;
        }
        if (fd >= 0) close(fd);
    }
    /* A very long path and a very long component. */
    char *lp = malloc(9000);
    memset(lp, 0, 9000);
    for (int i = 0; i < 4000; i++)
        strcat(lp, "a/");
    int fd = wasi_resolve_open(dirfd, lp, O_RDONLY, 0, true);
    CHECK(fd < 0);
    memset(lp, 'x', 300);
    lp[300] = '\0';
    fd = wasi_resolve_open(dirfd, lp, O_RDONLY, 0, true);
    CHECK_ERRNO("long component", fd < 0 ? -fd : 0, WASI_ENAMETOOLONG);
    free(lp);

    /* Parents of entries. */
    char path[64];
    const char *name;
    int info;
    strcpy(path, "sub/b.txt");
    int pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK(pfd >= 0 && !strcmp(name, "b.txt") && info == 0);
    if (pfd >= 0) close(pfd);
    strcpy(path, "top");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK(pfd >= 0 && !strcmp(name, "top"));
    if (pfd >= 0) close(pfd);
    strcpy(path, "sub/");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK(pfd >= 0 && !strcmp(name, "sub") && info == (WASI_NAME_SLASH | WASI_NAME_IS_DIR));
    if (pfd >= 0) close(pfd);
    strcpy(path, "newdir/");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK(pfd >= 0 && !strcmp(name, "newdir") && info == WASI_NAME_SLASH);
    if (pfd >= 0) close(pfd);
    strcpy(path, "..");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK_ERRNO("parent ..", pfd < 0 ? -pfd : 0, WASI_ENOTCAPABLE);
    strcpy(path, "sub/..");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK(pfd >= 0 && !strcmp(name, ".."));
    if (pfd >= 0) close(pfd);
    strcpy(path, "abs/");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK_ERRNO("parent abs/", pfd < 0 ? -pfd : 0, WASI_ENOTCAPABLE);
    strcpy(path, "abs/x");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK_ERRNO("parent abs/x", pfd < 0 ? -pfd : 0, WASI_ENOTCAPABLE);
    strcpy(path, "/x");
    pfd = wasi_resolve_parent(dirfd, path, &name, &info);
    CHECK_ERRNO("parent /x", pfd < 0 ? -pfd : 0, WASI_ENOTCAPABLE);
    close(dirfd);
    char p[4200];
    snprintf(p, sizeof p, "%s/new.txt", box);
    unlink(p);
    snprintf(p, sizeof p, "%s/sub/new2.txt", box);
    unlink(p);
    wasi_resolve_set_mode(WASI_RESOLVE_AUTO);
}

static void test_join(void) {
    char out[WASI_PATH_MAX];
    CHECK(wasi_resolve_join(".", "a/b", out) && !strcmp(out, "a/b"));
    CHECK(wasi_resolve_join("x/y", "../z/./w", out) && !strcmp(out, "x/z/w"));
    CHECK(wasi_resolve_join("x", "..", out) && !strcmp(out, "."));
    CHECK(!wasi_resolve_join(".", "..", out));
    CHECK(!wasi_resolve_join(".", "/abs", out));
}

static void test_resolve(void) {
    char tmp[64], box[128];
    make_tree(tmp, box);
    test_resolve_mode(box, WASI_RESOLVE_OPENAT2);
    test_resolve_mode(box, WASI_RESOLVE_WALK);
    test_join();
    rm_tree(tmp);
}

/* The host functions on a context with `box` preopened as "." (descriptor 3). */
static wasi_ctx *calls_ctx(const char *box) {
    wasi_ctx *ctx = wasi_ctx_new();
    rt_error err;
    const char *argv[] = {"prog", "one", "two words"};
    CHECK(wasi_ctx_set_args(ctx, 3, argv, &err));
    CHECK(wasi_ctx_add_env(ctx, "A=1", &err));
    CHECK(wasi_ctx_add_env(ctx, "EMPTY=", &err));
    CHECK(!wasi_ctx_add_env(ctx, "NOEQUALS", &err));
    CHECK(!wasi_ctx_add_env(ctx, "=x", &err));
    CHECK(wasi_ctx_add_preopen(ctx, box, ".", &err));
    CHECK(!wasi_ctx_add_preopen(ctx, "/nonexistent-dir-for-test", "/x", &err));
    instance_setup(ctx);
    return ctx;
}

static void test_args_env(void) {
    uint32_t a = galloc(4), b = galloc(4);
    CHECK(call("args_sizes_get", A(a), A(b)) == 0 && g32(a) == 3 && g32(b) == 19);
    uint32_t v = galloc(12), buf = galloc(19);
    CHECK(call("args_get", A(v), A(buf)) == 0);
    CHECK(!strcmp((char *)guest + g32(v + 8), "two words"));
    CHECK(call("environ_sizes_get", A(a), A(b)) == 0 && g32(a) == 2 && g32(b) == 4 + 7);
    CHECK(call("environ_get", A(v), A(buf)) == 0);
    CHECK(!strcmp((char *)guest + g32(v + 4), "EMPTY="));
    CHECK_ERRNO("args_get efault", call("args_get", A(MEM_SIZE - 4), A(buf)), WASI_EFAULT);
    CHECK_ERRNO("args_get buf efault", call("args_get", A(v), A(MEM_SIZE - 3)), WASI_EFAULT);
    CHECK_ERRNO("sizes efault", call("args_sizes_get", A(MEM_SIZE), A(b)), WASI_EFAULT);
}

static void test_prestat(void) {
    uint32_t ps = galloc(8), name = galloc(16);
    CHECK(call("fd_prestat_get", A(3), A(ps)) == 0);
    CHECK(guest[ps] == 0 && g32(ps + 4) == 1);
    CHECK(call("fd_prestat_dir_name", A(3), A(name), A(1)) == 0 && guest[name] == '.');
    CHECK_ERRNO("short name buffer", call("fd_prestat_dir_name", A(3), A(name), A(0)),
                WASI_ENAMETOOLONG);
    CHECK_ERRNO("prestat of stdout", call("fd_prestat_get", A(1), A(ps)), WASI_EBADF);
    CHECK_ERRNO("prestat end", call("fd_prestat_get", A(4), A(ps)), WASI_EBADF);
    uint32_t st = galloc(24);
    CHECK(call("fd_fdstat_get", A(3), A(st)) == 0);
    CHECK(guest[st] == WASI_FILETYPE_DIRECTORY);
    CHECK(g64(st + 8) == WASI_RIGHTS_DIRECTORY);
}

static void test_files(const char *box) {
    uint32_t fd;
    uint64_t rw = WASI_RIGHTS_REGULAR_FILE;
    CHECK(open_at(3, "f.txt", WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, rw, 0, &fd) == 0);
    CHECK(fd == 4);
    CHECK(write_str(fd, "hello world\n") == 0);
    uint32_t pos = galloc(8);
    CHECK(call("fd_tell", A(fd), A(pos)) == 0 && g64(pos) == 12);
    CHECK(call("fd_seek", A(fd), A(6), A(WASI_WHENCE_SET), A(pos)) == 0 && g64(pos) == 6);
    char s[64];
    CHECK(read_str(fd, s, sizeof s) == 0 && !strcmp(s, "world\n"));
    CHECK(call("fd_seek", A(fd), A((uint64_t)-3), A(WASI_WHENCE_END), A(pos)) == 0 &&
          g64(pos) == 9);
    CHECK_ERRNO("seek before start",
                call("fd_seek", A(fd), A((uint64_t)-100), A(WASI_WHENCE_SET), A(pos)), WASI_EINVAL);
    CHECK_ERRNO("bad whence", call("fd_seek", A(fd), A(0), A(7), A(pos)), WASI_EINVAL);
    /* pwrite / pread leave the position alone. */
    uint32_t buf = gstr("HELLO"), iov = galloc(8), n = galloc(4);
    uint32_t five = 5;
    memcpy(guest + iov, &buf, 4);
    memcpy(guest + iov + 4, &five, 4);
    CHECK(call("fd_pwrite", A(fd), A(iov), A(1), A(0), A(n)) == 0 && g32(n) == 5);
    uint32_t rbuf = galloc(16);
    memcpy(guest + iov, &rbuf, 4);
    CHECK(call("fd_pread", A(fd), A(iov), A(1), A(0), A(n)) == 0 && g32(n) == 5);
    CHECK(!memcmp(guest + rbuf, "HELLO", 5));
    CHECK(call("fd_tell", A(fd), A(pos)) == 0 && g64(pos) == 9);
    /* Sizes and stat. */
    uint32_t st = galloc(64);
    CHECK(call("fd_filestat_get", A(fd), A(st)) == 0);
    CHECK(guest[st + 16] == WASI_FILETYPE_REGULAR_FILE && g64(st + 32) == 12);
    CHECK(call("fd_filestat_set_size", A(fd), A(100)) == 0);
    CHECK(call("fd_filestat_get", A(fd), A(st)) == 0 && g64(st + 32) == 100);
    CHECK(call("fd_filestat_set_times", A(fd), A(0), A(5000000000ull), A(WASI_FSTFLAG_MTIM)) == 0);
    CHECK(call("fd_filestat_get", A(fd), A(st)) == 0 && g64(st + 48) == 5000000000ull);
    CHECK(call("fd_filestat_set_times", A(fd), A(0), A(0),
               A(WASI_FSTFLAG_ATIM_NOW | WASI_FSTFLAG_MTIM_NOW)) == 0);
    CHECK(call("fd_filestat_get", A(fd), A(st)) == 0 &&
          g64(st + 48) > 1600000000ull * 1000000000ull &&
          g64(st + 40) > 1600000000ull * 1000000000ull);
    CHECK(call("fd_filestat_set_times", A(fd), A(0), A(5000000000ull), A(WASI_FSTFLAG_MTIM)) == 0);
    CHECK_ERRNO("both mtim flags",
                call("fd_filestat_set_times", A(fd), A(0), A(0),
                     A(WASI_FSTFLAG_MTIM | WASI_FSTFLAG_MTIM_NOW)),
                WASI_EINVAL);
    CHECK(call("fd_sync", A(fd)) == 0);
    CHECK(call("fd_datasync", A(fd)) == 0);
    CHECK(call("fd_advise", A(fd), A(0), A(0), A(WASI_ADVICE_SEQUENTIAL)) == 0);
    CHECK_ERRNO("bad advice", call("fd_advise", A(fd), A(0), A(0), A(9)), WASI_EINVAL);
    CHECK(call("fd_allocate", A(fd), A(0), A(4096)) == 0);
    /* Flags. */
    CHECK(call("fd_fdstat_set_flags", A(fd), A(WASI_FDFLAG_APPEND)) == 0);
    uint32_t fst = galloc(24);
    CHECK(call("fd_fdstat_get", A(fd), A(fst)) == 0);
    CHECK((g32(fst) >> 16 & 0xffff) == WASI_FDFLAG_APPEND);
    CHECK_ERRNO("set sync", call("fd_fdstat_set_flags", A(fd), A(WASI_FDFLAG_SYNC)), WASI_ENOTSUP);
    /* Rights: drop write, then writing is EBADF and widening is refused. */
    CHECK(call("fd_fdstat_set_rights", A(fd),
               A(WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL), A(0)) == 0);
    CHECK_ERRNO("write without right", write_str(fd, "x"), WASI_EBADF);
    CHECK_ERRNO("sync without right", call("fd_sync", A(fd)), WASI_ENOTCAPABLE);
    CHECK_ERRNO("widen rights", call("fd_fdstat_set_rights", A(fd), A(rw), A(0)), WASI_ENOTCAPABLE);
    /* A file descriptor is not a directory: no path rights. */
    uint32_t fd2;
    CHECK_ERRNO("open beneath a file", open_at(fd, "x", 0, rw, 0, &fd2), WASI_ENOTCAPABLE);
    CHECK(call("fd_close", A(fd)) == 0);
    CHECK_ERRNO("closed", call("fd_close", A(fd)), WASI_EBADF);
    /* Read-only open: writing is EBADF. */
    CHECK(open_at(3, "f.txt", 0, WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK, 0, &fd) == 0);
    CHECK_ERRNO("write to read-only", write_str(fd, "x"), WASI_EBADF);
    CHECK(call("fd_close", A(fd)) == 0);
    /* O_EXCL, directories, errors. */
    CHECK_ERRNO("excl", open_at(3, "f.txt", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, rw, 0, &fd),
                WASI_EEXIST);
    CHECK_ERRNO("missing", open_at(3, "missing.txt", 0, rw, 0, &fd), WASI_ENOENT);
    CHECK_ERRNO("not a dir", open_at(3, "f.txt", WASI_OFLAG_DIRECTORY, rw, 0, &fd), WASI_ENOTDIR);
    CHECK_ERRNO("bad oflags", open_at(3, "f.txt", 0x100, rw, 0, &fd), WASI_EINVAL);
    /* Appending. */
    CHECK(open_at(3, "app.txt", WASI_OFLAG_CREAT, rw, WASI_FDFLAG_APPEND, &fd) == 0);
    CHECK(write_str(fd, "one ") == 0);
    CHECK(call("fd_seek", A(fd), A(0), A(WASI_WHENCE_SET), A(pos)) == 0);
    CHECK(write_str(fd, "two") == 0);
    CHECK(call("fd_seek", A(fd), A(0), A(WASI_WHENCE_SET), A(pos)) == 0);
    CHECK(read_str(fd, s, sizeof s) == 0 && !strcmp(s, "one two"));
    CHECK(call("fd_close", A(fd)) == 0);
    /* Renumber onto stdout: writes to 1 then go to the file. */
    CHECK(open_at(3, "out.txt", WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, rw, 0, &fd) == 0);
    CHECK(call("fd_renumber", A(fd), A(1)) == 0);
    CHECK(write_str(1, "via one") == 0);
    CHECK_ERRNO("renumbered away", call("fd_close", A(fd)), WASI_EBADF);
    char p[4200];
    snprintf(p, sizeof p, "%s/out.txt", box);
    FILE *f = fopen(p, "r");
    CHECK(f && fgets(s, sizeof s, f) && !strcmp(s, "via one"));
    if (f) fclose(f);
    CHECK(fcntl(1, F_GETFD) >= 0); /* the host's stdout is still open */
}

static void test_dirs(const char *box) {
    uint32_t p = gstr("d1"), p2 = gstr("d1/d2"), p3 = gstr("d1/f");
    CHECK(call("path_create_directory", A(3), A(p), A(2)) == 0);
    CHECK_ERRNO("mkdir again", call("path_create_directory", A(3), A(p), A(2)), WASI_EEXIST);
    CHECK(call("path_create_directory", A(3), A(p2), A(5)) == 0);
    uint32_t fd;
    CHECK(open_at(3, "d1/f", WASI_OFLAG_CREAT, WASI_RIGHTS_REGULAR_FILE, 0, &fd) == 0);
    CHECK(call("fd_close", A(fd)) == 0);
    CHECK_ERRNO("rmdir non-empty", call("path_remove_directory", A(3), A(p), A(2)), WASI_ENOTEMPTY);
    CHECK_ERRNO("rmdir file", call("path_remove_directory", A(3), A(p3), A(4)), WASI_ENOTDIR);
    CHECK_ERRNO("unlink dir", call("path_unlink_file", A(3), A(p2), A(5)), WASI_EISDIR);
    uint32_t slash = gstr("d1/f/");
    CHECK_ERRNO("unlink file/", call("path_unlink_file", A(3), A(slash), A(5)), WASI_ENOTDIR);
    /* readdir of d1 through a directory descriptor, in small buffers. */
    CHECK(open_at(3, "d1", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIRECTORY, 0, &fd) == 0);
    int seen_f = 0, seen_d2 = 0, entries = 0;
    uint64_t cookie = 0;
    uint32_t buf = galloc(256), used = galloc(4);
    for (int round = 0; round < 100; round++) {
        CHECK(call("fd_readdir", A(fd), A(buf), A(64), A(cookie), A(used)) == 0);
        uint32_t u = g32(used), off = 0;
        bool truncated = false;
        while (off + 24 <= u) {
            uint32_t namlen = g32(buf + off + 16);
            if (off + 24 + namlen > u) {
                truncated = true;
                break;
            }
            char name[256];
            memcpy(name, guest + buf + off + 24, namlen);
            name[namlen] = '\0';
            uint8_t type = guest[buf + off + 20];
            if (!strcmp(name, "f")) seen_f += type == WASI_FILETYPE_REGULAR_FILE;
            if (!strcmp(name, "d2")) seen_d2 += type == WASI_FILETYPE_DIRECTORY;
            entries++;
            cookie = g64(buf + off);
            off += 24 + namlen;
        }
        if (u < 64 && !truncated) break;
    }
    CHECK(seen_f == 1 && seen_d2 == 1 && entries == 4); /* ., .., f, d2 */
    /* A directory descriptor is a capability of its own: ".." out of it is refused even where
     * the target is inside the preopen. */
    uint32_t st = galloc(64);
    uint32_t up = gstr("../f.txt"), down = gstr("d2/../f");
    CHECK_ERRNO("dir fd ..", call("path_filestat_get", A(fd), A(1), A(up), A(8), A(st)),
                WASI_ENOTCAPABLE);
    CHECK(call("path_filestat_get", A(fd), A(1), A(down), A(7), A(st)) == 0);
    uint32_t upup = gstr("../../secret.txt");
    CHECK_ERRNO("dir fd escape", call("path_filestat_get", A(fd), A(1), A(upup), A(16), A(st)),
                WASI_ENOTCAPABLE);
    uint32_t ffd;
    CHECK(open_at(3, "a.txt", 0, WASI_RIGHTS_REGULAR_FILE | WASI_RIGHT_FD_READDIR, 0, &ffd) == 0);
    CHECK_ERRNO("readdir a file", call("fd_readdir", A(ffd), A(buf), A(64), A(0), A(used)),
                WASI_ENOTCAPABLE);
    CHECK(call("fd_close", A(ffd)) == 0);
    CHECK(call("fd_close", A(fd)) == 0);
    /* Rename and links. */
    uint32_t a = gstr("d1/f"), b = gstr("d1/g"), out = gstr("../stolen");
    CHECK(call("path_rename", A(3), A(a), A(4), A(3), A(b), A(4)) == 0);
    CHECK_ERRNO("rename out", call("path_rename", A(3), A(b), A(4), A(3), A(out), A(9)),
                WASI_ENOTCAPABLE);
    uint32_t sec = gstr("../secret.txt");
    CHECK_ERRNO("rename in", call("path_rename", A(3), A(sec), A(13), A(3), A(a), A(4)),
                WASI_ENOTCAPABLE);
    uint32_t hl = gstr("d1/hl");
    CHECK(call("path_link", A(3), A(0), A(b), A(4), A(3), A(hl), A(5)) == 0);
    CHECK(call("path_filestat_get", A(3), A(0), A(hl), A(5), A(st)) == 0 && g64(st + 24) == 2);
    CHECK_ERRNO("link out", call("path_link", A(3), A(0), A(b), A(4), A(3), A(out), A(9)),
                WASI_ENOTCAPABLE);
    CHECK_ERRNO("link in", call("path_link", A(3), A(0), A(sec), A(13), A(3), A(a), A(4)),
                WASI_ENOTCAPABLE);
    uint32_t sl = gstr("secret_link");
    CHECK_ERRNO(
        "link follow escape",
        call("path_link", A(3), A(WASI_LOOKUP_SYMLINK_FOLLOW), A(sl), A(11), A(3), A(a), A(4)),
        WASI_ENOTCAPABLE);
    uint32_t inside = gstr("inside"), hl2 = gstr("hl2");
    CHECK(call("path_link", A(3), A(WASI_LOOKUP_SYMLINK_FOLLOW), A(inside), A(6), A(3), A(hl2),
               A(3)) == 0);
    CHECK(call("path_filestat_get", A(3), A(0), A(hl2), A(3), A(st)) == 0 &&
          guest[st + 16] == WASI_FILETYPE_REGULAR_FILE);
    /* Symlinks. */
    uint32_t tgt = gstr("d1/g"), ln = gstr("ln"), abs = gstr("/etc/passwd"),
             esc = gstr("../secret.txt");
    CHECK(call("path_symlink", A(tgt), A(4), A(3), A(ln), A(2)) == 0);
    CHECK_ERRNO("absolute symlink", call("path_symlink", A(abs), A(11), A(3), A(hl2), A(3)),
                WASI_ENOTCAPABLE);
    uint32_t ln2 = gstr("ln2");
    CHECK(call("path_symlink", A(esc), A(13), A(3), A(ln2), A(3)) == 0); /* allowed, inert */
    CHECK_ERRNO("follow guest symlink", open_at(3, "ln2", 0, WASI_RIGHT_FD_READ, 0, &fd),
                WASI_ENOTCAPABLE);
    uint32_t rl = galloc(64);
    CHECK(call("path_readlink", A(3), A(ln), A(2), A(rl), A(64), A(used)) == 0 && g32(used) == 4 &&
          !memcmp(guest + rl, "d1/g", 4));
    CHECK(call("path_readlink", A(3), A(ln), A(2), A(rl), A(2), A(used)) == 0 && g32(used) == 2);
    CHECK_ERRNO("readlink file", call("path_readlink", A(3), A(tgt), A(4), A(rl), A(64), A(used)),
                WASI_EINVAL);
    CHECK(call("path_filestat_get", A(3), A(0), A(ln), A(2), A(st)) == 0 &&
          guest[st + 16] == WASI_FILETYPE_SYMBOLIC_LINK);
    CHECK(call("path_filestat_get", A(3), A(1), A(ln), A(2), A(st)) == 0 &&
          guest[st + 16] == WASI_FILETYPE_REGULAR_FILE);
    CHECK(call("path_filestat_set_times", A(3), A(1), A(ln), A(2), A(7000000000ull), A(0),
               A(WASI_FSTFLAG_ATIM)) == 0);
    CHECK(call("path_filestat_get", A(3), A(1), A(ln), A(2), A(st)) == 0 &&
          g64(st + 40) == 7000000000ull);
    uint32_t canary = gstr("../secret.txt");
    CHECK_ERRNO("set times outside",
                call("path_filestat_set_times", A(3), A(1), A(canary), A(13), A(0), A(0),
                     A(WASI_FSTFLAG_MTIM_NOW)),
                WASI_ENOTCAPABLE);
    uint32_t absdir = gstr("abs");
    CHECK_ERRNO("set times via link",
                call("path_filestat_set_times", A(3), A(1), A(absdir), A(3), A(0), A(0),
                     A(WASI_FSTFLAG_MTIM_NOW)),
                WASI_ENOTCAPABLE);
    /* Unlink and rmdir. */
    CHECK(call("path_unlink_file", A(3), A(hl), A(5)) == 0);
    CHECK(call("path_unlink_file", A(3), A(b), A(4)) == 0);
    CHECK(call("path_remove_directory", A(3), A(p2), A(5)) == 0);
    CHECK(call("path_remove_directory", A(3), A(p), A(2)) == 0);
    uint32_t dotdot = gstr("..");
    CHECK_ERRNO("rmdir ..", call("path_remove_directory", A(3), A(dotdot), A(2)), WASI_ENOTCAPABLE);
    CHECK_ERRNO("unlink outside", call("path_unlink_file", A(3), A(canary), A(13)),
                WASI_ENOTCAPABLE);
    uint32_t mk = gstr("../newdir");
    CHECK_ERRNO("mkdir outside", call("path_create_directory", A(3), A(mk), A(9)),
                WASI_ENOTCAPABLE);
    /* The secret is unchanged and nothing appeared beside the box. */
    char q[4200];
    snprintf(q, sizeof q, "%s/../stolen", box);
    CHECK(access(q, F_OK) != 0);
    snprintf(q, sizeof q, "%s/../newdir", box);
    CHECK(access(q, F_OK) != 0);
    snprintf(q, sizeof q, "%s/../secret.txt", box);
    FILE *f = fopen(q, "r");
    char s[32] = "";
    CHECK(f && fgets(s, sizeof s, f) && !strcmp(s, "TOPSECRET"));
    if (f) fclose(f);
}

static void test_bad_input(void) {
    uint32_t fd;
    /* A NUL inside a path. */
    uint32_t p = galloc(16);
    memcpy(guest + p, "a.txt\0../x", 10);
    uint32_t out = galloc(4);
    CHECK_ERRNO(
        "nul in path",
        call("path_open", A(3), A(1), A(p), A(10), A(0), A(WASI_RIGHT_FD_READ), A(0), A(0), A(out)),
        WASI_EINVAL);
    /* Long paths. */
    uint32_t lp = galloc(6000);
    memset(guest + lp, 'a', 6000);
    CHECK_ERRNO("long path",
                call("path_open", A(3), A(1), A(lp), A(6000), A(0), A(WASI_RIGHT_FD_READ), A(0),
                     A(0), A(out)),
                WASI_ENAMETOOLONG);
    /* Paths and buffers outside memory. */
    CHECK_ERRNO(
        "path outside memory",
        call("path_open", A(3), A(1), A(MEM_SIZE - 2), A(5), A(0), A(0), A(0), A(0), A(out)),
        WASI_EFAULT);
    CHECK_ERRNO("path wraps", call("path_create_directory", A(3), A(0xFFFFFFF0u), A(0x20)),
                WASI_EFAULT);
    uint32_t name = gstr("never.txt");
    CHECK_ERRNO("result outside memory",
                call("path_open", A(3), A(1), A(name), A(9), A(WASI_OFLAG_CREAT),
                     A(WASI_RIGHTS_REGULAR_FILE), A(0), A(0), A(MEM_SIZE - 2)),
                WASI_EFAULT);
    uint32_t st = galloc(64);
    CHECK_ERRNO("never created", call("path_filestat_get", A(3), A(0), A(name), A(9), A(st)),
                WASI_ENOENT);
    uint32_t iov = galloc(8), n = galloc(4);
    uint32_t far = MEM_SIZE - 4, len = 100;
    memcpy(guest + iov, &far, 4);
    memcpy(guest + iov + 4, &len, 4);
    CHECK_ERRNO("iov buffer outside", call("fd_write", A(1), A(iov), A(1), A(n)), WASI_EFAULT);
    CHECK_ERRNO("iov array outside", call("fd_write", A(1), A(MEM_SIZE - 4), A(1), A(n)),
                WASI_EFAULT);
    CHECK_ERRNO("too many iovs", call("fd_write", A(1), A(iov), A(5000), A(n)), WASI_EINVAL);
    CHECK_ERRNO("nwritten outside", call("fd_write", A(1), A(iov), A(0), A(MEM_SIZE)), WASI_EFAULT);
    CHECK_ERRNO("readdir outside", call("fd_readdir", A(3), A(MEM_SIZE - 10), A(100), A(0), A(n)),
                WASI_EFAULT);
    CHECK_ERRNO("random outside", call("random_get", A(MEM_SIZE - 10), A(11)), WASI_EFAULT);
    CHECK_ERRNO("clock outside", call("clock_time_get", A(0), A(0), A(MEM_SIZE - 7)), WASI_EFAULT);
    CHECK_ERRNO("fdstat outside", call("fd_fdstat_get", A(3), A(MEM_SIZE - 8)), WASI_EFAULT);
    /* Guessed descriptor numbers: nothing but the table. */
    uint32_t guesses[] = {5, 17, 63, 255, 1000, 65535, 0x7FFFFFFF, 0xFFFFFFFF};
    for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++) {
        CHECK_ERRNO("guessed fd read", call("fd_read", A(guesses[i]), A(iov), A(0), A(n)),
                    WASI_EBADF);
        CHECK_ERRNO("guessed fd open", open_at(guesses[i], "a.txt", 0, 0, 0, &fd), WASI_EBADF);
        CHECK_ERRNO("guessed fd close", call("fd_close", A(guesses[i])), WASI_EBADF);
    }
    /* No memory at all: every pointer faults. */
    rt_memory *saved = inst->memory;
    inst->memory = NULL;
    CHECK_ERRNO("no memory", call("clock_time_get", A(0), A(0), A(0)), WASI_EFAULT);
    inst->memory = saved;
}

static void test_clocks_random(void) {
    uint32_t t = galloc(8);
    for (uint32_t id = 0; id < 4; id++) {
        CHECK(call("clock_time_get", A(id), A(1), A(t)) == 0);
        CHECK(call("clock_res_get", A(id), A(t)) == 0 && g64(t) > 0);
    }
    CHECK_ERRNO("bad clock", call("clock_time_get", A(9), A(1), A(t)), WASI_EINVAL);
    CHECK(call("clock_time_get", A(WASI_CLOCK_REALTIME), A(1), A(t)) == 0 &&
          g64(t) > 1600000000ull * 1000000000ull);
    uint32_t r = galloc(64);
    CHECK(call("random_get", A(r), A(64)) == 0);
    int nonzero = 0;
    for (int i = 0; i < 64; i++)
        nonzero += guest[r + i] != 0;
    CHECK(nonzero > 32);
    CHECK(call("random_get", A(r), A(0)) == 0);
    CHECK(call("sched_yield") == 0);
}

static uint64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void put_clock_sub(uint32_t at, uint64_t userdata, uint32_t id, uint64_t timeout,
                          uint16_t flags) {
    memset(guest + at, 0, 48);
    memcpy(guest + at, &userdata, 8);
    guest[at + 8] = WASI_EVENTTYPE_CLOCK;
    memcpy(guest + at + 16, &id, 4);
    memcpy(guest + at + 24, &timeout, 8);
    memcpy(guest + at + 40, &flags, 2);
}

static void put_fd_sub(uint32_t at, uint64_t userdata, uint8_t type, uint32_t fd) {
    memset(guest + at, 0, 48);
    memcpy(guest + at, &userdata, 8);
    guest[at + 8] = type;
    memcpy(guest + at + 16, &fd, 4);
}

static void test_poll(void) {
    uint32_t in = galloc(48 * 4), out = galloc(32 * 4), n = galloc(4);
    /* A relative 30 ms timeout. */
    put_clock_sub(in, 7, WASI_CLOCK_MONOTONIC, 30000000, 0);
    uint64_t t0 = mono_ns();
    CHECK(call("poll_oneoff", A(in), A(out), A(1), A(n)) == 0);
    uint64_t dt = mono_ns() - t0;
    CHECK(dt >= 30000000 && dt < 2000000000);
    CHECK(g32(n) == 1 && g64(out) == 7 && guest[out + 10] == WASI_EVENTTYPE_CLOCK &&
          guest[out + 8] == 0);
    /* An absolute realtime deadline 20 ms ahead. */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t abs = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec + 20000000;
    put_clock_sub(in, 8, WASI_CLOCK_REALTIME, abs, WASI_SUBCLOCKFLAG_ABSTIME);
    t0 = mono_ns();
    CHECK(call("poll_oneoff", A(in), A(out), A(1), A(n)) == 0 && g32(n) == 1);
    CHECK(mono_ns() - t0 >= 15000000);
    /* A readable pipe fires before a long timeout; a bad descriptor reports its error. */
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "abc", 3) == 3);
    wasi_fd_entry *e = wasi_fd_entry_new(p[0], true, WASI_FD_FILE);
    e->filetype = WASI_FILETYPE_UNKNOWN;
    e->rights_base = WASI_RIGHTS_STREAM;
    uint32_t pfd;
    CHECK(wasi_fdtable_insert(&cell.wasi->fds, e, &pfd) == 0);
    put_clock_sub(in, 1, WASI_CLOCK_MONOTONIC, 5000000000ull, 0);
    put_fd_sub(in + 48, 2, WASI_EVENTTYPE_FD_READ, pfd);
    put_fd_sub(in + 96, 3, WASI_EVENTTYPE_FD_READ, 999);
    t0 = mono_ns();
    CHECK(call("poll_oneoff", A(in), A(out), A(3), A(n)) == 0);
    CHECK(mono_ns() - t0 < 1000000000);
    CHECK(g32(n) == 2);
    CHECK(g64(out) == 2 && g64(out + 16) == 3 && guest[out + 10] == WASI_EVENTTYPE_FD_READ);
    uint16_t err;
    memcpy(&err, guest + out + 32 + 8, 2);
    CHECK(g64(out + 32) == 3 && err == WASI_EBADF);
    /* A writable pipe end with a hang-up. */
    close(p[1]);
    put_fd_sub(in, 4, WASI_EVENTTYPE_FD_READ, pfd);
    CHECK(call("poll_oneoff", A(in), A(out), A(1), A(n)) == 0 && g32(n) == 1);
    CHECK(call("fd_close", A(pfd)) == 0);
    CHECK_ERRNO("no subscriptions", call("poll_oneoff", A(in), A(out), A(0), A(n)), WASI_EINVAL);
    guest[in + 8] = 9;
    CHECK_ERRNO("bad tag", call("poll_oneoff", A(in), A(out), A(1), A(n)), WASI_EINVAL);
    CHECK_ERRNO("subs outside", call("poll_oneoff", A(MEM_SIZE - 40), A(out), A(1), A(n)),
                WASI_EFAULT);
}

static void test_proc(void) {
    if (setjmp(trap_jmp) == 0) {
        call("proc_exit", A(42));
        CHECK(!"proc_exit returned");
    } else {
        CHECK(trap_code == 42);
    }
    CHECK(call("proc_raise", A(0)) == 0);
    CHECK_ERRNO("bad signal", call("proc_raise", A(77)), WASI_EINVAL);
    if (setjmp(trap_jmp) == 0) {
        call("proc_raise", A(WASI_SIGABRT));
        CHECK(!"proc_raise SIGABRT returned");
    } else {
        CHECK(trap_code == 134);
    }
    /* sockets */
    uint32_t out = galloc(8);
    CHECK_ERRNO("accept on dir", call("sock_accept", A(3), A(0), A(out)), WASI_ENOTSOCK);
    CHECK_ERRNO("accept bad fd", call("sock_accept", A(99), A(0), A(out)), WASI_EBADF);
    CHECK_ERRNO("shutdown", call("sock_shutdown", A(3), A(0)), WASI_ENOTSOCK);
    /* An instance without a WASI context traps with a message. */
    inst->user = NULL;
    if (setjmp(trap_jmp) == 0) {
        call("sched_yield");
        CHECK(!"call without context returned");
    } else {
        CHECK(strstr(trap_msg, "no WASI context") != NULL);
    }
    inst->user = &cell;
}

static void test_snapshot(const char *box) {
    uint32_t fd, dfd;
    CHECK(open_at(3, "snap.txt", WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, WASI_RIGHTS_REGULAR_FILE, 0,
                  &fd) == 0);
    CHECK(write_str(fd, "0123456789") == 0);
    uint32_t pos = galloc(8);
    CHECK(call("fd_seek", A(fd), A(4), A(WASI_WHENCE_SET), A(pos)) == 0);
    uint32_t d = gstr("sdir");
    CHECK(call("path_create_directory", A(3), A(d), A(4)) == 0);
    CHECK(open_at(3, "sdir", WASI_OFLAG_DIRECTORY, WASI_RIGHTS_DIRECTORY, 0, &dfd) == 0);
    /* Rename the open file: the description follows it. */
    uint32_t a = gstr("snap.txt"), b = gstr("sdir/moved.txt");
    CHECK(call("path_rename", A(3), A(a), A(8), A(3), A(b), A(14)) == 0);
    wasi_fd_desc *descs;
    size_t count;
    rt_error err;
    CHECK(wasi_fdtable_describe(cell.wasi, &descs, &count, &err));
    bool found = false;
    for (size_t i = 0; i < count; i++) {
        if (descs[i].fd == fd) {
            found = true;
            CHECK(descs[i].kind == WASI_FD_FILE && descs[i].offset == 4);
            CHECK(!strcmp(descs[i].path, "sdir/moved.txt"));
            CHECK(descs[i].access == (WASI_ACCESS_READ | WASI_ACCESS_WRITE));
        }
        if (descs[i].fd == dfd)
            CHECK(descs[i].kind == WASI_FD_DIR && !strcmp(descs[i].path, "sdir"));
        if (descs[i].fd == 3) CHECK(descs[i].kind == WASI_FD_PREOPEN);
        if (descs[i].fd == 2) CHECK(descs[i].kind == WASI_FD_STDIO && descs[i].origin == 2);
    }
    CHECK(found);
    /* Restore into a fresh context with the same preopen: reading continues at offset 4. */
    wasi_ctx *old = cell.wasi;
    wasi_ctx *fresh = wasi_ctx_new();
    CHECK(wasi_ctx_add_preopen(fresh, box, ".", &err));
    CHECK(wasi_fdtable_restore(fresh, descs, count, &err));
    cell.wasi = fresh;
    char s[32];
    CHECK(read_str(fd, s, sizeof s) == 0 && !strcmp(s, "456789"));
    uint32_t st = galloc(24);
    CHECK(call("fd_fdstat_get", A(dfd), A(st)) == 0 && guest[st] == WASI_FILETYPE_DIRECTORY);
    /* A snapshot cannot smuggle a path out of the preopen. */
    wasi_fd_desc evil = descs[0];
    evil.fd = 50;
    evil.kind = WASI_FD_FILE;
    evil.origin = 0;
    strcpy(evil.path, "../secret.txt");
    CHECK(!wasi_fdtable_restore(fresh, &evil, 1, &err));
    CHECK(strstr(err.msg, "ENOTCAPABLE") != NULL);
    evil.origin = 5;
    CHECK(!wasi_fdtable_restore(fresh, &evil, 1, &err));
    cell.wasi = old;
    wasi_ctx_free(fresh);
    free(descs);
    /* A deleted open file cannot be described. */
    uint32_t m = gstr("sdir/moved.txt");
    CHECK(call("path_unlink_file", A(3), A(m), A(14)) == 0);
    CHECK(!wasi_fdtable_describe(cell.wasi, &descs, &count, &err));
    CHECK(strstr(err.msg, "deleted") != NULL);
    CHECK(call("fd_close", A(fd)) == 0);
    CHECK(call("fd_close", A(dfd)) == 0);
}

static void test_stdio_and_limits(const char *box) {
    /* stdout mapped to a pipe: guest writes reach it, closing the guest's 1 leaves it open. */
    int p[2];
    CHECK(pipe(p) == 0);
    rt_error err;
    wasi_ctx *ctx = wasi_ctx_new();
    CHECK(wasi_ctx_set_stdio(ctx, 1, p[1], &err));
    CHECK(!wasi_ctx_set_stdio(ctx, 5, p[1], &err));
    CHECK(wasi_ctx_add_preopen(ctx, box, "/sandbox", &err));
    wasi_ctx *saved = cell.wasi;
    cell.wasi = ctx;
    CHECK(write_str(1, "to the pipe") == 0);
    char buf[32] = "";
    CHECK(read(p[0], buf, sizeof buf - 1) == 11 && !strcmp(buf, "to the pipe"));
    uint32_t st = galloc(24);
    CHECK(call("fd_fdstat_get", A(1), A(st)) == 0 && guest[st] == WASI_FILETYPE_UNKNOWN);
    CHECK((g64(st + 8) & WASI_RIGHT_FD_SEEK) == 0);
    CHECK(call("fd_close", A(1)) == 0);
    CHECK(fcntl(p[1], F_GETFD) >= 0);
    uint32_t name = galloc(16), ps = galloc(8);
    CHECK(call("fd_prestat_get", A(3), A(ps)) == 0 && g32(ps + 4) == 8);
    CHECK(call("fd_prestat_dir_name", A(3), A(name), A(8)) == 0 &&
          !memcmp(guest + name, "/sandbox", 8));
    /* A write end that nobody reads from: poll reports it writable. */
    uint32_t in = galloc(48), out = galloc(32), n = galloc(4);
    wasi_fd_entry *e = wasi_fd_entry_new(p[1], false, WASI_FD_FILE);
    e->filetype = WASI_FILETYPE_UNKNOWN;
    e->rights_base = WASI_RIGHTS_STREAM;
    uint32_t wfd;
    CHECK(wasi_fdtable_insert(&ctx->fds, e, &wfd) == 0);
    put_fd_sub(in, 9, WASI_EVENTTYPE_FD_WRITE, wfd);
    CHECK(call("poll_oneoff", A(in), A(out), A(1), A(n)) == 0 && g32(n) == 1 &&
          guest[out + 10] == WASI_EVENTTYPE_FD_WRITE);
    /* The descriptor limit: path_open gives EMFILE, closing one makes room again. */
    wasi_ctx_set_max_fds(ctx, 8);
    uint32_t fd, last = 0, opened = 0;
    uint16_t r;
    while ((r = open_at(3, "a.txt", 0, WASI_RIGHT_FD_READ, 0, &fd)) == 0) {
        last = fd;
        opened++;
    }
    CHECK_ERRNO("descriptor limit", r, WASI_EMFILE);
    CHECK(opened == 4); /* 0-3 in use (the write end took the free 1), 4-7 open */
    CHECK(call("fd_close", A(last)) == 0);
    CHECK(open_at(3, "a.txt", 0, WASI_RIGHT_FD_READ, 0, &fd) == 0 && fd == last);
    cell.wasi = saved;
    wasi_ctx_free(ctx);
    close(p[0]);
    close(p[1]);
}

static void test_calls(void) {
    char tmp[64], box[128];
    make_tree(tmp, box);
    for (int mode = 0; mode < 2; mode++) {
        wasi_resolve_set_mode(mode ? WASI_RESOLVE_WALK : WASI_RESOLVE_OPENAT2);
        wasi_ctx *ctx = calls_ctx(box);
        test_args_env();
        test_prestat();
        test_files(box);
        test_dirs(box);
        test_bad_input();
        test_clocks_random();
        test_poll();
        test_proc();
        test_snapshot(box);
        test_stdio_and_limits(box);
        wasi_ctx_free(ctx);
        /* Start the next mode from the same tree. */
        char p[4200];
        const char *made[] = {"f.txt", "app.txt", "out.txt", "ln", "ln2", "hl2"};
        for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
            snprintf(p, sizeof p, "%s/%s", box, made[i]);
            unlink(p);
        }
        snprintf(p, sizeof p, "%s/sdir", box);
        rmdir(p);
    }
    wasi_resolve_set_mode(WASI_RESOLVE_AUTO);
    rm_tree(tmp);
}

static void test_register(void) {
    rt_error err;
    CHECK(wasi_register(NULL, &err));
    int n = 0;
    for (const wasi_function *f = wasi_functions(); f->name; f++)
        n++;
    CHECK(registered == n && n == 46);
}

int main(void) {
    test_register();
    test_errno();
    test_fdtable();
    test_fdtable_threads();
    test_resolve();
    test_calls();
    free(guest);
    free(inst);
    if (failures) {
        fprintf(stderr, "test_wasi_unit: %d failure(s)\n", failures);
        return 1;
    }
    printf("test_wasi_unit: all passed\n");
    return 0;
}

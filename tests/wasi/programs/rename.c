/* rename.c — renaming files and directories, replacing files, and the errors. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void put(const char *p, const char *s) {
    FILE *f = fopen(p, "w");
    if (!f) die("fopen");
    fputs(s, f);
    fclose(f);
}

static void show(const char *p) {
    char buf[64] = "";
    FILE *f = fopen(p, "r");
    if (!f) {
        printf("  %s: %s\n", p, errname(errno));
        return;
    }
    if (!fgets(buf, sizeof buf, f)) buf[0] = '\0';
    fclose(f);
    printf("  %s: \"%s\"\n", p, buf);
}

int main(void) {
    put("a.txt", "content of a");
    put("b.txt", "content of b");
    mkdir("d1", 0755);
    mkdir("d2", 0755);
    put("d2/inner", "inner");
    report("rename a -> c", rename("a.txt", "c.txt"));
    show("a.txt");
    show("c.txt");
    report("rename c over b", rename("c.txt", "b.txt"));
    show("b.txt");
    report("rename b into d1", rename("b.txt", "d1/b.txt"));
    show("d1/b.txt");
    report("rename dir d1 -> d3", rename("d1", "d3"));
    show("d3/b.txt");
    report("rename missing", rename("nope", "x"));
    report("rename dir over non-empty dir", rename("d3", "d2"));
    report("rename file over dir", rename("d3/b.txt", "d2"));
    report("rename dir into itself", rename("d3", "d3/sub"));
    report("rename to same name", rename("d3/b.txt", "d3/b.txt"));
    mkdir("empty", 0755);
    report("rename dir over empty dir", rename("d3", "empty"));
    show("empty/b.txt");
    return 0;
}

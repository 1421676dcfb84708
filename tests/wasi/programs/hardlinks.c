/* hardlinks.c — link(2): several names for one file, link counts, content shared. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static long long links(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long long)st.st_nlink : -1;
}

int main(void) {
    FILE *f = fopen("orig", "w");
    fputs("v1", f);
    fclose(f);
    report("link orig name2", link("orig", "name2"));
    mkdir("sub", 0755);
    report("link orig sub/name3", link("orig", "sub/name3"));
    report("link to existing", link("orig", "name2"));
    report("link missing", link("missing", "x"));
    report("link a directory", link("sub", "subalias"));
    printf("links: %lld %lld %lld\n", links("orig"), links("name2"), links("sub/name3"));
    f = fopen("sub/name3", "w");
    fputs("v2 written through name3", f);
    fclose(f);
    char buf[64] = "";
    f = fopen("orig", "r");
    if (!fgets(buf, sizeof buf, f)) buf[0] = '\0';
    fclose(f);
    printf("orig reads: %s\n", buf);
    unlink("orig");
    printf("after unlink orig: name2 has %lld links\n", links("name2"));
    unlink("name2");
    printf("after unlink name2: sub/name3 has %lld links\n", links("sub/name3"));
    return 0;
}

/* file_large.c — large writes: 24 MiB in one write(2), then in odd chunks, read back and
 * checksummed; the data crosses many pages of linear memory. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define BIG (24u << 20)

int main(void) {
    unsigned char *data = malloc(BIG);
    if (!data) die("malloc");
    unsigned x = 12345;
    for (size_t i = 0; i < BIG; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (unsigned char)(x >> 16);
    }
    unsigned long long want = fnv1a(data, BIG, FNV_INIT);
    int fd = open("big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    size_t done = 0;
    while (done < BIG) {
        ssize_t n = write(fd, data + done, BIG - done);
        if (n <= 0) die("write");
        done += (size_t)n;
    }
    struct stat st;
    fstat(fd, &st);
    printf("one big write: %lld bytes\n", (long long)st.st_size);
    lseek(fd, 0, SEEK_SET);
    unsigned char *back = calloc(1, BIG);
    done = 0;
    while (done < BIG) {
        ssize_t n = read(fd, back + done, BIG - done);
        if (n <= 0) die("read");
        done += (size_t)n;
    }
    printf("read back matches: %s\n", fnv1a(back, BIG, FNV_INIT) == want ? "yes" : "NO");
    close(fd);
    FILE *f = fopen("chunks.bin", "wb");
    for (size_t off = 0; off < BIG; off += 9973) {
        size_t n = BIG - off < 9973 ? BIG - off : 9973;
        fwrite(data + off, 1, n, f);
    }
    fclose(f);
    f = fopen("chunks.bin", "rb");
    unsigned long long h = FNV_INIT;
    size_t total = 0, k;
    while ((k = fread(back, 1, 65536, f)) > 0) {
        h = fnv1a(back, k, h);
        total += k;
    }
    fclose(f);
    printf("chunked: %zu bytes, matches: %s\n", total, h == want ? "yes" : "NO");
    printf("checksum %016llx\n", want);
    free(data);
    free(back);
    return 0;
}

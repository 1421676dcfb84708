/* stdin_binary.c — read standard input with read(2) in odd-sized chunks; checksum every byte.
 * STDIN: stdin_numbers.txt
 */
#include <stdio.h>
#include <unistd.h>

#include "common.h"

int main(void) {
    unsigned char buf[777];
    unsigned long long h = FNV_INIT;
    size_t total = 0, reads = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) die("read");
        if (n == 0) break;
        h = fnv1a(buf, (size_t)n, h);
        total += (size_t)n;
        reads++;
    }
    printf("%zu bytes, checksum %016llx, at least %s read\n", total, h, reads > 1 ? "two" : "one");
    return 0;
}

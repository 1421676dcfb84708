/* random.c — getentropy fills buffers with bytes that look random: not constant, different
 * between calls, roughly balanced bits. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int main(void) {
    unsigned char a[256], b[256];
    if (getentropy(a, sizeof a) != 0 || getentropy(b, sizeof b) != 0) {
        printf("getentropy failed\n");
        return 1;
    }
    int ones = 0;
    for (size_t i = 0; i < sizeof a; i++)
        for (int k = 0; k < 8; k++)
            ones += (a[i] >> k) & 1;
    printf("two draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
    printf("bit balance plausible: %s\n", ones > 850 && ones < 1200 ? "yes" : "no");
    unsigned char big[300];
    printf("getentropy(300) refused: %s\n", getentropy(big, sizeof big) != 0 ? "yes" : "no");
    return 0;
}

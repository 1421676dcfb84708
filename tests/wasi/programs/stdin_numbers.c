/* stdin_numbers.c — scanf numbers from standard input: count, sum, min, max, mean.
 * STDIN: stdin_numbers.txt
 */
#include <stdio.h>

int main(void) {
    long long sum = 0, min = 0, max = 0;
    long long v;
    int n = 0;
    while (scanf("%lld", &v) == 1) {
        if (n == 0 || v < min) min = v;
        if (n == 0 || v > max) max = v;
        sum += v;
        n++;
    }
    printf("n=%d sum=%lld min=%lld max=%lld mean=%.3f\n", n, sum, min, max,
           n ? (double)sum / n : 0.0);
    return 0;
}

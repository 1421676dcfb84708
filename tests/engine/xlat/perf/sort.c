/* Quicksort (recursive, median of three) + insertion sort of 4M pseudo-random ints. */
#include <stdint.h>
#include "kernels.h"
#define N (4 * 1024 * 1024)
static int32_t v[N];
static void insertion(int32_t *x, int n) {
    for (int i = 1; i < n; i++) {
        int32_t t = x[i];
        int j = i - 1;
        while (j >= 0 && x[j] > t) {
            x[j + 1] = x[j];
            j--;
        }
        x[j + 1] = t;
    }
}
static void quick(int32_t *x, int n) {
    while (n > 16) {
        int32_t p = x[n / 2];
        int i = 0, j = n - 1;
        for (;;) {
            while (x[i] < p)
                i++;
            while (x[j] > p)
                j--;
            if (i >= j) break;
            int32_t t = x[i];
            x[i] = x[j];
            x[j] = t;
            i++;
            j--;
        }
        if (j + 1 < n - j - 1) {
            quick(x, j + 1);
            x += j + 1;
            n -= j + 1;
        } else {
            quick(x + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion(x, n);
}
KERNEL {
    uint32_t s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        v[i] = (int32_t)(s >> 1);
    }
    quick(v, N);
    double sum = 0;
    for (int i = 0; i < N; i += 1000)
        sum += v[i] * 1e-6;
    for (int i = 1; i < N; i++)
        if (v[i - 1] > v[i]) return -1;
    return sum;
}

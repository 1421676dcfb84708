/* STREAM triad over 2M doubles, repeated. */
#include "kernels.h"
#define N (2 * 1024 * 1024)
static double a[N], b[N], c[N];
KERNEL {
    for (int i = 0; i < N; i++) {
        b[i] = (double)(i & 1023);
        c[i] = (double)(i % 7);
    }
    double s = 3.0;
    for (int rep = 0; rep < 40; rep++)
        for (int i = 0; i < N; i++)
            a[i] = b[i] + s * c[i];
    double sum = 0;
    for (int i = 0; i < N; i += 97)
        sum += a[i];
    return sum;
}

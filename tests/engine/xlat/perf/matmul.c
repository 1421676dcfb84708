/* 512x512 double matrix multiply, i-k-j order (the inner loop is a vectorisable axpy). */
#include "kernels.h"
#define N 512
static double a[N][N], b[N][N], c[N][N];
KERNEL {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)((i * 7 + j * 3) % 17) * 0.5;
            b[i][j] = (double)((i * 5 + j * 11) % 13) * 0.25;
            c[i][j] = 0;
        }
    for (int rep = 0; rep < 4; rep++)
        for (int i = 0; i < N; i++)
            for (int k = 0; k < N; k++) {
                double aik = a[i][k];
                for (int j = 0; j < N; j++)
                    c[i][j] += aik * b[k][j];
            }
    double s = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            s += c[i][j];
    return s;
}

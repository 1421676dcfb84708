/* 2D Jacobi 5-point stencil on a 1024x1024 float grid. */
#include "kernels.h"
#define N 1024
static float g0[N][N], g1[N][N];
KERNEL {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            g0[i][j] = (float)((i * 31 + j * 17) % 101);
    for (int it = 0; it < 50; it++) {
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                g1[i][j] =
                    0.2f * (g0[i][j] + g0[i - 1][j] + g0[i + 1][j] + g0[i][j - 1] + g0[i][j + 1]);
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                g0[i][j] =
                    0.2f * (g1[i][j] + g1[i - 1][j] + g1[i + 1][j] + g1[i][j - 1] + g1[i][j + 1]);
    }
    double s = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            s += g0[i][j];
    return s;
}

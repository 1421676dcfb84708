/*
 * sparse — y += A·x with a sparse matrix in CSR form: the 2D grid of 2^k × 2^k points with a
 * periodic star stencil of radius 2 (9 non-zeros per row, a[row][col] = 1/(col+1)), the rows shared
 * among the threads. x stays the same, so after T+1 products y = (T+1)·A·x; the check compares the
 * sum of y with (T+1) times a serial product.
 *
 *   sparse [iterations=40] [log2 of the grid side=10]
 */
#include "kernel.h"

#define R 2

int main(int argc, char **argv) {
    long iters = kernel_arg(argc, argv, 1, 40);
    long lsize = kernel_arg(argc, argv, 2, 10);
    if (lsize > 13) {
        fprintf(stderr, "sparse: log2 of the grid side must be at most 13\n");
        return 2;
    }
    long side = 1L << lsize, rows = side * side, per_row = 4 * R + 1;
    long nnz = rows * per_row;
    int *colidx = kernel_alloc(sizeof(int) * nnz);
    int *rowptr = kernel_alloc(sizeof(int) * (rows + 1));
    double *val = kernel_alloc(sizeof(double) * nnz);
    double *x = kernel_alloc(sizeof(double) * rows);
    double *y = kernel_alloc(sizeof(double) * rows);
#pragma omp parallel for schedule(static)
    for (long row = 0; row < rows; row++) {
        long i = row / side, j = row % side, e = row * per_row;
        rowptr[row] = (int)e;
        colidx[e++] = (int)row;
        for (long k = 1; k <= R; k++) {
            colidx[e++] = (int)(((i + k) % side) * side + j);
            colidx[e++] = (int)(((i - k + side) % side) * side + j);
            colidx[e++] = (int)(i * side + (j + k) % side);
            colidx[e++] = (int)(i * side + (j - k + side) % side);
        }
        for (long q = row * per_row; q < e; q++)
            val[q] = 1.0 / (colidx[q] + 1.0);
        x[row] = (double)(row % 13) * 0.5;
        y[row] = 0;
    }
    rowptr[rows] = (int)nnz;
    double t0 = 0;
    for (long it = 0; it <= iters; it++) {
        if (it == 1) t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
        for (long row = 0; row < rows; row++) {
            double s = 0;
            for (int q = rowptr[row]; q < rowptr[row + 1]; q++)
                s += val[q] * x[colidx[q]];
            y[row] += s;
        }
    }
    double t = omp_get_wtime() - t0;
    double sum = 0, ref = 0;
#pragma omp parallel for reduction(+ : sum)
    for (long row = 0; row < rows; row++)
        sum += y[row];
    for (long row = 0; row < rows; row++)
        for (int q = rowptr[row]; q < rowptr[row + 1]; q++)
            ref += val[q] * x[colidx[q]];
    ref *= (double)(iters + 1);
    int ok = fabs(sum - ref) <= 1e-9 * fabs(ref);
    if (!ok) printf("sum %.17g, expected %.17g\n", sum, ref);
    double flops = 2.0 * nnz * iters;
    return kernel_report("sparse", t, flops / t * 1e-6, "MFlop/s", ok);
}

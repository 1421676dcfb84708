/*
 * sparse — repeated sparse matrix-vector products y = A x, x <- y, with A a 5-point stencil on a
 * periodic L x L grid stored in CSR, rows split in blocks over the ranks and the vector
 * replicated: every iteration each rank multiplies its rows and MPI_Allgatherv reassembles x.
 * Arithmetic is on integers modulo a prime, so the result is exact; rank 0 replays the iteration
 * serially (untimed) and compares checksums.
 *
 * Arguments: l=L (grid side, default 1024) iterations=K (default 20).
 */
#include "kernel.h"

enum { MOD = 1000003 };

static long weight(long row, long col) {
    return 1 + (row + 2 * col) % 3;
}

/* The 5 column indices of a row of the periodic stencil. */
static void row_cols(long row, long l, long cols[5]) {
    long i = row / l, j = row % l;
    cols[0] = row;
    cols[1] = ((i + l - 1) % l) * l + j;
    cols[2] = ((i + 1) % l) * l + j;
    cols[3] = i * l + (j + l - 1) % l;
    cols[4] = i * l + (j + 1) % l;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long l = kernel_arg(argc, argv, "l", 1024), n = l * l;
    int iters = (int)kernel_arg(argc, argv, "iterations", 20);
    int *counts = malloc(sizeof(int) * size), *displs = malloc(sizeof(int) * size);
    for (int p = 0; p < size; p++) {
        displs[p] = (int)(n * p / size);
        counts[p] = (int)(n * (p + 1) / size) - displs[p];
    }
    long r0 = displs[rank], nr = counts[rank];
    /* CSR of my rows */
    long *rowptr = malloc(sizeof(long) * (nr + 1)), *col = malloc(sizeof(long) * nr * 5);
    long *val = malloc(sizeof(long) * nr * 5);
    for (long r = 0; r < nr; r++) {
        rowptr[r] = r * 5;
        long c[5];
        row_cols(r0 + r, l, c);
        for (int k = 0; k < 5; k++)
            col[r * 5 + k] = c[k], val[r * 5 + k] = weight(r0 + r, c[k]);
    }
    rowptr[nr] = nr * 5;
    long *x = malloc(sizeof(long) * n), *y = malloc(sizeof(long) * (nr + 1));
    for (long i = 0; i < n; i++)
        x[i] = i % 101;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int it = 0; it < iters; it++) {
        for (long r = 0; r < nr; r++) {
            long s = 0;
            for (long k = rowptr[r]; k < rowptr[r + 1]; k++)
                s += val[k] * x[col[k]];
            y[r] = s % MOD;
        }
        MPI_Allgatherv(y, (int)nr, MPI_LONG, x, counts, displs, MPI_LONG, MPI_COMM_WORLD);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double t = MPI_Wtime() - t0;
    long sum = 0;
    for (long i = 0; i < n; i++)
        sum = (sum * 31 + x[i]) % MOD;
    int ok = 1;
    long expect = -1;
    if (rank == 0) {
        long *a = malloc(sizeof(long) * n), *b = malloc(sizeof(long) * n);
        for (long i = 0; i < n; i++)
            a[i] = i % 101;
        for (int it = 0; it < iters; it++) {
            for (long row = 0; row < n; row++) {
                long c[5], s = 0;
                row_cols(row, l, c);
                for (int k = 0; k < 5; k++)
                    s += weight(row, c[k]) * a[c[k]];
                b[row] = s % MOD;
            }
            long *tmp = a;
            a = b;
            b = tmp;
        }
        expect = 0;
        for (long i = 0; i < n; i++)
            expect = (expect * 31 + a[i]) % MOD;
        ok = expect == sum;
        free(a);
        free(b);
    }
    char details[96];
    snprintf(details, sizeof details, "rows %ld checksum %ld expected %ld", n, sum, expect);
    int rc = kernel_result("sparse", t, ok, details);
    free(rowptr), free(col), free(val), free(x), free(y), free(counts), free(displs);
    MPI_Finalize();
    return rc;
}

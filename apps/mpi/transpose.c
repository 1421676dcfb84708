/*
 * transpose — a distributed matrix transpose B += A^T, A += 1, repeated (after the Parallel
 * Research Kernels' transpose, written here from its description). A and B are order x order,
 * split in column blocks over the ranks; each iteration every rank transposes its block locally
 * into per-destination tiles and exchanges them with MPI_Alltoall. With A[i][j] = order * j + i
 * at the start, B[i][j] after k+1 iterations is (k+1)(order * i + j) + k(k+1)/2: the check.
 *
 * Arguments: order=N iterations=K (defaults 2048 (rounded to a multiple of the ranks), 20).
 */
#include <math.h>

#include "kernel.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long order = kernel_arg(argc, argv, "order", 2048);
    int iters = (int)kernel_arg(argc, argv, "iterations", 20);
    order = order / size * size;
    long bw = order / size; /* columns per rank */
    /* column-major blocks: A(i, j) for global row i, local column j */
    double *a = malloc(sizeof(double) * order * bw),
           *b = calloc((size_t)(order * bw), sizeof(double));
    double *send = malloc(sizeof(double) * order * bw), *recv = malloc(sizeof(double) * order * bw);
    long c0 = rank * bw;
    for (long j = 0; j < bw; j++)
        for (long i = 0; i < order; i++)
            a[j * order + i] = (double)(order * (c0 + j) + i);
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int it = 0; it <= iters; it++) {
        /* tile for rank p: rows p*bw .. p*bw+bw-1 of my columns, transposed */
        for (int p = 0; p < size; p++) {
            double *tile = send + (long)p * bw * bw;
            for (long j = 0; j < bw; j++)
                for (long i = 0; i < bw; i++)
                    tile[i * bw + j] = a[j * order + p * bw + i];
        }
        MPI_Alltoall(send, (int)(bw * bw), MPI_DOUBLE, recv, (int)(bw * bw), MPI_DOUBLE,
                     MPI_COMM_WORLD);
        /* tile from rank p holds B(p*bw + j, my column i) in tile[i * bw + j] */
        for (int p = 0; p < size; p++) {
            double *tile = recv + (long)p * bw * bw;
            for (long i = 0; i < bw; i++)
                for (long j = 0; j < bw; j++)
                    b[i * order + p * bw + j] += tile[i * bw + j];
        }
        for (long k = 0; k < order * bw; k++)
            a[k] += 1.0;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double t = MPI_Wtime() - t0;
    /* B(i, j) in column j = c0 + jl, row i: transpose of A(j, i) accumulated */
    double err = 0, k = iters;
    for (long jl = 0; jl < bw; jl++)
        for (long i = 0; i < order; i++) {
            double expect = (k + 1) * (double)(order * i + c0 + jl) + k * (k + 1) / 2;
            err += fabs(b[jl * order + i] - expect);
        }
    double total;
    MPI_Allreduce(&err, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    char details[96];
    snprintf(details, sizeof details, "order %ld abs error %g", order, total);
    int rc = kernel_result("transpose", t, total < 1e-8, details);
    free(a), free(b), free(send), free(recv);
    MPI_Finalize();
    return rc;
}

/*
 * p2p — pipelined point-to-point synchronisation (a wavefront, like the Parallel Research Kernels'
 * synch_p2p, written here from its description): a grid of m rows by n columns, columns split in
 * blocks over the ranks; A[i][j] = A[i-1][j] + A[i][j-1] - A[i-1][j-1] sweeps from the top-left
 * corner, so each rank needs, for every row, the last value of its left neighbour's block: one
 * small message per row per rank. After each sweep the bottom-right corner is copied, negated, to
 * the top-left corner. With A[0][j] = j and A[i][0] = i the corner after k sweeps is
 * k * (m + n - 2), which is the check.
 *
 * Arguments: m=ROWS n=COLUMNS iterations=K (defaults 1000 x 4000, 40).
 */
#include "kernel.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long m = kernel_arg(argc, argv, "m", 1000), n = kernel_arg(argc, argv, "n", 4000);
    int iters = (int)kernel_arg(argc, argv, "iterations", 40);
    if (n < size || m < 2) {
        if (rank == 0) printf("p2p: need n >= ranks and m >= 2\n");
        MPI_Finalize();
        return 1;
    }
    /* columns [start, end) of this rank, plus one ghost column on the left */
    long start = n * rank / size, end = n * (rank + 1) / size, w = end - start + 1;
    double *a = calloc((size_t)(m * w), sizeof(double));
#define A(i, j) a[(i)*w + (j)-start + 1]
    for (long j = start - (start > 0); j < end; j++)
        A(0, j) = (double)j; /* with the ghost */
    for (long i = 0; i < m; i++)
        if (start == 0) A(i, 0) = (double)i;
    double t0 = 0;
    for (int it = 0; it <= iters; it++) {
        if (it == 1) { /* the first sweep warms up */
            MPI_Barrier(MPI_COMM_WORLD);
            t0 = MPI_Wtime();
        }
        for (long i = 1; i < m; i++) {
            if (rank > 0)
                MPI_Recv(&A(i, start - 1), 1, MPI_DOUBLE, rank - 1, 0, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
            for (long j = start > 0 ? start : 1; j < end; j++)
                A(i, j) = A(i - 1, j) + A(i, j - 1) - A(i - 1, j - 1);
            if (rank < size - 1)
                MPI_Send(&A(i, end - 1), 1, MPI_DOUBLE, rank + 1, 0, MPI_COMM_WORLD);
        }
        /* corner feedback: last rank -> rank 0 */
        double corner = 0;
        if (size == 1) {
            corner = A(m - 1, n - 1);
        } else if (rank == size - 1) {
            corner = A(m - 1, n - 1);
            MPI_Send(&corner, 1, MPI_DOUBLE, 0, 1, MPI_COMM_WORLD);
        } else if (rank == 0) {
            MPI_Recv(&corner, 1, MPI_DOUBLE, size - 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        if (rank == 0) A(0, 0) = -corner;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double t = MPI_Wtime() - t0;
    int ok = 1;
    char details[128] = "";
    if (rank == size - 1) {
        double expect = (double)(iters + 1) * (double)(m + n - 2);
        ok = A(m - 1, n - 1) == expect;
        snprintf(details, sizeof details, "corner %.0f expected %.0f", A(m - 1, n - 1), expect);
    }
    /* the details come from the last rank */
    if (size > 1) {
        if (rank == size - 1) MPI_Send(details, sizeof details, MPI_CHAR, 0, 2, MPI_COMM_WORLD);
        if (rank == 0)
            MPI_Recv(details, sizeof details, MPI_CHAR, size - 1, 2, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
    }
    int rc = kernel_result("p2p", t, ok, details);
    free(a);
    MPI_Finalize();
    return rc;
}

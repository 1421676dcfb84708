/*
 * stencil — a 2D star stencil (radius R) on an n x n grid decomposed over a 2D grid of ranks
 * (MPI_Dims_create, MPI_Cart_create), with halo exchange of R rows and R columns (a vector type)
 * per iteration. Each iteration applies out += sum_k w_k * (in[i][j+k] - in[i][j-k] + in[i+k][j]
 * - in[i-k][j]) with w_k = 1/(2 k R), then in += 1. With in = i + j every interior point gains
 * exactly 2 per iteration, so the average of |out| over the points at least R away from the
 * border is 2 * iterations: the check.
 *
 * Arguments: n=SIZE r=RADIUS iterations=K (defaults 2000, 2, 40).
 */
#include <math.h>

#include "kernel.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long n = kernel_arg(argc, argv, "n", 2000);
    int R = (int)kernel_arg(argc, argv, "r", 2),
        iters = (int)kernel_arg(argc, argv, "iterations", 40);
    int dims[2] = {0, 0}, periods[2] = {0, 0}, coords[2];
    MPI_Dims_create(size, 2, dims);
    MPI_Comm grid;
    MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &grid);
    MPI_Cart_coords(grid, rank, 2, coords);
    int up, down, left, right;
    MPI_Cart_shift(grid, 0, 1, &up, &down);
    MPI_Cart_shift(grid, 1, 1, &left, &right);
    long i0 = n * coords[0] / dims[0], i1 = n * (coords[0] + 1) / dims[0];
    long j0 = n * coords[1] / dims[1], j1 = n * (coords[1] + 1) / dims[1];
    long h = i1 - i0, w = j1 - j0, W = w + 2 * R;
    if (h < R || w < R) {
        if (rank == 0) printf("stencil: blocks smaller than the radius\n");
        MPI_Finalize();
        return 1;
    }
    double *in = calloc((size_t)((h + 2 * R) * W), sizeof(double));
    double *out = calloc((size_t)(h * w), sizeof(double));
#define IN(i, j)  in[((i)-i0 + R) * W + (j)-j0 + R]
#define OUT(i, j) out[((i)-i0) * w + (j)-j0]
    for (long i = i0; i < i1; i++)
        for (long j = j0; j < j1; j++)
            IN(i, j) = (double)(i + j);
    MPI_Datatype cols;
    MPI_Type_vector((int)h, R, (int)W, MPI_DOUBLE, &cols);
    MPI_Type_commit(&cols);
    double weight[8];
    for (int k = 1; k <= R; k++)
        weight[k] = 1.0 / (2.0 * k * R);
    /* interior points of the global grid that this rank owns */
    long ai0 = i0 > R ? i0 : R, ai1 = i1 < n - R ? i1 : n - R;
    long aj0 = j0 > R ? j0 : R, aj1 = j1 < n - R ? j1 : n - R;
    MPI_Barrier(grid);
    double t0 = MPI_Wtime();
    for (int it = 0; it < iters; it++) {
        MPI_Request rq[8];
        int nr = 0;
        /* whole padded rows: R rows of W values each */
        MPI_Irecv(&IN(i0 - R, j0 - R), (int)(R * W), MPI_DOUBLE, up, 0, grid, &rq[nr++]);
        MPI_Irecv(&IN(i1, j0 - R), (int)(R * W), MPI_DOUBLE, down, 1, grid, &rq[nr++]);
        MPI_Isend(&IN(i0, j0 - R), (int)(R * W), MPI_DOUBLE, up, 1, grid, &rq[nr++]);
        MPI_Isend(&IN(i1 - R, j0 - R), (int)(R * W), MPI_DOUBLE, down, 0, grid, &rq[nr++]);
        MPI_Waitall(nr, rq, MPI_STATUSES_IGNORE);
        nr = 0;
        MPI_Irecv(&IN(i0, j0 - R), 1, cols, left, 2, grid, &rq[nr++]);
        MPI_Irecv(&IN(i0, j1), 1, cols, right, 3, grid, &rq[nr++]);
        MPI_Isend(&IN(i0, j0), 1, cols, left, 3, grid, &rq[nr++]);
        MPI_Isend(&IN(i0, j1 - R), 1, cols, right, 2, grid, &rq[nr++]);
        MPI_Waitall(nr, rq, MPI_STATUSES_IGNORE);
        for (long i = ai0; i < ai1; i++)
            for (long j = aj0; j < aj1; j++) {
                double s = 0;
                for (int k = 1; k <= R; k++)
                    s += weight[k] * (IN(i, j + k) - IN(i, j - k) + IN(i + k, j) - IN(i - k, j));
                OUT(i, j) += s;
            }
        for (long i = i0; i < i1; i++)
            for (long j = j0; j < j1; j++)
                IN(i, j) += 1.0;
    }
    MPI_Barrier(grid);
    double t = MPI_Wtime() - t0;
    double local = 0, norm;
    for (long i = ai0; i < ai1; i++)
        for (long j = aj0; j < aj1; j++)
            local += fabs(OUT(i, j));
    MPI_Allreduce(&local, &norm, 1, MPI_DOUBLE, MPI_SUM, grid);
    norm /= (double)(n - 2 * R) * (double)(n - 2 * R);
    double expect = 2.0 * iters;
    char details[128];
    snprintf(details, sizeof details, "grid %dx%d norm %.6f expected %.6f", dims[0], dims[1], norm,
             expect);
    int rc = kernel_result("stencil", t, fabs(norm - expect) < 1e-8 * expect, details);
    MPI_Type_free(&cols);
    MPI_Comm_free(&grid);
    free(in);
    free(out);
    MPI_Finalize();
    return rc;
}

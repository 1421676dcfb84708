/* mixed_jacobi: a 2D Jacobi iteration on a Cartesian grid of ranks: halo exchange of rows
 * (contiguous) and columns (vector type) with MPI_Sendrecv, residual by MPI_Allreduce, final
 * checksum gathered on rank 0. Integer-valued arithmetic keeps results exact.
 * ranks: 1 4 6 */
#include "check.h"

#define NX 16
#define NY 12

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int dims[2] = {0, 0}, periods[2] = {0, 0};
    MPI_Dims_create(size, 2, dims);
    MPI_Comm grid;
    MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &grid);
    int coords[2];
    MPI_Cart_coords(grid, rank, 2, coords);
    int up, down, left, right;
    MPI_Cart_shift(grid, 0, 1, &up, &down);
    MPI_Cart_shift(grid, 1, 1, &left, &right);
    /* local block with halo: (NX+2) x (NY+2), values stay integers / 4^k: use long arithmetic */
    long u[NX + 2][NY + 2], v[NX + 2][NY + 2];
    memset(u, 0, sizeof u);
    for (int i = 1; i <= NX; i++)
        for (int j = 1; j <= NY; j++)
            u[i][j] = ((coords[0] * NX + i) * 7 + (coords[1] * NY + j) * 3) % 64;
    MPI_Datatype column;
    MPI_Type_vector(NX, 1, NY + 2, MPI_LONG, &column);
    MPI_Type_commit(&column);
    long residual = 0;
    for (int it = 0; it < 20; it++) {
        MPI_Sendrecv(&u[1][1], NY, MPI_LONG, up, 0, &u[NX + 1][1], NY, MPI_LONG, down, 0, grid,
                     MPI_STATUS_IGNORE);
        MPI_Sendrecv(&u[NX][1], NY, MPI_LONG, down, 1, &u[0][1], NY, MPI_LONG, up, 1, grid,
                     MPI_STATUS_IGNORE);
        MPI_Sendrecv(&u[1][1], 1, column, left, 2, &u[1][NY + 1], 1, column, right, 2, grid,
                     MPI_STATUS_IGNORE);
        MPI_Sendrecv(&u[1][NY], 1, column, right, 3, &u[1][0], 1, column, left, 3, grid,
                     MPI_STATUS_IGNORE);
        long local = 0;
        for (int i = 1; i <= NX; i++)
            for (int j = 1; j <= NY; j++) {
                v[i][j] = (u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1]) / 4;
                long d = v[i][j] - u[i][j];
                local += d < 0 ? -d : d;
            }
        for (int i = 1; i <= NX; i++)
            for (int j = 1; j <= NY; j++)
                u[i][j] = v[i][j];
        MPI_Allreduce(&local, &residual, 1, MPI_LONG, MPI_SUM, grid);
        if (rank == 0 && it % 5 == 4) printf("iteration %d residual %ld\n", it + 1, residual);
    }
    long sum = 0, total;
    for (int i = 1; i <= NX; i++)
        for (int j = 1; j <= NY; j++)
            sum += u[i][j] * ((i + j) % 5 + 1);
    MPI_Reduce(&sum, &total, 1, MPI_LONG, MPI_SUM, 0, grid);
    if (rank == 0) printf("grid %dx%d checksum %ld\n", dims[0], dims[1], total);
    MPI_Type_free(&column);
    MPI_Comm_free(&grid);
    MPI_Finalize();
    return 0;
}

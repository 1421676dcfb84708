/* cart_3d: a 2x2x2 grid, periodic in the first dimension only: all six neighbours of every rank,
 * and MPI_Cart_get.
 * ranks: 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int dims[3] = {2, 2, 2}, periods[3] = {1, 0, 0};
    MPI_Comm grid;
    CHECK_MPI(MPI_Cart_create(MPI_COMM_WORLD, 3, dims, periods, 1, &grid));
    int r;
    MPI_Comm_rank(grid, &r);
    char line[200];
    int n = snprintf(line, sizeof line, "rank %d:", r);
    for (int d = 0; d < 3; d++) {
        int s, t;
        MPI_Cart_shift(grid, d, 1, &s, &t);
        n += snprintf(line + n, sizeof line - n, " d%d(%d,%d)", d, s, t);
    }
    int gd[3], gp[3], gc[3], nd;
    MPI_Cartdim_get(grid, &nd);
    MPI_Cart_get(grid, 3, gd, gp, gc);
    snprintf(line + n, sizeof line - n, " ndims %d coords %d%d%d periods %d%d%d", nd, gc[0], gc[1],
             gc[2], gp[0], gp[1], gp[2]);
    print_ordered(line, grid);
    MPI_Comm_free(&grid);
    MPI_Finalize();
    return 0;
}

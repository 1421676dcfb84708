/* cart_4d: a four-dimensional periodic grid; each rank sums its 8 neighbours' ranks obtained by
 * exchanging with MPI_Sendrecv along every dimension and direction.
 * ranks: 1 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int dims[4] = {0, 0, 0, 0}, periods[4] = {1, 1, 1, 1};
    MPI_Dims_create(size, 4, dims);
    MPI_Comm grid;
    CHECK_MPI(MPI_Cart_create(MPI_COMM_WORLD, 4, dims, periods, 0, &grid));
    int r, total = 0;
    MPI_Comm_rank(grid, &r);
    for (int d = 0; d < 4; d++)
        for (int dir = -1; dir <= 1; dir += 2) {
            int s, t, got;
            MPI_Cart_shift(grid, d, dir, &s, &t);
            CHECK_MPI(MPI_Sendrecv(&r, 1, MPI_INT, t, d, &got, 1, MPI_INT, s, d, grid,
                                   MPI_STATUS_IGNORE));
            total += got;
        }
    char line[96];
    snprintf(line, sizeof line, "rank %d: dims %d %d %d %d neighbour sum %d", r, dims[0], dims[1],
             dims[2], dims[3], total);
    print_ordered(line, grid);
    MPI_Comm_free(&grid);
    MPI_Finalize();
    return 0;
}

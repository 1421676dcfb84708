/* cart_2d: a 2D grid from MPI_Dims_create (non-periodic): coordinates, neighbours from
 * MPI_Cart_shift (MPI_PROC_NULL at the borders) and MPI_Cart_rank round trips.
 * ranks: 4 6 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int dims[2] = {0, 0}, periods[2] = {0, 0};
    CHECK_MPI(MPI_Dims_create(size, 2, dims));
    MPI_Comm grid;
    CHECK_MPI(MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &grid));
    int r, coords[2], up, down, left, right, back;
    MPI_Comm_rank(grid, &r);
    CHECK_MPI(MPI_Cart_coords(grid, r, 2, coords));
    CHECK_MPI(MPI_Cart_shift(grid, 0, 1, &up, &down));
    CHECK_MPI(MPI_Cart_shift(grid, 1, 1, &left, &right));
    CHECK_MPI(MPI_Cart_rank(grid, coords, &back));
    CHECK(back == r);
    char line[128];
    snprintf(line, sizeof line, "rank %d (%d,%d) of %dx%d: up %d down %d left %d right %d", r,
             coords[0], coords[1], dims[0], dims[1], up, down, left, right);
    print_ordered(line, grid);
    MPI_Comm_free(&grid);
    MPI_Finalize();
    return 0;
}

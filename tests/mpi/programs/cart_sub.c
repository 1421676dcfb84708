/* cart_sub: rows and columns of a 2D grid with MPI_Cart_sub; a reduction along each row and
 * column; the sub-communicators are Cartesian of one dimension.
 * ranks: 6 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int dims[2] = {0, 0}, periods[2] = {0, 1};
    MPI_Dims_create(size, 2, dims);
    MPI_Comm grid, row, col;
    CHECK_MPI(MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &grid));
    int keep_row[2] = {0, 1}, keep_col[2] = {1, 0};
    CHECK_MPI(MPI_Cart_sub(grid, keep_row, &row));
    CHECK_MPI(MPI_Cart_sub(grid, keep_col, &col));
    int rr, rs, cr, cs, rsum, csum, rd, nd;
    MPI_Comm_rank(row, &rr);
    MPI_Comm_size(row, &rs);
    MPI_Comm_rank(col, &cr);
    MPI_Comm_size(col, &cs);
    MPI_Allreduce(&rank, &rsum, 1, MPI_INT, MPI_SUM, row);
    MPI_Allreduce(&rank, &csum, 1, MPI_INT, MPI_SUM, col);
    MPI_Cartdim_get(row, &nd);
    int s, t;
    MPI_Cart_shift(row, 0, 1, &s, &t);
    rd = t;
    char line[160];
    snprintf(line, sizeof line, "rank %d: row %d/%d sum %d next %d | col %d/%d sum %d | ndims %d",
             rank, rr, rs, rsum, rd, cr, cs, csum, nd);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Comm_free(&row);
    MPI_Comm_free(&col);
    MPI_Comm_free(&grid);
    MPI_Finalize();
    return 0;
}

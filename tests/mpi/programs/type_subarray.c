/* type_subarray: the interior and the halo faces of a local 2D block as MPI_Type_create_subarray
 * types; a ring exchange of faces; C and Fortran order.
 * ranks: 4 */
#include "check.h"

#define R 6
#define C 5

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int a[R][C];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++)
            a[i][j] = rank * 100 + i * 10 + j;
    int sizes[2] = {R, C};
    int first_col_sub[2] = {R - 2, 1}, first_col_start[2] = {1, 1};
    int last_col_start[2] = {1, C - 1};
    MPI_Datatype send_col, recv_col, fortran;
    CHECK_MPI(MPI_Type_create_subarray(2, sizes, first_col_sub, first_col_start, MPI_ORDER_C,
                                       MPI_INT, &send_col));
    CHECK_MPI(MPI_Type_create_subarray(2, sizes, first_col_sub, last_col_start, MPI_ORDER_C,
                                       MPI_INT, &recv_col));
    int fsizes[2] = {C, R}, fsub[2] = {1, R - 2}, fstart[2] = {1, 1};
    CHECK_MPI(
        MPI_Type_create_subarray(2, fsizes, fsub, fstart, MPI_ORDER_FORTRAN, MPI_INT, &fortran));
    MPI_Type_commit(&send_col);
    MPI_Type_commit(&recv_col);
    MPI_Type_commit(&fortran);
    MPI_Aint lb, ext;
    MPI_Type_get_extent(send_col, &lb, &ext);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    CHECK_MPI(MPI_Sendrecv(a, 1, send_col, left, 0, a, 1, recv_col, right, 0, MPI_COMM_WORLD,
                           MPI_STATUS_IGNORE));
    int packed[R];
    int pos = 0;
    MPI_Pack(a, 1, fortran, packed, sizeof packed, &pos, MPI_COMM_WORLD);
    char line[200];
    int n = snprintf(line, sizeof line, "rank %d: extent %ld last column:", rank, (long)ext);
    for (int i = 0; i < R; i++)
        n += snprintf(line + n, sizeof line - n, " %d", a[i][C - 1]);
    n += snprintf(line + n, sizeof line - n, " | fortran packed %d bytes:", pos);
    for (int i = 0; i < pos / (int)sizeof(int); i++)
        n += snprintf(line + n, sizeof line - n, " %d", packed[i]);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Type_free(&send_col);
    MPI_Type_free(&recv_col);
    MPI_Type_free(&fortran);
    MPI_Finalize();
    return 0;
}

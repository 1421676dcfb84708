/* coll_allgather: MPI_Allgather of 3 doubles per rank and of a whole row per rank into a matrix.
 * ranks: 2 5 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    double mine[3] = {rank, rank * 0.5, -rank};
    double *all = malloc(sizeof(double) * 3 * size);
    CHECK_MPI(MPI_Allgather(mine, 3, MPI_DOUBLE, all, 3, MPI_DOUBLE, MPI_COMM_WORLD));
    int n = 1000;
    int *row = malloc(sizeof(int) * n), *mat = malloc(sizeof(int) * n * size);
    for (int i = 0; i < n; i++)
        row[i] = rank * n + i;
    CHECK_MPI(MPI_Allgather(row, n, MPI_INT, mat, n, MPI_INT, MPI_COMM_WORLD));
    long s = 0;
    for (int i = 0; i < n * size; i++) {
        CHECK(mat[i] == i);
        s += mat[i];
    }
    double ds = 0;
    for (int i = 0; i < 3 * size; i++)
        ds += all[i] * (i + 1);
    char line[96];
    snprintf(line, sizeof line, "rank %d: %g %ld", rank, ds, s);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

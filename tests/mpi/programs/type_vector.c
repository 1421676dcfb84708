/* type_vector: a matrix column as MPI_Type_vector sent into a contiguous buffer and back into a
 * row; MPI_Type_contiguous of the column type; size and extent. compare: sorted
 * ranks: 2 */
#include "check.h"

#define N 6

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    double m[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            m[i][j] = rank == 0 ? i * 10 + j : -1;
    MPI_Datatype col, two_cols;
    CHECK_MPI(MPI_Type_vector(N, 1, N, MPI_DOUBLE, &col));
    CHECK_MPI(MPI_Type_commit(&col));
    MPI_Datatype col1;
    CHECK_MPI(MPI_Type_create_resized(col, 0, sizeof(double), &col1));
    CHECK_MPI(MPI_Type_contiguous(2, col1, &two_cols));
    CHECK_MPI(MPI_Type_commit(&two_cols));
    int size;
    MPI_Aint lb, extent;
    MPI_Type_size(col, &size);
    MPI_Type_get_extent(col, &lb, &extent);
    if (rank == 0) {
        printf("column: size %d extent %ld\n", size, (long)extent);
        CHECK_MPI(MPI_Send(&m[0][2], 1, col, 1, 0, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Send(&m[0][4], 1, two_cols, 1, 1, MPI_COMM_WORLD));
    } else {
        double v[N], w[2 * N];
        CHECK_MPI(MPI_Recv(v, N, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        printf("column 2:");
        for (int i = 0; i < N; i++)
            printf(" %g", v[i]);
        CHECK_MPI(MPI_Recv(w, 2 * N, MPI_DOUBLE, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        printf("\ncolumns 4,5:");
        for (int i = 0; i < 2 * N; i++)
            printf(" %g", w[i]);
        printf("\n");
    }
    MPI_Type_free(&col);
    MPI_Type_free(&col1);
    MPI_Type_free(&two_cols);
    MPI_Finalize();
    return 0;
}

/* type_indexed: MPI_Type_indexed (the upper triangle of a matrix), MPI_Type_create_hvector and
 * MPI_Type_create_indexed_block; data sent between different layouts.
 * ranks: 2 3 */
#include "check.h"

#define N 5

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int a[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            a[i][j] = rank == 0 ? i * N + j : 0;
    int bl[N], dp[N];
    for (int i = 0; i < N; i++)
        bl[i] = N - i, dp[i] = i * N + i;
    MPI_Datatype upper, hv, blk;
    CHECK_MPI(MPI_Type_indexed(N, bl, dp, MPI_INT, &upper));
    CHECK_MPI(MPI_Type_commit(&upper));
    CHECK_MPI(MPI_Type_create_hvector(3, 2, 3 * sizeof(int), MPI_INT, &hv));
    CHECK_MPI(MPI_Type_commit(&hv));
    int bd[3] = {4, 0, 8};
    CHECK_MPI(MPI_Type_create_indexed_block(3, 2, bd, MPI_INT, &blk));
    CHECK_MPI(MPI_Type_commit(&blk));
    if (rank == 0) {
        CHECK_MPI(MPI_Send(a, 1, upper, 1, 0, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Send(a, 1, hv, 1, 1, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Send(a, 6, MPI_INT, 1, 2, MPI_COMM_WORLD));
    } else if (rank == 1) {
        int t[N * (N + 1) / 2], h[6];
        CHECK_MPI(MPI_Recv(t, N * (N + 1) / 2, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        printf("upper:");
        for (int i = 0; i < N * (N + 1) / 2; i++)
            printf(" %d", t[i]);
        CHECK_MPI(MPI_Recv(h, 6, MPI_INT, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        printf("\nhvector:");
        for (int i = 0; i < 6; i++)
            printf(" %d", h[i]);
        int z[12];
        for (int i = 0; i < 12; i++)
            z[i] = -1;
        CHECK_MPI(MPI_Recv(z, 1, blk, 0, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        printf("\nindexed block into:");
        for (int i = 0; i < 12; i++)
            printf(" %d", z[i]);
        printf("\n");
    }
    MPI_Type_free(&upper);
    MPI_Type_free(&hv);
    MPI_Type_free(&blk);
    MPI_Finalize();
    return 0;
}

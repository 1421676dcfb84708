/* type_hindexed: MPI_Type_create_hindexed and _hindexed_block with byte displacements, nested in
 * a contiguous type; received into a flat buffer.
 * ranks: 2 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    double d[20];
    for (int i = 0; i < 20; i++)
        d[i] = rank == 0 ? i : -1;
    int bl[3] = {1, 2, 3};
    MPI_Aint dp[3] = {0, 4 * sizeof(double), 10 * sizeof(double)};
    MPI_Datatype h, hb, two;
    CHECK_MPI(MPI_Type_create_hindexed(3, bl, dp, MPI_DOUBLE, &h));
    MPI_Aint dpb[2] = {sizeof(double), 7 * sizeof(double)};
    CHECK_MPI(MPI_Type_create_hindexed_block(2, 2, dpb, MPI_DOUBLE, &hb));
    CHECK_MPI(MPI_Type_contiguous(2, hb, &two));
    MPI_Type_commit(&h);
    MPI_Type_commit(&hb);
    MPI_Type_commit(&two);
    if (rank == 0) {
        CHECK_MPI(MPI_Send(d, 1, h, 1, 0, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Send(d, 1, two, 1, 1, MPI_COMM_WORLD));
    } else {
        double r[8];
        MPI_Status st;
        int n;
        CHECK_MPI(MPI_Recv(r, 8, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD, &st));
        MPI_Get_count(&st, MPI_DOUBLE, &n);
        printf("hindexed (%d):", n);
        for (int i = 0; i < n; i++)
            printf(" %g", r[i]);
        CHECK_MPI(MPI_Recv(r, 8, MPI_DOUBLE, 0, 1, MPI_COMM_WORLD, &st));
        MPI_Get_count(&st, MPI_DOUBLE, &n);
        printf("\nhindexed_block x2 (%d):", n);
        for (int i = 0; i < n; i++)
            printf(" %g", r[i]);
        printf("\n");
    }
    MPI_Type_free(&h);
    MPI_Type_free(&hb);
    MPI_Type_free(&two);
    MPI_Finalize();
    return 0;
}

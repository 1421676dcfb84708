/* p2p_status_elements: MPI_Get_count and MPI_Get_elements on a derived type when a whole number of
 * instances arrives, and when only part of one does (MPI_UNDEFINED count, exact element count).
 * ranks: 2 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Datatype three;
    CHECK_MPI(MPI_Type_contiguous(3, MPI_DOUBLE, &three));
    CHECK_MPI(MPI_Type_commit(&three));
    if (rank == 0) {
        double d[7] = {1, 2, 3, 4, 5, 6, 7};
        CHECK_MPI(MPI_Send(d, 6, MPI_DOUBLE, 1, 0, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Send(d, 7, MPI_DOUBLE, 1, 1, MPI_COMM_WORLD));
    } else if (rank == 1) {
        double r[9];
        MPI_Status st;
        int count, elements;
        CHECK_MPI(MPI_Recv(r, 3, three, 0, 0, MPI_COMM_WORLD, &st));
        MPI_Get_count(&st, three, &count);
        MPI_Get_elements(&st, three, &elements);
        printf("6 doubles: count %d elements %d\n", count, elements);
        CHECK_MPI(MPI_Recv(r, 3, three, 0, 1, MPI_COMM_WORLD, &st));
        MPI_Get_count(&st, three, &count);
        MPI_Get_elements(&st, three, &elements);
        printf("7 doubles: count %s elements %d\n", count == MPI_UNDEFINED ? "UNDEFINED" : "?",
               elements);
        MPI_Get_count(&st, MPI_DOUBLE, &count);
        printf("as doubles: %d, last %g\n", count, r[6]);
        MPI_Count big;
        MPI_Get_elements_x(&st, MPI_DOUBLE, &big);
        printf("elements_x: %lld\n", (long long)big);
    }
    MPI_Type_free(&three);
    MPI_Finalize();
    return 0;
}

/* p2p_errors_return: with MPI_ERRORS_RETURN, bad arguments come back as error classes (rank,
 * tag, count, datatype, communicator, request) and a too-small receive is MPI_ERR_TRUNCATE.
 * ranks: 2 (compare: sorted) */
#include "check.h"

static int cls(int err) {
    int c;
    MPI_Error_class(err, &c);
    return c;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    CHECK_MPI(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    int v = 1;
    if (rank == 0) {
        printf("bad rank: %d\n",
               cls(MPI_Send(&v, 1, MPI_INT, size + 3, 0, MPI_COMM_WORLD)) == MPI_ERR_RANK);
        printf("bad tag: %d\n",
               cls(MPI_Send(&v, 1, MPI_INT, 1, -5, MPI_COMM_WORLD)) == MPI_ERR_TAG);
        printf("bad count: %d\n",
               cls(MPI_Send(&v, -1, MPI_INT, 1, 0, MPI_COMM_WORLD)) == MPI_ERR_COUNT);
        printf("null type: %d\n",
               cls(MPI_Send(&v, 1, MPI_DATATYPE_NULL, 1, 0, MPI_COMM_WORLD)) == MPI_ERR_TYPE);
        printf("null comm: %d\n",
               cls(MPI_Send(&v, 1, MPI_INT, 1, 0, MPI_COMM_NULL)) == MPI_ERR_COMM);
        MPI_Datatype t;
        MPI_Type_contiguous(2, MPI_INT, &t);
        printf("uncommitted type: %d\n",
               cls(MPI_Send(&v, 1, t, 1, 0, MPI_COMM_WORLD)) == MPI_ERR_TYPE);
        MPI_Type_free(&t);
        int four[4] = {1, 2, 3, 4};
        CHECK_MPI(MPI_Send(four, 4, MPI_INT, 1, 1, MPI_COMM_WORLD));
    } else if (rank == 1) {
        int two[2];
        MPI_Status st;
        int err = MPI_Recv(two, 2, MPI_INT, 0, 1, MPI_COMM_WORLD, &st);
        MPI_Barrier(MPI_COMM_SELF);
        printf("truncate: %d first %d %d\n", cls(err) == MPI_ERR_TRUNCATE, two[0], two[1]);
    }
    fflush(stdout);
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

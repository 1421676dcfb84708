/* p2p_cancel: a receive nobody matches is cancelled (MPI_Test_cancelled says so); a send request
 * freed with MPI_Request_free while pending is still delivered. compare: sorted
 * ranks: 2 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) {
        int v;
        MPI_Request r;
        MPI_Status st;
        CHECK_MPI(MPI_Irecv(&v, 1, MPI_INT, 1, 99, MPI_COMM_WORLD, &r));
        CHECK_MPI(MPI_Cancel(&r));
        CHECK_MPI(MPI_Wait(&r, &st));
        int flag;
        CHECK_MPI(MPI_Test_cancelled(&st, &flag));
        printf("cancelled: %d\n", flag);
        int big[20000];
        for (int i = 0; i < 20000; i++)
            big[i] = i;
        CHECK_MPI(MPI_Isend(big, 20000, MPI_INT, 1, 5, MPI_COMM_WORLD, &r));
        CHECK_MPI(MPI_Request_free(&r));
        printf("freed: %s\n", r == MPI_REQUEST_NULL ? "null" : "?");
        MPI_Barrier(MPI_COMM_WORLD); /* rank 1 has received it */
    } else {
        int *big = malloc(sizeof(int) * 20000);
        CHECK_MPI(MPI_Recv(big, 20000, MPI_INT, 0, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        long s = 0;
        for (int i = 0; i < 20000; i++)
            s += big[i];
        MPI_Barrier(MPI_COMM_WORLD);
        printf("received sum %ld\n", s);
        free(big);
    }
    MPI_Finalize();
    return 0;
}

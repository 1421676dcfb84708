/* p2p_waitany: rank 0 posts one receive per sender and completes them with MPI_Waitany; the
 * senders stagger their sends so that arrival order is the reverse of rank order.
 * ranks: 4 7 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        int *vals = calloc(size, sizeof(int));
        MPI_Request *req = malloc(sizeof(MPI_Request) * size);
        req[0] = MPI_REQUEST_NULL;
        for (int p = 1; p < size; p++)
            CHECK_MPI(MPI_Irecv(&vals[p], 1, MPI_INT, p, 0, MPI_COMM_WORLD, &req[p]));
        /* release the senders one at a time, highest first */
        for (int p = size - 1; p >= 1; p--) {
            int go = 1, idx;
            MPI_Status st;
            CHECK_MPI(MPI_Send(&go, 1, MPI_INT, p, 1, MPI_COMM_WORLD));
            CHECK_MPI(MPI_Waitany(size, req, &idx, &st));
            printf("completed index %d from %d value %d\n", idx, st.MPI_SOURCE, vals[idx]);
        }
        int idx;
        CHECK_MPI(MPI_Waitany(size, req, &idx, MPI_STATUS_IGNORE));
        printf("after all: index %s\n", idx == MPI_UNDEFINED ? "MPI_UNDEFINED" : "defined");
    } else {
        int go, v = rank * rank;
        CHECK_MPI(MPI_Recv(&go, 1, MPI_INT, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        CHECK_MPI(MPI_Send(&v, 1, MPI_INT, 0, 0, MPI_COMM_WORLD));
    }
    MPI_Finalize();
    return 0;
}

/* p2p_send_modes: standard, synchronous, ready and buffered sends (blocking and nonblocking) all
 * deliver; a synchronous send completes only once the receive has started. compare: sorted
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    char attach[4096 + MPI_BSEND_OVERHEAD * 8];
    CHECK_MPI(MPI_Buffer_attach(attach, sizeof attach));
    if (rank % 2 == 0 && rank + 1 < size) {
        int p = rank + 1, v[4] = {rank, rank + 1, rank + 2, rank + 3};
        CHECK_MPI(MPI_Send(&v[0], 1, MPI_INT, p, 0, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Ssend(&v[1], 1, MPI_INT, p, 1, MPI_COMM_WORLD));
        int go;
        CHECK_MPI(MPI_Recv(&go, 1, MPI_INT, p, 9, MPI_COMM_WORLD,
                           MPI_STATUS_IGNORE)); /* receive posted */
        CHECK_MPI(MPI_Rsend(&v[2], 1, MPI_INT, p, 2, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Bsend(&v[3], 1, MPI_INT, p, 3, MPI_COMM_WORLD));
        MPI_Request rq[3];
        CHECK_MPI(MPI_Issend(&v[0], 1, MPI_INT, p, 4, MPI_COMM_WORLD, &rq[0]));
        CHECK_MPI(MPI_Ibsend(&v[1], 1, MPI_INT, p, 5, MPI_COMM_WORLD, &rq[1]));
        CHECK_MPI(MPI_Irsend(&v[2], 1, MPI_INT, p, 6, MPI_COMM_WORLD, &rq[2]));
        CHECK_MPI(MPI_Waitall(3, rq, MPI_STATUSES_IGNORE));
    } else if (rank % 2 == 1) {
        int p = rank - 1, got[7];
        CHECK_MPI(MPI_Recv(&got[0], 1, MPI_INT, p, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        CHECK_MPI(MPI_Recv(&got[1], 1, MPI_INT, p, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        MPI_Request rr[5];
        CHECK_MPI(MPI_Irecv(&got[2], 1, MPI_INT, p, 2, MPI_COMM_WORLD, &rr[0]));
        CHECK_MPI(MPI_Irecv(&got[6], 1, MPI_INT, p, 6, MPI_COMM_WORLD, &rr[1]));
        int go = 1;
        CHECK_MPI(MPI_Send(&go, 1, MPI_INT, p, 9, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Irecv(&got[3], 1, MPI_INT, p, 3, MPI_COMM_WORLD, &rr[2]));
        CHECK_MPI(MPI_Irecv(&got[4], 1, MPI_INT, p, 4, MPI_COMM_WORLD, &rr[3]));
        CHECK_MPI(MPI_Irecv(&got[5], 1, MPI_INT, p, 5, MPI_COMM_WORLD, &rr[4]));
        CHECK_MPI(MPI_Waitall(5, rr, MPI_STATUSES_IGNORE));
        printf("rank %d got %d %d %d %d %d %d %d\n", rank, got[0], got[1], got[2], got[3], got[4],
               got[5], got[6]);
    }
    void *b;
    int bs;
    CHECK_MPI(MPI_Buffer_detach(&b, &bs));
    CHECK(b == (void *)attach && bs == (int)sizeof attach);
    MPI_Finalize();
    return 0;
}

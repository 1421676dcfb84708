/* p2p_persistent: a halo exchange with persistent requests (Send_init/Recv_init) restarted every
 * iteration with MPI_Startall, then freed.
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    double sendl, sendr, recvl = 0, recvr = 0, value = rank;
    MPI_Request req[4];
    CHECK_MPI(MPI_Recv_init(&recvl, 1, MPI_DOUBLE, left, 0, MPI_COMM_WORLD, &req[0]));
    CHECK_MPI(MPI_Recv_init(&recvr, 1, MPI_DOUBLE, right, 1, MPI_COMM_WORLD, &req[1]));
    CHECK_MPI(MPI_Send_init(&sendr, 1, MPI_DOUBLE, right, 0, MPI_COMM_WORLD, &req[2]));
    CHECK_MPI(MPI_Send_init(&sendl, 1, MPI_DOUBLE, left, 1, MPI_COMM_WORLD, &req[3]));
    for (int it = 0; it < 20; it++) {
        sendl = sendr = value;
        CHECK_MPI(MPI_Startall(4, req));
        CHECK_MPI(MPI_Waitall(4, req, MPI_STATUSES_IGNORE));
        value = (recvl + value + recvr) / 3.0 * 0 + recvl; /* shift right by one each step */
    }
    for (int k = 0; k < 4; k++) {
        CHECK(req[k] != MPI_REQUEST_NULL);
        CHECK_MPI(MPI_Request_free(&req[k]));
        CHECK(req[k] == MPI_REQUEST_NULL);
    }
    char line[64];
    snprintf(line, sizeof line, "rank %d value %g", rank, value);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

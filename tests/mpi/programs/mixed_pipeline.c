/* mixed_pipeline: a pipeline of stages (one per rank) that transform a stream of 200 items with
 * nonblocking sends and blocking receives, the last stage accumulating; double buffering.
 * ranks: 3 5 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long acc = 0;
    long out[2];
    MPI_Request req[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    for (int item = 0; item < 200; item++) {
        long x;
        if (rank == 0)
            x = item;
        else
            CHECK_MPI(MPI_Recv(&x, 1, MPI_LONG, rank - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        x = x * 3 + rank;
        if (rank == size - 1) {
            acc += x % 1000;
        } else {
            int b = item % 2;
            CHECK_MPI(MPI_Wait(&req[b], MPI_STATUS_IGNORE));
            out[b] = x;
            CHECK_MPI(MPI_Isend(&out[b], 1, MPI_LONG, rank + 1, 0, MPI_COMM_WORLD, &req[b]));
        }
    }
    CHECK_MPI(MPI_Waitall(2, req, MPI_STATUSES_IGNORE));
    if (rank == size - 1) printf("%d stages, accumulated %ld\n", size, acc);
    MPI_Finalize();
    return 0;
}

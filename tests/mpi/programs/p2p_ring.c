/* p2p_ring: a token goes around the ring three times; every rank adds its rank.
 * ranks: 1 2 4 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int next = (rank + 1) % size, prev = (rank + size - 1) % size;
    long token = 0;
    for (int lap = 0; lap < 3; lap++) {
        if (rank == 0) {
            token += 1000;
            if (size > 1) {
                CHECK_MPI(MPI_Send(&token, 1, MPI_LONG, next, lap, MPI_COMM_WORLD));
                CHECK_MPI(
                    MPI_Recv(&token, 1, MPI_LONG, prev, lap, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            }
            printf("lap %d token %ld\n", lap, token);
        } else {
            CHECK_MPI(MPI_Recv(&token, 1, MPI_LONG, prev, lap, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            token += rank;
            CHECK_MPI(MPI_Send(&token, 1, MPI_LONG, next, lap, MPI_COMM_WORLD));
        }
    }
    MPI_Finalize();
    return 0;
}

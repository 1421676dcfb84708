/* env_fatal_error: with the default handler (MPI_ERRORS_ARE_FATAL) a send to an invalid rank ends
 * the whole job with a non-zero status; the other ranks blocked in a barrier end too.
 * exit: nonzero
 * ranks: 3 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        printf("start\n");
        fflush(stdout);
    }
    if (rank == 1) {
        int v = 0;
        MPI_Send(&v, 1, MPI_INT, size + 10, 0, MPI_COMM_WORLD);
        printf("not reached\n");
    }
    MPI_Barrier(MPI_COMM_WORLD);
    printf("not reached either\n");
    MPI_Finalize();
    return 0;
}

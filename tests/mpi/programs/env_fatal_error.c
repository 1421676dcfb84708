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
    int v = 0;
    if (rank == 0) { /* printed before rank 1 can end the job */
        printf("start\n");
        fflush(stdout);
        MPI_Send(&v, 1, MPI_INT, 1, 1, MPI_COMM_WORLD);
    }
    if (rank == 1) {
        MPI_Recv(&v, 1, MPI_INT, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Send(&v, 1, MPI_INT, size + 10, 0, MPI_COMM_WORLD);
        printf("not reached\n");
    }
    MPI_Barrier(MPI_COMM_WORLD);
    printf("not reached either\n");
    MPI_Finalize();
    return 0;
}

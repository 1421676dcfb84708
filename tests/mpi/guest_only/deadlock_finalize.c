/* deadlock_finalize: rank 1 finalizes while rank 0 still waits for a message from it (the
 * barrier of MPI_Finalize holds rank 1): reported as a deadlock instead of hanging.
 * ranks: 2
 * exit: 1
 * stderr: (rank 0 in MPI_Recv, rank 1 in MPI_Finalize) */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, v = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) MPI_Recv(&v, 1, MPI_INT, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Finalize();
    return 0;
}

/* deadlock: both ranks receive before sending (each waits for the other forever); instead of
 * hanging, the world is aborted with a message saying where every rank is blocked.
 * ranks: 2
 * exit: 1
 * stderr: deadlock: every rank is blocked in MPI (rank 0 in MPI_Recv, rank 1 in MPI_Recv) */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, v = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Recv(&v, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Send(&v, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD);
    printf("not reached\n");
    MPI_Finalize();
    return 0;
}

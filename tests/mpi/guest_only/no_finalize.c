/* no_finalize: a rank that returns from main without MPI_Finalize while another waits for it
 * aborts the world with a message, instead of leaving the other rank hanging.
 * ranks: 2
 * exit: 1
 * stderr: without calling MPI_Finalize */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) {
        int v;
        MPI_Recv(&v, 1, MPI_INT, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE); /* never sent */
    }
    return 0;
}

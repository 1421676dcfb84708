/* compute_after_abort: after MPI_Abort, a rank that never calls MPI again (it computes forever)
 * cannot be stopped from outside: the launcher gives it a grace period, then exits the process
 * with the abort code.
 * ranks: 2
 * exit: 7
 * stderr: did not stop */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) MPI_Abort(MPI_COMM_WORLD, 7);
    volatile unsigned long x = 0;
    for (;;)
        x++;
    return 0;
}

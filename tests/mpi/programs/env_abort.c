/* env_abort: MPI_Abort from the last rank ends every rank (those blocked in a receive too) and the
 * job exits with the given code; nothing after the abort is printed.
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        printf("before abort\n");
        fflush(stdout);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == size - 1) {
        MPI_Abort(MPI_COMM_WORLD, 3);
    } else {
        int v;
        MPI_Recv(&v, 1, MPI_INT, size - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    printf("not reached on rank %d\n", rank);
    MPI_Finalize();
    return 0;
}

/* trap_in_rank: an out-of-bounds access in one rank (a wasm trap) is reported with the rank and
 * ends the others, which are blocked in a barrier.
 * ranks: 4
 * exit: 134
 * stderr: rank 2: trap: out of bounds memory access */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 2) {
        volatile int *p = (int *)(uintptr_t)0xFFFFFFF0u;
        printf("%d\n", *p);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

/* coll_barrier: barriers separate phases; a counter passed by messages between barriers shows
 * that no rank enters phase k+1 before all finished phase k.
 * ranks: 1 3 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int phase_done = 0;
    for (int phase = 0; phase < 50; phase++) {
        /* each phase: rank 0 collects a "done" from everyone, then a barrier */
        if (rank == 0) {
            for (int p = 1; p < size; p++) {
                int v;
                CHECK_MPI(MPI_Recv(&v, 1, MPI_INT, p, phase, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
                CHECK(v == phase);
            }
            phase_done++;
        } else {
            CHECK_MPI(MPI_Send(&phase, 1, MPI_INT, 0, phase, MPI_COMM_WORLD));
        }
        CHECK_MPI(MPI_Barrier(MPI_COMM_WORLD));
    }
    for (int i = 0; i < 1000; i++)
        CHECK_MPI(MPI_Barrier(MPI_COMM_WORLD));
    if (rank == 0) printf("%d phases, %d ranks\n", phase_done, size);
    MPI_Finalize();
    return 0;
}

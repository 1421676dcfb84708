/* comm_dup: a duplicated communicator has its own context: the same (source, tag) on both never
 * mix, even with wildcards; collectives on both interleave.
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm dup;
    CHECK_MPI(MPI_Comm_dup(MPI_COMM_WORLD, &dup));
    int dr, ds;
    MPI_Comm_rank(dup, &dr);
    MPI_Comm_size(dup, &ds);
    CHECK(dr == rank && ds == size);
    if (rank == 0) {
        int a = 1, b = 2;
        CHECK_MPI(MPI_Send(&a, 1, MPI_INT, size - 1, 0, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Send(&b, 1, MPI_INT, size - 1, 0, dup));
    }
    if (rank == size - 1) {
        int x, y;
        CHECK_MPI(MPI_Recv(&y, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, dup, MPI_STATUS_IGNORE));
        CHECK_MPI(MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD,
                           MPI_STATUS_IGNORE));
        printf("world got %d, dup got %d\n", x, y);
    }
    int s1, s2, v = rank + 1;
    CHECK_MPI(MPI_Allreduce(&v, &s1, 1, MPI_INT, MPI_SUM, dup));
    CHECK_MPI(MPI_Allreduce(&v, &s2, 1, MPI_INT, MPI_PROD, MPI_COMM_WORLD));
    if (rank == size - 1) printf("sums %d %d\n", s1, s2);
    MPI_Comm dup2;
    CHECK_MPI(MPI_Comm_dup(dup, &dup2));
    CHECK_MPI(MPI_Barrier(dup2));
    CHECK_MPI(MPI_Comm_free(&dup2));
    CHECK_MPI(MPI_Comm_free(&dup));
    CHECK(dup == MPI_COMM_NULL);
    MPI_Finalize();
    return 0;
}

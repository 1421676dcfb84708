/* coll_large_allreduce: 1M doubles summed with MPI_Allreduce (exact small integers), repeated,
 * plus a large MPI_Reduce to the last rank.
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int n = 1 << 20;
    double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n);
    for (int i = 0; i < n; i++)
        a[i] = (i % 100) + rank;
    int ok = 1;
    for (int rep = 0; rep < 3; rep++) {
        CHECK_MPI(MPI_Allreduce(a, b, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD));
        for (int i = 0; i < n; i++)
            ok &= b[i] == size * (i % 100) + size * (size - 1) / 2.0;
    }
    CHECK_MPI(MPI_Reduce(a, b, n, MPI_DOUBLE, MPI_MAX, size - 1, MPI_COMM_WORLD));
    if (rank == size - 1)
        for (int i = 0; i < n; i++)
            ok &= b[i] == (i % 100) + size - 1;
    char line[64];
    snprintf(line, sizeof line, "rank %d: %s", rank, ok ? "ok" : "BAD");
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

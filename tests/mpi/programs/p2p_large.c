/* p2p_large: 8 MiB messages between pairs of ranks (rendezvous both ways at once with
 * MPI_Sendrecv), checked element by element.
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
        a[i] = rank * 1e6 + i;
    int peer = rank ^ 1;
    int ok = 1;
    if (peer < size) {
        for (int rep = 0; rep < 3; rep++) {
            CHECK_MPI(MPI_Sendrecv(a, n, MPI_DOUBLE, peer, rep, b, n, MPI_DOUBLE, peer, rep,
                                   MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            for (int i = 0; i < n; i++)
                ok &= b[i] == peer * 1e6 + i;
        }
    }
    char line[64];
    snprintf(line, sizeof line, "rank %d: %s", rank, ok ? "ok" : "BAD");
    print_ordered(line, MPI_COMM_WORLD);
    free(a);
    free(b);
    MPI_Finalize();
    return 0;
}

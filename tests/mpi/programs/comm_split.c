/* comm_split: MPI_Comm_split by rank % 3 with reversed keys; each part reduces and broadcasts on
 * its own; then a split by rank / 2 with equal keys (ties keep parent order).
 * ranks: 4 6 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm part;
    CHECK_MPI(MPI_Comm_split(MPI_COMM_WORLD, rank % 3, size - rank, &part));
    int pr, ps, sum, first;
    MPI_Comm_rank(part, &pr);
    MPI_Comm_size(part, &ps);
    CHECK_MPI(MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, part));
    first = rank;
    CHECK_MPI(MPI_Bcast(&first, 1, MPI_INT, 0, part));
    MPI_Comm pairs;
    CHECK_MPI(MPI_Comm_split(MPI_COMM_WORLD, rank / 2, 0, &pairs));
    int qr, qs;
    MPI_Comm_rank(pairs, &qr);
    MPI_Comm_size(pairs, &qs);
    char line[128];
    snprintf(line, sizeof line, "rank %d: color %d rank %d/%d sum %d first %d | pair rank %d/%d",
             rank, rank % 3, pr, ps, sum, first, qr, qs);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Comm_free(&part);
    MPI_Comm_free(&pairs);
    MPI_Finalize();
    return 0;
}

/* comm_split_undefined: ranks that pass MPI_UNDEFINED get MPI_COMM_NULL; the others form a
 * communicator and work in it; a second level of split inside it.
 * ranks: 5 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm odd;
    CHECK_MPI(MPI_Comm_split(MPI_COMM_WORLD, rank % 2 ? 1 : MPI_UNDEFINED, rank, &odd));
    char line[96];
    if (odd == MPI_COMM_NULL) {
        snprintf(line, sizeof line, "rank %d: not a member", rank);
    } else {
        int r, s, sum;
        MPI_Comm_rank(odd, &r);
        MPI_Comm_size(odd, &s);
        CHECK_MPI(MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, odd));
        MPI_Comm solo;
        CHECK_MPI(MPI_Comm_split(odd, r, 0, &solo));
        int ss;
        MPI_Comm_size(solo, &ss);
        snprintf(line, sizeof line, "rank %d: odd rank %d/%d sum %d solo size %d", rank, r, s, sum,
                 ss);
        MPI_Comm_free(&solo);
        MPI_Comm_free(&odd);
    }
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

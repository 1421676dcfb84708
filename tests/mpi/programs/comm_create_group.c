/* comm_create_group: a communicator of the even ranks in reverse order made with MPI_Comm_create
 * from a group; the odd ranks get MPI_COMM_NULL.
 * ranks: 4 6 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Group world, evens;
    CHECK_MPI(MPI_Comm_group(MPI_COMM_WORLD, &world));
    int n = (size + 1) / 2, ranks[8];
    for (int i = 0; i < n; i++)
        ranks[i] = 2 * (n - 1 - i);
    CHECK_MPI(MPI_Group_incl(world, n, ranks, &evens));
    MPI_Comm c;
    CHECK_MPI(MPI_Comm_create(MPI_COMM_WORLD, evens, &c));
    char line[96];
    if (c == MPI_COMM_NULL) {
        snprintf(line, sizeof line, "rank %d: outside", rank);
    } else {
        int r, s, v = rank, gathered[8];
        MPI_Comm_rank(c, &r);
        MPI_Comm_size(c, &s);
        CHECK_MPI(MPI_Allgather(&v, 1, MPI_INT, gathered, 1, MPI_INT, c));
        snprintf(line, sizeof line, "rank %d: new rank %d/%d order %d %d", rank, r, s, gathered[0],
                 gathered[s - 1]);
        MPI_Comm_free(&c);
    }
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Group_free(&evens);
    MPI_Group_free(&world);
    MPI_Finalize();
    return 0;
}

/* coll_gather_scatter: MPI_Gather and MPI_Scatter from every root, with different send and
 * receive datatypes (ints received as a contiguous type of 2 ints).
 * ranks: 1 4 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Datatype pair;
    CHECK_MPI(MPI_Type_contiguous(2, MPI_INT, &pair));
    CHECK_MPI(MPI_Type_commit(&pair));
    int *all = malloc(sizeof(int) * 2 * size);
    long sum = 0;
    for (int root = 0; root < size; root++) {
        int mine[2] = {rank * root, rank + root};
        CHECK_MPI(MPI_Gather(mine, 2, MPI_INT, all, 1, pair, root, MPI_COMM_WORLD));
        if (rank == root)
            for (int i = 0; i < size; i++) {
                CHECK(all[2 * i] == i * root && all[2 * i + 1] == i + root);
                all[2 * i] += 1;
            }
        int back[2];
        CHECK_MPI(MPI_Scatter(all, 1, pair, back, 2, MPI_INT, root, MPI_COMM_WORLD));
        CHECK(back[0] == rank * root + 1 && back[1] == rank + root);
        sum += back[0] + back[1];
    }
    char line[64];
    snprintf(line, sizeof line, "rank %d sum %ld", rank, sum);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Type_free(&pair);
    MPI_Finalize();
    return 0;
}

/* coll_gatherv_scatterv: variable-sized blocks placed at displacements in reverse rank order
 * with gaps, gathered to rank 1 and scattered back.
 * ranks: 3 6 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int root = 1;
    int *counts = malloc(sizeof(int) * size), *displs = malloc(sizeof(int) * size), total = 0;
    for (int i = 0; i < size; i++)
        total += counts[i] = i + 1;
    for (int i = 0, at = total + size; i < size; i++)
        at -= counts[i] + 1, displs[i] = at;
    int len = total + size;
    int *buf = malloc(sizeof(int) * len);
    for (int i = 0; i < len; i++)
        buf[i] = -1;
    int *mine = malloc(sizeof(int) * (rank + 1));
    for (int k = 0; k <= rank; k++)
        mine[k] = rank * 10 + k;
    CHECK_MPI(
        MPI_Gatherv(mine, rank + 1, MPI_INT, buf, counts, displs, MPI_INT, root, MPI_COMM_WORLD));
    if (rank == root) {
        printf("gathered:");
        for (int i = 0; i < len; i++)
            printf(" %d", buf[i]);
        printf("\n");
        for (int i = 0; i < len; i++)
            buf[i] = buf[i] >= 0 ? buf[i] * 2 : buf[i];
    }
    for (int k = 0; k <= rank; k++)
        mine[k] = 0;
    CHECK_MPI(
        MPI_Scatterv(buf, counts, displs, MPI_INT, mine, rank + 1, MPI_INT, root, MPI_COMM_WORLD));
    for (int k = 0; k <= rank; k++)
        CHECK(mine[k] == 2 * (rank * 10 + k));
    int ok = 1, all;
    MPI_Reduce(&ok, &all, 1, MPI_INT, MPI_SUM, root, MPI_COMM_WORLD);
    if (rank == root) printf("scatterv ok on %d ranks\n", all);
    MPI_Finalize();
    return 0;
}

/* coll_allgatherv: every rank contributes rank+1 ints; everyone assembles them in rank order, then
 * in reverse order through displacements.
 * ranks: 4 7 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *counts = malloc(sizeof(int) * size), *displs = malloc(sizeof(int) * size), total = 0;
    for (int i = 0; i < size; i++)
        displs[i] = total, total += counts[i] = i + 1;
    int *mine = malloc(sizeof(int) * (rank + 1)), *all = malloc(sizeof(int) * total);
    for (int k = 0; k <= rank; k++)
        mine[k] = rank * 100 + k;
    CHECK_MPI(
        MPI_Allgatherv(mine, rank + 1, MPI_INT, all, counts, displs, MPI_INT, MPI_COMM_WORLD));
    for (int i = 0, at = total; i < size; i++)
        at -= counts[i], displs[i] = at;
    int *rev = malloc(sizeof(int) * total);
    CHECK_MPI(
        MPI_Allgatherv(mine, rank + 1, MPI_INT, rev, counts, displs, MPI_INT, MPI_COMM_WORLD));
    if (rank == size - 1) {
        printf("forward:");
        for (int i = 0; i < total; i++)
            printf(" %d", all[i]);
        printf("\nreverse:");
        for (int i = 0; i < total; i++)
            printf(" %d", rev[i]);
        printf("\n");
    }
    MPI_Finalize();
    return 0;
}

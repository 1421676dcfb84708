/* coll_allreduce_inplace: MPI_IN_PLACE for Allreduce, Reduce at the root, Scan, Allgather,
 * Gather at the root and Alltoall. compare: sorted
 * ranks: 2 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int a[3] = {rank, rank * 2, 1};
    CHECK_MPI(MPI_Allreduce(MPI_IN_PLACE, a, 3, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    int b = rank + 1;
    CHECK_MPI(MPI_Reduce(rank == 1 % size ? MPI_IN_PLACE : &b, &b, 1, MPI_INT, MPI_PROD, 1 % size,
                         MPI_COMM_WORLD));
    int s = rank + 1;
    CHECK_MPI(MPI_Scan(MPI_IN_PLACE, &s, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    int *all = calloc(size, sizeof(int));
    all[rank] = rank * rank;
    CHECK_MPI(MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, all, 1, MPI_INT, MPI_COMM_WORLD));
    int *g = calloc(size, sizeof(int));
    int mine = rank + 100;
    if (rank == 0) g[0] = 100;
    CHECK_MPI(
        MPI_Gather(rank == 0 ? MPI_IN_PLACE : &mine, 1, MPI_INT, g, 1, MPI_INT, 0, MPI_COMM_WORLD));
    int *t = malloc(sizeof(int) * size);
    for (int j = 0; j < size; j++)
        t[j] = rank * 10 + j;
    CHECK_MPI(MPI_Alltoall(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, t, 1, MPI_INT, MPI_COMM_WORLD));
    char line[256];
    int n = snprintf(line, sizeof line, "rank %d: allreduce %d %d %d scan %d allgather", rank, a[0],
                     a[1], a[2], s);
    for (int j = 0; j < size; j++)
        n += snprintf(line + n, sizeof line - n, " %d", all[j]);
    n += snprintf(line + n, sizeof line - n, " alltoall");
    for (int j = 0; j < size; j++)
        n += snprintf(line + n, sizeof line - n, " %d", t[j]);
    print_ordered(line, MPI_COMM_WORLD);
    if (rank == 1 % size) printf("reduce in place: %d\n", b);
    if (rank == 0) {
        printf("gather in place:");
        for (int j = 0; j < size; j++)
            printf(" %d", g[j]);
        printf("\n");
    }
    MPI_Finalize();
    return 0;
}

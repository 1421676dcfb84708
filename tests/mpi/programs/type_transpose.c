/* type_transpose: a distributed matrix transpose where each rank owns a block of rows: the
 * columns are sent with a resized vector type and received as rows (MPI_Alltoall on derived
 * types).
 * ranks: 4 */
#include "check.h"

#define NB 3

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int n = NB * size; /* global n x n, rank owns NB rows */
    int *a = malloc(sizeof(int) * NB * n), *t = malloc(sizeof(int) * NB * n);
    for (int i = 0; i < NB; i++)
        for (int j = 0; j < n; j++)
            a[i * n + j] = (rank * NB + i) * 100 + j;
    /* block to rank p: columns p*NB..p*NB+NB-1 of my rows, sent column by column */
    MPI_Datatype col, col1, block;
    MPI_Type_vector(NB, 1, n, MPI_INT, &col);
    MPI_Type_create_resized(col, 0, sizeof(int), &col1);
    MPI_Type_contiguous(NB, col1, &block);
    MPI_Datatype block1;
    MPI_Type_create_resized(block, 0, NB * sizeof(int), &block1);
    MPI_Type_commit(&block1);
    /* received: for each source p, NB columns of NB ints = rows of the transpose */
    MPI_Datatype rblock, rblock1;
    MPI_Type_vector(NB, NB, n, MPI_INT, &rblock);
    MPI_Type_create_resized(rblock, 0, NB * sizeof(int), &rblock1);
    MPI_Type_commit(&rblock1);
    CHECK_MPI(MPI_Alltoall(a, 1, block1, t, 1, rblock1, MPI_COMM_WORLD));
    int ok = 1;
    for (int i = 0; i < NB; i++)
        for (int j = 0; j < n; j++)
            ok &= t[i * n + j] == j * 100 + rank * NB + i;
    char line[160];
    int k = snprintf(line, sizeof line, "rank %d: %s first row", rank, ok ? "ok" : "BAD");
    for (int j = 0; j < n; j++)
        k += snprintf(line + k, sizeof line - k, " %d", t[j]);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Datatype all[] = {col, col1, block, block1, rblock, rblock1};
    for (int i = 0; i < 6; i++)
        MPI_Type_free(&all[i]);
    MPI_Finalize();
    return 0;
}

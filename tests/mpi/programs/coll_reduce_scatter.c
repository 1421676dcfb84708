/* coll_reduce_scatter: MPI_Reduce_scatter_block (equal blocks) and MPI_Reduce_scatter (block i
 * of i % 3 + 1 elements), also in place.
 * ranks: 3 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *in = malloc(sizeof(int) * size * 3), out[3];
    for (int i = 0; i < size * 3; i++)
        in[i] = rank * 100 + i;
    CHECK_MPI(MPI_Reduce_scatter_block(in, out, 3, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    int *counts = malloc(sizeof(int) * size), total = 0;
    for (int i = 0; i < size; i++)
        total += counts[i] = i % 3 + 1;
    int *in2 = malloc(sizeof(int) * total), out2[3] = {0, 0, 0};
    for (int i = 0; i < total; i++)
        in2[i] = (rank + 1) * (i + 1);
    CHECK_MPI(MPI_Reduce_scatter(in2, out2, counts, MPI_INT, MPI_MAX, MPI_COMM_WORLD));
    for (int i = 0; i < size * 3; i++)
        in[i] = rank + i;
    CHECK_MPI(MPI_Reduce_scatter_block(MPI_IN_PLACE, in, 3, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    char line[160];
    snprintf(line, sizeof line, "rank %d: block %d %d %d | v %d %d %d | in place %d %d %d", rank,
             out[0], out[1], out[2], out2[0], counts[rank] > 1 ? out2[1] : 0,
             counts[rank] > 2 ? out2[2] : 0, in[0], in[1], in[2]);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

/* coll_alltoallv: rank i sends j+1 ints to rank j (displacements packed), rank j receives
 * i+1... from each i at reversed displacements.
 * ranks: 3 5 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *sc = malloc(sizeof(int) * size), *sd = malloc(sizeof(int) * size);
    int *rc = malloc(sizeof(int) * size), *rd = malloc(sizeof(int) * size);
    int st = 0, rt = 0;
    for (int j = 0; j < size; j++)
        sc[j] = j + 1, sd[j] = st, st += sc[j];
    for (int j = 0; j < size; j++)
        rc[j] = rank + 1, rt += rc[j];
    for (int j = 0, at = rt; j < size; j++)
        at -= rc[j], rd[j] = at;
    int *sb = malloc(sizeof(int) * st), *rb = malloc(sizeof(int) * rt);
    for (int j = 0; j < size; j++)
        for (int k = 0; k < sc[j]; k++)
            sb[sd[j] + k] = rank * 100 + j * 10 + k;
    CHECK_MPI(MPI_Alltoallv(sb, sc, sd, MPI_INT, rb, rc, rd, MPI_INT, MPI_COMM_WORLD));
    char line[256];
    int n = snprintf(line, sizeof line, "rank %d:", rank);
    for (int i = 0; i < rt; i++)
        n += snprintf(line + n, sizeof line - n, " %d", rb[i]);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

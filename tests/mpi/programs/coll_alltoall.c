/* coll_alltoall: a distributed transpose — block j of rank i goes to rank j, which receives
 * block i; single ints and blocks of 500.
 * ranks: 2 4 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int *s = malloc(sizeof(int) * size), *r = malloc(sizeof(int) * size);
    for (int j = 0; j < size; j++)
        s[j] = rank * 100 + j;
    CHECK_MPI(MPI_Alltoall(s, 1, MPI_INT, r, 1, MPI_INT, MPI_COMM_WORLD));
    int b = 500;
    double *sb = malloc(sizeof(double) * b * size), *rb = malloc(sizeof(double) * b * size);
    for (int j = 0; j < size; j++)
        for (int k = 0; k < b; k++)
            sb[j * b + k] = rank * 1e6 + j * 1e3 + k;
    CHECK_MPI(MPI_Alltoall(sb, b, MPI_DOUBLE, rb, b, MPI_DOUBLE, MPI_COMM_WORLD));
    int ok = 1;
    for (int j = 0; j < size; j++)
        for (int k = 0; k < b; k++)
            ok &= rb[j * b + k] == j * 1e6 + rank * 1e3 + k;
    char line[256];
    int n = snprintf(line, sizeof line, "rank %d:", rank);
    for (int j = 0; j < size; j++)
        n += snprintf(line + n, sizeof line - n, " %d", r[j]);
    snprintf(line + n, sizeof line - n, " blocks %s", ok ? "ok" : "BAD");
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

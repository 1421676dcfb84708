/* coll_bcast: broadcasts from every root of ints, doubles, a struct-like byte block and a large
 * array; every rank checks, rank 0 prints a summary.
 * ranks: 1 4 7 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int ok = 1;
    for (int root = 0; root < size; root++) {
        int iv[5];
        double dv[3];
        for (int i = 0; i < 5; i++)
            iv[i] = rank == root ? root * 10 + i : -1;
        for (int i = 0; i < 3; i++)
            dv[i] = rank == root ? root + 0.25 * i : -1;
        CHECK_MPI(MPI_Bcast(iv, 5, MPI_INT, root, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Bcast(dv, 3, MPI_DOUBLE, root, MPI_COMM_WORLD));
        for (int i = 0; i < 5; i++)
            ok &= iv[i] == root * 10 + i;
        for (int i = 0; i < 3; i++)
            ok &= dv[i] == root + 0.25 * i;
    }
    int n = 1 << 20;
    char *big = malloc(n);
    for (int i = 0; i < n; i++)
        big[i] = rank == size - 1 ? (char)(i % 251) : 0;
    CHECK_MPI(MPI_Bcast(big, n, MPI_CHAR, size - 1, MPI_COMM_WORLD));
    for (int i = 0; i < n; i++)
        ok &= big[i] == (char)(i % 251);
    int all;
    CHECK_MPI(MPI_Reduce(&ok, &all, 1, MPI_INT, MPI_LAND, 0, MPI_COMM_WORLD));
    if (rank == 0) printf("bcast from %d roots: %s\n", size, all ? "ok" : "BAD");
    free(big);
    MPI_Finalize();
    return 0;
}

/* coll_scan_exscan: inclusive and exclusive prefix reductions (SUM, PROD, MAX) on vectors; the
 * exclusive result of rank 0 is left untouched.
 * ranks: 1 4 7 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long v[3] = {rank + 1, 2, (rank * 7) % 5}, s[3], e[3] = {-1, -1, -1};
    CHECK_MPI(MPI_Scan(v, s, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Scan(v + 1, s + 1, 1, MPI_LONG, MPI_PROD, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Scan(v + 2, s + 2, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Exscan(v, e, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Exscan(v + 1, e + 1, 1, MPI_LONG, MPI_PROD, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Exscan(v + 2, e + 2, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD));
    char line[160];
    if (rank == 0)
        snprintf(line, sizeof line, "rank %d: scan %ld %ld %ld exscan (untouched %d)", rank, s[0],
                 s[1], s[2], e[0] == -1 && e[1] == -1 && e[2] == -1);
    else
        snprintf(line, sizeof line, "rank %d: scan %ld %ld %ld exscan %ld %ld %ld", rank, s[0],
                 s[1], s[2], e[0], e[1], e[2]);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

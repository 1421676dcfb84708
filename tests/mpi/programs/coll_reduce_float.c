/* coll_reduce_float: MAX MIN SUM PROD on float, double and long double with exactly
 * representable values (the order of combination cannot change the result).
 * ranks: 2 5 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Op ops[] = {MPI_MAX, MPI_MIN, MPI_SUM, MPI_PROD};
    const char *names[] = {"MAX", "MIN", "SUM", "PROD"};
    for (int o = 0; o < 4; o++) {
        float f[3] = {(float)rank * 0.5f, -(float)rank, 1.0f + (rank % 2)}, rf[3];
        double d[3] = {rank * 0.25, (rank + 1) * 1024.0, (rank % 3) + 1.0}, rd[3];
        long double ld[2] = {(long double)rank / 4, 2.0L + rank}, rld[2];
        CHECK_MPI(MPI_Allreduce(f, rf, 3, MPI_FLOAT, ops[o], MPI_COMM_WORLD));
        CHECK_MPI(MPI_Allreduce(d, rd, 3, MPI_DOUBLE, ops[o], MPI_COMM_WORLD));
        CHECK_MPI(MPI_Allreduce(ld, rld, 2, MPI_LONG_DOUBLE, ops[o], MPI_COMM_WORLD));
        if (rank == size - 1)
            printf("%-4s float %g %g %g | double %.17g %.17g %.17g | long double %.10g %.10g\n",
                   names[o], rf[0], rf[1], rf[2], rd[0], rd[1], rd[2], (double)rld[0],
                   (double)rld[1]);
    }
    MPI_Finalize();
    return 0;
}

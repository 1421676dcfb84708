/* coll_complex: SUM and PROD of float, double and long double complex numbers (exact values).
 * ranks: 3 */
#include <complex.h>

#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    float complex f = (float)rank + 1.0f * I, rf;
    double complex d = 1.0 + (double)rank * I, rd;
    long double complex q = 2.0L - (long double)rank * I, rq;
    CHECK_MPI(MPI_Allreduce(&f, &rf, 1, MPI_C_FLOAT_COMPLEX, MPI_SUM, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Allreduce(&d, &rd, 1, MPI_C_DOUBLE_COMPLEX, MPI_PROD, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Allreduce(&q, &rq, 1, MPI_C_LONG_DOUBLE_COMPLEX, MPI_SUM, MPI_COMM_WORLD));
    if (rank == 0)
        printf("float sum %g%+gi double prod %g%+gi long double sum %g%+gi\n", crealf(rf),
               cimagf(rf), creal(rd), cimag(rd), (double)creall(rq), (double)cimagl(rq));
    CHECK_MPI(MPI_Allreduce(&f, &rf, 1, MPI_C_COMPLEX, MPI_PROD, MPI_COMM_WORLD));
    if (rank == 0) printf("float prod %g%+gi\n", crealf(rf), cimagf(rf));
    MPI_Finalize();
    return 0;
}

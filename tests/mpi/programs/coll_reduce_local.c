/* coll_reduce_local: MPI_Reduce_local with predefined and user operations, and
 * MPI_Op_commutative of the predefined ones.
 * ranks: 1 */
#include "check.h"

static void diff(void *in, void *inout, int *len, MPI_Datatype *dt) {
    double *a = in, *b = inout;
    for (int i = 0; i < *len; i++)
        b[i] = a[i] - b[i];
    (void)dt;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    double a[4] = {1, 2, 3, 4}, b[4] = {10, 20, 30, 40};
    CHECK_MPI(MPI_Reduce_local(a, b, 4, MPI_DOUBLE, MPI_SUM));
    printf("sum: %g %g %g %g\n", b[0], b[1], b[2], b[3]);
    CHECK_MPI(MPI_Reduce_local(a, b, 4, MPI_DOUBLE, MPI_MIN));
    printf("min: %g %g %g %g\n", b[0], b[1], b[2], b[3]);
    MPI_Op op;
    CHECK_MPI(MPI_Op_create(diff, 0, &op));
    double c[4] = {5, 5, 5, 5};
    CHECK_MPI(MPI_Reduce_local(a, c, 4, MPI_DOUBLE, op));
    printf("user: %g %g %g %g\n", c[0], c[1], c[2], c[3]);
    int commute;
    MPI_Op ops[] = {MPI_MAX, MPI_SUM, MPI_LXOR, MPI_MAXLOC};
    for (int i = 0; i < 4; i++) {
        MPI_Op_commutative(ops[i], &commute);
        printf("predefined %d commutative %d\n", i, commute);
    }
    MPI_Op_free(&op);
    MPI_Finalize();
    return 0;
}

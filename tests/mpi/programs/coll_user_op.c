/* coll_user_op: user reduction functions — a non-commutative 2x2 integer matrix product (the
 * result depends on rank order) through Reduce, Allreduce, Scan and Exscan, and a commutative
 * sum on a derived type of 3 ints.
 * ranks: 1 4 6 */
#include "check.h"

static void matmul(void *in, void *inout, int *len, MPI_Datatype *dt) {
    int *a = in, *b = inout;
    for (int k = 0; k < *len; k++, a += 4, b += 4) {
        int c[4] = {a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
                    a[2] * b[1] + a[3] * b[3]};
        memcpy(b, c, sizeof c);
    }
    (void)dt;
}

static void sumsq(void *in, void *inout, int *len, MPI_Datatype *dt) {
    int *a = in, *b = inout;
    for (int k = 0; k < *len * 3; k++)
        b[k] = a[k] + b[k];
    (void)dt;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Datatype mat, tri;
    CHECK_MPI(MPI_Type_contiguous(4, MPI_INT, &mat));
    CHECK_MPI(MPI_Type_commit(&mat));
    CHECK_MPI(MPI_Type_contiguous(3, MPI_INT, &tri));
    CHECK_MPI(MPI_Type_commit(&tri));
    MPI_Op mop, sop;
    CHECK_MPI(MPI_Op_create(matmul, 0, &mop));
    CHECK_MPI(MPI_Op_create(sumsq, 1, &sop));
    int m[4] = {1, rank + 1, rank % 2, 1}, r[4] = {0, 0, 0, 0};
    CHECK_MPI(MPI_Reduce(m, r, 1, mat, mop, size - 1, MPI_COMM_WORLD));
    if (size > 1 && rank == size - 1) CHECK_MPI(MPI_Send(r, 4, MPI_INT, 0, 0, MPI_COMM_WORLD));
    if (size > 1 && rank == 0)
        CHECK_MPI(MPI_Recv(r, 4, MPI_INT, size - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    if (rank == 0) printf("reduce: %d %d %d %d\n", r[0], r[1], r[2], r[3]);
    CHECK_MPI(MPI_Allreduce(m, r, 1, mat, mop, MPI_COMM_WORLD));
    if (rank == 0) printf("allreduce: %d %d %d %d\n", r[0], r[1], r[2], r[3]);
    CHECK_MPI(MPI_Scan(m, r, 1, mat, mop, MPI_COMM_WORLD));
    char line[128];
    snprintf(line, sizeof line, "scan %d: %d %d %d %d", rank, r[0], r[1], r[2], r[3]);
    print_ordered(line, MPI_COMM_WORLD);
    int e[4] = {0, 0, 0, 0};
    CHECK_MPI(MPI_Exscan(m, e, 1, mat, mop, MPI_COMM_WORLD));
    snprintf(line, sizeof line, "exscan %d: %d %d %d %d", rank, rank ? e[0] : 0, rank ? e[1] : 0,
             rank ? e[2] : 0, rank ? e[3] : 0);
    print_ordered(line, MPI_COMM_WORLD);
    int t[6] = {rank, 1, 2, rank + 1, 0, 1}, tr[6];
    CHECK_MPI(MPI_Allreduce(t, tr, 2, tri, sop, MPI_COMM_WORLD));
    if (rank == 0)
        printf("user sum: %d %d %d %d %d %d\n", tr[0], tr[1], tr[2], tr[3], tr[4], tr[5]);
    int commute;
    MPI_Op_commutative(mop, &commute);
    if (rank == 0) printf("commutative: %d", commute);
    MPI_Op_commutative(sop, &commute);
    if (rank == 0) printf(" %d\n", commute);
    CHECK_MPI(MPI_Op_free(&mop));
    CHECK_MPI(MPI_Op_free(&sop));
    CHECK(mop == MPI_OP_NULL);
    MPI_Type_free(&mat);
    MPI_Type_free(&tri);
    MPI_Finalize();
    return 0;
}

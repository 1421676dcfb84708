/* env_errors: MPI_Error_class on every class up to MPI_ERR_PENDING, MPI_Error_string returns some
 * text, errors returned on a communicator with MPI_ERRORS_RETURN (bad root, bad op, bad group)
 * while MPI_COMM_WORLD stays fatal.
 * ranks: 1 3 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int same = 1;
    for (int e = MPI_SUCCESS; e <= MPI_ERR_PENDING; e++) {
        int c;
        MPI_Error_class(e, &c);
        same &= c == e;
    }
    char text[MPI_MAX_ERROR_STRING];
    int len;
    MPI_Error_string(MPI_ERR_TRUNCATE, text, &len);
    MPI_Comm c;
    MPI_Comm_dup(MPI_COMM_WORLD, &c);
    MPI_Comm_set_errhandler(c, MPI_ERRORS_RETURN);
    int v = 1, r;
    int e1 = MPI_Bcast(&v, 1, MPI_INT, size, c);
    int e2 = MPI_Allreduce(&v, &r, 1, MPI_INT, MPI_OP_NULL, c);
    int e3 = MPI_Allreduce(&v, &r, 1, MPI_DOUBLE_INT, MPI_SUM, c);
    int c1, c2, c3;
    MPI_Error_class(e1, &c1);
    MPI_Error_class(e2, &c2);
    MPI_Error_class(e3, &c3);
    if (rank == 0)
        printf("classes identity %d, string %d, bad root %d, null op %d, op on pair %d\n", same,
               len > 0, c1 == MPI_ERR_ROOT, c2 == MPI_ERR_OP, c3 == MPI_ERR_OP);
    MPI_Comm_free(&c);
    MPI_Finalize();
    return 0;
}

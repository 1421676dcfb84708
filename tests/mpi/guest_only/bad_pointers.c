/* bad_pointers: every guest pointer the host reads or writes is checked against linear memory:
 * out-of-range buffers, statuses, request arrays, counts that overflow, strings without a NUL —
 * each comes back as an MPI error class under MPI_ERRORS_RETURN, never as a host fault.
 * ranks: 2
 * exit: 0 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int cls(int err) {
    int c;
    MPI_Error_class(err, &c);
    return c;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    void *far = (void *)(uintptr_t)0xFFFFFF00u; /* beyond any memory the module has */
    int v = 0, n;
    if (rank == 0) {
        printf("send from far: %d\n",
               cls(MPI_Send(far, 1000, MPI_INT, 1, 0, MPI_COMM_WORLD)) == MPI_ERR_BUFFER);
        printf("huge count: %d\n",
               cls(MPI_Send(&v, 0x7fffffff, MPI_DOUBLE, 1, 0, MPI_COMM_WORLD)) == MPI_ERR_BUFFER);
        printf("recv into far: %d\n", cls(MPI_Recv(far, 1000, MPI_INT, 1, 0, MPI_COMM_WORLD,
                                                   MPI_STATUS_IGNORE)) == MPI_ERR_BUFFER);
        printf("status far: %d\n",
               MPI_Recv(&v, 1, MPI_INT, 1, 0, MPI_COMM_WORLD, (MPI_Status *)far) != MPI_SUCCESS);
        printf("request far: %d\n",
               MPI_Isend(&v, 1, MPI_INT, 1, 0, MPI_COMM_WORLD, (MPI_Request *)far) != MPI_SUCCESS);
        printf("waitall far: %d\n",
               MPI_Waitall(100, (MPI_Request *)far, MPI_STATUSES_IGNORE) != MPI_SUCCESS);
        printf("comm_size out far: %d\n", MPI_Comm_size(MPI_COMM_WORLD, (int *)far) != MPI_SUCCESS);
        printf("bcast far: %d\n",
               cls(MPI_Bcast(far, 64, MPI_INT, 0, MPI_COMM_SELF)) == MPI_ERR_BUFFER);
        int counts[1] = {1 << 30}, displs[1] = {0};
        printf("gatherv huge: %d\n", cls(MPI_Gatherv(&v, 1, MPI_INT, &n, counts, displs, MPI_INT, 0,
                                                     MPI_COMM_SELF)) == MPI_ERR_BUFFER);
        printf("type indexed far: %d\n", MPI_Type_indexed(1000, (int *)far, (int *)far, MPI_INT,
                                                          (MPI_Datatype *)&n) != MPI_SUCCESS);
        printf("dims far: %d\n", MPI_Dims_create(8, 3, (int *)far) != MPI_SUCCESS);
        printf("name far: %d\n", MPI_Comm_set_name(MPI_COMM_WORLD, (char *)far) != MPI_SUCCESS);
        char text[MPI_MAX_ERROR_STRING];
        printf("error string far len: %d\n",
               MPI_Error_string(MPI_ERR_ARG, text, (int *)far) != MPI_SUCCESS);
        MPI_Datatype big;
        MPI_Type_contiguous(1 << 20, MPI_DOUBLE, &big);
        MPI_Type_commit(&big);
        printf("derived span too big: %d\n",
               cls(MPI_Send(&v, 1 << 10, big, 1, 0, MPI_COMM_WORLD)) == MPI_ERR_BUFFER);
        MPI_Type_free(&big);
        MPI_Send(&v, 1, MPI_INT, 1, 5, MPI_COMM_WORLD);
    } else {
        MPI_Recv(&v, 1, MPI_INT, 0, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) printf("still alive\n");
    MPI_Finalize();
    return 0;
}

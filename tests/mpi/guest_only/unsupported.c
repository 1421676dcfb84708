/* unsupported: functions Granny does not build return MPI_ERR_OTHER (and log their name), never
 * a silent success; with the default handler they are fatal like any error.
 * ranks: 2
 * exit: 16
 * stderr: MPI_Win_fence is not supported */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Request r;
    int c;
    MPI_Error_class(MPI_Ibarrier(MPI_COMM_WORLD, &r), &c);
    if (rank == 0) printf("Ibarrier: %d\n", c == MPI_ERR_OTHER);
    MPI_Info info;
    MPI_Error_class(MPI_Info_create(&info), &c);
    if (rank == 0) printf("Info_create: %d\n", c == MPI_ERR_OTHER);
    fflush(stdout);
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
    if (rank == 1) MPI_Win_fence(0, 0); /* fatal: the world ends with MPI_ERR_OTHER (16) */
    MPI_Barrier(MPI_COMM_WORLD);
    printf("not reached\n");
    MPI_Finalize();
    return 0;
}

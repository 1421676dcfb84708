/* comm_attrs_names: MPI_TAG_UB and other predefined attributes, communicator names, error handler
 * queries, MPI_Comm_test_inter and MPI_Topo_test on a plain communicator.
 * ranks: 2 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int *tag_ub, flag;
    CHECK_MPI(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &tag_ub, &flag));
    int *wtime_global;
    int flag2;
    CHECK_MPI(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_WTIME_IS_GLOBAL, &wtime_global, &flag2));
    char name[MPI_MAX_OBJECT_NAME];
    int len;
    MPI_Comm_get_name(MPI_COMM_WORLD, name, &len);
    MPI_Comm dup;
    MPI_Comm_dup(MPI_COMM_WORLD, &dup);
    MPI_Comm_set_name(dup, "my duplicate");
    char name2[MPI_MAX_OBJECT_NAME];
    int len2;
    MPI_Comm_get_name(dup, name2, &len2);
    MPI_Errhandler eh;
    MPI_Comm_get_errhandler(MPI_COMM_WORLD, &eh);
    int fatal = eh == MPI_ERRORS_ARE_FATAL;
    MPI_Comm_set_errhandler(dup, MPI_ERRORS_RETURN);
    MPI_Errhandler eh2;
    MPI_Comm_get_errhandler(dup, &eh2);
    int inter, topo;
    MPI_Comm_test_inter(MPI_COMM_WORLD, &inter);
    MPI_Topo_test(MPI_COMM_WORLD, &topo);
    if (rank == 0) {
        printf("tag_ub flag %d >= 32767: %d\n", flag, *tag_ub >= 32767);
        printf("wtime_is_global flag %d\n", flag2);
        printf("world name '%s' (%d)\n", name, len);
        printf("dup name '%s' (%d)\n", name2, len2);
        printf("default handler fatal %d, dup returns %d\n", fatal, eh2 == MPI_ERRORS_RETURN);
        printf("inter %d topo undefined %d\n", inter, topo == MPI_UNDEFINED);
    }
    MPI_Comm_free(&dup);
    MPI_Finalize();
    return 0;
}

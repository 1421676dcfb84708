/* env_basic: MPI_Init_thread and MPI_Query_thread (FUNNELED requested), MPI_Initialized and
 * MPI_Finalized around the world's life, MPI_Get_version, MPI_Is_thread_main, MPI_Wtime
 * monotonic, MPI_Wtick positive, the processor name non-empty.
 * ranks: 1 2 */
#include "check.h"

int main(int argc, char **argv) {
    int flag;
    MPI_Initialized(&flag);
    int before = flag;
    int provided;
    CHECK_MPI(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided));
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int queried;
    MPI_Query_thread(&queried);
    MPI_Initialized(&flag);
    int main_thread;
    MPI_Is_thread_main(&main_thread);
    int v, sv;
    MPI_Get_version(&v, &sv);
    double t0 = MPI_Wtime(), t1 = MPI_Wtime();
    double tick = MPI_Wtick();
    char name[MPI_MAX_PROCESSOR_NAME];
    int len;
    MPI_Get_processor_name(name, &len);
    char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    int liblen;
    MPI_Get_library_version(lib, &liblen);
    int fin;
    MPI_Finalized(&fin);
    if (rank == 0)
        printf("initialized %d->%d provided>=funneled %d query ok %d main %d version %d.%d "
               "wtime ok %d tick ok %d name ok %d lib ok %d finalized %d\n",
               before, flag, provided >= MPI_THREAD_FUNNELED, queried == provided, main_thread, v,
               sv, t1 >= t0, tick > 0 && tick<1, len> 0 && (int)strlen(name) == len, liblen > 0,
               fin);
    MPI_Finalize();
    MPI_Finalized(&fin);
    if (rank == 0) printf("after finalize: finalized %d\n", fin);
    return 0;
}

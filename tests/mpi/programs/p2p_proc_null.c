/* p2p_proc_null: sends to and receives from MPI_PROC_NULL complete at once; the status says
 * source MPI_PROC_NULL, tag MPI_ANY_TAG, count 0; the buffer is untouched.
 * ranks: 1 3 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int v = 42, n = -1;
    MPI_Status st;
    CHECK_MPI(MPI_Send(&v, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD));
    CHECK_MPI(MPI_Recv(&v, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &st));
    MPI_Get_count(&st, MPI_INT, &n);
    int ok = v == 42 && st.MPI_SOURCE == MPI_PROC_NULL && st.MPI_TAG == MPI_ANY_TAG && n == 0;
    MPI_Request r;
    CHECK_MPI(MPI_Irecv(&v, 1, MPI_INT, MPI_PROC_NULL, 5, MPI_COMM_WORLD, &r));
    CHECK_MPI(MPI_Wait(&r, &st));
    ok &= st.MPI_SOURCE == MPI_PROC_NULL;
    CHECK_MPI(MPI_Sendrecv(&v, 1, MPI_INT, MPI_PROC_NULL, 1, &n, 1, MPI_INT, MPI_PROC_NULL, 1,
                           MPI_COMM_WORLD, &st));
    ok &= n == 0 && st.MPI_SOURCE == MPI_PROC_NULL;
    CHECK_MPI(MPI_Probe(MPI_PROC_NULL, 0, MPI_COMM_WORLD, &st));
    ok &= st.MPI_SOURCE == MPI_PROC_NULL;
    char line[64];
    snprintf(line, sizeof line, "rank %d: %s", rank, ok ? "ok" : "BAD");
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

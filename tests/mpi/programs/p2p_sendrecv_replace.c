/* p2p_sendrecv_replace: values shift around the ring with MPI_Sendrecv (distinct buffers) and
 * MPI_Sendrecv_replace (one buffer, large enough for a rendezvous).
 * ranks: 3 5 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int n = 100000;
    int *a = malloc(sizeof(int) * n), *b = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++)
        a[i] = rank * 7 + i;
    for (int step = 0; step < size; step++) {
        MPI_Status st;
        CHECK_MPI(MPI_Sendrecv(a, n, MPI_INT, right, step, b, n, MPI_INT, left, step,
                               MPI_COMM_WORLD, &st));
        CHECK(st.MPI_SOURCE == left && st.MPI_TAG == step);
        CHECK_MPI(MPI_Sendrecv_replace(b, n, MPI_INT, right, 100 + step, left, 100 + step,
                                       MPI_COMM_WORLD, &st));
        memcpy(a, b, sizeof(int) * n);
    }
    /* after size steps of two shifts each, a holds the values of rank - 2*size = rank itself */
    char line[128];
    snprintf(line, sizeof line, "rank %d: a[0]=%d a[n-1]=%d", rank, a[0], a[n - 1]);
    print_ordered(line, MPI_COMM_WORLD);
    free(a);
    free(b);
    MPI_Finalize();
    return 0;
}

/* p2p_any_source: every other rank sends rank+1 messages to rank 0, which receives them all with
 * MPI_ANY_SOURCE and counts per source.
 * ranks: 2 4 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        int total = 0;
        for (int r = 1; r < size; r++)
            total += r + 1;
        int *count = calloc(size, sizeof(int)), *sum = calloc(size, sizeof(int));
        for (int k = 0; k < total; k++) {
            int v;
            MPI_Status st;
            CHECK_MPI(MPI_Recv(&v, 1, MPI_INT, MPI_ANY_SOURCE, 5, MPI_COMM_WORLD, &st));
            CHECK(v / 100 == st.MPI_SOURCE);
            count[st.MPI_SOURCE]++;
            sum[st.MPI_SOURCE] += v;
        }
        for (int r = 1; r < size; r++)
            printf("from %d: %d messages, sum %d\n", r, count[r], sum[r]);
    } else {
        for (int k = 0; k <= rank; k++) {
            int v = rank * 100 + k;
            CHECK_MPI(MPI_Send(&v, 1, MPI_INT, 0, 5, MPI_COMM_WORLD));
        }
    }
    MPI_Finalize();
    return 0;
}

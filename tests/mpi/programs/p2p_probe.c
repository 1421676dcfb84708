/* p2p_probe: messages of sizes unknown to the receiver — MPI_Probe then MPI_Get_count to size the
 * buffer, from any source, in arrival order per source.
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        long *total = calloc(size, sizeof(long));
        int *msgs = calloc(size, sizeof(int));
        for (int k = 0; k < 5 * (size - 1); k++) {
            MPI_Status st;
            CHECK_MPI(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
            int n;
            CHECK_MPI(MPI_Get_count(&st, MPI_DOUBLE, &n));
            double *buf = malloc(sizeof(double) * (n + 1));
            CHECK_MPI(MPI_Recv(buf, n, MPI_DOUBLE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, &st));
            CHECK(n == st.MPI_TAG * 1000 + st.MPI_SOURCE);
            for (int i = 0; i < n; i++)
                total[st.MPI_SOURCE] += (long)buf[i];
            msgs[st.MPI_SOURCE]++;
            free(buf);
        }
        for (int r = 1; r < size; r++)
            printf("from %d: %d messages, total %ld\n", r, msgs[r], total[r]);
    } else {
        for (int t = 0; t < 5; t++) {
            int n = t * 1000 + rank;
            double *buf = malloc(sizeof(double) * (n + 1));
            for (int i = 0; i < n; i++)
                buf[i] = i % 17;
            CHECK_MPI(MPI_Send(buf, n, MPI_DOUBLE, 0, t, MPI_COMM_WORLD));
            free(buf);
        }
    }
    MPI_Finalize();
    return 0;
}

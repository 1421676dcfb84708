/* p2p_order: non-overtaking — 2000 messages of mixed sizes from each sender on one tag arrive in
 * the order they were sent, even when received with MPI_ANY_SOURCE.
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const int n = 2000, big = 50000;
    int *buf = calloc(big, sizeof(int));
    if (rank == 0) {
        int *next = calloc(size, sizeof(int));
        int bad = 0;
        for (int k = 0; k < n * (size - 1); k++) {
            MPI_Status st;
            CHECK_MPI(MPI_Recv(buf, big, MPI_INT, MPI_ANY_SOURCE, 0, MPI_COMM_WORLD, &st));
            if (buf[0] != next[st.MPI_SOURCE]) bad++;
            next[st.MPI_SOURCE] = buf[0] + 1;
        }
        printf("%d messages per sender, out of order: %d\n", n, bad);
    } else {
        for (int i = 0; i < n; i++) {
            buf[0] = i;
            int len = i % 97 == 0 ? big : 1 + i % 13;
            CHECK_MPI(MPI_Send(buf, len, MPI_INT, 0, 0, MPI_COMM_WORLD));
        }
    }
    free(buf);
    MPI_Finalize();
    return 0;
}

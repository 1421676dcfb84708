/* p2p_pingpong: messages of 1 B to 4 MiB bounce between ranks 0 and 1; contents are checked
 * both ways (eager and rendezvous sizes).
 * ranks: 2 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int max = 4 << 20;
    unsigned char *buf = malloc(max);
    for (int n = 1; n <= max; n *= 4) {
        if (rank == 0) {
            for (int i = 0; i < n; i++)
                buf[i] = (unsigned char)(i * 7 + n);
            CHECK_MPI(MPI_Send(buf, n, MPI_BYTE, 1, 1, MPI_COMM_WORLD));
            MPI_Status st;
            CHECK_MPI(MPI_Recv(buf, n, MPI_BYTE, 1, 2, MPI_COMM_WORLD, &st));
            int count;
            MPI_Get_count(&st, MPI_BYTE, &count);
            int ok = count == n;
            for (int i = 0; i < n; i++)
                ok &= buf[i] == (unsigned char)(i * 7 + n + 1);
            printf("%8d bytes: %s\n", n, ok ? "ok" : "BAD");
        } else if (rank == 1) {
            CHECK_MPI(MPI_Recv(buf, n, MPI_BYTE, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            for (int i = 0; i < n; i++)
                buf[i]++;
            CHECK_MPI(MPI_Send(buf, n, MPI_BYTE, 0, 2, MPI_COMM_WORLD));
        }
    }
    free(buf);
    MPI_Finalize();
    return 0;
}

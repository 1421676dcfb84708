/* p2p_waitsome: MPI_Waitsome and MPI_Testsome collect completions until every request is done;
 * the indices are accumulated and printed sorted.
 * ranks: 3 6 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        int n = 4 * (size - 1);
        int *vals = calloc(n, sizeof(int)), *idx = calloc(n, sizeof(int)),
            *seen = calloc(n, sizeof(int));
        MPI_Request *req = malloc(sizeof(MPI_Request) * n);
        for (int k = 0; k < n; k++)
            CHECK_MPI(MPI_Irecv(&vals[k], 1, MPI_INT, 1 + k % (size - 1), k / (size - 1),
                                MPI_COMM_WORLD, &req[k]));
        int done = 0, rounds_wait = 0, outcount;
        while (done < n / 2) {
            CHECK_MPI(MPI_Waitsome(n, req, &outcount, idx, MPI_STATUSES_IGNORE));
            for (int i = 0; i < outcount; i++)
                seen[idx[i]]++;
            done += outcount;
            rounds_wait++;
        }
        while (done < n) {
            CHECK_MPI(MPI_Testsome(n, req, &outcount, idx, MPI_STATUSES_IGNORE));
            for (int i = 0; i < outcount; i++)
                seen[idx[i]]++;
            done += outcount;
        }
        CHECK_MPI(MPI_Waitsome(n, req, &outcount, idx, MPI_STATUSES_IGNORE));
        printf("all %d done, then outcount %s\n", done,
               outcount == MPI_UNDEFINED ? "MPI_UNDEFINED" : "?");
        for (int k = 0; k < n; k++)
            printf("req %d: seen %d value %d\n", k, seen[k], vals[k]);
        (void)rounds_wait;
    } else {
        for (int t = 0; t < 4; t++) {
            int v = rank * 10 + t;
            CHECK_MPI(MPI_Send(&v, 1, MPI_INT, 0, t, MPI_COMM_WORLD));
        }
    }
    MPI_Finalize();
    return 0;
}

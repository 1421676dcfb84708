/* p2p_tags: messages are selected by tag (received in another order than sent), MPI_ANY_TAG
 * takes the oldest, status fields report source and tag.
 * ranks: 2 3 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        for (int t = 10; t < 15; t++) {
            int v = t * 100;
            CHECK_MPI(MPI_Send(&v, 1, MPI_INT, 1, t, MPI_COMM_WORLD));
        }
    } else if (rank == 1) {
        int order[] = {14, 11, 13};
        for (int k = 0; k < 3; k++) {
            int v;
            MPI_Status st;
            CHECK_MPI(MPI_Recv(&v, 1, MPI_INT, 0, order[k], MPI_COMM_WORLD, &st));
            printf("tag %d -> %d (status tag %d, source %d)\n", order[k], v, st.MPI_TAG,
                   st.MPI_SOURCE);
        }
        for (int k = 0; k < 2; k++) {
            int v;
            MPI_Status st;
            CHECK_MPI(MPI_Recv(&v, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
            printf("any -> %d (tag %d)\n", v, st.MPI_TAG);
        }
        printf("done with %d ranks\n", size);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

/* mixed_master_worker: a task farm — rank 0 hands out 100 tasks to whichever worker asks
 * (MPI_ANY_SOURCE, tags for work/result/stop), workers compute and return results; rank 0 prints
 * the total and the number of tasks (not which worker did which).
 * ranks: 2 4 8 */
#include "check.h"

enum { TAG_WORK = 1, TAG_RESULT = 2, TAG_STOP = 3 };

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const int ntasks = 100;
    if (rank == 0) {
        int next = 0, done = 0;
        long total = 0;
        for (int w = 1; w < size && next < ntasks; w++, next++)
            CHECK_MPI(MPI_Send(&next, 1, MPI_INT, w, TAG_WORK, MPI_COMM_WORLD));
        int active = next;
        while (done < ntasks) {
            long result;
            MPI_Status st;
            CHECK_MPI(
                MPI_Recv(&result, 1, MPI_LONG, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st));
            total += result;
            done++;
            if (next < ntasks) {
                CHECK_MPI(MPI_Send(&next, 1, MPI_INT, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD));
                next++;
            }
        }
        (void)active;
        for (int w = 1; w < size; w++)
            CHECK_MPI(MPI_Send(&w, 0, MPI_INT, w, TAG_STOP, MPI_COMM_WORLD));
        printf("%d tasks, total %ld\n", done, total);
    } else {
        for (;;) {
            int task;
            MPI_Status st;
            CHECK_MPI(MPI_Recv(&task, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
            if (st.MPI_TAG == TAG_STOP) break;
            long r = 0;
            for (int i = 0; i <= task * 100; i++)
                r += i % (task + 3);
            CHECK_MPI(MPI_Send(&r, 1, MPI_LONG, 0, TAG_RESULT, MPI_COMM_WORLD));
        }
    }
    MPI_Finalize();
    return 0;
}

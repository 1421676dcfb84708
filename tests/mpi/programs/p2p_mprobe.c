/* p2p_mprobe: MPI_Iprobe polling, then matched probes (MPI_Mprobe/MPI_Improbe + MPI_Mrecv) that
 * take a message out of the queue so that a later probe cannot see it again.
 * ranks: 3 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        int flag = 0;
        MPI_Status st;
        while (!flag)
            CHECK_MPI(MPI_Iprobe(1, 7, MPI_COMM_WORLD, &flag, &st));
        int n;
        MPI_Get_count(&st, MPI_INT, &n);
        printf("iprobe: %d ints from %d tag %d\n", n, st.MPI_SOURCE, st.MPI_TAG);
        MPI_Message msg;
        CHECK_MPI(MPI_Mprobe(1, 7, MPI_COMM_WORLD, &msg, &st));
        int buf[16];
        CHECK_MPI(MPI_Mrecv(buf, 16, MPI_INT, &msg, &st));
        CHECK(msg == MPI_MESSAGE_NULL);
        printf("mrecv: %d %d %d\n", buf[0], buf[1], buf[2]);
        flag = 0;
        while (!flag)
            CHECK_MPI(MPI_Improbe(2, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &msg, &st));
        CHECK_MPI(MPI_Mrecv(buf, 16, MPI_INT, &msg, &st));
        printf("improbe+mrecv: tag %d first %d\n", st.MPI_TAG, buf[0]);
        CHECK_MPI(MPI_Recv(buf, 16, MPI_INT, 1, 7, MPI_COMM_WORLD, &st));
        printf("second from 1: %d\n", buf[0]);
        CHECK_MPI(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st));
        printf("left over: %d\n", flag);
        MPI_Message none;
        CHECK_MPI(MPI_Mprobe(MPI_PROC_NULL, 0, MPI_COMM_WORLD, &none, &st));
        printf("proc null: message %s, source %d\n", none == MPI_MESSAGE_NO_PROC ? "NO_PROC" : "?",
               st.MPI_SOURCE == MPI_PROC_NULL ? -2 : st.MPI_SOURCE);
    } else if (rank == 1) {
        int a[3] = {11, 12, 13}, b = 21;
        CHECK_MPI(MPI_Send(a, 3, MPI_INT, 0, 7, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Send(&b, 1, MPI_INT, 0, 7, MPI_COMM_WORLD));
    } else if (rank == 2) {
        int c = 31;
        CHECK_MPI(MPI_Send(&c, 1, MPI_INT, 0, 9, MPI_COMM_WORLD));
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

/* type_pack: MPI_Pack of an int, a vector of doubles and a string into one buffer sent as
 * MPI_PACKED, MPI_Unpack on the other side, MPI_Pack_size. compare: sorted
 * ranks: 2 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    char buf[256];
    int s1, s2, s3;
    MPI_Pack_size(1, MPI_INT, MPI_COMM_WORLD, &s1);
    MPI_Pack_size(4, MPI_DOUBLE, MPI_COMM_WORLD, &s2);
    MPI_Pack_size(12, MPI_CHAR, MPI_COMM_WORLD, &s3);
    if (rank == 0) {
        int n = 4;
        double v[4] = {1.5, -2.25, 3.125, 1e-3};
        char text[12] = "hello mpi!";
        int pos = 0;
        CHECK_MPI(MPI_Pack(&n, 1, MPI_INT, buf, sizeof buf, &pos, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Pack(v, 4, MPI_DOUBLE, buf, sizeof buf, &pos, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Pack(text, 12, MPI_CHAR, buf, sizeof buf, &pos, MPI_COMM_WORLD));
        printf("packed %d bytes (sizes at most %d %d %d)\n", pos, s1, s2, s3);
        CHECK_MPI(MPI_Send(buf, pos, MPI_PACKED, 1, 0, MPI_COMM_WORLD));
    } else if (rank == 1) {
        MPI_Status st;
        CHECK_MPI(MPI_Recv(buf, sizeof buf, MPI_PACKED, 0, 0, MPI_COMM_WORLD, &st));
        int len;
        MPI_Get_count(&st, MPI_PACKED, &len);
        int pos = 0, n;
        double v[4];
        char text[12];
        CHECK_MPI(MPI_Unpack(buf, len, &pos, &n, 1, MPI_INT, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Unpack(buf, len, &pos, v, n, MPI_DOUBLE, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Unpack(buf, len, &pos, text, 12, MPI_CHAR, MPI_COMM_WORLD));
        printf("unpacked n=%d v=%g %g %g %g text='%s' consumed %d of %d\n", n, v[0], v[1], v[2],
               v[3], text, pos, len);
    }
    MPI_Finalize();
    return 0;
}

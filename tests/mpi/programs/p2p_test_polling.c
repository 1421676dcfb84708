/* p2p_test_polling: completion by polling — MPI_Test on a receive, MPI_Testall on a set,
 * MPI_Testany, and MPI_Request_get_status (which does not free the request).
 * ranks: 2 4 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int v = -1, out = rank * 3, flag = 0;
    MPI_Request r, s;
    CHECK_MPI(MPI_Irecv(&v, 1, MPI_INT, left, 0, MPI_COMM_WORLD, &r));
    CHECK_MPI(MPI_Isend(&out, 1, MPI_INT, right, 0, MPI_COMM_WORLD, &s));
    while (!flag)
        CHECK_MPI(MPI_Request_get_status(r, &flag, MPI_STATUS_IGNORE));
    CHECK(r != MPI_REQUEST_NULL);
    flag = 0;
    while (!flag)
        CHECK_MPI(MPI_Test(&r, &flag, MPI_STATUS_IGNORE));
    CHECK(r == MPI_REQUEST_NULL);
    CHECK_MPI(MPI_Wait(&s, MPI_STATUS_IGNORE));
    int a[3], b[3] = {rank, rank + 1, rank + 2};
    MPI_Request rs[6];
    for (int k = 0; k < 3; k++) {
        CHECK_MPI(MPI_Irecv(&a[k], 1, MPI_INT, left, 10 + k, MPI_COMM_WORLD, &rs[k]));
        CHECK_MPI(MPI_Isend(&b[k], 1, MPI_INT, right, 10 + k, MPI_COMM_WORLD, &rs[3 + k]));
    }
    flag = 0;
    while (!flag)
        CHECK_MPI(MPI_Testall(6, rs, &flag, MPI_STATUSES_IGNORE));
    int c = -1, d = rank + 100, idx;
    MPI_Request one[2];
    CHECK_MPI(MPI_Irecv(&c, 1, MPI_INT, left, 20, MPI_COMM_WORLD, &one[0]));
    CHECK_MPI(MPI_Isend(&d, 1, MPI_INT, right, 20, MPI_COMM_WORLD, &one[1]));
    int got = 0;
    while (got < 2) {
        flag = 0;
        CHECK_MPI(MPI_Testany(2, one, &idx, &flag, MPI_STATUS_IGNORE));
        if (flag) got++;
    }
    char line[128];
    snprintf(line, sizeof line, "rank %d: %d | %d %d %d | %d", rank, v, a[0], a[1], a[2], c);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

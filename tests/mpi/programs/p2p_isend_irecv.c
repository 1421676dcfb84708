/* p2p_isend_irecv: everyone sends a distinct block to everyone with MPI_Isend/MPI_Irecv and
 * completes with MPI_Waitall; rank 0 prints a checksum of what each rank received.
 * ranks: 3 5 8 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const int n = 1000;
    int *out = malloc(sizeof(int) * n * size), *in = malloc(sizeof(int) * n * size);
    MPI_Request *req = malloc(sizeof(MPI_Request) * 2 * size);
    for (int p = 0; p < size; p++)
        for (int i = 0; i < n; i++)
            out[p * n + i] = rank * 1000000 + p * 1000 + i;
    for (int p = 0; p < size; p++)
        CHECK_MPI(MPI_Irecv(in + p * n, n, MPI_INT, p, 3, MPI_COMM_WORLD, &req[p]));
    for (int p = 0; p < size; p++)
        CHECK_MPI(MPI_Isend(out + p * n, n, MPI_INT, p, 3, MPI_COMM_WORLD, &req[size + p]));
    MPI_Status *st = malloc(sizeof(MPI_Status) * 2 * size);
    CHECK_MPI(MPI_Waitall(2 * size, req, st));
    long sum = 0;
    int ok = 1;
    for (int p = 0; p < size; p++) {
        ok &= st[p].MPI_SOURCE == p;
        for (int i = 0; i < n; i++) {
            ok &= in[p * n + i] == p * 1000000 + rank * 1000 + i;
            sum += in[p * n + i] % 9973;
        }
    }
    for (int k = 0; k < 2 * size; k++)
        ok &= req[k] == MPI_REQUEST_NULL;
    char line[128];
    snprintf(line, sizeof line, "rank %d: checksum %ld %s", rank, sum, ok ? "ok" : "BAD");
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}

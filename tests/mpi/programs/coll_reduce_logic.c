/* coll_reduce_logic: the logical operations on C _Bool and ints, the bitwise ones on MPI_BYTE and
 * unsigned types, and the integer sums that wrap around.
 * ranks: 3 4 */
#include <stdbool.h>
#include <stdint.h>

#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    bool b[3] = {true, rank % 2 == 0, rank == 0}, rb[3];
    MPI_Op lops[] = {MPI_LAND, MPI_LOR, MPI_LXOR};
    for (int o = 0; o < 3; o++) {
        CHECK_MPI(MPI_Allreduce(b, rb, 3, MPI_C_BOOL, lops[o], MPI_COMM_WORLD));
        if (rank == 0) printf("bool op %d: %d %d %d\n", o, rb[0], rb[1], rb[2]);
    }
    unsigned char by[2] = {(unsigned char)(1u << rank), (unsigned char)(0xFF ^ (1u << rank))},
                  rby[2];
    MPI_Op bops[] = {MPI_BAND, MPI_BOR, MPI_BXOR};
    for (int o = 0; o < 3; o++) {
        CHECK_MPI(MPI_Allreduce(by, rby, 2, MPI_BYTE, bops[o], MPI_COMM_WORLD));
        if (rank == 0) printf("byte op %d: %02x %02x\n", o, rby[0], rby[1]);
    }
    int32_t big = INT32_MAX - 1, rbig;
    CHECK_MPI(MPI_Allreduce(&big, &rbig, 1, MPI_INT32_T, MPI_SUM, MPI_COMM_WORLD));
    uint8_t w = 250, rw;
    CHECK_MPI(MPI_Allreduce(&w, &rw, 1, MPI_UINT8_T, MPI_SUM, MPI_COMM_WORLD));
    int x = rank + 1, rx;
    CHECK_MPI(MPI_Allreduce(&x, &rx, 1, MPI_INT, MPI_LXOR, MPI_COMM_WORLD));
    if (rank == 0) printf("wrap %d %u lxor %d\n", (int)rbig, rw, rx);
    MPI_Finalize();
    return 0;
}

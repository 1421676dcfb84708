/* coll_reduce_int: every predefined operation that applies to integers (MAX MIN SUM PROD LAND LOR
 * LXOR BAND BOR BXOR) on signed and unsigned types of every width, reduced to rank 0.
 * ranks: 1 3 8 */
#include <stdint.h>

#include "check.h"

static const char *op_names[] = {"MAX", "MIN",  "SUM",  "PROD", "LAND",
                                 "LOR", "LXOR", "BAND", "BOR",  "BXOR"};

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Op ops[] = {MPI_MAX, MPI_MIN,  MPI_SUM,  MPI_PROD, MPI_LAND,
                    MPI_LOR, MPI_LXOR, MPI_BAND, MPI_BOR,  MPI_BXOR};
    for (int o = 0; o < 10; o++) {
        int v[4] = {rank + 1, -rank - 2, (rank * 5) % 7, rank == 1 ? 0 : 3}, r[4];
        CHECK_MPI(MPI_Reduce(v, r, 4, MPI_INT, ops[o], 0, MPI_COMM_WORLD));
        signed char sc[2] = {(signed char)(rank - 3), (signed char)(rank * 3)}, rsc[2];
        CHECK_MPI(MPI_Reduce(sc, rsc, 2, MPI_SIGNED_CHAR, ops[o], 0, MPI_COMM_WORLD));
        short sh[2] = {(short)(rank * 1000 - 3000), (short)(rank | 8)}, rsh[2];
        CHECK_MPI(MPI_Reduce(sh, rsh, 2, MPI_SHORT, ops[o], 0, MPI_COMM_WORLD));
        long long ll[2] = {(long long)rank << 33, -(long long)rank * 7}, rll[2];
        CHECK_MPI(MPI_Reduce(ll, rll, 2, MPI_LONG_LONG, ops[o], 0, MPI_COMM_WORLD));
        unsigned u[2] = {0xF0F0F0F0u >> rank, (unsigned)rank * 3u + 1u}, ru[2];
        CHECK_MPI(MPI_Reduce(u, ru, 2, MPI_UNSIGNED, ops[o], 0, MPI_COMM_WORLD));
        unsigned char uc[2] = {(unsigned char)(200 + rank), (unsigned char)(1 << (rank % 8))},
                      ruc[2];
        CHECK_MPI(MPI_Reduce(uc, ruc, 2, MPI_UNSIGNED_CHAR, ops[o], 0, MPI_COMM_WORLD));
        unsigned short us[1] = {(unsigned short)(60000 + rank)}, rus[1];
        CHECK_MPI(MPI_Reduce(us, rus, 1, MPI_UNSIGNED_SHORT, ops[o], 0, MPI_COMM_WORLD));
        unsigned long long ull[1] = {0xFFFFFFFFFFull + (unsigned long long)rank}, rull[1];
        CHECK_MPI(MPI_Reduce(ull, rull, 1, MPI_UNSIGNED_LONG_LONG, ops[o], 0, MPI_COMM_WORLD));
        int8_t i8[1] = {(int8_t)(rank - 1)}, ri8[1];
        CHECK_MPI(MPI_Reduce(i8, ri8, 1, MPI_INT8_T, ops[o], 0, MPI_COMM_WORLD));
        int64_t i64[1] = {(int64_t)rank * 1000000007}, ri64[1];
        CHECK_MPI(MPI_Reduce(i64, ri64, 1, MPI_INT64_T, ops[o], 0, MPI_COMM_WORLD));
        uint32_t u32[1] = {0x80000000u | (uint32_t)rank}, ru32[1];
        CHECK_MPI(MPI_Reduce(u32, ru32, 1, MPI_UINT32_T, ops[o], 0, MPI_COMM_WORLD));
        uint16_t u16[1] = {(uint16_t)(rank * 4099)}, ru16[1];
        CHECK_MPI(MPI_Reduce(u16, ru16, 1, MPI_UINT16_T, ops[o], 0, MPI_COMM_WORLD));
        if (rank == 0)
            printf("%-4s int %d %d %d %d | schar %d %d | short %d %d | ll %lld %lld | uns %u %u | "
                   "uchar %u %u | ushort %u | ull %llu | i8 %d | i64 %lld | u32 %u | u16 %u\n",
                   op_names[o], r[0], r[1], r[2], r[3], rsc[0], rsc[1], rsh[0], rsh[1], rll[0],
                   rll[1], ru[0], ru[1], ruc[0], ruc[1], rus[0], rull[0], ri8[0],
                   (long long)ri64[0], ru32[0], ru16[0]);
    }
    MPI_Finalize();
    return 0;
}

/*
 * alltoall — an all-to-all microbenchmark: MPI_Alltoall with blocks of 8 B to 64 KiB per pair of
 * ranks, many repetitions per size, every received block checked. The time is the sum over sizes.
 *
 * Arguments: iterations=K per size (default 200), max=BYTES (largest block, default 65536).
 */
#include "kernel.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int iters = (int)kernel_arg(argc, argv, "iterations", 200);
    long max = kernel_arg(argc, argv, "max", 65536);
    unsigned char *s = malloc((size_t)max * size), *r = malloc((size_t)max * size);
    int ok = 1;
    double total = 0;
    char details[256];
    int n = snprintf(details, sizeof details, "us/call:");
    for (long b = 8; b <= max; b *= 4) {
        for (int p = 0; p < size; p++)
            for (long k = 0; k < b; k++)
                s[p * b + k] = (unsigned char)(rank * 31 + p * 7 + k);
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        for (int it = 0; it < iters; it++)
            MPI_Alltoall(s, (int)b, MPI_BYTE, r, (int)b, MPI_BYTE, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        double t = MPI_Wtime() - t0;
        total += t;
        for (int p = 0; p < size; p++)
            for (long k = 0; k < b; k++)
                ok &= r[p * b + k] == (unsigned char)(p * 31 + rank * 7 + k);
        if (n < (int)sizeof details - 24)
            n += snprintf(details + n, sizeof details - n, " %ldB=%.1f", b, t / iters * 1e6);
    }
    int rc = kernel_result("alltoall", total, ok, details);
    free(s);
    free(r);
    MPI_Finalize();
    return rc;
}

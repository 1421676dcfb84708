/*
 * nstream — a STREAM-like triad A += B + scalar * C on vectors distributed over the ranks (each
 * rank its own part), with a barrier per iteration; the checksum of A, reduced over the ranks,
 * has a closed form: the check. Memory bandwidth bound: it measures how close a cell's loads and
 * stores are to native ones.
 *
 * Arguments: length=N (total, default 8M) iterations=K (default 30).
 */
#include <math.h>

#include "kernel.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long total = kernel_arg(argc, argv, "length", 8 << 20);
    int iters = (int)kernel_arg(argc, argv, "iterations", 30);
    long n = total / size;
    double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n),
           *c = malloc(sizeof(double) * n);
    for (long i = 0; i < n; i++)
        a[i] = 0, b[i] = 2, c[i] = 2;
    double scalar = 3;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int it = 0; it < iters; it++) {
        for (long i = 0; i < n; i++)
            a[i] += b[i] + scalar * c[i];
        MPI_Barrier(MPI_COMM_WORLD);
    }
    double t = MPI_Wtime() - t0;
    double local = 0, sum;
    for (long i = 0; i < n; i++)
        local += a[i];
    MPI_Allreduce(&local, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    double expect = (double)iters * (2 + scalar * 2) * (double)n * size;
    char details[128];
    snprintf(details, sizeof details, "length %ld checksum %.1f expected %.1f bandwidth %.1f GB/s",
             n * size, sum, expect, 4.0 * 8 * n * size * iters / t / 1e9);
    int rc = kernel_result("nstream", t, fabs(sum - expect) <= 1e-9 * expect, details);
    free(a), free(b), free(c);
    MPI_Finalize();
    return rc;
}

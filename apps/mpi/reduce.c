/*
 * reduce — vector reductions: every rank adds two local vectors and the sums are reduced to rank 0
 * with MPI_Reduce, then broadcast back with the next iteration's increment (an Allreduce-heavy
 * pattern as in iterative solvers). Values stay small integers, so the result is exact whatever
 * the reduction order: the check.
 *
 * Arguments: length=N (default 1M) iterations=K (default 40).
 */
#include <math.h>

#include "kernel.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long n = kernel_arg(argc, argv, "length", 1 << 20);
    int iters = (int)kernel_arg(argc, argv, "iterations", 40);
    double *v1 = malloc(sizeof(double) * n), *v2 = malloc(sizeof(double) * n),
           *r = malloc(sizeof(double) * n);
    for (long i = 0; i < n; i++)
        v1[i] = rank, v2[i] = 1;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int it = 0; it < iters; it++) {
        for (long i = 0; i < n; i++)
            v1[i] += v2[i];
        MPI_Reduce(v1, r, (int)n, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
        if (rank == 0)
            for (long i = 0; i < n; i++)
                r[i] = fmod(r[i], 1024.0);
        MPI_Bcast(r, (int)n, MPI_DOUBLE, 0, MPI_COMM_WORLD);
        for (long i = 0; i < n; i++)
            v2[i] = r[i] > 512 ? 1 : 2;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double t = MPI_Wtime() - t0;
    /* serial replay of one element (all elements evolve identically) */
    double e1[64], e2 = 1, er = 0;
    int ok = size <= 64;
    for (int p = 0; p < size && ok; p++)
        e1[p] = p;
    for (int it = 0; it < iters && ok; it++) {
        er = 0;
        for (int p = 0; p < size; p++)
            er += e1[p] += e2;
        er = fmod(er, 1024.0);
        e2 = er > 512 ? 1 : 2;
    }
    for (long i = 0; i < n; i++)
        ok &= r[i] == er && v2[i] == e2;
    char details[96];
    snprintf(details, sizeof details, "length %ld value %.0f expected %.0f", n, r[0], er);
    int rc = kernel_result("reduce", t, ok, details);
    free(v1), free(v2), free(r);
    MPI_Finalize();
    return rc;
}

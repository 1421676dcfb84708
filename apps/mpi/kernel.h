/*
 * kernel.h — what the MPI kernels of apps/mpi share: reading "NAME=VALUE" size arguments with
 * defaults, and the one result line every kernel prints on rank 0:
 *
 *     RESULT <kernel> ranks <N> time <seconds of the timed region> <ok|FAILED> <details>
 *
 * which bench/mpi/run.sh parses. The timed region is the kernel's iterations (not setup or
 * verification), measured with MPI_Wtime on rank 0 between two barriers. Every kernel builds from
 * the same source with OpenMPI's mpicc and with granny-cc, and checks its own result; the exit
 * status is non-zero when the check fails.
 */
#ifndef GRANNY_APPS_MPI_KERNEL_H
#define GRANNY_APPS_MPI_KERNEL_H

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of "name=VALUE" among the arguments, or dflt. */
static inline long kernel_arg(int argc, char **argv, const char *name, long dflt) {
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], name, n) && argv[i][n] == '=') return atol(argv[i] + n + 1);
    return dflt;
}

static inline int kernel_result(const char *kernel, double seconds, int ok, const char *details) {
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int all_ok;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("RESULT %s ranks %d time %.6f %s %s\n", kernel, size, seconds,
               all_ok ? "ok" : "FAILED", details);
        fflush(stdout);
    }
    return all_ok ? 0 : 1;
}

#endif

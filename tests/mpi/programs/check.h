/*
 * check.h — shared by the MPI test programs: CHECK(cond) prints the failing condition with the
 * rank and aborts the world (so both OpenMPI and Granny exit non-zero), and small helpers to
 * print per-rank lines in rank order.
 *
 * Every program builds unchanged with OpenMPI's mpicc and with granny-cc; its stdout must not
 * depend on the implementation (no sizes of long, no library strings, exact arithmetic only).
 */
#ifndef GRANNY_TEST_CHECK_H
#define GRANNY_TEST_CHECK_H

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            int check_rank_;                                                                       \
            MPI_Comm_rank(MPI_COMM_WORLD, &check_rank_);                                           \
            printf("rank %d: CHECK failed at line %d: %s\n", check_rank_, __LINE__, #cond);        \
            fflush(stdout);                                                                        \
            MPI_Abort(MPI_COMM_WORLD, 99);                                                         \
        }                                                                                          \
    } while (0)

#define CHECK_MPI(call) CHECK((call) == MPI_SUCCESS)

/* Rank 0 prints one line per rank, in rank order (each rank passes its own line). */
static inline void print_ordered(const char *line, MPI_Comm comm) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    char buf[256];
    memset(buf, 0, sizeof buf);
    strncpy(buf, line, sizeof buf - 1);
    char *all = rank == 0 ? malloc((size_t)size * sizeof buf) : NULL;
    MPI_Gather(buf, (int)sizeof buf, MPI_CHAR, all, (int)sizeof buf, MPI_CHAR, 0, comm);
    if (rank == 0) {
        for (int i = 0; i < size; i++)
            printf("%s\n", all + (size_t)i * sizeof buf);
        free(all);
    }
    fflush(stdout);
}

#endif

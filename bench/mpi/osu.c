/*
 * osu.c — OSU-style MPI micro-benchmarks (our own code, following the OSU benchmarks' published
 * method): one source for OpenMPI's mpicc and for granny-cc.
 *
 *   osu latency     ping-pong between ranks 0 and 1, one-way latency in us (8 B .. 4 MiB)
 *   osu bandwidth   rank 0 streams a window of 64 nonblocking sends to rank 1, which answers with a
 *                   one-byte ack; bandwidth in MB/s (8 B .. 4 MiB)
 *   osu allreduce   MPI_Allreduce of doubles, us per call (8 B .. 1 MiB)
 *   osu alltoall    MPI_Alltoall, us per call (8 B .. 64 KiB per pair)
 *   osu barrier     MPI_Barrier, us per call
 *
 * `osu <test> <max>` stops latency and bandwidth at <max> bytes.
 *
 * Each size runs a warm-up and then enough iterations to last ~0.1 s (fewer for large sizes); the
 * line printed by rank 0 is "osu <test> <bytes> <value>".
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int iterations_for(long bytes) {
    if (bytes <= 8192) return 10000;
    if (bytes <= 65536) return 2000;
    if (bytes <= 1 << 20) return 200;
    return 50;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const char *test = argc > 1 ? argv[1] : "latency";
    long max = 4 << 20; /* an optional second argument lowers the largest size */
    if (argc > 2 && atol(argv[2]) >= 8 && atol(argv[2]) < max) max = atol(argv[2]);
    char *s = malloc(max * (size > 2 ? size : 2)), *r = malloc(max * (size > 2 ? size : 2));
    memset(s, 1, max * (size > 2 ? size : 2));
    memset(r, 0, max * (size > 2 ? size : 2));
    if (!strcmp(test, "latency") && size >= 2) {
        for (long b = 8; b <= max; b *= 2) {
            int iters = iterations_for(b), warm = iters / 10;
            double t0 = 0;
            for (int i = 0; i < iters + warm; i++) {
                if (i == warm) {
                    MPI_Barrier(MPI_COMM_WORLD);
                    t0 = MPI_Wtime();
                }
                if (rank == 0) {
                    MPI_Send(s, (int)b, MPI_CHAR, 1, 1, MPI_COMM_WORLD);
                    MPI_Recv(r, (int)b, MPI_CHAR, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                } else if (rank == 1) {
                    MPI_Recv(r, (int)b, MPI_CHAR, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                    MPI_Send(s, (int)b, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
                }
            }
            double t = MPI_Wtime() - t0;
            if (rank == 0) printf("osu latency %ld %.3f\n", b, t / iters / 2 * 1e6);
        }
    } else if (!strcmp(test, "bandwidth") && size >= 2) {
        enum { WINDOW = 64 };
        MPI_Request req[WINDOW];
        for (long b = 8; b <= max; b *= 2) {
            /* the first size also warms up (page faults, first contact between the ranks) */
            int iters = iterations_for(b) / (b <= 16384 ? 5 : 20) + 5, warm = b == 8 ? 200 : 2;
            long window_bytes = b * WINDOW;
            char *big = rank <= 1 ? malloc(window_bytes) : NULL;
            if (big) memset(big, 2, window_bytes);
            double t0 = 0;
            for (int i = 0; i < iters + warm; i++) {
                if (i == warm) {
                    MPI_Barrier(MPI_COMM_WORLD);
                    t0 = MPI_Wtime();
                }
                char ack;
                if (rank == 0) {
                    for (int w = 0; w < WINDOW; w++)
                        MPI_Isend(big + w * b, (int)b, MPI_CHAR, 1, 2, MPI_COMM_WORLD, &req[w]);
                    MPI_Waitall(WINDOW, req, MPI_STATUSES_IGNORE);
                    MPI_Recv(&ack, 1, MPI_CHAR, 1, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                } else if (rank == 1) {
                    for (int w = 0; w < WINDOW; w++)
                        MPI_Irecv(big + w * b, (int)b, MPI_CHAR, 0, 2, MPI_COMM_WORLD, &req[w]);
                    MPI_Waitall(WINDOW, req, MPI_STATUSES_IGNORE);
                    MPI_Send(&ack, 1, MPI_CHAR, 0, 3, MPI_COMM_WORLD);
                }
            }
            double t = MPI_Wtime() - t0;
            if (rank == 0)
                printf("osu bandwidth %ld %.1f\n", b, (double)window_bytes * iters / t / 1e6);
            free(big);
        }
    } else if (!strcmp(test, "allreduce")) {
        for (long b = 8; b <= 1 << 20; b *= 4) {
            int iters = iterations_for(b) / 2 + 10, warm = iters / 10 + 1;
            double t0 = 0;
            for (int i = 0; i < iters + warm; i++) {
                if (i == warm) {
                    MPI_Barrier(MPI_COMM_WORLD);
                    t0 = MPI_Wtime();
                }
                MPI_Allreduce(s, r, (int)(b / 8), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
            }
            double t = MPI_Wtime() - t0;
            if (rank == 0) printf("osu allreduce %ld %.3f\n", b, t / iters * 1e6);
        }
    } else if (!strcmp(test, "alltoall")) {
        for (long b = 8; b <= 65536; b *= 4) {
            int iters = iterations_for(b * size) / 2 + 10, warm = iters / 10 + 1;
            double t0 = 0;
            for (int i = 0; i < iters + warm; i++) {
                if (i == warm) {
                    MPI_Barrier(MPI_COMM_WORLD);
                    t0 = MPI_Wtime();
                }
                MPI_Alltoall(s, (int)b, MPI_CHAR, r, (int)b, MPI_CHAR, MPI_COMM_WORLD);
            }
            double t = MPI_Wtime() - t0;
            if (rank == 0) printf("osu alltoall %ld %.3f\n", b, t / iters * 1e6);
        }
    } else if (!strcmp(test, "barrier")) {
        int iters = 20000;
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        for (int i = 0; i < iters; i++)
            MPI_Barrier(MPI_COMM_WORLD);
        double t = MPI_Wtime() - t0;
        if (rank == 0) printf("osu barrier 0 %.3f\n", t / iters * 1e6);
    } else if (rank == 0) {
        printf("usage: osu latency|bandwidth|allreduce|alltoall|barrier (latency and bandwidth "
               "need 2 ranks)\n");
    }
    free(s);
    free(r);
    MPI_Finalize();
    return 0;
}

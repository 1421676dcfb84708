/* user_op_trap: a user reduction function that traps (an unreachable instruction) ends the world
 * with a trap message naming the rank; the other ranks, blocked in the reduction, end too.
 * ranks: 3
 * exit: 134
 * stderr: trap */
#include <mpi.h>
#include <stdio.h>

static void bad(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)in, (void)inout, (void)len, (void)dt;
    __builtin_trap();
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    MPI_Op op;
    MPI_Op_create(bad, 1, &op);
    int v = 1, r;
    MPI_Allreduce(&v, &r, 1, MPI_INT, op, MPI_COMM_WORLD);
    printf("not reached\n");
    MPI_Finalize();
    return 0;
}

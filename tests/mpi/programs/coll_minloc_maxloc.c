/* coll_minloc_maxloc: MPI_MINLOC and MPI_MAXLOC on every pair type (float, double, long, int,
 * short, long double with an int index), ties broken by the lowest index.
 * ranks: 4 6 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    struct {
        float v;
        int i;
    } f[2] = {{(float)((rank * 3) % size), rank}, {1.0f, rank}}, rf[2];
    struct {
        double v;
        int i;
    } d[2] = {{-(double)((rank * 5) % 7), rank}, {2.5, rank}}, rd[2];
    struct {
        long v;
        int i;
    } l = {(long)(rank % 3), rank}, rl;
    struct {
        int v;
        int i;
    } ii[2] = {{rank / 2, rank}, {100 - rank, rank}}, ri[2];
    struct {
        short v;
        int i;
    } s = {(short)(rank % 2 ? -rank : rank), rank}, rs;
    struct {
        long double v;
        int i;
    } q = {(long double)(rank % 4), rank}, rq;
    for (int m = 0; m < 2; m++) {
        MPI_Op op = m ? MPI_MAXLOC : MPI_MINLOC;
        CHECK_MPI(MPI_Allreduce(f, rf, 2, MPI_FLOAT_INT, op, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Allreduce(d, rd, 2, MPI_DOUBLE_INT, op, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Allreduce(&l, &rl, 1, MPI_LONG_INT, op, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Allreduce(ii, ri, 2, MPI_2INT, op, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Allreduce(&s, &rs, 1, MPI_SHORT_INT, op, MPI_COMM_WORLD));
        CHECK_MPI(MPI_Reduce(&q, &rq, 1, MPI_LONG_DOUBLE_INT, op, 0, MPI_COMM_WORLD));
        if (rank == 0)
            printf("%s: float (%g,%d) (%g,%d) double (%g,%d) (%g,%d) long (%ld,%d) 2int (%d,%d) "
                   "(%d,%d) "
                   "short (%d,%d) ldouble (%g,%d)\n",
                   m ? "MAXLOC" : "MINLOC", rf[0].v, rf[0].i, rf[1].v, rf[1].i, rd[0].v, rd[0].i,
                   rd[1].v, rd[1].i, rl.v, rl.i, ri[0].v, ri[0].i, ri[1].v, ri[1].i, rs.v, rs.i,
                   (double)rq.v, rq.i);
    }
    MPI_Finalize();
    return 0;
}

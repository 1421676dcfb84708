/* cart_periodic: a periodic ring and a periodic 2D torus; shifts by +-1 and +-2 wrap around;
 * MPI_Cart_rank folds out-of-range coordinates back in; data moves around the torus.
 * ranks: 3 5 6 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int d1[1] = {size}, p1[1] = {1};
    MPI_Comm ring;
    CHECK_MPI(MPI_Cart_create(MPI_COMM_WORLD, 1, d1, p1, 0, &ring));
    int s1, t1, s2, t2, far;
    MPI_Cart_shift(ring, 0, 1, &s1, &t1);
    MPI_Cart_shift(ring, 0, -2, &s2, &t2);
    int c[1] = {rank + 3 * size};
    MPI_Cart_rank(ring, c, &far);
    int dims[2] = {0, 0}, per[2] = {1, 1};
    MPI_Dims_create(size, 2, dims);
    MPI_Comm torus;
    CHECK_MPI(MPI_Cart_create(MPI_COMM_WORLD, 2, dims, per, 0, &torus));
    int src, dst, v = rank, got = -1;
    MPI_Cart_shift(torus, 1, 1, &src, &dst);
    CHECK_MPI(
        MPI_Sendrecv(&v, 1, MPI_INT, dst, 0, &got, 1, MPI_INT, src, 0, torus, MPI_STATUS_IGNORE));
    char line[128];
    snprintf(line, sizeof line, "rank %d: ring +1 (%d,%d) -2 (%d,%d) fold %d torus got %d", rank,
             s1, t1, s2, t2, far, got);
    print_ordered(line, MPI_COMM_WORLD);
    MPI_Comm_free(&ring);
    MPI_Comm_free(&torus);
    MPI_Finalize();
    return 0;
}

/* comm_compare: MPI_IDENT, MPI_CONGRUENT, MPI_SIMILAR and MPI_UNEQUAL between communicators, and
 * the same classes for groups.
 * ranks: 3 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm dup, rev, half;
    MPI_Comm_dup(MPI_COMM_WORLD, &dup);
    MPI_Comm_split(MPI_COMM_WORLD, 0, size - rank, &rev);
    MPI_Comm_split(MPI_COMM_WORLD, rank == 0, 0, &half);
    int a, b, c, d, e;
    MPI_Comm_compare(MPI_COMM_WORLD, MPI_COMM_WORLD, &a);
    MPI_Comm_compare(MPI_COMM_WORLD, dup, &b);
    MPI_Comm_compare(MPI_COMM_WORLD, rev, &c);
    MPI_Comm_compare(MPI_COMM_WORLD, half, &d);
    MPI_Comm_compare(MPI_COMM_SELF, MPI_COMM_WORLD, &e);
    MPI_Group g1, g2, g3;
    MPI_Comm_group(MPI_COMM_WORLD, &g1);
    MPI_Comm_group(rev, &g2);
    MPI_Comm_group(half, &g3);
    int ga, gb, gc;
    MPI_Group_compare(g1, g1, &ga);
    MPI_Group_compare(g1, g2, &gb);
    MPI_Group_compare(g1, g3, &gc);
    if (rank == 0) {
        printf("comm: ident %d congruent %d similar %d unequal %d self %d\n", a == MPI_IDENT,
               b == MPI_CONGRUENT, c == MPI_SIMILAR, d == MPI_UNEQUAL, e == MPI_UNEQUAL);
        printf("group: ident %d similar %d unequal %d\n", ga == MPI_IDENT, gb == MPI_SIMILAR,
               gc == MPI_UNEQUAL);
    }
    MPI_Group_free(&g1);
    MPI_Group_free(&g2);
    MPI_Group_free(&g3);
    MPI_Comm_free(&dup);
    MPI_Comm_free(&rev);
    MPI_Comm_free(&half);
    MPI_Finalize();
    return 0;
}

/* group_ops: group constructors and queries — incl, excl, range_incl, range_excl, union,
 * intersection, difference, translate_ranks, size and rank (MPI_UNDEFINED outside).
 * ranks: 5 8 */
#include "check.h"

static void show(const char *name, MPI_Group g, MPI_Group world) {
    int n, r;
    MPI_Group_size(g, &n);
    MPI_Group_rank(g, &r);
    int idx[16], w[16];
    for (int i = 0; i < n; i++)
        idx[i] = i;
    MPI_Group_translate_ranks(g, n, idx, world, w);
    printf("%-12s size %d my rank %s:", name, n, r == MPI_UNDEFINED ? "undef" : "def");
    for (int i = 0; i < n; i++)
        printf(" %d", w[i]);
    printf("\n");
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Group world, a, b, u, in, df, ri, re;
    MPI_Comm_group(MPI_COMM_WORLD, &world);
    int odd[4], no = 0;
    for (int i = 1; i < size && no < 4; i += 2)
        odd[no++] = i;
    MPI_Group_incl(world, no, odd, &a);
    int first3[3] = {0, 1, 2};
    MPI_Group_excl(world, 3, first3, &b);
    MPI_Group_union(a, b, &u);
    MPI_Group_intersection(a, b, &in);
    MPI_Group_difference(world, a, &df);
    int r1[1][3] = {{size - 1, 0, -2}};
    MPI_Group_range_incl(world, 1, r1, &ri);
    int r2[1][3] = {{0, size - 1, 3}};
    MPI_Group_range_excl(world, 1, r2, &re);
    if (rank == 0) {
        show("odd", a, world);
        show("not first 3", b, world);
        show("union", u, world);
        show("intersection", in, world);
        show("difference", df, world);
        show("range incl", ri, world);
        show("range excl", re, world);
        int x[2] = {0, MPI_PROC_NULL}, y[2];
        MPI_Group_translate_ranks(world, 2, x, a, y);
        printf("translate: %s %s\n", y[0] == MPI_UNDEFINED ? "undef" : "def",
               y[1] == MPI_PROC_NULL ? "proc_null" : "?");
        int es;
        MPI_Group_size(MPI_GROUP_EMPTY, &es);
        printf("empty size %d\n", es);
    }
    MPI_Group gs[] = {world, a, b, u, in, df, ri, re};
    for (int i = 0; i < 8; i++)
        MPI_Group_free(&gs[i]);
    MPI_Finalize();
    return 0;
}

/* type_extents: sizes, lower bounds and extents of derived types (vector, indexed with a hole
 * first, struct padding, resized, dup), true extents, and the type envelopes.
 * ranks: 1 */
#include "check.h"

static void show(const char *name, MPI_Datatype t) {
    int size, ni, na, nt, comb;
    MPI_Aint lb, ext, tlb, text;
    MPI_Type_size(t, &size);
    MPI_Type_get_extent(t, &lb, &ext);
    MPI_Type_get_true_extent(t, &tlb, &text);
    MPI_Type_get_envelope(t, &ni, &na, &nt, &comb);
    printf("%-10s size %3d lb %3ld extent %3ld true lb %3ld true extent %3ld combiner %d ints %d "
           "types %d\n",
           name, size, (long)lb, (long)ext, (long)tlb, (long)text, comb, ni, nt);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    MPI_Datatype v, idx, st, rs, dup, cont;
    MPI_Type_vector(3, 2, 5, MPI_INT, &v);
    int bl[2] = {2, 1}, dp[2] = {3, 10};
    MPI_Type_indexed(2, bl, dp, MPI_SHORT, &idx);
    int sbl[3] = {1, 1, 1};
    MPI_Aint sdp[3] = {0, 8, 16};
    MPI_Datatype sty[3] = {MPI_DOUBLE, MPI_INT, MPI_CHAR};
    MPI_Type_create_struct(3, sbl, sdp, sty, &st);
    MPI_Type_create_resized(MPI_INT, -4, 16, &rs);
    MPI_Type_dup(v, &dup);
    MPI_Type_contiguous(4, rs, &cont);
    show("vector", v);
    show("indexed", idx);
    show("struct", st);
    show("resized", rs);
    show("dup", dup);
    show("contig", cont);
    show("MPI_INT", MPI_INT);
    show("DOUBLE_INT", MPI_DOUBLE_INT);
    show("2INT", MPI_2INT);
    MPI_Datatype all[] = {v, idx, st, rs, dup, cont};
    for (int i = 0; i < 6; i++)
        MPI_Type_free(&all[i]);
    MPI_Finalize();
    return 0;
}

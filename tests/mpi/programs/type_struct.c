/* type_struct: a C struct {int id; double pos[3]; char tag;} described with
 * MPI_Type_create_struct (offsets from MPI_Get_address), resized to the C extent, sent as an
 * array and gathered.
 * ranks: 2 4 */
#include "check.h"

typedef struct particle {
    int id;
    double pos[3];
    char tag;
} particle;

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    particle p[2];
    MPI_Aint base, a[3];
    MPI_Get_address(&p[0], &base);
    MPI_Get_address(&p[0].id, &a[0]);
    MPI_Get_address(&p[0].pos, &a[1]);
    MPI_Get_address(&p[0].tag, &a[2]);
    for (int i = 0; i < 3; i++)
        a[i] = MPI_Aint_diff(a[i], base);
    int bl[3] = {1, 3, 1};
    MPI_Datatype ty[3] = {MPI_INT, MPI_DOUBLE, MPI_CHAR}, st, pt;
    CHECK_MPI(MPI_Type_create_struct(3, bl, a, ty, &st));
    CHECK_MPI(MPI_Type_create_resized(st, 0, sizeof(particle), &pt));
    CHECK_MPI(MPI_Type_commit(&pt));
    int tsize;
    MPI_Type_size(pt, &tsize);
    for (int k = 0; k < 2; k++) {
        p[k].id = rank * 10 + k;
        for (int d = 0; d < 3; d++)
            p[k].pos[d] = rank + 0.5 * d + k;
        p[k].tag = (char)('a' + rank + k);
    }
    particle *all = malloc(sizeof(particle) * 2 * size);
    CHECK_MPI(MPI_Gather(p, 2, pt, all, 2, pt, 0, MPI_COMM_WORLD));
    if (rank == 0) {
        printf("type size %d\n", tsize);
        for (int i = 0; i < 2 * size; i++)
            printf("id %d pos %g %g %g tag %c\n", all[i].id, all[i].pos[0], all[i].pos[1],
                   all[i].pos[2], all[i].tag);
    }
    MPI_Type_free(&st);
    MPI_Type_free(&pt);
    MPI_Finalize();
    return 0;
}

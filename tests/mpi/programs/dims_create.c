/* dims_create: MPI_Dims_create for 1..64 nodes in 1 to 4 dimensions, and with some dimensions
 * fixed.
 * ranks: 1 */
#include "check.h"

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    for (int nd = 1; nd <= 4; nd++) {
        for (int n = 1; n <= 64; n++) {
            int d[4] = {0, 0, 0, 0};
            CHECK_MPI(MPI_Dims_create(n, nd, d));
            printf("%2d in %d:", n, nd);
            for (int k = 0; k < nd; k++)
                printf(" %d", d[k]);
            printf("\n");
        }
    }
    int fixed[3] = {0, 3, 0};
    MPI_Dims_create(24, 3, fixed);
    printf("24 with 3 fixed: %d %d %d\n", fixed[0], fixed[1], fixed[2]);
    int f2[2] = {2, 0};
    MPI_Dims_create(10, 2, f2);
    printf("10 with 2 fixed: %d %d\n", f2[0], f2[1]);
    MPI_Finalize();
    return 0;
}

/* proc_bind clause and the place queries (no binding in cells; the program runs the same). */
#include "omp_test.h"

int main(void) {
    int n = 0;
#pragma omp parallel proc_bind(close) reduction(+ : n)
    n++;
#pragma omp parallel proc_bind(spread) reduction(+ : n)
    n++;
    printf("regions ran %d\n", n == 2 * omp_get_max_threads());
    return 0;
}

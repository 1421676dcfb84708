/* atomic update on long double and on a struct: clang calls the __atomic_* library functions. */
#include "omp_test.h"

#pragma clang diagnostic ignored "-Watomic-alignment"

int main(void) {
    long double x = 0;
#pragma omp parallel
    {
        for (int k = 0; k < 2000; k++) {
#pragma omp atomic
            x += 1.0L;
        }
    }
    long double y;
#pragma omp atomic read
    y = x;
    printf("x %.1f\n", (double)(y / omp_get_max_threads()));
    struct big {
        int v[6];
    } b = {{1, 2, 3, 4, 5, 6}}, got;
    __atomic_load(&b, &got, __ATOMIC_SEQ_CST);
    struct big nb = {{9, 9, 9, 9, 9, 9}};
    int ok = __atomic_compare_exchange(&b, &got, &nb, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    struct big other = {{0}};
    int ok2 = __atomic_compare_exchange(&b, &other, &got, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    struct big old;
    __atomic_exchange(&b, &got, &old, __ATOMIC_SEQ_CST);
    __atomic_store(&b, &nb, __ATOMIC_SEQ_CST);
    printf("cas %d %d other[0] %d old[0] %d b[5] %d\n", ok, ok2, other.v[0], old.v[0], b.v[5]);
    return 0;
}

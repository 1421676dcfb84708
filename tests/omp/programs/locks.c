/* omp_lock_t: set/unset/test from every thread. */
#include "omp_test.h"

int main(void) {
    omp_lock_t lock;
    omp_init_lock(&lock);
    long counter = 0;
    int tested = 0;
#pragma omp parallel reduction(+ : tested)
    {
        for (int i = 0; i < 20000; i++) {
            omp_set_lock(&lock);
            counter++;
            omp_unset_lock(&lock);
        }
        while (!omp_test_lock(&lock)) {
        }
        counter += 1000000;
        tested++;
        omp_unset_lock(&lock);
    }
    printf("counter per thread %ld tested all %d\n", counter / omp_get_max_threads(),
           tested == omp_get_max_threads());
    omp_set_lock(&lock);
    printf("test while held: %d\n", omp_test_lock(&lock));
    omp_unset_lock(&lock);
    omp_destroy_lock(&lock);
    omp_lock_t hinted;
    omp_init_lock_with_hint(&hinted, omp_sync_hint_uncontended);
    omp_set_lock(&hinted);
    omp_unset_lock(&hinted);
    omp_destroy_lock(&hinted);
    printf("hinted ok\n");
    return 0;
}

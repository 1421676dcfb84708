/* omp_nest_lock_t: recursive acquisition; test returns the nesting depth. */
#include "omp_test.h"

static omp_nest_lock_t lock;
static long counter;

static void recurse(int depth) {
    omp_set_nest_lock(&lock);
    counter++;
    if (depth > 0) recurse(depth - 1);
    omp_unset_nest_lock(&lock);
}

int main(void) {
    omp_init_nest_lock(&lock);
#pragma omp parallel
    {
        for (int i = 0; i < 2000; i++)
            recurse(3);
    }
    printf("counter per thread %ld\n", counter / omp_get_max_threads());
    int d1 = omp_test_nest_lock(&lock);
    int d2 = omp_test_nest_lock(&lock);
    int other = -1;
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == omp_get_num_threads() - 1)
            other = omp_get_num_threads() == 2 ? omp_test_nest_lock(&lock) : 0;
    }
    omp_unset_nest_lock(&lock);
    omp_unset_nest_lock(&lock);
    printf("depths %d %d other %d\n", d1, d2, other);
    omp_destroy_nest_lock(&lock);
    return 0;
}

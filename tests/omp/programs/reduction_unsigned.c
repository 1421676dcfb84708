/* reductions on unsigned int and unsigned long long. */
#include "omp_test.h"

int main(void) {
    unsigned uadd = 0, umul = 1, uxor = 0, uand = ~0u, uor = 0, umax = 0, umin = ~0u;
    unsigned long long qadd = 0, qmax = 0, qmin = ~0ull, qsub = 0;
#pragma omp parallel for reduction(+ : uadd, qadd) reduction(* : umul) reduction(^ : uxor)     \
    reduction(& : uand) reduction(| : uor) reduction(max : umax, qmax) reduction(min : umin, qmin) \
    reduction(- : qsub)
    for (unsigned i = 0; i < 200; i++) {
        uadd += i * 3000000u;
        if (i % 50 == 1) umul *= 7;
        uxor ^= i * 2654435761u;
        uand &= ~(1u << (i % 31)) | (i > 100 ? ~0u : 0u);
        uor |= 1u << (i % 32);
        if (i * 13u % 200 > umax) umax = i * 13u % 200;
        if (i * 7u % 200 + 3 < umin) umin = i * 7u % 200 + 3;
        qadd += (unsigned long long)i << 40;
        if ((unsigned long long)i * 99991 > qmax) qmax = (unsigned long long)i * 99991;
        if ((unsigned long long)i + 5 < qmin) qmin = (unsigned long long)i + 5;
        qsub -= i;
    }
    printf("u + %u * %u ^ %u & %u | %u max %u min %u\n", uadd, umul, uxor, uand, uor, umax, umin);
    printf("ull + %llu max %llu min %llu - %llu\n", qadd, qmax, qmin, qsub);
    return 0;
}

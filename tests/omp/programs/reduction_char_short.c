/* reductions on char, short and unsigned char. */
#include "omp_test.h"

int main(void) {
    char cadd = 0, cmax = -100, cmin = 100, cxor = 0;
    short sadd = 0, smul = 1, sor = 0, sand = -1;
    unsigned char uadd = 0, umax = 0;
#pragma omp parallel for reduction(+ : cadd, sadd, uadd) reduction(max : cmax, umax)           \
    reduction(min : cmin) reduction(^ : cxor) reduction(* : smul) reduction(| : sor)           \
    reduction(& : sand)
    for (int i = 0; i < 100; i++) {
        cadd += (char)(i % 3);
        sadd += (short)i;
        uadd += (unsigned char)i;
        if ((char)(i % 50) > cmax) cmax = (char)(i % 50);
        if ((unsigned char)(i * 2) > umax) umax = (unsigned char)(i * 2);
        if ((char)(50 - i) < cmin) cmin = (char)(50 - i);
        cxor ^= (char)i;
        if (i % 25 == 0) smul *= 2;
        sor |= (short)(1 << (i % 12));
        sand &= (short)~(1 << (i % 5 + 8));
    }
    printf("char + %d max %d min %d ^ %d\n", cadd, cmax, cmin, cxor);
    printf("short + %d * %d | %d & %d\n", sadd, smul, sor, sand);
    printf("uchar + %u max %u\n", uadd, umax);
    return 0;
}

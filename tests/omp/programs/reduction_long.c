/* reductions on long and long long. */
#include "omp_test.h"

int main(void) {
    long ladd = 0, lmax = 0, lmin = 0;
    long long ll_add = 0, ll_mul = 1, ll_xor = 0, ll_and = -1, ll_or = 0;
    long long ll_land = 1, ll_lor = 0;
#pragma omp parallel for reduction(+ : ladd, ll_add) reduction(max : lmax) reduction(min : lmin) \
    reduction(* : ll_mul) reduction(^ : ll_xor) reduction(& : ll_and) reduction(| : ll_or)       \
    reduction(&& : ll_land) reduction(|| : ll_lor)
    for (long i = 0; i < 64; i++) {
        ladd += i * 1000L; /* long is 32 bits in wasm32 */
        if (i * 37 % 64 > lmax) lmax = i * 37 % 64;
        if (-(i * 11 % 64) < lmin) lmin = -(i * 11 % 64);
        ll_add += (long long)i << 33;
        if (i % 16 == 0) ll_mul *= 1000;
        ll_xor ^= (long long)i * 0x123456789LL;
        ll_and &= ~(1LL << i) | (i % 2 ? 0 : -1LL);
        ll_or |= 1LL << (i % 63);
        ll_land = ll_land && i < 64;
        ll_lor = ll_lor || i == 70;
    }
    printf("long + %ld max %ld min %ld\n", ladd, lmax, lmin);
    printf("ll + %lld * %lld ^ %lld & %lld | %lld && %lld || %lld\n", ll_add, ll_mul, ll_xor,
           ll_and, ll_or, ll_land, ll_lor);
    return 0;
}

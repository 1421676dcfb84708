/* atomic update, read, write, capture and compare on integer types. */
#include "omp_test.h"

int main(void) {
    int i32 = 0;
    long long i64 = 0;
    unsigned u32 = 0;
    short s16 = 0;
    char c8 = 0;
    int max = 0, captured_ok = 0;
    unsigned long long bits = 0;
#pragma omp parallel reduction(+ : captured_ok)
    {
        for (int k = 0; k < 10000; k++) {
#pragma omp atomic
            i32 += 2;
#pragma omp atomic update
            i64 += 3;
#pragma omp atomic
            u32 -= 1;
#pragma omp atomic
            s16++;
#pragma omp atomic
            c8 ^= 1;
            int v;
#pragma omp atomic capture
            v = i32++;
            captured_ok += v >= 0;
        }
#pragma omp atomic
        bits |= 1ull << omp_get_thread_num();
        int t = omp_get_thread_num() + 5;
#pragma omp atomic compare
        max = t > max ? t : max;
    }
    int r;
#pragma omp atomic read
    r = i32;
#pragma omp atomic write
    i32 = r + 1;
    printf("i32 %d i64 %lld u32 %u s16 %d c8 %d\n", i32, i64, u32, s16, c8);
    printf("captured %d bits %llu max %d\n", captured_ok, bits, max);
    return 0;
}

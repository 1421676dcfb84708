/* clock_cpu.c — process and thread CPU time advance while computing, and stay put-ish while
 * sleeping. */
#include <stdio.h>
#include <time.h>

static long long ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    long long p0 = ns(CLOCK_PROCESS_CPUTIME_ID), t0 = ns(CLOCK_THREAD_CPUTIME_ID);
    volatile unsigned long long x = 1;
    long long m0 = ns(CLOCK_MONOTONIC);
    while (ns(CLOCK_MONOTONIC) - m0 < 100000000) {
        for (int i = 0; i < 10000; i++)
            x = x * 6364136223846793005ull + 1442695040888963407ull;
    }
    long long p1 = ns(CLOCK_PROCESS_CPUTIME_ID), t1 = ns(CLOCK_THREAD_CPUTIME_ID);
    printf("process CPU time advanced: %s\n", p1 - p0 > 10000000 ? "yes" : "no");
    printf("thread CPU time advanced: %s\n", t1 - t0 > 10000000 ? "yes" : "no");
    struct timespec d = {0, 100000000};
    nanosleep(&d, NULL);
    long long t2 = ns(CLOCK_THREAD_CPUTIME_ID);
    printf("sleeping burns less than 50 ms of CPU: %s\n", t2 - t1 < 50000000 ? "yes" : "no");
    return x == 0;
}

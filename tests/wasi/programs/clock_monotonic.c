/* clock_monotonic.c — the monotonic clock never goes back, and a 50 ms sleep takes at least
 * 50 ms of it. */
#include <stdio.h>
#include <time.h>

static long long ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
    long long prev = ns(CLOCK_MONOTONIC);
    int backwards = 0;
    for (int i = 0; i < 100000; i++) {
        long long now = ns(CLOCK_MONOTONIC);
        backwards += now < prev;
        prev = now;
    }
    printf("went backwards %d times\n", backwards);
    long long t0 = ns(CLOCK_MONOTONIC);
    struct timespec d = {0, 50000000};
    nanosleep(&d, NULL);
    long long dt = ns(CLOCK_MONOTONIC) - t0;
    printf("slept at least 50 ms: %s\n", dt >= 50000000 ? "yes" : "no");
    printf("slept less than 5 s: %s\n", dt < 5000000000LL ? "yes" : "no");
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("resolution at most 1 ms: %s\n",
           res.tv_sec == 0 && res.tv_nsec <= 1000000 ? "yes" : "no");
    return 0;
}

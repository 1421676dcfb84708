/* poll_sleep.c — waiting: poll() with only a timeout, usleep, sleep(0), nanosleep, and
 * clock_nanosleep with an absolute deadline; each waits at least as asked. */
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long ms_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(void) {
    long long t = ms_now();
    int r = poll(NULL, 0, 30);
    printf("poll(timeout 30) = %d, waited >= 29 ms: %s\n", r, ms_now() - t >= 29 ? "yes" : "no");
    t = ms_now();
    usleep(20000);
    printf("usleep(20000) waited >= 19 ms: %s\n", ms_now() - t >= 19 ? "yes" : "no");
    t = ms_now();
    sleep(0);
    printf("sleep(0) returned quickly: %s\n", ms_now() - t < 1000 ? "yes" : "no");
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 40000000;
    if (now.tv_nsec >= 1000000000) {
        now.tv_sec++;
        now.tv_nsec -= 1000000000;
    }
    t = ms_now();
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now, NULL);
    printf("clock_nanosleep absolute = %d, waited >= 39 ms: %s\n", r,
           ms_now() - t >= 39 ? "yes" : "no");
    t = ms_now();
    r = poll(NULL, 0, 0);
    printf("poll(timeout 0) = %d\n", r);
    return 0;
}

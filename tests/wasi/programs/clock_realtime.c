/* clock_realtime.c — wall-clock time is plausible and agrees between time(), gettimeofday() and
 * clock_gettime(); gmtime/strftime work on a fixed timestamp. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void) {
    time_t t = time(NULL);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("after 2020: %s\n", t > 1577836800 ? "yes" : "no");
    long long d1 = (long long)tv.tv_sec - t, d2 = (long long)ts.tv_sec - t;
    printf("sources agree within 2 s: %s\n",
           d1 >= -2 && d1 <= 2 && d2 >= -2 && d2 <= 2 ? "yes" : "no");
    time_t fixed = 1234567890;
    struct tm tm;
    gmtime_r(&fixed, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %j", &tm);
    printf("gmtime(1234567890) = %s\n", buf);
    time_t back = 0;
    struct tm t2 = {.tm_year = 100, .tm_mon = 1, .tm_mday = 29, .tm_hour = 12};
    back = timegm(&t2);
    printf("timegm(2000-02-29 12:00) = %lld\n", (long long)back);
    return 0;
}

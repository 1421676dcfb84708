/*
 * util.c — small helpers shared by the runtime's files: error messages and a monotonic clock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "engine/rt/internal.h"

void rt_error_set(rt_error *err, const char *fmt, ...) {
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

double rt_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

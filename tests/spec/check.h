/*
 * check.h — the assertion macro of the spec-runner unit tests: unlike assert() it stays active
 * under NDEBUG (release builds), reports the failed expression with its line, and lets the test go
 * on so one run lists every failure; main() returns check_failures != 0.
 */
#ifndef GRANNY_TESTS_SPEC_CHECK_H
#define GRANNY_TESTS_SPEC_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#endif

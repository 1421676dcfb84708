/* check.h — the CHECK macro of the cell tests: counts failures and reports the failed expression.
 */
#ifndef GRANNY_TESTS_CELL_CHECK_H
#define GRANNY_TESTS_CELL_CHECK_H

#include <stdio.h>

static int failures;
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);                  \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#endif

/*
 * mpi_test.h — a tiny harness for the native tests of the MPI core: a world of N ranks, each run
 * by its own pthread calling the same test body (like an MPI program), CHECK() assertions that
 * count failures instead of stopping, and a runner that reports per test.
 *
 * Each test executable lists its tests in a table {name, nranks, body}; `mt_main` runs them all
 * (or those named on the command line) and exits non-zero when any check failed.
 */
#ifndef GRANNY_TESTS_MPI_TEST_H
#define GRANNY_TESTS_MPI_TEST_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi.h"

typedef void (*mt_body)(gmpi_rank *r, int rank, int size);

typedef struct mt_test {
    const char *name;
    int nranks;
    mt_body body;
    void (*setup)(gmpi_world *w); /* optional: placement, eager limit, hooks */
} mt_test;

static atomic_int mt_failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            atomic_fetch_add(&mt_failures, 1);                                                     \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long mt_a = (long long)(a), mt_b = (long long)(b);                                    \
        if (mt_a != mt_b) {                                                                        \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n", __FILE__,         \
                    __LINE__, #a, #b, mt_a, mt_b);                                                 \
            atomic_fetch_add(&mt_failures, 1);                                                     \
        }                                                                                          \
    } while (0)

#define CHECK_OK(call) CHECK_EQ((call), GMPI_SUCCESS)

typedef struct mt_arg {
    gmpi_world *w;
    int rank;
    mt_body body;
} mt_arg;

static void *mt_thread(void *p) {
    mt_arg *a = p;
    gmpi_rank *r = gmpi_world_rank(a->w, a->rank);
    int provided;
    CHECK_OK(gmpi_init(r, GMPI_THREAD_SINGLE, &provided));
    a->body(r, a->rank, gmpi_world_size(a->w));
    if (!gmpi_world_aborted(a->w, NULL) && !gmpi_finalized(r)) CHECK_OK(gmpi_finalize(r));
    return NULL;
}

/* Runs one world; returns the number of failed checks. */
static int mt_run_world(int nranks, mt_body body, void (*setup)(gmpi_world *), gmpi_abi abi) {
    int before = atomic_load(&mt_failures);
    gmpi_world *w = gmpi_world_new(nranks, abi);
    if (!w) {
        fprintf(stderr, "cannot create a world of %d ranks\n", nranks);
        return 1;
    }
    if (setup) setup(w);
    pthread_t *t = calloc((size_t)nranks, sizeof *t);
    mt_arg *args = calloc((size_t)nranks, sizeof *args);
    for (int i = 0; i < nranks; i++) {
        args[i] = (mt_arg){w, i, body};
        pthread_create(&t[i], NULL, mt_thread, &args[i]);
    }
    for (int i = 0; i < nranks; i++)
        pthread_join(t[i], NULL);
    gmpi_world_free(w);
    free(t);
    free(args);
    return atomic_load(&mt_failures) - before;
}

static int mt_main(int argc, char **argv, const mt_test *tests, int ntests) {
    int failed = 0, ran = 0;
    for (int i = 0; i < ntests; i++) {
        bool selected = argc < 2;
        for (int k = 1; k < argc; k++)
            selected |= strcmp(argv[k], tests[i].name) == 0;
        if (!selected) continue;
        int f = mt_run_world(tests[i].nranks, tests[i].body, tests[i].setup, GMPI_ABI_LP64);
        printf("%-40s %d ranks  %s\n", tests[i].name, tests[i].nranks, f ? "FAILED" : "ok");
        fflush(stdout);
        failed += f != 0;
        ran++;
    }
    printf("%d of %d tests passed\n", ran - failed, ran);
    return failed ? 1 : 0;
}

#endif

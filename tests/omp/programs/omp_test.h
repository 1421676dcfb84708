/*
 * omp_test.h — helpers of the OpenMP test programs. Every program builds natively (clang-19
 * -fopenmp, libomp) and as a cell (granny-cc -fopenmp); the test compares their outputs at 1 and
 * 2 threads, so programs print only what OpenMP defines: per-thread facts are collected in arrays
 * indexed by thread number and printed after the region, floating-point results use values whose
 * sums are exact in any order.
 */
#ifndef OMP_TEST_H
#define OMP_TEST_H

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define MAXT 64

/* Prints "name: v0 v1 ... vn-1". */
static inline void print_ints(const char *name, const int *v, int n) {
    printf("%s:", name);
    for (int i = 0; i < n; i++)
        printf(" %d", v[i]);
    printf("\n");
}

static inline int count_eq(const int *v, int n, int x) {
    int c = 0;
    for (int i = 0; i < n; i++)
        c += v[i] == x;
    return c;
}

#endif

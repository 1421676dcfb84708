/*
 * walk.c — a long-running computation with checkpoints: 2D random walks whose statistics are printed
 * every tenth step. granny_checkpoint() marks the places where the state is consistent; under
 * `granny run --checkpoint-at N` the cell is suspended there, written to a snapshot, and resumed by
 * `granny restore` in another process, printing exactly what an uninterrupted run prints.
 * Natively (without granny.h) the checkpoints compile to nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __GRANNY__
#include <granny.h>
#else
static void granny_checkpoint(void) {}
#endif

#define WALKERS 4096

int main(int argc, char **argv) {
    int steps = argc > 1 ? atoi(argv[1]) : 50;
    static int32_t x[WALKERS], y[WALKERS];
    uint64_t rng = 0x2545F4914F6CDD1Dull;
    for (int s = 1; s <= steps; s++) {
        for (int w = 0; w < WALKERS; w++) {
            for (int k = 0; k < 64; k++) {
                rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
                switch (rng & 3) {
                case 0: x[w]++; break;
                case 1: x[w]--; break;
                case 2: y[w]++; break;
                default: y[w]--; break;
                }
            }
        }
        granny_checkpoint();
        if (s % 10 == 0) {
            double r2 = 0;
            for (int w = 0; w < WALKERS; w++) r2 += (double)x[w] * x[w] + (double)y[w] * y[w];
            printf("step %3d: mean squared distance %.2f (expected %d)\n", s, r2 / WALKERS, s * 64);
        }
    }
    return 0;
}

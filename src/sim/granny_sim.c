/*
 * granny_sim.c - the standalone simulator driver, `granny-sim`: the same as `granny sim`.
 */
#include "sim/sim.h"

int main(int argc, char **argv) {
    return sim_main(argc, argv);
}

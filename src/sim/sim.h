/*
 * sim.h - the cluster simulator's command-line entry point (`granny sim ...`, `granny-sim ...`).
 *
 * argv[0] is the command's name; options follow (sim_main --help lists them). Returns the exit
 * status: 0 on success, 1 when a run fails (bad model or trace file, a job that can never start,
 * an output folder that cannot be written), 2 for a usage error.
 *
 * The pieces: sim_rng (seeded generator), sim_heap (event queue), sim_model (job models and
 * workloads as JSON), sim_trace (trace generation and files), sim_engine (the discrete-event loop
 * around the planner core), sim_output (summaries, CSV, JSON), sim_plot (gnuplot).
 */
#ifndef GRANNY_SIM_H
#define GRANNY_SIM_H

int sim_main(int argc, char **argv);

#endif

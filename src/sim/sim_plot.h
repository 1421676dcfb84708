/*
 * sim_plot.h - plots of simulator runs with gnuplot (SVG), the analogues of the seed's figures.
 *
 * Data files (plot_*.csv) and a script (plots.gp) are written to the output directory, then
 * Debian's gnuplot runs there. The plots, for the runs of the workload (its evicted runs when the
 * workload has evictions):
 *   makespan.svg        makespan per policy for each cluster size         (Fig. 7/8 leftmost)
 *   idle_fraction.svg   integral idle / integral total vCPUs per policy   (Fig. 8 left)
 *   jct_cdf.svg         CDF of job completion times, largest size          (Fig. 7/8 right)
 *   idle.svg            idle vCPUs (%) over time, largest size             (Fig. 1/7/8)
 *   links.svg           cross-VM links over time, largest size             (Fig. 1/7)
 *   spot_slowdown.svg   makespan with evictions / without, per policy      (Fig. 9 left)
 *   spot_cost.svg       cost on spot VMs relative to on-demand, per discount (Fig. 9 right)
 * Without gnuplot the data files and the script are still written, and the caller is told.
 */
#ifndef GRANNY_SIM_PLOT_H
#define GRANNY_SIM_PLOT_H

#include "sim/sim_output.h"

/* 0 with *plotted set to the number of SVG files (0 if gnuplot is missing: *why says so), or -1
   with a message if the files cannot be written or gnuplot fails. */
int sim_plot_write(const char *dir, const sim_record *recs, size_t n, const sim_models *m,
                   int *plotted, char *why, size_t whylen);

#endif

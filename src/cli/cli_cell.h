/*
 * cli_cell.h — running one process cell from the command line, fresh or from a snapshot, with
 * suspension at a chosen control point (`granny run --checkpoint-at N --checkpoint-file F`,
 * `granny restore F`).
 *
 * The run configuration (guest arguments, environment, preopened directories with absolute host
 * paths, memory cap) travels inside the snapshot as the host section "run", so that `granny
 * restore` needs nothing but the file: the module itself is in the snapshot too.
 */
#ifndef GRANNY_CLI_CELL_H
#define GRANNY_CLI_CELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cell/snapshot.h"
#include "engine/rt/runtime.h"

typedef struct cli_runconf {
    int argc;
    char **argv; /* guest argv, argv[0] included */
    int nenv;
    char **env; /* "KEY=VALUE" */
    int ndirs;
    char **dir_host; /* absolute host paths */
    char **dir_guest;
    uint64_t mem_max_pages;
} cli_runconf;

/* Builds a configuration from command-line pieces ("HOST[:GUEST]" directory specs, made absolute).
 * Returns false with a message (e.g. a directory that does not exist). */
bool cli_runconf_init(cli_runconf *rc, int argc, char **argv, int nenv, const char **env, int ndirs,
                      const char **dirs, uint64_t mem_max_pages, rt_error *err);
void cli_runconf_free(cli_runconf *rc);
bool cli_runconf_encode(const cli_runconf *rc, uint8_t **out, size_t *len);
bool cli_runconf_decode(const uint8_t *p, size_t len, cli_runconf *rc, rt_error *err);

typedef struct cli_cell_options {
    uint64_t checkpoint_at;      /* suspend at this barrier control point (0: never) */
    const char *checkpoint_file; /* where the snapshot goes */
    int verbose;
    bool no_cache;
    struct gomp_run *omp; /* OpenMP options (src/omp/gomp.h), or NULL for the defaults */
} cli_cell_options;

/* Loads (and makes suspendable) the module in `bytes`, runs it as a process cell and returns the
 * exit status as `granny run` defines it. */
int cli_run_cell(const uint8_t *bytes, size_t len, const char *name, const cli_runconf *rc,
                 const cli_cell_options *o);

/* Prints "granny: trap: <message> in function <name>" and returns the trap exit status (134), or
 * the guest's exit code for proc_exit. */
int cli_report_trap(const rt_trap_info *t, const rt_module *fallback);
void cli_print_load_stats(const char *path, const rt_load_stats *st);
/* Reads a whole file; NULL with a message on stderr. */
uint8_t *cli_read_file(const char *path, size_t *len);

enum { CLI_EXIT_LOAD = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_TRAP = 134 };

#endif

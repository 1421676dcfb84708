/*
 * cmd_run.h — `granny run [options] app.wasm [args...]`: run a WASI command module as one C-Cell
 * on this machine (see cmd_run.c for the options and exit statuses).
 */
#ifndef GRANNY_CLI_CMD_RUN_H
#define GRANNY_CLI_CMD_RUN_H

/* argv[0] is the command name ("run"); returns the process exit status. */
int run_main(int argc, char **argv);

#endif

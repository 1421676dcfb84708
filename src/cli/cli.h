/*
 * cli.h — the subcommands of `granny` that live in src/cli (each `*_main` takes the arguments after
 * the command name, argv[0] being the command itself) and what they share.
 */
#ifndef GRANNY_CLI_H
#define GRANNY_CLI_H

int snapshot_main(int argc, char **argv); /* granny snapshot info FILE */
int restore_main(int argc, char **argv);  /* granny restore FILE */

#endif

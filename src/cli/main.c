/*
 * main.c — the `granny` command: a table of subcommands, each implemented by the module that owns
 * the capability (run: cli/cmd_run.c over the engine and WASI; restore and snapshot: cli/cli_cell.c
 * and cli/cmd_snapshot.c over cells; wast: the spec-test runner; sim: the
 * cluster simulator). This file only dispatches and prints the version.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_run.h"
#include "engine/rt/runtime.h"
#include "sim/sim.h"
#include "wast/wast.h"

#ifndef GRANNY_VERSION
#define GRANNY_VERSION "0.0.0"
#endif

typedef struct cli_command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
} cli_command;

static int cli_version(int argc, char **argv) {
    (void)argc, (void)argv;
    printf("granny %s\n", GRANNY_VERSION);
    printf("wasm features: %s\n", rt_features());
    printf("engine ABI: %u\n", RT_ABI_VERSION);
    return 0;
}

static const cli_command cli_commands[] = {
    {"run", run_main,
     "run a WebAssembly program as a C-Cell (granny run [options] app.wasm [args])"},
    {"restore", restore_main, "resume a suspended cell from its snapshot (granny restore FILE)"},
    {"snapshot", snapshot_main, "describe a snapshot file (granny snapshot info FILE)"},
    {"wast", wast_main, "run WebAssembly spec scripts (granny wast [-v] FILE.wast...)"},
    {"sim", sim_main, "simulate a cluster under the batch, slurm and granny policies"},
    {"version", cli_version, "print the version and the supported wasm features"},
};

static void cli_usage(FILE *out) {
    fprintf(out, "usage: granny <command> [args]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
        fprintf(out, "  %-8s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(out, "\n`granny <command> --help` describes a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        cli_usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) return cli_version(argc - 1, argv + 1);
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        cli_usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
        if (!strcmp(cmd, cli_commands[i].name)) return cli_commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "granny: unknown command '%s'\n", cmd);
    cli_usage(stderr);
    return 2;
}

/*
 * wast.h — `granny wast FILE.wast...`: runs WebAssembly spec-test scripts against the engine, like
 * `wasmtime wast`. Each script is converted with wast2json into a private temporary folder and its
 * commands (module, register, invoke/get, assert_return, assert_trap, assert_exhaustion,
 * assert_invalid, assert_malformed, assert_unlinkable, assert_uninstantiable) are executed, each
 * script in a child process of its own so a crash or hang of one cannot take the others down.
 *
 * Output: one line per script, "PASS core/i32.wast  (N passed, M failed, K skipped)" or "FAIL ..."
 * followed by its failures (line in the .wast, command, expected vs got), then a last line
 * "N passed, M failed, K skipped" over all scripts. Exit status 0 when nothing failed, 1 when
 * something failed, 2 on a usage error. `granny wast --help` lists the options.
 */
#ifndef GRANNY_WAST_H
#define GRANNY_WAST_H

/* argv[0] is the command name (e.g. "wast"); options and files follow. */
int wast_main(int argc, char **argv);

#endif

/*
 * wast_script.h — a spec-test script as wast2json describes it: the list of commands (module,
 * register, action, assert_*) with their line numbers, module file names, actions and expected
 * values, read from the JSON file with cJSON.
 *
 * Parsing is total: a malformed command does not stop the script; it is kept with `error` set (the
 * runner reports it as a failure at its line), and a command this runner cannot execute (an
 * unknown command type, a v128 value) is kept with `unsupported` set (reported as skipped). Only a
 * file that is not a JSON object with a "commands" array fails as a whole.
 *
 * Names (action fields, registered names) are byte strings with a length because wasm names may
 * contain NUL; cJSON strings cannot, so the JSON escape \u0000 is turned into the byte 0xFF before
 * parsing and back into 0x00 in names afterwards (0xFF never occurs in valid UTF-8, and names of
 * modules that are actually run are valid UTF-8).
 *
 * Two helpers about script content live here too: the trap kind an assertion text names, and the
 * printable form of a name for reports.
 */
#ifndef GRANNY_WAST_SCRIPT_H
#define GRANNY_WAST_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/wasm/module.h"
#include "wast/wast_value.h"

typedef enum wast_cmd_kind {
    WAST_CMD_MODULE,
    WAST_CMD_REGISTER,
    WAST_CMD_ACTION,
    WAST_CMD_ASSERT_RETURN,
    WAST_CMD_ASSERT_TRAP,
    WAST_CMD_ASSERT_EXHAUSTION,
    WAST_CMD_ASSERT_INVALID,
    WAST_CMD_ASSERT_MALFORMED,
    WAST_CMD_ASSERT_UNLINKABLE,
    WAST_CMD_ASSERT_UNINSTANTIABLE,
    WAST_CMD_UNKNOWN,
} wast_cmd_kind;

typedef struct wast_action {
    bool is_get;        /* "get" (read an exported global) rather than "invoke" */
    const char *module; /* "$name" of a named module, or NULL for the current one */
    wasm_name field;    /* export name (may contain NUL) */
    uint32_t nargs;
    wast_value *args;
} wast_action;

typedef struct wast_command {
    wast_cmd_kind kind;
    uint32_t line;
    const char *type_name; /* the JSON "type" string */
    const char *filename;  /* module file, relative to the JSON file's folder */
    bool text_module;      /* "module_type": "text" (tests of the text format) */
    const char *name; /* module: its "$name"; register: the module registered (NULL: current) */
    wasm_name as;     /* register: the name it is registered under */
    const char *text; /* assertion message ("integer divide by zero") */
    bool has_action;
    wast_action action;
    uint32_t nexpected;
    wast_value *expected;
    char *error;       /* malformed command: reported as a failure */
    char *unsupported; /* cannot be executed here: reported as skipped, with this reason */
} wast_command;

typedef struct wast_script {
    uint32_t ncommands;
    wast_command *commands;
    void *json; /* the cJSON tree; command strings point into it */
} wast_script;

/* Parses JSON text (len bytes, need not be NUL-terminated). */
bool wast_script_parse(const char *text, size_t len, wast_script *out, char *err, size_t errlen);
bool wast_script_load(const char *path, wast_script *out, char *err, size_t errlen);
void wast_script_free(wast_script *s);

const char *wast_cmd_name(wast_cmd_kind k);

/* The trap kind that an assertion text names ("integer divide by zero" -> RT_TRAP_DIV_ZERO), by
 * prefix, so "uninitialized element 2" still names RT_TRAP_INDIRECT_NULL; RT_TRAP_NONE if unknown.
 */
rt_trap_kind wast_trap_kind_from_text(const char *text);

/* Writes a name for humans: printable ASCII as is, other bytes as \xx, in quotes. */
void wast_format_name(const wasm_name *name, char *buf, size_t len);

#endif

/*
 * wast_known.h — the list of known failures: assertions (a script and a line) that are expected to
 * fail, each with the reason that was found when it was investigated. A known failure that fails
 * is counted apart and does not fail the run; one that passes does fail the run, so the list can
 * only shrink to the truth.
 *
 * File format (tests/spec/known_failures.txt): one entry per line,
 *     core/float_exprs.wast  123  reason in words...
 * i.e. the script as "<folder>/<file>" (its last two path components), the line of the command in
 * that script, and the reason; blank lines and lines starting with '#' are ignored.
 */
#ifndef GRANNY_WAST_KNOWN_H
#define GRANNY_WAST_KNOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wast_known_entry {
    char *file; /* "core/i32.wast", or NULL: any script (--expect-fail) */
    uint32_t line;
    char *reason;
} wast_known_entry;

typedef struct wast_known {
    uint32_t n, cap;
    wast_known_entry *entries;
} wast_known;

/* Adds the entries of a list file; false (with the file and line in err) on a malformed line. */
bool wast_known_load(wast_known *k, const char *path, char *err, size_t errlen);
/* Adds "LINE,LINE,..." for any script (the --expect-fail option). */
bool wast_known_add_lines(wast_known *k, const char *lines, char *err, size_t errlen);
bool wast_known_add(wast_known *k, const char *file, uint32_t line, const char *reason);
/* The reason for (script, line), or NULL when that assertion is not a known failure. */
const char *wast_known_find(const wast_known *k, const char *file, uint32_t line);
void wast_known_free(wast_known *k);

/* "<folder>/<file>" of a path ("/x/wasm-testsuite/core/i32.wast" -> "core/i32.wast"), in buf. */
void wast_display_name(const char *path, char *buf, size_t len);

#endif

/*
 * wast_report.h — the tally of one script: outcomes per command (consulting the known-failures
 * list), the messages worth showing, the summary line, and the wire format that carries outcomes
 * from the child process that runs a script to the parent that prints the report.
 *
 * Wire format, one record per line (messages never contain a newline):
 *     T <count>            the script has <count> commands
 *     B <line>             the command at <line> starts
 *     P <line>             passed
 *     F <line> <message>   failed
 *     S <line> <message>   skipped
 *     Z <message>          the whole script was skipped (e.g. it does not convert)
 *     E                    the child finished normally
 * A child that dies before E is reported as crashed; its commands that never reported are failed.
 */
#ifndef GRANNY_WAST_REPORT_H
#define GRANNY_WAST_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "wast/wast_exec.h"
#include "wast/wast_known.h"

typedef struct wast_note {
    char kind; /* 'F' failure, 'K' known failure, 'S' skip */
    uint32_t line;
    char *msg;
} wast_note;

typedef struct wast_file_report {
    char display[256]; /* "core/i32.wast" */
    const wast_known *known;
    uint32_t total; /* commands announced (T), 0 if unknown */
    uint32_t seen;  /* outcomes received */
    uint32_t passed, failed, skipped, known_failed;
    uint32_t last_line;    /* of the last outcome */
    uint32_t running_line; /* of the command started last (B), 0 if none */
    bool finished;         /* E received (or in-process run completed) */
    char *file_skipped;    /* Z reason */
    wast_note *notes;
    uint32_t nnotes, capnotes;
} wast_file_report;

void wast_report_init(wast_file_report *r, const char *path, const wast_known *known);
void wast_report_free(wast_file_report *r);

/* One outcome of a command (msg may be NULL for passes). */
void wast_report_outcome(wast_file_report *r, wast_outcome o, uint32_t line, const char *msg);
void wast_report_skip_file(wast_file_report *r, const char *reason);
/* A failure not tied to a command (line 0), e.g. "cannot read the JSON". */
void wast_report_error(wast_file_report *r, const char *msg);
/* The child ended without E: `how` says how (e.g. "killed by signal 11 (Segmentation fault)"). */
void wast_report_crashed(wast_file_report *r, const char *how);

/* Applies one wire record (without its newline); false if it is malformed. */
bool wast_report_apply(wast_file_report *r, const char *record);

bool wast_report_failed(const wast_file_report *r);
/* "PASS core/i32.wast  (N passed, M failed, K skipped)" and, when failed (all) or verbose, the
 * notes; at most `max_notes` failures unless verbose. */
void wast_report_print(FILE *out, const wast_file_report *r, bool verbose, uint32_t max_notes);

#endif

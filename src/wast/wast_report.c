/*
 * wast_report.c — tallying outcomes of one script and printing them (see wast_report.h).
 */
#include "wast/wast_report.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void wast_report_init(wast_file_report *r, const char *path, const wast_known *known) {
    memset(r, 0, sizeof *r);
    wast_display_name(path, r->display, sizeof r->display);
    r->known = known;
}

void wast_report_free(wast_file_report *r) {
    for (uint32_t i = 0; i < r->nnotes; i++)
        free(r->notes[i].msg);
    free(r->notes);
    free(r->file_skipped);
    memset(r, 0, sizeof *r);
}

static void add_note(wast_file_report *r, char kind, uint32_t line, const char *msg) {
    if (r->nnotes == r->capnotes) {
        uint32_t cap = r->capnotes ? r->capnotes * 2 : 16;
        wast_note *bigger = realloc(r->notes, cap * sizeof *bigger);
        if (bigger == NULL) return; /* the counts stay right; only the message is lost */
        r->notes = bigger;
        r->capnotes = cap;
    }
    char *copy = strdup(msg ? msg : "");
    if (copy == NULL) return;
    r->notes[r->nnotes++] = (wast_note){kind, line, copy};
}

void wast_report_outcome(wast_file_report *r, wast_outcome o, uint32_t line, const char *msg) {
    r->seen++;
    r->running_line = 0;
    r->last_line = line;
    const char *reason = r->known ? wast_known_find(r->known, r->display, line) : NULL;
    char buf[2048];
    switch (o) {
    case WAST_PASS:
        if (reason == NULL) {
            r->passed++;
            return;
        }
        r->failed++;
        snprintf(buf, sizeof buf,
                 "passes but is listed as a known failure (%s): remove it from the list", reason);
        add_note(r, 'F', line, buf);
        return;
    case WAST_FAIL:
        if (reason == NULL) {
            r->failed++;
            add_note(r, 'F', line, msg);
            return;
        }
        r->known_failed++;
        snprintf(buf, sizeof buf, "%s [known failure: %s]", msg ? msg : "", reason);
        add_note(r, 'K', line, buf);
        return;
    case WAST_SKIP:
        r->skipped++;
        add_note(r, 'S', line, msg);
        return;
    }
}

void wast_report_skip_file(wast_file_report *r, const char *reason) {
    free(r->file_skipped);
    r->file_skipped = strdup(reason ? reason : "skipped");
}

void wast_report_error(wast_file_report *r, const char *msg) {
    r->failed++;
    add_note(r, 'F', 0, msg);
}

void wast_report_crashed(wast_file_report *r, const char *how) {
    char buf[512], where[64];
    uint32_t lost = r->total > r->seen ? r->total - r->seen : 1;
    if (r->running_line)
        snprintf(where, sizeof where, "while running this command");
    else if (r->seen)
        snprintf(where, sizeof where, "after line %u", r->last_line);
    else
        snprintf(where, sizeof where, "before the first command");
    snprintf(buf, sizeof buf, "runner %s %s; %u command%s not run or not reported", how, where,
             lost, lost == 1 ? "" : "s");
    r->failed += lost;
    add_note(r, 'F', r->running_line ? r->running_line : r->last_line, buf);
}

static bool parse_u32(const char **p, uint32_t *out) {
    char *end;
    unsigned long v = strtoul(*p, &end, 10);
    if (end == *p || v > UINT32_MAX) return false;
    *out = (uint32_t)v;
    *p = end;
    return true;
}

bool wast_report_apply(wast_file_report *r, const char *rec) {
    char kind = rec[0];
    const char *p = rec + 1;
    uint32_t n;
    if (kind == 'E' && rec[1] == '\0') {
        r->finished = true;
        return true;
    }
    if (kind == 'Z') {
        wast_report_skip_file(r, *p == ' ' ? p + 1 : p);
        return true;
    }
    if (*p != ' ') return false;
    p++;
    if (!parse_u32(&p, &n)) return false;
    const char *msg = *p == ' ' ? p + 1 : NULL;
    switch (kind) {
    case 'T': r->total = n; return true;
    case 'B': r->running_line = n; return true;
    case 'P': wast_report_outcome(r, WAST_PASS, n, NULL); return true;
    case 'F': wast_report_outcome(r, WAST_FAIL, n, msg); return true;
    case 'S': wast_report_outcome(r, WAST_SKIP, n, msg); return true;
    default: return false;
    }
}

bool wast_report_failed(const wast_file_report *r) {
    return r->failed > 0;
}

void wast_report_print(FILE *out, const wast_file_report *r, bool verbose, uint32_t max_notes) {
    if (r->file_skipped && r->seen == 0 && r->failed == 0) {
        fprintf(out, "SKIP %s  (%s)\n", r->display, r->file_skipped);
        return;
    }
    bool failed = wast_report_failed(r);
    fprintf(out, "%s %s  (%u passed, %u failed, %u skipped", failed ? "FAIL" : "PASS", r->display,
            r->passed, r->failed, r->skipped);
    if (r->known_failed)
        fprintf(out, ", %u known failure%s", r->known_failed, r->known_failed == 1 ? "" : "s");
    fprintf(out, ")\n");
    uint32_t shown = 0, hidden = 0;
    for (uint32_t i = 0; i < r->nnotes; i++) {
        const wast_note *note = &r->notes[i];
        bool show = note->kind == 'F' ? (failed || verbose) : verbose;
        if (!show) continue;
        if (!verbose && shown == max_notes) {
            hidden++;
            continue;
        }
        const char *tag = note->kind == 'F' ? "" : note->kind == 'K' ? "known: " : "skipped: ";
        fprintf(out, "    line %u: %s%s\n", note->line, tag, note->msg);
        shown++;
    }
    if (hidden) fprintf(out, "    ... and %u more failures (use -v to see all)\n", hidden);
}

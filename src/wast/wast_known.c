/*
 * wast_known.c — the known-failures list (see wast_known.h). A flat array searched linearly: the
 * list is meant to stay a handful of entries.
 */
#include "wast/wast_known.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool wast_known_add(wast_known *k, const char *file, uint32_t line, const char *reason) {
    if (k->n == k->cap) {
        uint32_t cap = k->cap ? k->cap * 2 : 16;
        wast_known_entry *bigger = realloc(k->entries, cap * sizeof *bigger);
        if (bigger == NULL) return false;
        k->entries = bigger;
        k->cap = cap;
    }
    wast_known_entry *e = &k->entries[k->n];
    e->file = file ? strdup(file) : NULL;
    e->reason = strdup(reason ? reason : "");
    e->line = line;
    if ((file && e->file == NULL) || e->reason == NULL) {
        free(e->file);
        free(e->reason);
        return false;
    }
    k->n++;
    return true;
}

static bool parse_line_number(const char *s, size_t n, uint32_t *out) {
    uint64_t v = 0;
    if (n == 0 || n > 9) return false;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v == 0) return false;
    *out = (uint32_t)v;
    return true;
}

bool wast_known_load(wast_known *k, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    char buf[2048];
    unsigned lineno = 0;
    bool ok = true;
    while (ok && fgets(buf, sizeof buf, f)) {
        lineno++;
        buf[strcspn(buf, "\r\n")] = '\0';
        char *p = buf;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#') continue;
        char *file = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        char *file_end = p;
        while (isspace((unsigned char)*p))
            p++;
        char *num = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t numlen = (size_t)(p - num);
        while (isspace((unsigned char)*p))
            p++;
        uint32_t line;
        if (!parse_line_number(num, numlen, &line) || *p == '\0') {
            snprintf(err, errlen, "%s:%u: expected \"FOLDER/FILE.wast LINE REASON\"", path, lineno);
            ok = false;
            break;
        }
        *file_end = '\0';
        if (!wast_known_add(k, file, line, p)) {
            snprintf(err, errlen, "out of memory");
            ok = false;
        }
    }
    fclose(f);
    return ok;
}

bool wast_known_add_lines(wast_known *k, const char *lines, char *err, size_t errlen) {
    const char *p = lines;
    for (;;) {
        size_t n = strcspn(p, ",");
        uint32_t line;
        if (!parse_line_number(p, n, &line)) {
            snprintf(err, errlen,
                     "--expect-fail wants LINE,LINE,... (positive numbers), got \"%s\"", lines);
            return false;
        }
        if (!wast_known_add(k, NULL, line, "listed with --expect-fail")) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        if (p[n] == '\0') return true;
        p += n + 1;
    }
}

const char *wast_known_find(const wast_known *k, const char *file, uint32_t line) {
    for (uint32_t i = 0; i < k->n; i++) {
        const wast_known_entry *e = &k->entries[i];
        if (e->line == line && (e->file == NULL || strcmp(e->file, file) == 0)) return e->reason;
    }
    return NULL;
}

void wast_known_free(wast_known *k) {
    for (uint32_t i = 0; i < k->n; i++) {
        free(k->entries[i].file);
        free(k->entries[i].reason);
    }
    free(k->entries);
    memset(k, 0, sizeof *k);
}

void wast_display_name(const char *path, char *buf, size_t len) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    /* Start after the second-to-last '/', if any. */
    size_t start = 0;
    int slashes = 0;
    for (size_t i = n; i-- > 0;) {
        if (path[i] == '/' && ++slashes == 2) {
            start = i + 1;
            break;
        }
    }
    const char *s = path + start;
    if (s[0] == '.' && s[1] == '/') s += 2;
    snprintf(buf, len, "%.*s", (int)(n - (size_t)(s - path)), s);
}

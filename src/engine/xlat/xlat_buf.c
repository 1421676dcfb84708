/*
 * xlat_buf.c — growable text buffer (see xlat_buf.h). Capacity doubles, so appending N bytes in
 * total costs O(N); printf formats into the free tail first and grows only when it did not fit.
 */
#include "xlat_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xlat_buf_init(xlat_buf *b) {
    memset(b, 0, sizeof *b);
}

void xlat_buf_free(xlat_buf *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Makes room for `extra` more bytes plus the terminating NUL. */
static bool buf_reserve(xlat_buf *b, size_t extra) {
    if (b->oom) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void xlat_buf_put(xlat_buf *b, const char *s, size_t n) {
    if (!buf_reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void xlat_buf_puts(xlat_buf *b, const char *s) {
    xlat_buf_put(b, s, strlen(s));
}

void xlat_buf_printf(xlat_buf *b, const char *fmt, ...) {
    if (!buf_reserve(b, 64)) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        if (!buf_reserve(b, (size_t)n)) return;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void xlat_buf_append(xlat_buf *b, const xlat_buf *other) {
    if (other->oom) b->oom = true;
    if (other->len) xlat_buf_put(b, other->data, other->len);
}

char *xlat_buf_take(xlat_buf *b, size_t *len) {
    if (b->oom) {
        xlat_buf_free(b);
        return NULL;
    }
    if (!buf_reserve(b, 0)) return NULL;
    b->data[b->len] = '\0';
    char *p = b->data;
    if (len) *len = b->len;
    memset(b, 0, sizeof *b);
    return p;
}

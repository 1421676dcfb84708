/*
 * xlat_buf.h — a growable text buffer, the only output primitive of the translator.
 *
 * Every piece of generated C is appended to an xlat_buf. Allocation failure does not abort: the
 * buffer remembers it in `oom`, later appends become no-ops, and the caller checks the flag once at
 * the end of a file (so the emitting code stays free of error plumbing).
 */
#ifndef GRANNY_ENGINE_XLAT_BUF_H
#define GRANNY_ENGINE_XLAT_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct xlat_buf {
    char *data; /* NUL-terminated while len > 0 */
    size_t len;
    size_t cap;
    bool oom;
} xlat_buf;

void xlat_buf_init(xlat_buf *b);
void xlat_buf_free(xlat_buf *b);
void xlat_buf_put(xlat_buf *b, const char *s, size_t n);
void xlat_buf_puts(xlat_buf *b, const char *s);
void xlat_buf_printf(xlat_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xlat_buf_append(xlat_buf *b, const xlat_buf *other);
/* Hands the text over (caller frees); the buffer is empty afterwards. NULL after OOM. */
char *xlat_buf_take(xlat_buf *b, size_t *len);

#endif

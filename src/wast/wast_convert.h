/*
 * wast_convert.h — turning a .wast script into wast2json's JSON + .wasm files in a private
 * temporary folder, and removing that folder afterwards.
 *
 * The conversion first runs `wast2json [--enable-threads] FILE`, then, if that fails,
 * `wast2json --enable-all FILE`; when both fail the reason is the first line wast2json wrote.
 */
#ifndef GRANNY_WAST_CONVERT_H
#define GRANNY_WAST_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct wast_converted {
    char dir[4096];  /* the temporary folder (empty when none was created) */
    char json[4200]; /* dir/NAME.json */
} wast_converted;

/* `tool` is the wast2json program (NULL: "wast2json" from PATH). On failure the folder is already
 * removed and err says why. */
bool wast_convert(const char *tool, const char *wast_path, bool threads, wast_converted *out,
                  char *err, size_t errlen);
/* Removes the folder and everything in it (one level: wast2json writes no subfolders). */
void wast_convert_cleanup(wast_converted *c);

#endif

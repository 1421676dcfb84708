/*
 * wasm_spec_test.c — runs the decoder and validator over one file of the official spec tests.
 *
 * Usage: wasm_spec_test WAST2JSON FILE.wast OUTDIR [wast2json options...]
 *
 * The .wast file is converted by Debian's wast2json into OUTDIR (a JSON list of commands plus one
 * .wasm per module), then every command that names a binary module is checked:
 *   - module, assert_trap/assert_exhaustion/assert_unlinkable/assert_uninstantiable with a
 *     module, register-able modules: must decode and validate (they are valid modules);
 *   - assert_malformed, assert_invalid: must fail to decode or to validate.
 * Text-format modules (`module quote`, .wat files) test the text parser and are skipped.
 * The few commands whose expectation differs from WebAssembly 2.0 + threads (see `exceptions`)
 * are counted separately and do not fail the test. Prints one summary line; exits 1 on any
 * unexpected result, 2 on a setup error (wast2json missing or failing, unreadable JSON).
 * With WASM_SPEC_VERBOSE set, also lists rejections whose message differs from the spec's text.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <libgen.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "engine/wasm/decode.h"
#include "engine/wasm/validate.h"

extern char **environ;

/* Spec-test expectations that WebAssembly 2.0 + threads does not share. */
typedef struct exception {
    const char *file; /* the end of the .wast path, e.g. "threads/imports.wast" */
    const char *text; /* the expected failure text */
    const char *reason;
} exception;

static const exception exceptions[] = {
    {"threads/imports.wast", "multiple tables",
     "threads/ tests predate reference types; 2.0 allows several tables"},
};

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const char *exception_reason(const char *wast_path, const char *text) {
    for (size_t i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
        if (ends_with(wast_path, exceptions[i].file) && text &&
            strcmp(exceptions[i].text, text) == 0)
            return exceptions[i].reason;
    return NULL;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap + 1);
            if (b == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* mkdir -p */
static bool make_dirs(const char *path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return false;
        *p = '/';
    }
    return mkdir(tmp, 0777) == 0 || errno == EEXIST;
}

static int run_wast2json(const char *tool, const char *wast, const char *json, int nflags,
                         char **flags) {
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)tool;
    for (int i = 0; i < nflags && argc < 58; i++)
        argv[argc++] = flags[i];
    argv[argc++] = (char *)wast;
    argv[argc++] = "-o";
    argv[argc++] = (char *)json;
    argv[argc] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, tool, NULL, NULL, argv, environ);
    if (rc != 0) {
        fprintf(stderr, "cannot run %s: %s\n", tool, strerror(rc));
        return -1;
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* 1: decodes and validates, 0: rejected (message in err). */
static int check_module(const char *path, char *err, size_t errlen) {
    size_t len;
    char *bytes = read_file(path, &len);
    if (bytes == NULL) {
        snprintf(err, errlen, "cannot read %.400s", path);
        return -1;
    }
    wasm_module m;
    int ok = 0;
    if (wasm_decode((const uint8_t *)bytes, len, &m, err, errlen)) {
        ok = wasm_validate(&m, err, errlen) ? 1 : 0;
        wasm_module_free(&m);
    }
    free(bytes);
    return ok;
}

typedef struct counts {
    int valid_ok, valid_total;
    int malformed_ok, malformed_total;
    int invalid_ok, invalid_total;
    int skipped_text, exceptions;
    int same_message; /* rejections whose message contains the spec's expected text */
} counts;

static bool is_valid_module_command(const char *type) {
    return strcmp(type, "module") == 0 || strcmp(type, "assert_trap") == 0 ||
           strcmp(type, "assert_exhaustion") == 0 || strcmp(type, "assert_unlinkable") == 0 ||
           strcmp(type, "assert_uninstantiable") == 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s WAST2JSON FILE.wast OUTDIR [wast2json options...]\n", argv[0]);
        return 2;
    }
    const char *tool = argv[1], *wast = argv[2], *outdir = argv[3];
    char *wast_copy = strdup(wast);
    const char *base = basename(wast_copy);
    if (!make_dirs(outdir)) {
        fprintf(stderr, "cannot create %s: %s\n", outdir, strerror(errno));
        return 2;
    }
    char json_path[4096];
    snprintf(json_path, sizeof json_path, "%s/%.*s.json", outdir, (int)(strlen(base) - 5), base);
    int rc = run_wast2json(tool, wast, json_path, argc - 4, argv + 4);
    if (rc != 0) {
        fprintf(stderr, "%s: wast2json failed (exit %d)\n", base, rc);
        return 2;
    }
    size_t jlen;
    char *jtext = read_file(json_path, &jlen);
    cJSON *root = jtext ? cJSON_Parse(jtext) : NULL;
    cJSON *commands = root ? cJSON_GetObjectItem(root, "commands") : NULL;
    if (!cJSON_IsArray(commands)) {
        fprintf(stderr, "%s: cannot read %s\n", base, json_path);
        return 2;
    }
    counts c = {0};
    int unexpected = 0;
    cJSON *cmd;
    cJSON_ArrayForEach(cmd, commands) {
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(cmd, "type"));
        const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(cmd, "filename"));
        const char *mtype = cJSON_GetStringValue(cJSON_GetObjectItem(cmd, "module_type"));
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(cmd, "text"));
        int line = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(cmd, "line"));
        if (type == NULL || file == NULL) continue;
        bool want_valid = is_valid_module_command(type);
        bool want_invalid =
            strcmp(type, "assert_malformed") == 0 || strcmp(type, "assert_invalid") == 0;
        if (!want_valid && !want_invalid) continue;
        if ((mtype && strcmp(mtype, "text") == 0) || strstr(file, ".wat") != NULL) {
            c.skipped_text++;
            continue;
        }
        char path[4096], err[512];
        snprintf(path, sizeof path, "%s/%s", outdir, file);
        int ok = check_module(path, err, sizeof err);
        if (ok < 0) {
            fprintf(stderr, "%s:%d: %s\n", base, line, err);
            unexpected++;
            continue;
        }
        bool as_expected = want_valid ? ok == 1 : ok == 0;
        if (want_valid) {
            c.valid_total++;
            c.valid_ok += as_expected;
        } else if (strcmp(type, "assert_malformed") == 0) {
            c.malformed_total++;
            c.malformed_ok += as_expected;
        } else {
            c.invalid_total++;
            c.invalid_ok += as_expected;
        }
        if (as_expected && !want_valid && text != NULL) {
            if (strstr(err, text) != NULL)
                c.same_message++;
            else if (getenv("WASM_SPEC_VERBOSE"))
                printf("%s:%d: wording: expected \"%s\", got \"%s\"\n", base, line, text, err);
        }
        if (as_expected) continue;
        const char *reason = exception_reason(wast, text);
        if (reason != NULL) {
            c.exceptions++;
            printf("%s:%d: known exception (%s): %s\n", base, line, text, reason);
            continue;
        }
        unexpected++;
        if (want_valid)
            printf("%s:%d: %s rejected a valid module: %s\n", base, line, type, err);
        else
            printf("%s:%d: %s accepted, expected \"%s\"\n", base, line, type, text ? text : "");
    }
    printf("%s: valid %d/%d, malformed rejected %d/%d, invalid rejected %d/%d, "
           "text skipped %d, known exceptions %d, spec wording %d/%d\n",
           base, c.valid_ok, c.valid_total, c.malformed_ok, c.malformed_total, c.invalid_ok,
           c.invalid_total, c.skipped_text, c.exceptions, c.same_message,
           c.malformed_ok + c.invalid_ok);
    cJSON_Delete(root);
    free(jtext);
    free(wast_copy);
    return unexpected ? 1 : 0;
}

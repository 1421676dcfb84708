/*
 * wast_script.c — reading wast2json's JSON into wast_command records (see wast_script.h).
 *
 * The shape read here (wabt 1.0.32, and the fields later versions add):
 *   {"source_filename": "...", "commands": [
 *     {"type": "module", "line": 3, "filename": "x.0.wasm", "name": "$M"},
 *     {"type": "register", "line": 9, "name": "$M", "as": "M"},
 *     {"type": "assert_return", "line": 10,
 *      "action": {"type": "invoke", "module": "$M", "field": "f",
 *                 "args": [{"type": "i32", "value": "1"}]},
 *      "expected": [{"type": "f32", "value": "nan:canonical"}]},
 *     {"type": "assert_trap", "line": 11, "action": {...}, "text": "unreachable", "expected":
 * [...]},
 *     {"type": "assert_invalid", "line": 12, "filename": "x.1.wasm", "text": "type mismatch",
 *      "module_type": "binary"}, ...]}
 * Expected values of assert_trap/assert_exhaustion/action carry only types and are ignored.
 */
#include "wast/wast_script.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cmd_kind_name {
    wast_cmd_kind kind;
    const char *name;
} cmd_kind_name;

static const cmd_kind_name cmd_kind_names[] = {
    {WAST_CMD_MODULE, "module"},
    {WAST_CMD_REGISTER, "register"},
    {WAST_CMD_ACTION, "action"},
    {WAST_CMD_ASSERT_RETURN, "assert_return"},
    {WAST_CMD_ASSERT_TRAP, "assert_trap"},
    {WAST_CMD_ASSERT_EXHAUSTION, "assert_exhaustion"},
    {WAST_CMD_ASSERT_INVALID, "assert_invalid"},
    {WAST_CMD_ASSERT_MALFORMED, "assert_malformed"},
    {WAST_CMD_ASSERT_UNLINKABLE, "assert_unlinkable"},
    {WAST_CMD_ASSERT_UNINSTANTIABLE, "assert_uninstantiable"},
};

const char *wast_cmd_name(wast_cmd_kind k) {
    for (size_t i = 0; i < sizeof cmd_kind_names / sizeof cmd_kind_names[0]; i++)
        if (cmd_kind_names[i].kind == k) return cmd_kind_names[i].name;
    return "unknown";
}

static wast_cmd_kind cmd_kind_from_name(const char *name) {
    for (size_t i = 0; i < sizeof cmd_kind_names / sizeof cmd_kind_names[0]; i++)
        if (strcmp(cmd_kind_names[i].name, name) == 0) return cmd_kind_names[i].kind;
    return WAST_CMD_UNKNOWN;
}

/* ---- Trap kinds named by assertion texts ---- */

typedef struct trap_text {
    const char *text;
    rt_trap_kind kind;
} trap_text;

static const trap_text trap_texts[] = {
    {"unreachable", RT_TRAP_UNREACHABLE},
    {"out of bounds memory access", RT_TRAP_MEMORY_OOB},
    {"out of bounds table access", RT_TRAP_TABLE_OOB},
    {"uninitialized element", RT_TRAP_INDIRECT_NULL},
    {"undefined element", RT_TRAP_INDIRECT_OOB},
    {"indirect call type mismatch", RT_TRAP_INDIRECT_TYPE},
    {"integer overflow", RT_TRAP_INT_OVERFLOW},
    {"integer divide by zero", RT_TRAP_DIV_ZERO},
    {"invalid conversion to integer", RT_TRAP_INVALID_CONVERSION},
    {"call stack exhausted", RT_TRAP_STACK_EXHAUSTED},
    {"unaligned atomic", RT_TRAP_UNALIGNED_ATOMIC},
    {"expected shared memory", RT_TRAP_WAIT_UNSHARED},
};

rt_trap_kind wast_trap_kind_from_text(const char *text) {
    if (text == NULL) return RT_TRAP_NONE;
    for (size_t i = 0; i < sizeof trap_texts / sizeof trap_texts[0]; i++) {
        size_t n = strlen(trap_texts[i].text);
        if (strncmp(text, trap_texts[i].text, n) == 0) return trap_texts[i].kind;
    }
    return RT_TRAP_NONE;
}

void wast_format_name(const wasm_name *name, char *buf, size_t len) {
    assert(len >= 3);
    size_t o = 0;
    buf[o++] = '"';
    for (uint32_t i = 0; i < name->len && o + 6 < len; i++) {
        unsigned char c = (unsigned char)name->bytes[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            buf[o++] = (char)c;
        else
            o += (size_t)snprintf(buf + o, len - o, "\\%02x", c);
    }
    buf[o++] = '"';
    buf[o] = '\0';
}

/* Copy of the JSON text with every \u0000 escape inside a string replaced by the raw byte 0xFF. */
static char *protect_nul_escapes(const char *text, size_t len) {
    char *out = malloc(len + 1);
    if (out == NULL) return NULL;
    size_t o = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!in_string) {
            if (c == '"') in_string = true;
            out[o++] = c;
            continue;
        }
        if (c == '"') {
            in_string = false;
            out[o++] = c;
        } else if (c == '\\' && i + 5 < len && memcmp(text + i + 1, "u0000", 5) == 0) {
            out[o++] = (char)0xFF;
            i += 5;
        } else if (c == '\\' && i + 1 < len) {
            out[o++] = c; /* any other escape: copy both characters so \" does not end the string */
            out[o++] = text[++i];
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return out;
}

/* Turns a cJSON string (with 0xFF standing for NUL) into a wasm_name, in place. */
static wasm_name name_from_json(char *s) {
    wasm_name n = {s, (uint32_t)strlen(s)};
    for (uint32_t i = 0; i < n.len; i++)
        if ((unsigned char)s[i] == 0xFF) s[i] = '\0';
    return n;
}

static const char *get_string(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static char *dup_printf(const char *fmt, const char *a, const char *b) {
    char buf[512];
    snprintf(buf, sizeof buf, fmt, a, b);
    return strdup(buf);
}

/* Records a problem with a command; the first one wins. */
static void set_problem(wast_command *c, wast_parse_result kind, const char *msg) {
    if (c->error != NULL || c->unsupported != NULL) return;
    if (kind == WAST_PARSE_UNSUPPORTED)
        c->unsupported = strdup(msg);
    else
        c->error = strdup(msg);
}

static void parse_value_list(wast_command *c, const cJSON *list, bool expectation, uint32_t *count,
                             wast_value **values);

/* One value, or an "either" of several (newer wast2json, expectations only). */
static void parse_one_value(wast_command *c, const cJSON *item, bool expectation, wast_value *out) {
    char err[256];
    memset(out, 0, sizeof *out);
    const char *type = get_string(item, "type");
    if (expectation && type != NULL && strcmp(type, "either") == 0) {
        out->pattern = WAST_PAT_EITHER;
        parse_value_list(c, cJSON_GetObjectItemCaseSensitive(item, "values"), true, &out->nalts,
                         &out->alts);
        return;
    }
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
    if (value != NULL && !cJSON_IsString(value)) {
        /* v128 values are arrays of lanes; anything else is malformed. */
        if (type != NULL && strcmp(type, "v128") == 0)
            set_problem(c, WAST_PARSE_UNSUPPORTED, "v128 values (SIMD) are not supported");
        else
            set_problem(c, WAST_PARSE_BAD, "value is not a string");
        return;
    }
    wast_parse_result r = wast_value_parse(type, value ? value->valuestring : NULL, expectation,
                                           out, err, sizeof err);
    if (r != WAST_PARSE_OK) set_problem(c, r, err);
}

static void parse_value_list(wast_command *c, const cJSON *list, bool expectation, uint32_t *count,
                             wast_value **values) {
    *count = 0;
    *values = NULL;
    if (list == NULL) return;
    if (!cJSON_IsArray(list)) {
        set_problem(c, WAST_PARSE_BAD, "value list is not an array");
        return;
    }
    int n = cJSON_GetArraySize(list);
    if (n == 0) return;
    *values = calloc((size_t)n, sizeof **values);
    if (*values == NULL) {
        set_problem(c, WAST_PARSE_BAD, "out of memory");
        return;
    }
    *count = (uint32_t)n;
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        if (!cJSON_IsObject(item))
            set_problem(c, WAST_PARSE_BAD, "value is not an object");
        else
            parse_one_value(c, item, expectation, &(*values)[i]);
        i++;
    }
}

static void parse_action(wast_command *c, const cJSON *action) {
    if (!cJSON_IsObject(action)) {
        set_problem(c, WAST_PARSE_BAD, "missing \"action\"");
        return;
    }
    c->has_action = true;
    const char *type = get_string(action, "type");
    if (type == NULL || (strcmp(type, "invoke") != 0 && strcmp(type, "get") != 0)) {
        char *msg = dup_printf("unknown action type \"%s\"%s", type ? type : "(none)", "");
        set_problem(c, WAST_PARSE_UNSUPPORTED, msg ? msg : "unknown action type");
        free(msg);
        return;
    }
    c->action.is_get = strcmp(type, "get") == 0;
    c->action.module = get_string(action, "module");
    cJSON *field = cJSON_GetObjectItemCaseSensitive(action, "field");
    if (!cJSON_IsString(field)) {
        set_problem(c, WAST_PARSE_BAD, "action without \"field\"");
        return;
    }
    c->action.field = name_from_json(field->valuestring);
    parse_value_list(c, cJSON_GetObjectItemCaseSensitive(action, "args"), false, &c->action.nargs,
                     &c->action.args);
}

static void parse_command(wast_command *c, const cJSON *obj) {
    memset(c, 0, sizeof *c);
    c->kind = WAST_CMD_UNKNOWN;
    if (!cJSON_IsObject(obj)) {
        c->type_name = "?";
        set_problem(c, WAST_PARSE_BAD, "command is not an object");
        return;
    }
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(obj, "line");
    if (cJSON_IsNumber(line) && line->valuedouble >= 0 && line->valuedouble < 4e9)
        c->line = (uint32_t)line->valuedouble;
    c->type_name = get_string(obj, "type");
    if (c->type_name == NULL) {
        c->type_name = "?";
        set_problem(c, WAST_PARSE_BAD, "command without \"type\"");
        return;
    }
    c->kind = cmd_kind_from_name(c->type_name);
    c->filename = get_string(obj, "filename");
    c->name = get_string(obj, "name");
    c->text = get_string(obj, "text");
    const char *module_type = get_string(obj, "module_type");
    c->text_module = module_type != NULL && strcmp(module_type, "text") == 0;

    switch (c->kind) {
    case WAST_CMD_UNKNOWN: {
        char *msg = dup_printf("command \"%s\" is not supported%s", c->type_name, "");
        set_problem(c, WAST_PARSE_UNSUPPORTED, msg ? msg : "unsupported command");
        free(msg);
        return;
    }
    case WAST_CMD_REGISTER: {
        cJSON *as = cJSON_GetObjectItemCaseSensitive(obj, "as");
        if (!cJSON_IsString(as))
            set_problem(c, WAST_PARSE_BAD, "register without \"as\"");
        else
            c->as = name_from_json(as->valuestring);
        return;
    }
    case WAST_CMD_MODULE:
    case WAST_CMD_ASSERT_INVALID:
    case WAST_CMD_ASSERT_MALFORMED:
    case WAST_CMD_ASSERT_UNLINKABLE:
    case WAST_CMD_ASSERT_UNINSTANTIABLE:
        if (c->filename == NULL)
            set_problem(c, WAST_PARSE_BAD, "module command without \"filename\"");
        return;
    case WAST_CMD_ASSERT_TRAP:
        /* Newer wast2json may write a module form of assert_trap (instantiation traps). */
        if (c->filename != NULL && cJSON_GetObjectItemCaseSensitive(obj, "action") == NULL) {
            c->kind = WAST_CMD_ASSERT_UNINSTANTIABLE;
            return;
        }
        parse_action(c, cJSON_GetObjectItemCaseSensitive(obj, "action"));
        return;
    case WAST_CMD_ACTION:
    case WAST_CMD_ASSERT_EXHAUSTION:
        parse_action(c, cJSON_GetObjectItemCaseSensitive(obj, "action"));
        return;
    case WAST_CMD_ASSERT_RETURN:
        parse_action(c, cJSON_GetObjectItemCaseSensitive(obj, "action"));
        parse_value_list(c, cJSON_GetObjectItemCaseSensitive(obj, "expected"), true, &c->nexpected,
                         &c->expected);
        return;
    }
}

bool wast_script_parse(const char *text, size_t len, wast_script *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    char *prepared = protect_nul_escapes(text, len);
    if (prepared == NULL) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    cJSON *root = cJSON_Parse(prepared);
    free(prepared);
    if (root == NULL) {
        snprintf(err, errlen, "malformed JSON");
        return false;
    }
    const cJSON *commands = cJSON_GetObjectItemCaseSensitive(root, "commands");
    if (!cJSON_IsObject(root) || !cJSON_IsArray(commands)) {
        snprintf(err, errlen, "JSON has no \"commands\" array");
        cJSON_Delete(root);
        return false;
    }
    int n = cJSON_GetArraySize(commands);
    out->json = root;
    if (n > 0) {
        out->commands = calloc((size_t)n, sizeof *out->commands);
        if (out->commands == NULL) {
            snprintf(err, errlen, "out of memory");
            wast_script_free(out);
            return false;
        }
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, commands) {
        parse_command(&out->commands[out->ncommands++], item);
    }
    assert(out->ncommands == (uint32_t)n);
    return true;
}

bool wast_script_load(const char *path, wast_script *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) break;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (buf == NULL || read_error) {
        snprintf(err, errlen, "%s: %s", path, buf == NULL ? "out of memory" : "read error");
        free(buf);
        return false;
    }
    bool ok = wast_script_parse(buf, len, out, err, errlen);
    free(buf);
    return ok;
}

static void free_values(uint32_t n, wast_value *values) {
    for (uint32_t i = 0; i < n; i++)
        wast_value_clear(&values[i]);
    free(values);
}

void wast_script_free(wast_script *s) {
    for (uint32_t i = 0; i < s->ncommands; i++) {
        wast_command *c = &s->commands[i];
        free_values(c->action.nargs, c->action.args);
        free_values(c->nexpected, c->expected);
        free(c->error);
        free(c->unsupported);
    }
    free(s->commands);
    cJSON_Delete(s->json);
    memset(s, 0, sizeof *s);
}

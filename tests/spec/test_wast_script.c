/*
 * test_wast_script.c — unit tests of the engine-free parts of the spec-test runner: reading
 * wast2json's JSON (every command kind, names with NUL bytes, malformed and unsupported commands),
 * the trap texts, the known-failures list, the per-script report and its wire records, and the
 * wast2json conversion into a temporary folder.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "wast/wast_convert.h"
#include "wast/wast_known.h"
#include "wast/wast_report.h"
#include "wast/wast_script.h"

static const char script_json[] =
    "{\"source_filename\": \"t.wast\",\n"
    " \"commands\": [\n"
    "  {\"type\": \"module\", \"line\": 1, \"filename\": \"t.0.wasm\"},\n"
    "  {\"type\": \"module\", \"line\": 2, \"name\": \"$M\", \"filename\": \"t.1.wasm\"},\n"
    "  {\"type\": \"register\", \"line\": 3, \"name\": \"$M\", \"as\": \"reg\\u0000x\"},\n"
    "  {\"type\": \"assert_return\", \"line\": 4, \"action\": {\"type\": \"invoke\", "
    "\"module\": \"$M\", \"field\": \"\\u0000a\\u0000\\\"\\\\u0000\", "
    "\"args\": [{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": \"externref\", \"value\": "
    "\"null\"}]}, \"expected\": [{\"type\": \"f32\", \"value\": \"nan:canonical\"}, "
    "{\"type\": \"either\", \"values\": [{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": "
    "\"i32\", \"value\": \"2\"}]}]},\n"
    "  {\"type\": \"action\", \"line\": 5, \"action\": {\"type\": \"get\", \"field\": \"g\"}, "
    "\"expected\": [{\"type\": \"i32\"}]},\n"
    "  {\"type\": \"assert_trap\", \"line\": 6, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"f\", \"args\": []}, \"text\": \"unreachable\", \"expected\": [{\"type\": \"i32\"}]},\n"
    "  {\"type\": \"assert_exhaustion\", \"line\": 7, \"action\": {\"type\": \"invoke\", "
    "\"field\": \"r\", \"args\": []}, \"text\": \"call stack exhausted\", \"expected\": []},\n"
    "  {\"type\": \"assert_invalid\", \"line\": 8, \"filename\": \"t.2.wasm\", \"text\": \"type "
    "mismatch\", \"module_type\": \"binary\"},\n"
    "  {\"type\": \"assert_malformed\", \"line\": 9, \"filename\": \"t.3.wat\", \"text\": "
    "\"unexpected token\", \"module_type\": \"text\"},\n"
    "  {\"type\": \"assert_unlinkable\", \"line\": 10, \"filename\": \"t.4.wasm\", \"text\": "
    "\"unknown import\", \"module_type\": \"binary\"},\n"
    "  {\"type\": \"assert_uninstantiable\", \"line\": 11, \"filename\": \"t.5.wasm\", "
    "\"text\": \"unreachable\", \"module_type\": \"binary\"},\n"
    "  {\"type\": \"assert_trap\", \"line\": 12, \"filename\": \"t.6.wasm\", \"text\": "
    "\"out of bounds memory access\", \"module_type\": \"binary\"},\n"
    "  {\"type\": \"assert_return\", \"line\": 13, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"v\", \"args\": [{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"0\", \"0\", "
    "\"0\", \"0\"]}]}, \"expected\": []},\n"
    "  {\"type\": \"assert_return\", \"line\": 14, \"action\": {\"type\": \"invoke\", \"field\": "
    "\"f\", \"args\": [{\"type\": \"i32\", \"value\": \"x\"}]}, \"expected\": []},\n"
    "  {\"type\": \"assert_return\", \"line\": 15},\n"
    "  {\"type\": \"thread\", \"line\": 16},\n"
    "  {\"line\": 17},\n"
    "  \"junk\"\n"
    " ]}\n";

static void test_script_parse(void) {
    wast_script s;
    char err[256];
    CHECK(wast_script_parse(script_json, strlen(script_json), &s, err, sizeof err));
    CHECK(s.ncommands == 18);
    if (s.ncommands != 18) return;
    wast_command *c = s.commands;

    CHECK(c[0].kind == WAST_CMD_MODULE && c[0].line == 1 && strcmp(c[0].filename, "t.0.wasm") == 0);
    CHECK(c[0].name == NULL && !c[0].error && !c[0].unsupported);
    CHECK(c[1].kind == WAST_CMD_MODULE && strcmp(c[1].name, "$M") == 0);

    CHECK(c[2].kind == WAST_CMD_REGISTER && strcmp(c[2].name, "$M") == 0);
    CHECK(c[2].as.len == 5 && memcmp(c[2].as.bytes, "reg\0x", 5) == 0);

    wast_command *r = &c[3];
    CHECK(r->kind == WAST_CMD_ASSERT_RETURN && r->has_action && !r->action.is_get);
    CHECK(strcmp(r->action.module, "$M") == 0);
    /* "\u0000a\u0000\"\\u0000": NUL a NUL quote, then a literal backslash-u0000 (6 bytes). */
    CHECK(r->action.field.len == 10);
    CHECK(memcmp(r->action.field.bytes, "\0a\0\"\\u0000", 10) == 0);
    CHECK(r->action.nargs == 2 && r->action.args[0].v.i32 == 1 && r->action.args[1].type == 0x6F);
    CHECK(r->action.args[1].v.ref == NULL);
    CHECK(r->nexpected == 2 && r->expected[0].pattern == WAST_PAT_NAN_CANONICAL);
    CHECK(r->expected[1].pattern == WAST_PAT_EITHER && r->expected[1].nalts == 2);
    CHECK(!r->error && !r->unsupported);
    char name[64];
    wast_format_name(&r->action.field, name, sizeof name);
    CHECK(strcmp(name, "\"\\00a\\00\\22\\5cu0000\"") == 0);

    CHECK(c[4].kind == WAST_CMD_ACTION && c[4].action.is_get && c[4].action.module == NULL);
    CHECK(c[4].nexpected == 0); /* types of actions are ignored */
    CHECK(c[5].kind == WAST_CMD_ASSERT_TRAP && strcmp(c[5].text, "unreachable") == 0);
    CHECK(c[5].action.nargs == 0 && c[5].action.field.len == 1);
    CHECK(c[6].kind == WAST_CMD_ASSERT_EXHAUSTION);
    CHECK(c[7].kind == WAST_CMD_ASSERT_INVALID && !c[7].text_module);
    CHECK(c[8].kind == WAST_CMD_ASSERT_MALFORMED && c[8].text_module);
    CHECK(c[9].kind == WAST_CMD_ASSERT_UNLINKABLE);
    CHECK(c[10].kind == WAST_CMD_ASSERT_UNINSTANTIABLE);
    /* The module form of assert_trap is an instantiation trap. */
    CHECK(c[11].kind == WAST_CMD_ASSERT_UNINSTANTIABLE && strcmp(c[11].filename, "t.6.wasm") == 0);
    CHECK(c[12].unsupported && !c[12].error); /* v128 argument */
    CHECK(c[13].error && !c[13].unsupported); /* bad i32 */
    CHECK(c[14].error);                       /* no action */
    CHECK(c[15].kind == WAST_CMD_UNKNOWN && c[15].unsupported);
    CHECK(c[16].error); /* no type */
    CHECK(c[17].error); /* not an object */
    CHECK(strcmp(wast_cmd_name(WAST_CMD_ASSERT_UNLINKABLE), "assert_unlinkable") == 0);
    wast_script_free(&s);
    CHECK(s.commands == NULL && s.ncommands == 0);
}

static void test_script_errors(void) {
    wast_script s;
    char err[256];
    CHECK(!wast_script_parse("{\"commands\": [", 14, &s, err, sizeof err));
    CHECK(strstr(err, "JSON") != NULL);
    CHECK(!wast_script_parse("{\"x\": 1}", 8, &s, err, sizeof err));
    CHECK(strstr(err, "commands") != NULL);
    CHECK(!wast_script_parse("[1]", 3, &s, err, sizeof err));
    CHECK(!wast_script_parse("", 0, &s, err, sizeof err));
    CHECK(wast_script_parse("{\"commands\": []}", 16, &s, err, sizeof err));
    CHECK(s.ncommands == 0);
    wast_script_free(&s);
    /* A truncated escape at the very end must not read past the buffer. */
    CHECK(!wast_script_parse("{\"commands\": [\"\\u00", 19, &s, err, sizeof err));
    CHECK(!wast_script_load("/nonexistent/x.json", &s, err, sizeof err));
    CHECK(strstr(err, "/nonexistent/x.json") != NULL);
}

static void test_trap_texts(void) {
    CHECK(wast_trap_kind_from_text("integer divide by zero") == RT_TRAP_DIV_ZERO);
    CHECK(wast_trap_kind_from_text("uninitialized element 2") == RT_TRAP_INDIRECT_NULL);
    CHECK(wast_trap_kind_from_text("undefined element") == RT_TRAP_INDIRECT_OOB);
    CHECK(wast_trap_kind_from_text("out of bounds table access") == RT_TRAP_TABLE_OOB);
    CHECK(wast_trap_kind_from_text("out of bounds memory access") == RT_TRAP_MEMORY_OOB);
    CHECK(wast_trap_kind_from_text("unaligned atomic") == RT_TRAP_UNALIGNED_ATOMIC);
    CHECK(wast_trap_kind_from_text("call stack exhausted") == RT_TRAP_STACK_EXHAUSTED);
    CHECK(wast_trap_kind_from_text("something else") == RT_TRAP_NONE);
    CHECK(wast_trap_kind_from_text(NULL) == RT_TRAP_NONE);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) return;
    fputs(text, f);
    fclose(f);
}

static void test_known(void) {
    wast_known k;
    memset(&k, 0, sizeof k);
    char err[256];
    char path[] = "/tmp/granny-known-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    write_file(path, "# comment\n\ncore/a.wast 12 reason one\n  threads/b.wast\t7  two words  \n");
    CHECK(wast_known_load(&k, path, err, sizeof err));
    CHECK(k.n == 2);
    CHECK(strcmp(wast_known_find(&k, "core/a.wast", 12), "reason one") == 0);
    CHECK(strcmp(wast_known_find(&k, "threads/b.wast", 7), "two words  ") == 0);
    CHECK(wast_known_find(&k, "core/a.wast", 7) == NULL);
    CHECK(wast_known_find(&k, "core/b.wast", 7) == NULL);

    write_file(path, "core/a.wast 12\n");
    CHECK(!wast_known_load(&k, path, err, sizeof err)); /* no reason */
    CHECK(strstr(err, ":1:") != NULL);
    write_file(path, "core/a.wast x12 r\n");
    CHECK(!wast_known_load(&k, path, err, sizeof err));
    write_file(path, "core/a.wast 0 r\n");
    CHECK(!wast_known_load(&k, path, err, sizeof err));
    unlink(path);
    CHECK(!wast_known_load(&k, path, err, sizeof err)); /* missing file */

    CHECK(wast_known_add_lines(&k, "30,40", err, sizeof err));
    CHECK(wast_known_find(&k, "any/thing.wast", 40) != NULL);
    CHECK(!wast_known_add_lines(&k, "30,,40", err, sizeof err));
    CHECK(!wast_known_add_lines(&k, "", err, sizeof err));
    CHECK(!wast_known_add_lines(&k, "5,x", err, sizeof err));
    wast_known_free(&k);
    CHECK(k.n == 0);

    char name[64];
    wast_display_name("/a/b/wasm-testsuite/core/i32.wast", name, sizeof name);
    CHECK(strcmp(name, "core/i32.wast") == 0);
    wast_display_name("i32.wast", name, sizeof name);
    CHECK(strcmp(name, "i32.wast") == 0);
    wast_display_name("./core/x.wast", name, sizeof name);
    CHECK(strcmp(name, "core/x.wast") == 0);
    wast_display_name("threads/atomic.wast", name, sizeof name);
    CHECK(strcmp(name, "threads/atomic.wast") == 0);
}

static char *print_report(const wast_file_report *r, bool verbose) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    wast_report_print(f, r, verbose, 2);
    fclose(f);
    return text;
}

static void test_report(void) {
    wast_known k;
    memset(&k, 0, sizeof k);
    CHECK(wast_known_add(&k, "core/x.wast", 20, "engine bug X"));
    CHECK(wast_known_add(&k, "core/x.wast", 21, "engine bug Y"));
    wast_file_report r;
    wast_report_init(&r, "/somewhere/core/x.wast", &k);
    CHECK(strcmp(r.display, "core/x.wast") == 0);
    CHECK(wast_report_apply(&r, "T 6"));
    CHECK(wast_report_apply(&r, "P 10"));
    CHECK(wast_report_apply(&r, "S 11 text-format module"));
    CHECK(wast_report_apply(&r, "F 20 assert_return: expected 1, got 2")); /* known */
    CHECK(!wast_report_failed(&r));
    char *text = print_report(&r, false);
    CHECK(strcmp(text, "PASS core/x.wast  (1 passed, 0 failed, 1 skipped, 1 known failure)\n") ==
          0);
    free(text);
    CHECK(wast_report_apply(&r, "P 21")); /* known failure that passes: a failure */
    CHECK(wast_report_failed(&r) && r.failed == 1 && r.known_failed == 1);
    CHECK(wast_report_apply(&r, "F 30 assert_trap: expected trap"));
    CHECK(!wast_report_apply(&r, "X 1"));
    CHECK(!wast_report_apply(&r, "P"));
    CHECK(!wast_report_apply(&r, "Pabc"));
    CHECK(!wast_report_apply(&r, "F x msg"));
    CHECK(!r.finished);
    CHECK(wast_report_apply(&r, "E"));
    CHECK(r.finished);
    text = print_report(&r, false);
    CHECK(strstr(text, "FAIL core/x.wast  (1 passed, 2 failed, 1 skipped, 1 known failure)\n") ==
          text);
    CHECK(strstr(text, "line 21: passes but is listed") != NULL);
    CHECK(strstr(text, "line 30: assert_trap: expected trap") != NULL);
    CHECK(strstr(text, "skipped:") == NULL); /* skips only with -v */
    free(text);
    text = print_report(&r, true);
    CHECK(strstr(text, "line 11: skipped: text-format module") != NULL);
    CHECK(strstr(text, "line 20: known: assert_return") != NULL);
    free(text);
    CHECK(r.seen == 5);
    CHECK(wast_report_apply(&r, "B 40"));
    wast_report_crashed(&r, "crashed (signal 11, Segmentation fault)");
    CHECK(r.failed == 3); /* 6 announced, 5 seen: one lost */
    text = print_report(&r, true);
    CHECK(strstr(text, "line 40: runner crashed (signal 11, Segmentation fault) while running "
                       "this command; 1 command not run") != NULL);
    free(text);
    wast_report_error(&r, "x");
    CHECK(r.failed == 4);
    text = print_report(&r, false); /* at most 2 failures without -v */
    CHECK(strstr(text, "... and 2 more failures") != NULL);
    free(text);
    wast_report_free(&r);

    wast_report_init(&r, "core/y.wast", NULL);
    wast_report_crashed(&r, "exited with status 3");
    text = print_report(&r, false);
    CHECK(strstr(text, "line 0: runner exited with status 3 before the first command; 1 command") !=
          NULL);
    free(text);
    CHECK(wast_report_apply(&r, "T 2"));
    CHECK(wast_report_apply(&r, "B 3"));
    CHECK(wast_report_apply(&r, "P 3"));
    CHECK(r.running_line == 0);
    wast_report_crashed(&r, "timed out (killed)");
    text = print_report(&r, false);
    CHECK(strstr(text, "line 3: runner timed out (killed) after line 3; 1 command") != NULL);
    free(text);
    wast_report_free(&r);

    wast_report_init(&r, "core/simd_x.wast", NULL);
    CHECK(wast_report_apply(&r, "Z SIMD is not supported; no wast2json"));
    text = print_report(&r, false);
    CHECK(strcmp(text, "SKIP core/simd_x.wast  (SIMD is not supported; no wast2json)\n") == 0);
    free(text);
    CHECK(!wast_report_failed(&r));
    wast_report_free(&r);
    wast_known_free(&k);
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_convert(void) {
    char dir[] = "/tmp/granny-convert-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char good[256], bad[256], threads_dir[256], atomic[256];
    snprintf(good, sizeof good, "%s/good.wast", dir);
    snprintf(bad, sizeof bad, "%s/bad.wast", dir);
    snprintf(threads_dir, sizeof threads_dir, "%s/threads", dir);
    snprintf(atomic, sizeof atomic, "%s/threads/atomic.wast", dir);
    write_file(good, "(module (func (export \"f\") (result i32) (i32.const 7)))\n"
                     "(assert_return (invoke \"f\") (i32.const 7))\n");
    write_file(bad, "(module (func (export \"f\") (result i32) (i32.const\n");
    mkdir(threads_dir, 0755);
    write_file(atomic, "(module (memory 1 1 shared) (func (export \"f\") (result i32)\n"
                       "  (i32.atomic.load (i32.const 0))))\n");

    wast_converted c;
    char err[512];
    CHECK(wast_convert(NULL, good, false, &c, err, sizeof err));
    CHECK(exists(c.json));
    CHECK(strstr(c.json, "/good.json") != NULL);
    char wasm[4400];
    snprintf(wasm, sizeof wasm, "%s/good.0.wasm", c.dir);
    CHECK(exists(wasm));
    wast_script s;
    CHECK(wast_script_load(c.json, &s, err, sizeof err));
    CHECK(s.ncommands == 2);
    wast_script_free(&s);
    char tmpdir[4096];
    snprintf(tmpdir, sizeof tmpdir, "%s", c.dir);
    wast_convert_cleanup(&c);
    CHECK(!exists(tmpdir));
    CHECK(c.dir[0] == '\0');
    wast_convert_cleanup(&c); /* twice is harmless */

    CHECK(wast_convert(NULL, atomic, true, &c, err, sizeof err));
    wast_convert_cleanup(&c);

    CHECK(!wast_convert(NULL, bad, false, &c, err, sizeof err));
    CHECK(strstr(err, "wast2json") != NULL && strlen(err) > 12);
    CHECK(c.dir[0] == '\0');
    CHECK(!wast_convert(NULL, "/nonexistent.wast", false, &c, err, sizeof err));
    CHECK(strstr(err, "/nonexistent.wast") != NULL);
    CHECK(!wast_convert("/nonexistent/wast2json", good, false, &c, err, sizeof err));
    CHECK(strstr(err, "cannot run") != NULL);

    unlink(good);
    unlink(bad);
    unlink(atomic);
    rmdir(threads_dir);
    rmdir(dir);
}

int main(void) {
    test_script_parse();
    test_script_errors();
    test_trap_texts();
    test_known();
    test_report();
    test_convert();
    if (check_failures) fprintf(stderr, "%d checks failed\n", check_failures);
    return check_failures != 0;
}

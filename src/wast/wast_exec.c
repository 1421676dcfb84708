/*
 * wast_exec.c — runs the commands of a spec-test script (see wast_exec.h).
 *
 * State of one script: the spectest module, every module loaded so far (with its instance, or
 * NULL when loading or instantiation failed, and its "$name"), the current module (the last one
 * defined, NULL when that one failed), and the registered names. The resolver given to every
 * instantiation looks an import's module name up among the registered names first (latest
 * registration wins), then `spectest`, and the field among that instance's exports.
 *
 * Outcomes per command:
 *   module                     pass when it loads and instantiates
 *   register                   pass when the module to register exists
 *   action                     pass when it runs without trapping (results are ignored)
 *   assert_return              pass when the results match the expectations exactly
 *   assert_trap / _exhaustion  pass when the action traps with the kind the text names
 *   assert_invalid / _malformed  pass when the binary is rejected (text modules are skipped)
 *   assert_unlinkable          pass when the module loads but linking fails (no trap)
 *   assert_uninstantiable      pass when instantiation traps with the kind the text names
 */
#include "wast/wast_exec.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast/wast_spectest.h"

typedef struct loaded_module {
    rt_module *module;     /* NULL when loading failed */
    rt_instance *instance; /* NULL when loading or instantiation failed */
    const char *name;      /* "$name" or NULL */
    char *error;           /* why it failed, for later commands that use it */
} loaded_module;

typedef struct registration {
    wasm_name as;
    rt_instance *instance;
} registration;

typedef struct exec_state {
    const wast_script *script;
    const char *dir;
    const wast_exec_options *opts;
    const wast_sink *sink;
    wast_spectest *spectest;
    loaded_module *mods;
    uint32_t nmods, capmods;
    loaded_module *current; /* last module command, or NULL before the first */
    registration *regs;
    uint32_t nregs, capregs;
} exec_state;

/* Does the trap meet the assertion text? By kind when the text names one, else by message. */
static bool trap_matches(const char *text, const rt_trap_info *trap) {
    rt_trap_kind want = wast_trap_kind_from_text(text);
    if (want != RT_TRAP_NONE) return trap->kind == want;
    return text != NULL && strncmp(trap->msg, text, strlen(text)) == 0;
}

/* ---- Formatting ---- */

static void format_action(const wast_action *a, char *buf, size_t len) {
    char name[128];
    wast_format_name(&a->field, name, sizeof name);
    size_t o = (size_t)snprintf(buf, len, "%s%s%s %s", a->is_get ? "get" : "invoke",
                                a->module ? " " : "", a->module ? a->module : "", name);
    if (a->is_get || o >= len) return;
    o += (size_t)snprintf(buf + o, len - o, "(");
    for (uint32_t i = 0; i < a->nargs && o < len; i++) {
        char v[80];
        wast_value_format(&a->args[i], v, sizeof v);
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", v);
    }
    if (o < len) snprintf(buf + o, len - o, ")");
}

static void report(exec_state *st, wast_outcome outcome, const wast_command *c, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

/* Sends one outcome; for fail/skip the message is "<command>: <details>" on one line. */
static void report(exec_state *st, wast_outcome outcome, const wast_command *c, const char *fmt,
                   ...) {
    if (outcome == WAST_PASS) {
        st->sink->result(st->sink->ctx, WAST_PASS, c->line, NULL);
        return;
    }
    char what[512], details[1024], msg[1600];
    if (c->has_action)
        format_action(&c->action, what, sizeof what);
    else if (c->filename)
        snprintf(what, sizeof what, "%s", c->filename);
    else
        what[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(details, sizeof details, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s%s%s: %s", c->type_name, what[0] ? " " : "", what, details);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    st->sink->result(st->sink->ctx, outcome, c->line, msg);
}

/* ---- Modules, exports and the resolver ---- */

static bool name_has_nul(const wasm_name *n) {
    return memchr(n->bytes, '\0', n->len) != NULL;
}

static bool names_equal(const wasm_name *a, const wasm_name *b) {
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* Export lookup by a name with a length. rt_instance_export takes a C string, so names with an
 * embedded NUL are found through the module IR and the instance layout of rt_abi.h instead. */
static bool find_export(rt_instance *inst, const wasm_name *name, rt_extern *out) {
    if (!name_has_nul(name)) return rt_instance_export(inst, name->bytes, out);
    rt_module *m = rt_instance_module(inst);
    const wasm_module *ir = rt_module_ir(m);
    for (uint32_t i = 0; i < ir->nexports; i++) {
        const wasm_export *e = &ir->exports[i];
        if (!names_equal(&e->name, name)) continue;
        memset(out, 0, sizeof *out);
        out->kind = e->kind;
        switch (e->kind) {
        case WASM_EXTERN_FUNC: out->u.func = inst->funcs[e->index]; return true;
        case WASM_EXTERN_TABLE: out->u.table = inst->tables[e->index]; return true;
        case WASM_EXTERN_MEMORY: out->u.memory = inst->memory; return true;
        case WASM_EXTERN_GLOBAL: {
            const rt_global_desc *g = &rt_module_descriptor(m)->globals[e->index];
            out->u.global = g->imported ? inst->global_imports[g->slot] : &inst->globals[g->slot];
            out->global_valtype = g->valtype;
            out->global_mutable = g->mutable_;
            return true;
        }
        }
    }
    return false;
}

static bool resolve_import(void *ctx, const wasm_name *module, const wasm_name *name,
                           wasm_extern_kind kind, rt_extern *out) {
    exec_state *st = ctx;
    for (uint32_t i = st->nregs; i-- > 0;)
        if (names_equal(&st->regs[i].as, module))
            return find_export(st->regs[i].instance, name, out);
    wasm_name spectest = {"spectest", 8};
    if (names_equal(module, &spectest)) return wast_spectest_lookup(st->spectest, name, kind, out);
    return false;
}

static bool read_file(const char *dir, const char *file, uint8_t **bytes, size_t *len, char *err,
                      size_t errlen) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open %.400s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool bad = buf == NULL || ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "cannot read %.400s", path);
        free(buf);
        return false;
    }
    *bytes = buf;
    *len = n;
    return true;
}

static loaded_module *add_module(exec_state *st) {
    if (st->nmods == st->capmods) {
        uint32_t cap = st->capmods ? st->capmods * 2 : 16;
        loaded_module *bigger = realloc(st->mods, cap * sizeof *bigger);
        if (bigger == NULL) return NULL;
        /* `current` points into the array: keep it valid across the move. */
        if (st->current) st->current = bigger + (st->current - st->mods);
        st->mods = bigger;
        st->capmods = cap;
    }
    loaded_module *lm = &st->mods[st->nmods++];
    memset(lm, 0, sizeof *lm);
    return lm;
}

typedef enum load_result {
    LOAD_OK,
    LOAD_BAD_FILE, /* the .wasm could not be read */
    LOAD_COMPILE,  /* rt_module_load failed */
    LOAD_LINK,     /* rt_instance_new failed without a trap */
    LOAD_TRAP,     /* rt_instance_new trapped (start function or segments) */
} load_result;

/* Loads and instantiates a module file into a new entry of st->mods (kept even on failure). */
static load_result load_module(exec_state *st, const wast_command *c, loaded_module **out,
                               rt_trap_info *trap, char *err, size_t errlen) {
    loaded_module *lm = add_module(st);
    memset(trap, 0, sizeof *trap);
    if (lm == NULL) {
        snprintf(err, errlen, "out of memory");
        *out = NULL;
        return LOAD_BAD_FILE;
    }
    *out = lm;
    lm->name = c->name;
    uint8_t *bytes;
    size_t len;
    if (!read_file(st->dir, c->filename, &bytes, &len, err, errlen)) return LOAD_BAD_FILE;
    rt_error rerr = {{0}};
    rt_load_stats stats;
    memset(&stats, 0, sizeof stats);
    lm->module = rt_module_load(bytes, len, &st->opts->load, &stats, &rerr);
    free(bytes);
    if (lm->module == NULL) {
        snprintf(err, errlen, "load failed: %s", rerr.msg);
        return LOAD_COMPILE;
    }
    if (st->opts->verbose)
        fprintf(stderr, "  line %u: %s loaded (%s, compile %.0f ms)\n", c->line, c->filename,
                stats.cache_hit ? "cache hit" : "compiled", stats.compile_ms);
    rt_instance_options io;
    memset(&io, 0, sizeof io);
    io.resolve = resolve_import;
    io.resolve_ctx = st;
    lm->instance = rt_instance_new(lm->module, &io, trap, &rerr);
    if (lm->instance != NULL) return LOAD_OK;
    if (trap->kind != RT_TRAP_NONE) {
        snprintf(err, errlen, "instantiation trapped: %s", trap->msg);
        return LOAD_TRAP;
    }
    snprintf(err, errlen, "instantiation failed: %s", rerr.msg);
    return LOAD_LINK;
}

static loaded_module *find_module(exec_state *st, const char *name) {
    if (name == NULL) return st->current;
    for (uint32_t i = st->nmods; i-- > 0;)
        if (st->mods[i].name && strcmp(st->mods[i].name, name) == 0) return &st->mods[i];
    return NULL;
}

/* The instance an action or register refers to, or NULL with a reason. */
static rt_instance *target_instance(exec_state *st, const char *name, char *err, size_t errlen) {
    loaded_module *lm = find_module(st, name);
    if (lm == NULL) {
        if (name)
            snprintf(err, errlen, "no module named %s", name);
        else
            snprintf(err, errlen, "no module defined yet");
        return NULL;
    }
    if (lm->instance == NULL) {
        snprintf(err, errlen, "%s%s failed earlier (%s)", name ? "module " : "the current module",
                 name ? name : "", lm->error ? lm->error : "?");
        return NULL;
    }
    return lm->instance;
}

/* ---- Actions ---- */

typedef enum action_result {
    ACTION_OK,
    ACTION_TRAP,
    ACTION_ERROR, /* could not run: no such module/export, argument mismatch */
} action_result;

typedef struct action_out {
    uint32_t nresults;
    uint8_t types[64];
    rt_value values[64];
    rt_trap_info trap;
    char error[512];
} action_out;

static bool type_matches_value(uint8_t valtype, const wast_value *v) {
    return v->type == valtype;
}

static action_result run_action(exec_state *st, const wast_action *a, action_out *out) {
    memset(out, 0, sizeof *out);
    rt_instance *inst = target_instance(st, a->module, out->error, sizeof out->error);
    if (inst == NULL) return ACTION_ERROR;
    rt_extern ext;
    char name[128];
    wast_format_name(&a->field, name, sizeof name);
    if (!find_export(inst, &a->field, &ext)) {
        snprintf(out->error, sizeof out->error, "no export %s", name);
        return ACTION_ERROR;
    }
    if (a->is_get) {
        if (ext.kind != WASM_EXTERN_GLOBAL) {
            snprintf(out->error, sizeof out->error, "export %s is not a global", name);
            return ACTION_ERROR;
        }
        out->nresults = 1;
        out->types[0] = ext.global_valtype;
        out->values[0] = *ext.u.global;
        return ACTION_OK;
    }
    if (ext.kind != WASM_EXTERN_FUNC) {
        snprintf(out->error, sizeof out->error, "export %s is not a function", name);
        return ACTION_ERROR;
    }
    const wasm_functype *ft = rt_funcref_type(ext.u.func);
    if (ft->nparams != a->nargs) {
        snprintf(out->error, sizeof out->error, "function takes %u arguments, %u given",
                 ft->nparams, a->nargs);
        return ACTION_ERROR;
    }
    if (ft->nresults > sizeof out->values / sizeof out->values[0]) {
        snprintf(out->error, sizeof out->error, "too many results (%u)", ft->nresults);
        return ACTION_ERROR;
    }
    uint32_t nio = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
    rt_value *io = calloc(nio ? nio : 1, sizeof *io);
    if (io == NULL) {
        snprintf(out->error, sizeof out->error, "out of memory");
        return ACTION_ERROR;
    }
    for (uint32_t i = 0; i < a->nargs; i++) {
        if (!type_matches_value(ft->params[i], &a->args[i])) {
            snprintf(out->error, sizeof out->error, "argument %u is %s, the function takes %s", i,
                     wast_valtype_name(a->args[i].type), wast_valtype_name(ft->params[i]));
            free(io);
            return ACTION_ERROR;
        }
        io[i] = a->args[i].v;
    }
    bool ok = rt_invoke(inst, ext.u.func, io, &out->trap);
    if (ok) {
        out->nresults = ft->nresults;
        for (uint32_t i = 0; i < ft->nresults; i++) {
            out->types[i] = ft->results[i];
            out->values[i] = io[i];
        }
    }
    free(io);
    return ok ? ACTION_OK : ACTION_TRAP;
}

static void format_results(const action_out *out, char *buf, size_t len) {
    size_t o = (size_t)snprintf(buf, len, "(");
    for (uint32_t i = 0; i < out->nresults && o < len; i++) {
        char v[80];
        wast_value_format_raw(out->types[i], out->values[i], v, sizeof v);
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", v);
    }
    if (o < len) snprintf(buf + o, len - o, ")");
}

static void format_expected(const wast_command *c, char *buf, size_t len) {
    size_t o = (size_t)snprintf(buf, len, "(");
    for (uint32_t i = 0; i < c->nexpected && o < len; i++) {
        char v[200];
        wast_value_format(&c->expected[i], v, sizeof v);
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", v);
    }
    if (o < len) snprintf(buf + o, len - o, ")");
}

/* ---- Commands ---- */

static void cmd_module(exec_state *st, const wast_command *c) {
    loaded_module *lm;
    rt_trap_info trap;
    char err[700];
    load_result r = load_module(st, c, &lm, &trap, err, sizeof err);
    if (lm == NULL) {
        report(st, WAST_FAIL, c, "%s", err);
        return;
    }
    st->current = lm;
    if (r == LOAD_OK) {
        report(st, WAST_PASS, c, NULL);
        return;
    }
    lm->error = strdup(err);
    report(st, WAST_FAIL, c, "%s", err);
}

static void cmd_register(exec_state *st, const wast_command *c) {
    char err[512];
    rt_instance *inst = target_instance(st, c->name, err, sizeof err);
    if (inst == NULL) {
        report(st, WAST_FAIL, c, "%s", err);
        return;
    }
    if (st->nregs == st->capregs) {
        uint32_t cap = st->capregs ? st->capregs * 2 : 8;
        registration *bigger = realloc(st->regs, cap * sizeof *bigger);
        if (bigger == NULL) {
            report(st, WAST_FAIL, c, "out of memory");
            return;
        }
        st->regs = bigger;
        st->capregs = cap;
    }
    st->regs[st->nregs++] = (registration){c->as, inst};
    report(st, WAST_PASS, c, NULL);
}

static void cmd_action(exec_state *st, const wast_command *c) {
    action_out out;
    switch (run_action(st, &c->action, &out)) {
    case ACTION_OK: report(st, WAST_PASS, c, NULL); return;
    case ACTION_TRAP: report(st, WAST_FAIL, c, "trapped: %s", out.trap.msg); return;
    case ACTION_ERROR: report(st, WAST_FAIL, c, "%s", out.error); return;
    }
}

static void cmd_assert_return(exec_state *st, const wast_command *c) {
    action_out out;
    char expected[1024], got[1024];
    switch (run_action(st, &c->action, &out)) {
    case ACTION_TRAP: report(st, WAST_FAIL, c, "unexpected trap: %s", out.trap.msg); return;
    case ACTION_ERROR: report(st, WAST_FAIL, c, "%s", out.error); return;
    case ACTION_OK: break;
    }
    bool ok = out.nresults == c->nexpected;
    for (uint32_t i = 0; ok && i < c->nexpected; i++)
        ok = wast_value_match(&c->expected[i], out.types[i], out.values[i]);
    if (ok) {
        report(st, WAST_PASS, c, NULL);
        return;
    }
    format_expected(c, expected, sizeof expected);
    format_results(&out, got, sizeof got);
    report(st, WAST_FAIL, c, "expected %s, got %s", expected, got);
}

static void cmd_assert_trap(exec_state *st, const wast_command *c) {
    action_out out;
    const char *text =
        c->kind == WAST_CMD_ASSERT_EXHAUSTION && c->text == NULL ? "call stack exhausted" : c->text;
    char got[1024];
    switch (run_action(st, &c->action, &out)) {
    case ACTION_ERROR: report(st, WAST_FAIL, c, "%s", out.error); return;
    case ACTION_OK:
        format_results(&out, got, sizeof got);
        report(st, WAST_FAIL, c, "expected trap \"%s\", got result %s", text ? text : "", got);
        return;
    case ACTION_TRAP: break;
    }
    if (trap_matches(text, &out.trap))
        report(st, WAST_PASS, c, NULL);
    else
        report(st, WAST_FAIL, c, "expected trap \"%s\", got trap \"%s\"", text ? text : "",
               out.trap.msg);
}

static void cmd_assert_rejected(exec_state *st, const wast_command *c) {
    if (c->text_module) {
        report(st, WAST_SKIP, c, "text-format module (tests the text parser)");
        return;
    }
    uint8_t *bytes;
    size_t len;
    char err[512];
    if (!read_file(st->dir, c->filename, &bytes, &len, err, sizeof err)) {
        report(st, WAST_FAIL, c, "%s", err);
        return;
    }
    rt_error rerr = {{0}};
    bool accepted = rt_module_check(bytes, len, &rerr);
    free(bytes);
    if (accepted)
        report(st, WAST_FAIL, c, "module was accepted, expected rejection \"%s\"",
               c->text ? c->text : "");
    else
        report(st, WAST_PASS, c, NULL);
}

static void cmd_assert_unlinkable(exec_state *st, const wast_command *c) {
    loaded_module *lm;
    rt_trap_info trap;
    char err[700];
    switch (load_module(st, c, &lm, &trap, err, sizeof err)) {
    case LOAD_LINK: report(st, WAST_PASS, c, NULL); return;
    case LOAD_OK:
        report(st, WAST_FAIL, c, "module linked, expected \"%s\"", c->text ? c->text : "");
        return;
    case LOAD_TRAP:
        report(st, WAST_FAIL, c, "expected link error \"%s\", got trap \"%s\"",
               c->text ? c->text : "", trap.msg);
        return;
    case LOAD_BAD_FILE:
    case LOAD_COMPILE: report(st, WAST_FAIL, c, "%s", err); return;
    }
}

static void cmd_assert_uninstantiable(exec_state *st, const wast_command *c) {
    loaded_module *lm;
    rt_trap_info trap;
    char err[700];
    switch (load_module(st, c, &lm, &trap, err, sizeof err)) {
    case LOAD_TRAP:
        if (trap_matches(c->text, &trap))
            report(st, WAST_PASS, c, NULL);
        else
            report(st, WAST_FAIL, c, "expected trap \"%s\", got trap \"%s\"",
                   c->text ? c->text : "", trap.msg);
        return;
    case LOAD_OK:
        report(st, WAST_FAIL, c, "module instantiated, expected trap \"%s\"",
               c->text ? c->text : "");
        return;
    case LOAD_LINK:
    case LOAD_BAD_FILE:
    case LOAD_COMPILE: report(st, WAST_FAIL, c, "%s", err); return;
    }
}

static void run_command(exec_state *st, const wast_command *c) {
    if (st->sink->begin) st->sink->begin(st->sink->ctx, c->line);
    if (st->opts->skip_all) {
        report(st, WAST_SKIP, c, "%s", st->opts->skip_all);
        return;
    }
    if (c->error) {
        report(st, WAST_FAIL, c, "malformed command: %s", c->error);
        return;
    }
    if (c->unsupported) {
        report(st, WAST_SKIP, c, "%s", c->unsupported);
        return;
    }
    if (st->opts->verbose) fprintf(stderr, "  line %u: %s\n", c->line, c->type_name);
    switch (c->kind) {
    case WAST_CMD_MODULE: cmd_module(st, c); return;
    case WAST_CMD_REGISTER: cmd_register(st, c); return;
    case WAST_CMD_ACTION: cmd_action(st, c); return;
    case WAST_CMD_ASSERT_RETURN: cmd_assert_return(st, c); return;
    case WAST_CMD_ASSERT_TRAP:
    case WAST_CMD_ASSERT_EXHAUSTION: cmd_assert_trap(st, c); return;
    case WAST_CMD_ASSERT_INVALID:
    case WAST_CMD_ASSERT_MALFORMED: cmd_assert_rejected(st, c); return;
    case WAST_CMD_ASSERT_UNLINKABLE: cmd_assert_unlinkable(st, c); return;
    case WAST_CMD_ASSERT_UNINSTANTIABLE: cmd_assert_uninstantiable(st, c); return;
    case WAST_CMD_UNKNOWN: report(st, WAST_SKIP, c, "unsupported command"); return;
    }
}

static void run_all(void *arg) {
    exec_state *st = arg;
    for (uint32_t i = 0; i < st->script->ncommands; i++)
        run_command(st, &st->script->commands[i]);
}

bool wast_exec_script(const wast_script *script, const char *dir, const wast_exec_options *opts,
                      const wast_sink *sink, rt_error *err) {
    exec_state st;
    memset(&st, 0, sizeof st);
    st.script = script;
    st.dir = dir;
    st.opts = opts;
    st.sink = sink;
    if (opts->skip_all == NULL) {
        st.spectest = wast_spectest_new(opts->verbose, err);
        if (st.spectest == NULL) return false;
    }
    bool ok = true;
    if (opts->skip_all != NULL) {
        run_all(&st);
    } else if (rt_run_on_thread(opts->stack_size, run_all, &st) != 0) {
        snprintf(err->msg, sizeof err->msg, "cannot start the thread that runs the script");
        ok = false;
    }
    for (uint32_t i = st.nmods; i-- > 0;)
        if (st.mods[i].instance) rt_instance_free(st.mods[i].instance);
    for (uint32_t i = st.nmods; i-- > 0;) {
        if (st.mods[i].module) rt_module_free(st.mods[i].module);
        free(st.mods[i].error);
    }
    free(st.mods);
    free(st.regs);
    wast_spectest_free(st.spectest);
    return ok;
}

/*
 * xlat_module.c — a module -> its C files: file layout, prelude, per-type helpers, generic
 * entries and the exported rt_module_code table.
 *
 * Defined functions are dealt into files in index order, about `target_file_size` bytes of wasm
 * code per file (never more than `max_files` files), so the C compiler can run on the files in
 * parallel and no single file is too big for gcc at -O2. The obviously cold functions
 * (xlat_cold.c) are dealt into files of their own, marked in xlat_output.cold, which the AOT
 * driver compiles with cheaper flags. Each file is self-contained:
 *
 *   rt_abi.h (verbatim)            the contract with the runtime
 *   prelude                        inline helpers (xlat_prelude.c)
 *   typedef x_res<t>               result struct of every function type with several results
 *   extern xf<j>                   functions of other files that this file calls
 *   static f<j> prototypes         this file's functions
 *   x_call<t> / x_ci<t>            calls through a funcref (imports, call_indirect) per type
 *   per function, in index order:
 *     t<j>                         typed-entry wrapper, when f<j> is also called directly
 *     f<j>                         the function (xlat_func.c)
 *     g<j>                         its generic entry
 *     aliases xf<j>, xg<j>         hidden global aliases of the typed entry (t<j> or f<j>) and
 *                                  of g<j>, so other files (and the table) can reach them
 *   [file 0] granny_module_code    the table of typed and generic entries, default visibility
 *
 * Functions stay `static` inside their file so gcc inlines and specialises freely; everything
 * but the table symbol has hidden visibility, so the shared object exports exactly one symbol.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rt/rt_abi.h"
#include "rt_abi_text.h"
#include "xlat_internal.h"

const char *xlat_ctype(uint8_t valtype) {
    switch (valtype) {
    case WASM_I32: return "uint32_t";
    case WASM_I64: return "uint64_t";
    case WASM_F32: return "float";
    case WASM_F64: return "double";
    default: return "void *";
    }
}

char xlat_letter(uint8_t valtype) {
    switch (valtype) {
    case WASM_I32: return 'i';
    case WASM_I64: return 'j';
    case WASM_F32: return 'f';
    case WASM_F64: return 'd';
    default: return 'r';
    }
}

const char *xlat_value_field(uint8_t valtype) {
    switch (valtype) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    default: return "ref";
    }
}

void xlat_return_type(xlat_buf *b, const wasm_module *m, uint32_t type_index) {
    const wasm_functype *t = &m->types[type_index];
    if (t->nresults == 0)
        xlat_buf_puts(b, "void");
    else if (t->nresults == 1)
        xlat_buf_puts(b, xlat_ctype(t->results[0]));
    else
        xlat_buf_printf(b, "x_res%u", type_index);
}

static void param_list(xlat_buf *b, const wasm_functype *t, bool named) {
    xlat_buf_puts(b, named ? "(X_UNUSED rt_instance *I" : "(rt_instance *");
    for (uint32_t i = 0; i < t->nparams; i++) {
        const char *ct = xlat_ctype(t->params[i]);
        if (named)
            xlat_buf_printf(b, ", X_UNUSED %s%sl%u", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", i);
        else
            xlat_buf_printf(b, ", %s", ct);
    }
    xlat_buf_puts(b, ")");
}

void xlat_prototype(xlat_buf *b, const wasm_module *m, uint32_t type_index, const char *name,
                    bool named) {
    xlat_return_type(b, m, type_index);
    xlat_buf_printf(b, " %s", name);
    param_list(b, &m->types[type_index], named);
}

/* Result structs, one per function type with several results. */
static void emit_result_structs(xlat_buf *b, const wasm_module *m) {
    for (uint32_t t = 0; t < m->ntypes; t++) {
        const wasm_functype *ft = &m->types[t];
        if (ft->nresults < 2) continue;
        xlat_buf_puts(b, "typedef struct {");
        for (uint32_t i = 0; i < ft->nresults; i++)
            xlat_buf_printf(b, " %s r%u;", xlat_ctype(ft->results[i]), i);
        xlat_buf_printf(b, " } x_res%u;\n", t);
    }
}

/* x_call<t>: calls funcref f of type t, through its typed entry when it has one (wasm functions,
 * whose env is their instance), else by packing the arguments into rt_value[] for the generic
 * entry, which receives the calling instance. */
static void emit_dispatch(xlat_buf *b, const wasm_module *m, uint32_t t) {
    const wasm_functype *ft = &m->types[t];
    xlat_buf_puts(b, "static inline ");
    xlat_return_type(b, m, t);
    xlat_buf_printf(b, " x_call%u(rt_instance *I, rt_funcref *f", t);
    for (uint32_t i = 0; i < ft->nparams; i++)
        xlat_buf_printf(b, ", %s a%u", xlat_ctype(ft->params[i]), i);
    xlat_buf_puts(b, ") {\n  if (__builtin_expect(f->typed != 0, 1)) {\n    ");
    if (ft->nresults) xlat_buf_puts(b, "return ");
    xlat_buf_puts(b, "((");
    xlat_return_type(b, m, t);
    xlat_buf_puts(b, " (*)");
    param_list(b, ft, false);
    xlat_buf_puts(b, ")f->typed)((rt_instance *)f->env");
    for (uint32_t i = 0; i < ft->nparams; i++)
        xlat_buf_printf(b, ", a%u", i);
    xlat_buf_puts(b, ");\n");
    if (!ft->nresults) xlat_buf_puts(b, "    return;\n");
    xlat_buf_puts(b, "  }\n");
    uint32_t nio = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
    xlat_buf_printf(b, "  rt_value io[%u];\n", nio ? nio : 1);
    for (uint32_t i = 0; i < ft->nparams; i++)
        xlat_buf_printf(b, "  io[%u].%s = a%u;\n", i, xlat_value_field(ft->params[i]), i);
    xlat_buf_puts(b, "  f->generic(I, f->env, io);\n");
    if (ft->nresults == 1) {
        xlat_buf_printf(b, "  return io[0].%s;\n", xlat_value_field(ft->results[0]));
    } else if (ft->nresults > 1) {
        xlat_buf_printf(b, "  return (x_res%u){", t);
        for (uint32_t i = 0; i < ft->nresults; i++)
            xlat_buf_printf(b, "%sio[%u].%s", i ? ", " : "", i, xlat_value_field(ft->results[i]));
        xlat_buf_puts(b, "};\n");
    }
    xlat_buf_puts(b, "}\n");
}

/* x_ci<t>: call_indirect with type t through table `tab`: bounds, null and signature checks; `fi`
 * is the calling function's index, for the trap report. */
static void emit_indirect(xlat_buf *b, const wasm_module *m, uint32_t t) {
    const wasm_functype *ft = &m->types[t];
    xlat_buf_puts(b, "static inline ");
    xlat_return_type(b, m, t);
    xlat_buf_printf(b, " x_ci%u(rt_instance *I, rt_table *tab, uint32_t fi, uint32_t i", t);
    for (uint32_t k = 0; k < ft->nparams; k++)
        xlat_buf_printf(b, ", %s a%u", xlat_ctype(ft->params[k]), k);
    xlat_buf_printf(b,
                    ") {\n"
                    "  if (X_UNLIKELY(i >= tab->size)) rt_trap_in(RT_TRAP_INDIRECT_OOB, fi);\n"
                    "  rt_funcref *f = (rt_funcref *)tab->elems[i];\n"
                    "  if (X_UNLIKELY(!f)) rt_trap_in(RT_TRAP_INDIRECT_NULL, fi);\n"
                    "  if (X_UNLIKELY(f->type_id != I->type_ids[%u])) "
                    "rt_trap_in(RT_TRAP_INDIRECT_TYPE, fi);\n  ",
                    t);
    if (ft->nresults) xlat_buf_puts(b, "return ");
    xlat_buf_printf(b, "x_call%u(I, f", t);
    for (uint32_t k = 0; k < ft->nparams; k++)
        xlat_buf_printf(b, ", a%u", k);
    xlat_buf_puts(b, ");\n}\n");
}

/* t<j>: the typed entry of a function that is also called directly. Taking the address of f<j>
 * itself (for the table) would make it non-local to gcc, which then cannot specialise it for its
 * direct callers (IPA-SRA drops unused parameters such as the instance, IPA-CP clones for
 * constants); the wrapper keeps f<j> local at the cost of one call for indirect calls. */
static void emit_typed_wrapper(xlat_buf *b, const wasm_module *m, uint32_t j) {
    uint32_t t = m->funcs[j].type_index;
    const wasm_functype *ft = &m->types[t];
    char name[32];
    snprintf(name, sizeof name, "t%u", j);
    xlat_buf_puts(b, "static ");
    xlat_prototype(b, m, t, name, true);
    xlat_buf_printf(b, " {\n  %sf%u(I", ft->nresults ? "return " : "", j);
    for (uint32_t i = 0; i < ft->nparams; i++)
        xlat_buf_printf(b, ", l%u", i);
    xlat_buf_puts(b, ");\n}\n");
}

static void emit_generic(xlat_buf *b, const wasm_module *m, uint32_t j, bool wrapped) {
    uint32_t t = m->funcs[j].type_index;
    const wasm_functype *ft = &m->types[t];
    xlat_buf_printf(b, "static void g%u(rt_instance *caller, void *env, rt_value *io) {\n", j);
    xlat_buf_puts(b, "  (void)caller;\n");
    if (ft->nparams == 0 && ft->nresults == 0) xlat_buf_puts(b, "  (void)io;\n");
    xlat_buf_puts(b, "  ");
    if (ft->nresults) {
        xlat_return_type(b, m, t);
        xlat_buf_puts(b, " r = ");
    }
    xlat_buf_printf(b, "f%u((rt_instance *)env", j);
    for (uint32_t i = 0; i < ft->nparams; i++)
        xlat_buf_printf(b, ", io[%u].%s", i, xlat_value_field(ft->params[i]));
    xlat_buf_puts(b, ");\n");
    if (ft->nresults == 1) {
        xlat_buf_printf(b, "  io[0].%s = r;\n", xlat_value_field(ft->results[0]));
    } else {
        for (uint32_t i = 0; i < ft->nresults; i++)
            xlat_buf_printf(b, "  io[%u].%s = r.r%u;\n", i, xlat_value_field(ft->results[i]), i);
    }
    xlat_buf_puts(b, "}\n");
    xlat_buf_printf(b,
                    "extern __typeof__(f%u) xf%u __attribute__((alias(\"%c%u\"), "
                    "visibility(\"hidden\")));\n"
                    "extern __typeof__(g%u) xg%u __attribute__((alias(\"g%u\"), "
                    "visibility(\"hidden\")));\n\n",
                    j, j, wrapped ? 't' : 'f', j, j, j, j);
}

static void emit_extern_decl(xlat_buf *b, const wasm_module *m, uint32_t j) {
    char name[32];
    snprintf(name, sizeof name, "xf%u", j);
    xlat_buf_puts(b, "extern ");
    xlat_prototype(b, m, m->funcs[j].type_index, name, false);
    xlat_buf_puts(b, " __attribute__((visibility(\"hidden\")));\n");
}

/* Separator before table entry j: eight entries per line. */
static const char *sep(uint32_t j) {
    return j == 0 ? "\n  " : j % 8 ? ", " : ",\n  ";
}

static void emit_table(xlat_buf *b, const wasm_module *m, const uint32_t *func_file,
                       const uint8_t *called_directly) {
    uint32_t n = m->nfuncs;
    xlat_buf_puts(b, "\n/* ---- the module's entry table ---- */\n");
    for (uint32_t j = 0; j < n; j++) {
        if (func_file[j] == 0) continue;
        emit_extern_decl(b, m, j);
        xlat_buf_printf(b,
                        "extern void xg%u(rt_instance *, void *, rt_value *) "
                        "__attribute__((visibility(\"hidden\")));\n",
                        j);
    }
    xlat_buf_printf(b, "static void *const x_typed[%u] = {", n ? n : 1);
    for (uint32_t j = 0; j < n; j++)
        xlat_buf_printf(b, "%s(void *)%s%u", sep(j),
                        func_file[j]         ? "xf"
                        : called_directly[j] ? "t"
                                             : "f",
                        j);
    xlat_buf_printf(b, "%s};\nstatic const rt_generic_fn x_generic[%u] = {", n ? "" : "0",
                    n ? n : 1);
    for (uint32_t j = 0; j < n; j++)
        xlat_buf_printf(b, "%s%sg%u", sep(j), func_file[j] ? "x" : "", j);
    xlat_buf_printf(b,
                    "%s};\n__attribute__((visibility(\"default\"))) const rt_module_code %s = "
                    "{RT_ABI_VERSION, %uu, x_typed, x_generic};\n",
                    n ? "" : "0", RT_MODULE_SYMBOL, n);
}

/* Translates the functions of file `k` and assembles its text. */
static bool build_file(const wasm_module *m, const uint32_t *func_file,
                       const uint8_t *called_directly, const uint8_t *recursive, uint32_t k,
                       uint32_t nfiles, bool cold, xlat_buf *text, char *err, size_t errlen) {
    xlat_file f;
    memset(&f, 0, sizeof f);
    f.m = m;
    f.index = k;
    f.cold = cold;
    f.func_file = func_file;
    f.called_directly = called_directly;
    f.recursive = recursive;
    f.need_extern = calloc(m->nfuncs ? m->nfuncs : 1, 1);
    f.need_dispatch = calloc(m->ntypes ? m->ntypes : 1, 1);
    f.need_indirect = calloc(m->ntypes ? m->ntypes : 1, 1);
    /* What the translator infers from an executed access (xlat_memory.c) and the pointer
     * induction variables (xlat_loop.c) hold while the memory stays below 65536 pages:
     * memory.grow is capped, so the module's own memory must start below that; an imported
     * one must be declared so. */
    if (m->nmemories > 0) {
        const wasm_limits *lim = &m->memories[0];
        f.assume_addresses =
            m->nmemories_imported ? lim->has_max && lim->max < 65536 : lim->min < 65536;
    }
    xlat_buf_init(&f.code);
    bool ok = f.need_extern && f.need_dispatch && f.need_indirect;
    if (!ok) snprintf(err, errlen, "translator: out of memory");
    /* per function, in this order: wrapper t<j>, body f<j>, generic entry g<j>, aliases */
    for (uint32_t j = 0; ok && j < m->nfuncs; j++) {
        if (func_file[j] != k) continue;
        if (called_directly[j]) emit_typed_wrapper(&f.code, m, j);
        ok = xlat_function(&f, j, err, errlen);
        if (ok) emit_generic(&f.code, m, j, called_directly[j]);
    }
    if (ok) {
        xlat_buf_printf(text,
                        "/* Generated by Granny's wasm->C translator (xlat %s): file %u of %u. "
                        "Do not edit. */\n",
                        XLAT_VERSION, k + 1, nfiles);
        xlat_buf_puts(text, rt_abi_text);
        xlat_buf_puts(text, xlat_prelude_text);
        emit_result_structs(text, m);
        for (uint32_t j = 0; j < m->nfuncs; j++)
            if (f.need_extern[j]) emit_extern_decl(text, m, j);
        for (uint32_t j = 0; j < m->nfuncs; j++) {
            if (func_file[j] != k) continue;
            char name[32];
            snprintf(name, sizeof name, "f%u", j);
            xlat_buf_puts(text, "static ");
            xlat_prototype(text, m, m->funcs[j].type_index, name, false);
            xlat_buf_puts(text, ";\n");
        }
        for (uint32_t t = 0; t < m->ntypes; t++)
            if (f.need_dispatch[t]) emit_dispatch(text, m, t);
        for (uint32_t t = 0; t < m->ntypes; t++)
            if (f.need_indirect[t]) emit_indirect(text, m, t);
        xlat_buf_puts(text, "\n");
        xlat_buf_append(text, &f.code);
        if (k == 0) emit_table(text, m, func_file, called_directly);
        if (text->oom) {
            snprintf(err, errlen, "translator: out of memory");
            ok = false;
        }
    }
    free(f.need_extern);
    free(f.need_dispatch);
    free(f.need_indirect);
    xlat_buf_free(&f.code);
    return ok;
}

/* Deals the functions of one class (cold or not) into files `first`, first+1, ..., at most
 * `max_files` of them, of at most about `per` bytes of wasm code and equal sizes, in index order;
 * returns how many. */
static uint32_t deal(const wasm_module *m, const uint8_t *cold, uint8_t class, uint64_t per,
                     uint32_t first, uint32_t max_files, uint32_t *func_file) {
    uint64_t total = 0;
    for (uint32_t j = 0; j < m->nfuncs; j++)
        if (cold[j] == class) total += m->funcs[j].code_len;
    uint64_t nfiles = (total + per - 1) / per; /* then balance the files */
    if (nfiles > max_files) nfiles = max_files;
    if (nfiles > 1) per = total / nfiles + 1;
    uint32_t file = 0, used = 0;
    uint64_t acc = 0;
    for (uint32_t j = 0; j < m->nfuncs; j++) {
        if (cold[j] != class) continue;
        uint32_t len = m->funcs[j].code_len;
        if (acc > 0 && acc + len > per && file + 1 < nfiles) {
            file++;
            acc = 0;
        }
        func_file[j] = first + file;
        acc += len;
        used = file + 1;
    }
    return used;
}

/* Deals the functions into files: the cold ones into files of their own (at least one file of
 * each class when both exist, which is why max_files 1 still gives two files then); returns the
 * number of files and marks the cold ones in file_cold. */
static uint32_t partition(const wasm_module *m, const xlat_options *opts, const uint8_t *cold,
                          uint32_t ncold, uint32_t *func_file, uint8_t *file_cold) {
    uint32_t max_files = opts && opts->max_files ? opts->max_files : 1;
    uint64_t per = opts && opts->target_file_size ? opts->target_file_size : 64 * 1024;
    bool has_hot = ncold < m->nfuncs || m->nfuncs == 0;
    uint32_t max_cold = ncold == 0 ? 0 : max_files > 2 ? max_files / 2 : 1;
    uint32_t max_hot = max_files > max_cold ? max_files - max_cold : 1;
    uint32_t nhot = has_hot ? deal(m, cold, 0, per, 0, max_hot, func_file) : 0;
    if (has_hot && nhot == 0) nhot = 1; /* no defined functions: file 0 still holds the table */
    uint32_t ncold_files = ncold ? deal(m, cold, 1, per, nhot, max_cold, func_file) : 0;
    for (uint32_t f = 0; f < nhot + ncold_files; f++)
        file_cold[f] = f >= nhot;
    return nhot + ncold_files;
}

void xlat_output_free(xlat_output *out) {
    if (!out) return;
    for (uint32_t i = 0; i < out->nfiles; i++) {
        if (out->names) free(out->names[i]);
        if (out->sources) free(out->sources[i]);
    }
    free(out->names);
    free(out->sources);
    free(out->lengths);
    free(out->cold);
    memset(out, 0, sizeof *out);
}

bool xlat_module(const wasm_module *m, const xlat_options *opts, xlat_output *out, char *err,
                 size_t errlen) {
    memset(out, 0, sizeof *out);
    size_t nf = m->nfuncs ? m->nfuncs : 1;
    uint32_t *func_file = calloc(nf, sizeof *func_file);
    uint8_t *called = calloc(nf, 1);
    uint8_t *recursive = calloc(nf, 1);
    uint8_t *cold = calloc(nf, 1);
    uint8_t *file_cold = calloc(nf + 1, 1); /* one file per function at most, plus file 0 */
    if (!func_file || !called || !recursive || !cold || !file_cold ||
        !xlat_callgraph(m, called, recursive)) {
        free(func_file);
        free(called);
        free(recursive);
        free(cold);
        free(file_cold);
        snprintf(err, errlen, "translator: out of memory");
        return false;
    }
    uint32_t ncold = xlat_cold_functions(m, cold);
    uint32_t nfiles = partition(m, opts, cold, ncold, func_file, file_cold);
    out->names = calloc(nfiles, sizeof *out->names);
    out->sources = calloc(nfiles, sizeof *out->sources);
    out->lengths = calloc(nfiles, sizeof *out->lengths);
    out->cold = file_cold;
    bool ok = out->names && out->sources && out->lengths;
    if (!ok) snprintf(err, errlen, "translator: out of memory");
    if (ok) out->nfiles = nfiles;
    for (uint32_t k = 0; ok && k < nfiles; k++) {
        xlat_buf text;
        xlat_buf_init(&text);
        ok = build_file(m, func_file, called, recursive, k, nfiles, file_cold[k], &text, err,
                        errlen);
        char name[32];
        snprintf(name, sizeof name, "m%u.c", k);
        out->names[k] = strdup(name);
        out->sources[k] = ok ? xlat_buf_take(&text, &out->lengths[k]) : NULL;
        xlat_buf_free(&text);
        if (ok && (!out->names[k] || !out->sources[k])) {
            snprintf(err, errlen, "translator: out of memory");
            ok = false;
        }
    }
    free(func_file);
    free(called);
    free(recursive);
    free(cold);
    if (!ok) xlat_output_free(out);
    return ok;
}

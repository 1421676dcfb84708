/*
 * cell_snapshot.c — a process cell to a snapshot and back (seed §4.3, §4.6).
 *
 * Sections written, in order: MODULE (the module bytes, so a snapshot restores anywhere without the
 * original file), CELL (metadata: format, kind, id, state, control points passed, unwind buffer),
 * GLOBALS (every defined global as slot, type, 64-bit value), TABLES (each table's size and its
 * elements as function index + 1, 0 for null), MEMORY (linear memory up to its current size), the
 * WASI descriptor table ("wasi"), then the sections other modules registered. All integers are
 * little-endian and every field is checked on the way back in.
 *
 * Restore builds a fresh instance of the same module without running its start function or its
 * segment initialisers (the snapshot supplies memory and tables), grows memory to the saved size,
 * maps the saved memory in copy-on-write when the snapshot comes from a file (or copies it), sets
 * globals and tables, reopens descriptors, and leaves the cell REWINDING (or READY when the
 * snapshot was taken before the cell first ran).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell/cell_internal.h"
#include "wasi/wasi.h"

#define CELL_META_VERSION      1u
#define CELL_MAX_HOST_SECTIONS 16

/* ---- a tiny growable little-endian writer and a bounds-checked reader ---- */

typedef struct wbuf {
    uint8_t *p;
    size_t len, cap;
    bool failed;
} wbuf;

static void w_bytes(wbuf *w, const void *b, size_t n) {
    if (w->failed) return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *p = realloc(w->p, cap);
        if (!p) {
            w->failed = true;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, b, n);
    w->len += n;
}
static void w_u32(wbuf *w, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    w_bytes(w, b, 4);
}
static void w_u64(wbuf *w, uint64_t v) {
    w_u32(w, (uint32_t)v);
    w_u32(w, (uint32_t)(v >> 32));
}

typedef struct rbuf {
    const uint8_t *p;
    size_t len, pos;
    bool failed;
} rbuf;

static bool r_bytes(rbuf *r, void *out, size_t n) {
    if (r->failed || n > r->len - r->pos) {
        r->failed = true;
        return false;
    }
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
    return true;
}
static uint32_t r_u32(rbuf *r) {
    uint8_t b[4] = {0};
    r_bytes(r, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static uint64_t r_u64(rbuf *r) {
    uint64_t lo = r_u32(r);
    return lo | (uint64_t)r_u32(r) << 32;
}

/* ---- registry of host sections ---- */

static cell_section_ops cell_sections[CELL_MAX_HOST_SECTIONS];
static uint32_t cell_nsections;

bool cell_register_section(const cell_section_ops *ops) {
    if (cell_nsections >= CELL_MAX_HOST_SECTIONS || strlen(ops->name) > CELL_SNAPSHOT_NAME)
        return false;
    for (uint32_t i = 0; i < cell_nsections; i++)
        if (!strcmp(cell_sections[i].name, ops->name)) return true; /* idempotent */
    cell_sections[cell_nsections++] = *ops;
    return true;
}
uint32_t cell_section_count(void) {
    return cell_nsections;
}
const cell_section_ops *cell_section_at(uint32_t i) {
    return &cell_sections[i];
}

/* ---- helpers ---- */

static void hash_bytes(const rt_module *m, uint8_t out[32]) {
    char hex[65];
    rt_module_hash_hex(m, hex);
    for (int i = 0; i < 32; i++) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static bool add_owned(cell_snapshot *s, cell_section_kind kind, const char *name, wbuf *w,
                      rt_error *err) {
    bool ok = !w->failed && cell_snapshot_add(s, kind, name, w->p, w->len, true);
    free(w->p);
    if (!ok)
        snprintf(err->msg, sizeof err->msg, "out of memory writing the %s section",
                 name ? name : cell_section_kind_name(kind));
    return ok;
}

/* Function index of a reference held in a table of this instance, or UINT32_MAX. */
static uint32_t func_index_of(rt_instance *inst, const void *ref) {
    const wasm_module *ir = rt_module_ir(rt_instance_module(inst));
    uint32_t n = ir->nfuncs_imported + ir->nfuncs;
    for (uint32_t i = 0; i < n; i++)
        if (inst->funcs[i] == ref) return i;
    return UINT32_MAX;
}

/* ---- WASI descriptor table as a section ---- */

static bool wasi_save(cell *c, cell_snapshot *s, rt_error *err) {
    if (!c->wasi) return true;
    wasi_fd_desc *d;
    size_t n;
    if (!wasi_fdtable_describe(c->wasi, &d, &n, err)) return false;
    wbuf w = {0};
    w_u32(&w, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        uint32_t plen = (uint32_t)strnlen(d[i].path, sizeof d[i].path);
        w_u32(&w, d[i].fd);
        uint8_t b[4] = {d[i].kind, d[i].filetype, d[i].access, 0};
        w_bytes(&w, b, 4);
        w_u32(&w, d[i].fdflags);
        w_u32(&w, (uint32_t)d[i].origin);
        w_u64(&w, d[i].rights_base);
        w_u64(&w, d[i].rights_inheriting);
        w_u64(&w, d[i].offset);
        w_u32(&w, plen);
        w_bytes(&w, d[i].path, plen);
    }
    free(d);
    return add_owned(s, CELL_SEC_HOST, "wasi", &w, err);
}

static bool wasi_restore(cell *c, const cell_section *sec, rt_error *err) {
    if (!c->wasi) return true;
    rbuf r = {sec->data, sec->len, 0, false};
    uint32_t n = r_u32(&r);
    if (n > sec->len / 44) {
        snprintf(err->msg, sizeof err->msg, "snapshot wasi section: %u descriptors cannot fit", n);
        return false;
    }
    wasi_fd_desc *d = calloc(n ? n : 1, sizeof *d);
    if (!d) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < n && !r.failed; i++) {
        d[i].fd = r_u32(&r);
        uint8_t b[4] = {0};
        r_bytes(&r, b, 4);
        d[i].kind = b[0], d[i].filetype = b[1], d[i].access = b[2];
        d[i].fdflags = (uint16_t)r_u32(&r);
        d[i].origin = (int32_t)r_u32(&r);
        d[i].rights_base = r_u64(&r);
        d[i].rights_inheriting = r_u64(&r);
        d[i].offset = r_u64(&r);
        uint32_t plen = r_u32(&r);
        if (plen >= sizeof d[i].path)
            r.failed = true;
        else
            r_bytes(&r, d[i].path, plen);
    }
    bool ok = !r.failed && r.pos == r.len;
    if (!ok) snprintf(err->msg, sizeof err->msg, "snapshot wasi section is malformed");
    ok = ok && wasi_fdtable_restore(c->wasi, d, n, err);
    free(d);
    return ok;
}

/* ---- take ---- */

bool cell_snapshot_take(cell *c, cell_snapshot *s, bool copy_memory, rt_error *err) {
    if (c->kind != CELL_PROCESS) {
        snprintf(err->msg, sizeof err->msg, "only process cells are snapshotted on their own");
        return false;
    }
    if (c->state != CELL_SUSPENDED && c->state != CELL_READY) {
        snprintf(err->msg, sizeof err->msg, "a cell can only be snapshotted while suspended");
        return false;
    }
    rt_instance *inst = c->inst;
    rt_module *m = rt_instance_module(inst);
    const wasm_module *ir = rt_module_ir(m);
    const rt_descriptor *desc = rt_module_descriptor(m);
    uint8_t hash[32];
    hash_bytes(m, hash);
    cell_snapshot_init(s, hash, RT_ABI_VERSION);

    bool ok = cell_snapshot_add(s, CELL_SEC_MODULE, NULL, ir->bytes, ir->len, false);

    wbuf w = {0};
    w_u32(&w, CELL_META_VERSION);
    w_u32(&w, c->kind);
    w_u32(&w, c->id);
    w_u32(&w, c->state);
    w_u64(&w, c->control_points);
    w_u32(&w, c->unwind_buf);
    w_u32(&w, c->unwind_size);
    ok = ok && add_owned(s, CELL_SEC_CELL, NULL, &w, err);

    memset(&w, 0, sizeof w);
    uint32_t ndef = 0;
    for (uint32_t i = 0; i < desc->nglobals; i++)
        ndef += !desc->globals[i].imported;
    w_u32(&w, ndef);
    for (uint32_t i = 0; i < desc->nglobals; i++) {
        const rt_global_desc *g = &desc->globals[i];
        if (g->imported) continue;
        if (g->valtype == WASM_V128 || g->valtype == WASM_EXTERNREF ||
            (g->valtype == WASM_FUNCREF && inst->globals[g->slot].ref)) {
            snprintf(err->msg, sizeof err->msg, "global %u of type 0x%x cannot be snapshotted", i,
                     g->valtype);
            free(w.p);
            cell_snapshot_free(s);
            return false;
        }
        w_u32(&w, g->slot);
        w_u32(&w, g->valtype);
        w_u64(&w, g->valtype == WASM_FUNCREF ? 0 : inst->globals[g->slot].i64);
    }
    ok = ok && add_owned(s, CELL_SEC_GLOBALS, NULL, &w, err);

    memset(&w, 0, sizeof w);
    w_u32(&w, desc->ntables);
    for (uint32_t t = 0; t < desc->ntables && !w.failed; t++) {
        rt_table *tab = inst->tables[t];
        w_u32(&w, tab->size);
        for (uint32_t i = 0; i < tab->size; i++) {
            void *ref = tab->elems[i];
            uint32_t idx = 0;
            if (ref) {
                idx = tab->elemtype == WASM_FUNCREF ? func_index_of(inst, ref) : UINT32_MAX;
                if (idx == UINT32_MAX) {
                    snprintf(err->msg, sizeof err->msg,
                             "table %u element %u holds a reference from outside the module", t, i);
                    free(w.p);
                    cell_snapshot_free(s);
                    return false;
                }
                idx++;
            }
            w_u32(&w, idx);
        }
    }
    ok = ok && add_owned(s, CELL_SEC_TABLES, NULL, &w, err);

    if (ok && inst->memory)
        ok = cell_snapshot_add(s, CELL_SEC_MEMORY, NULL, inst->memory->base,
                               (uint64_t)rt_memory_pages(inst->memory) * RT_PAGE_SIZE, copy_memory);
    ok = ok && wasi_save(c, s, err);
    for (uint32_t i = 0; ok && i < cell_nsections; i++)
        ok = cell_sections[i].save(c, s, err);
    if (!ok) {
        if (!err->msg[0]) snprintf(err->msg, sizeof err->msg, "out of memory taking a snapshot");
        cell_snapshot_free(s);
    }
    return ok;
}

/* ---- restore ---- */

static bool restore_fail(rt_error *err, const char *what) {
    snprintf(err->msg, sizeof err->msg, "snapshot %s section is malformed", what);
    return false;
}

static bool restore_state(cell *c, const cell_snapshot *s, rt_error *err) {
    rt_instance *inst = c->inst;
    const rt_descriptor *desc = rt_module_descriptor(c->module);
    const wasm_module *ir = rt_module_ir(c->module);

    const cell_section *sec = cell_snapshot_find(s, CELL_SEC_CELL, NULL);
    if (!sec) return restore_fail(err, "cell");
    rbuf r = {sec->data, sec->len, 0, false};
    uint32_t version = r_u32(&r), kind = r_u32(&r);
    c->id = r_u32(&r);
    uint32_t state = r_u32(&r);
    c->control_points = r_u64(&r);
    c->unwind_buf = r_u32(&r);
    c->unwind_size = r_u32(&r);
    if (r.failed || version != CELL_META_VERSION || kind != CELL_PROCESS ||
        (state != CELL_SUSPENDED && state != CELL_READY))
        return restore_fail(err, "cell");

    sec = cell_snapshot_find(s, CELL_SEC_MEMORY, NULL);
    if (inst->memory) {
        if (!sec || sec->len % RT_PAGE_SIZE) return restore_fail(err, "memory");
        uint64_t pages = sec->len / RT_PAGE_SIZE, have = rt_memory_pages(inst->memory);
        if (pages < have || pages > inst->memory->max_pages) return restore_fail(err, "memory");
        if (pages > have && rt_memory_grow(inst->memory, (uint32_t)(pages - have)) == UINT32_MAX) {
            snprintf(err->msg, sizeof err->msg, "cannot grow memory to %llu pages",
                     (unsigned long long)pages);
            return false;
        }
        /* copy-on-write from the file when the snapshot has one (seed §4.5), else a copy */
        if (!cell_snapshot_map_section(s, sec, inst->memory->base))
            memcpy(inst->memory->base, sec->data, sec->len);
        if (c->unwind_buf &&
            (c->unwind_size > sec->len || c->unwind_buf > sec->len - c->unwind_size))
            return restore_fail(err, "cell");
    }

    sec = cell_snapshot_find(s, CELL_SEC_GLOBALS, NULL);
    if (!sec) return restore_fail(err, "globals");
    r = (rbuf){sec->data, sec->len, 0, false};
    uint32_t n = r_u32(&r);
    for (uint32_t i = 0; i < n && !r.failed; i++) {
        uint32_t slot = r_u32(&r), type = r_u32(&r);
        uint64_t v = r_u64(&r);
        bool found = false;
        for (uint32_t g = 0; g < desc->nglobals; g++)
            if (!desc->globals[g].imported && desc->globals[g].slot == slot &&
                desc->globals[g].valtype == type)
                found = true;
        if (!found) return restore_fail(err, "globals");
        if (type == WASM_FUNCREF)
            inst->globals[slot].ref = NULL;
        else
            inst->globals[slot].i64 = v;
    }
    if (r.failed || r.pos != r.len) return restore_fail(err, "globals");

    sec = cell_snapshot_find(s, CELL_SEC_TABLES, NULL);
    if (!sec) return restore_fail(err, "tables");
    r = (rbuf){sec->data, sec->len, 0, false};
    uint32_t nt = r_u32(&r);
    if (nt != desc->ntables) return restore_fail(err, "tables");
    uint32_t nfuncs = ir->nfuncs_imported + ir->nfuncs;
    for (uint32_t t = 0; t < nt && !r.failed; t++) {
        rt_table *tab = inst->tables[t];
        uint32_t size = r_u32(&r);
        if (r.failed || size > (sec->len - r.pos) / 4) return restore_fail(err, "tables");
        if (size > tab->size && rt_table_grow(tab, NULL, size - tab->size) == UINT32_MAX)
            return restore_fail(err, "tables");
        for (uint32_t i = 0; i < size; i++) {
            uint32_t idx = r_u32(&r);
            if (idx > nfuncs || (idx && tab->elemtype != WASM_FUNCREF))
                return restore_fail(err, "tables");
            tab->elems[i] = idx ? (void *)inst->funcs[idx - 1] : NULL;
        }
    }
    if (r.failed || r.pos != r.len) return restore_fail(err, "tables");

    sec = cell_snapshot_find(s, CELL_SEC_HOST, "wasi");
    if (sec && !wasi_restore(c, sec, err)) return false;
    for (uint32_t i = 0; i < cell_nsections; i++) {
        sec = cell_snapshot_find(s, CELL_SEC_HOST, cell_sections[i].name);
        if (sec && !cell_sections[i].restore(c, sec, err)) return false;
    }
    c->state = state == CELL_SUSPENDED ? CELL_REWINDING : CELL_READY;
    return true;
}

cell *cell_restore(rt_module *m, const cell_snapshot *s, const cell_options *o, rt_error *err) {
    uint8_t hash[32];
    hash_bytes(m, hash);
    char msg[256];
    if (!cell_snapshot_matches(s, hash, RT_ABI_VERSION, msg, sizeof msg)) {
        snprintf(err->msg, sizeof err->msg, "%s", msg);
        return NULL;
    }
    cell *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    c->kind = CELL_PROCESS;
    c->module = m;
    c->wasi = o->wasi;
    rt_instance_options io = {.resolve = o->resolve,
                              .resolve_ctx = o->resolve_ctx,
                              .user = c,
                              .max_memory_pages = o->max_memory_pages,
                              .skip_start = true,
                              .skip_init = true};
    c->inst = rt_instance_new(m, &io, &c->trap, err);
    if (!c->inst) {
        free(c);
        return NULL;
    }
    cell_bind_exports(c);
    if (!restore_state(c, s, err)) {
        cell_free(c);
        return NULL;
    }
    if (c->state == CELL_REWINDING && !c->suspendable) {
        snprintf(err->msg, sizeof err->msg, "the module is not suspendable (no asyncify exports)");
        cell_free(c);
        return NULL;
    }
    return c;
}

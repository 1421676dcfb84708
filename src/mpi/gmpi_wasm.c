/*
 * gmpi_wasm.c — the frame of the wasm glue: per-rank binding state, the call context of every host
 * function (error handlers, abort, traps), checked access to guest memory, the binding's own guest
 * memory (attribute values, user-operation arguments), the user-operation callback, the
 * environment functions (Init, Finalize, Wtime, errors, attributes) and the registration of every
 * MPI function of mpi.h, including the ones Granny does not build.
 *
 * Guest memory: a process cell's memory is used only by its own thread and never moves (the
 * runtime reserves it once), so a checked address stays valid for the call — and for a peer that
 * copies from it later (rendezvous), because memory never shrinks and instances live until the
 * whole world has ended.
 *
 * User operations: the guest's MPI_User_function is a table index. The core calls gw_user_op on
 * the rank that combines, with host buffers that may live in another rank's memory or in the
 * core's temporaries; they are copied into this rank's scratch region when they are not already in
 * its memory, the function is called through the table (its signature checked), and the result is
 * copied back. A trap inside it is recorded and re-raised once the MPI call has unwound.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/wasm/decode.h"
#include "mpi/gmpi_wasm_internal.h"

/* ---- Binding state ---- */

gmpi_guest *gmpi_guest_new(gmpi_rank *rank, bool is_cell) {
    gmpi_guest *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->rank = rank;
    g->is_cell = is_cell;
    gmpi_rank_set_user_op_call(rank, gw_user_op, g);
    return g;
}

void gmpi_guest_free(gmpi_guest *g) {
    free(g);
}
void gmpi_guest_bind(gmpi_guest *g, rt_instance *inst) {
    g->inst = inst;
}
uint64_t gmpi_guest_calls(const gmpi_guest *g) {
    return g->calls;
}

/* ---- Call context ---- */

void gw_begin(gw_call *c, rt_instance *in, rt_value *io, const char *fn) {
    c->in = in;
    c->io = io;
    c->fn = fn;
    gmpi_cell_view *v = in ? in->user : NULL;
    if (!v || !v->mpi) rt_trap_host("%s: this cell is not part of an MPI world", fn);
    c->g = v->mpi;
    c->r = c->g->rank;
    c->g->calls++;
    gmpi_rank_set_call(c->r, fn);
    if (!in->memory) rt_trap_host("%s: the module has no memory", fn);
}

void gw_end(gw_call *c, int comm, int err) {
    gmpi_guest *g = c->g;
    if (g->op_trapped) {
        g->op_trapped = false;
        if (g->op_trap.kind == RT_TRAP_EXIT) rt_trap_exit(g->op_trap.exit_code);
        rt_trap_host("%s: the user reduction function trapped: %s", c->fn,
                     g->op_trap.msg[0] ? g->op_trap.msg : rt_trap_kind_message(g->op_trap.kind));
    }
    if (err != GMPI_SUCCESS) err = gmpi_error(c->r, comm, err, c->fn);
    if (err == GMPI_ABORTED) {
        int code = 1;
        gmpi_world_aborted(gmpi_rank_world(c->r), &code);
        rt_trap_exit(code);
    }
    c->io[0].i32 = (uint32_t)err;
}

/* ---- Guest memory ---- */

static int span_check(gw_call *c, uint32_t addr, int64_t lo, int64_t hi) {
    if (hi <= lo) return GMPI_SUCCESS; /* nothing is touched */
    int64_t first = (int64_t)addr + lo, end = (int64_t)addr + hi;
    if (first < 0 || end > (int64_t)c->in->memory->size) return GMPI_ERR_BUFFER;
    return GMPI_SUCCESS;
}

int gw_buf(gw_call *c, uint32_t addr, int count, int type, bool in_place_ok, void **out) {
    return gw_buf64(c, addr, count, type, in_place_ok, out);
}

int gw_buf64(gw_call *c, uint32_t addr, int64_t count, int type, bool in_place_ok, void **out) {
    if (addr == GW_IN_PLACE_ADDR && in_place_ok) {
        *out = GMPI_IN_PLACE;
        return GMPI_SUCCESS;
    }
    if (count < 0) return GMPI_ERR_COUNT;
    int64_t lo, hi;
    if (!gmpi_type_span(c->r, type, count, &lo, &hi)) { /* invalid type, or a span that overflows */
        int64_t size;
        return gmpi_type_size(c->r, type, &size) ? GMPI_ERR_TYPE : GMPI_ERR_BUFFER;
    }
    int err = span_check(c, addr, lo, hi);
    if (err) return err;
    *out = gw_host(c, addr);
    return GMPI_SUCCESS;
}

int gw_vbuf(gw_call *c, uint32_t addr, int n, const int *counts, const int *displs, int type,
            bool in_place_ok, void **out) {
    if (addr == GW_IN_PLACE_ADDR && in_place_ok) {
        *out = GMPI_IN_PLACE;
        return GMPI_SUCCESS;
    }
    int64_t tlb, text, ext, lb;
    if (gmpi_type_get_extent(c->r, type, &lb, &ext)) return GMPI_ERR_TYPE;
    if (gmpi_type_get_true_extent(c->r, type, &tlb, &text)) return GMPI_ERR_TYPE;
    for (int i = 0; i < n; i++) {
        int64_t lo, hi;
        if (counts[i] < 0) return GMPI_ERR_COUNT;
        if (!gmpi_type_span(c->r, type, counts[i], &lo, &hi)) return GMPI_ERR_TYPE;
        int64_t shift;
        if (__builtin_mul_overflow((int64_t)(displs ? displs[i] : 0), ext, &shift))
            return GMPI_ERR_BUFFER;
        int err = span_check(c, addr, lo + shift, hi + shift);
        if (err) return err;
    }
    *out = gw_host(c, addr);
    return GMPI_SUCCESS;
}

int gw_ints_in(gw_call *c, uint32_t addr, int n, int **out) {
    if (n < 0) return GMPI_ERR_COUNT;
    *out = malloc(((size_t)n + 1) * sizeof(int));
    if (!*out) return GMPI_ERR_NO_MEM;
    if (n == 0) return GMPI_SUCCESS;
    if (!gw_range(c, addr, (uint64_t)n * 4)) {
        free(*out);
        *out = NULL;
        return GMPI_ERR_ARG;
    }
    memcpy(*out, gw_host(c, addr), (size_t)n * 4);
    return GMPI_SUCCESS;
}

int gw_aints_in(gw_call *c, uint32_t addr, int n, int64_t **out) {
    if (n < 0) return GMPI_ERR_COUNT;
    *out = malloc(((size_t)n + 1) * sizeof(int64_t));
    if (!*out) return GMPI_ERR_NO_MEM;
    if (n > 0 && !gw_range(c, addr, (uint64_t)n * 4)) {
        free(*out);
        *out = NULL;
        return GMPI_ERR_ARG;
    }
    for (int i = 0; i < n; i++) {
        int32_t v;
        memcpy(&v, gw_host(c, addr + 4u * (uint32_t)i), 4);
        (*out)[i] = v;
    }
    return GMPI_SUCCESS;
}

void gw_put_i64(gw_call *c, uint32_t addr, int64_t v) {
    assert(gw_range(c, addr, 8));
    memcpy(gw_host(c, addr), &v, 8);
}

int gw_string(gw_call *c, uint32_t addr, size_t max, const char **out) {
    uint64_t size = c->in->memory->size;
    if (addr >= size) return GMPI_ERR_ARG;
    const char *s = gw_host(c, addr);
    size_t avail = (size_t)(size - addr);
    const char *nul = memchr(s, 0, avail < max + 1 ? avail : max + 1);
    if (!nul) return GMPI_ERR_ARG;
    *out = s;
    return GMPI_SUCCESS;
}

int gw_comm_size(gw_call *c, int comm) {
    return gmpi_comm_size_or_zero(c->r, comm);
}

/* ---- The binding's guest memory ---- */

static uint32_t scratch_grow(gmpi_guest *g, uint32_t bytes) {
    uint32_t pages = (bytes + RT_PAGE_SIZE - 1) / RT_PAGE_SIZE;
    uint32_t old = rt_memory_grow(g->inst->memory, pages ? pages : 1);
    if (old == 0xFFFFFFFFu || old == 0) return 0;
    return old * RT_PAGE_SIZE;
}

static uint32_t guest_scratch(gmpi_guest *g, uint32_t bytes) {
    if (g->scratch && g->scratch_size >= bytes) return g->scratch;
    uint32_t at = scratch_grow(g, bytes);
    if (!at) return 0;
    g->scratch = at; /* the old region stays part of memory, unused */
    g->scratch_size = ((bytes + RT_PAGE_SIZE - 1) / RT_PAGE_SIZE) * RT_PAGE_SIZE;
    if (!g->scratch_size) g->scratch_size = RT_PAGE_SIZE;
    return at;
}

uint32_t gw_scratch(gw_call *c, uint32_t bytes) {
    return guest_scratch(c->g, bytes);
}

uint32_t gw_attr_slot(gw_call *c, int key) {
    gmpi_guest *g = c->g;
    if (!g->attr_area) {
        uint32_t at = scratch_grow(g, 64);
        if (!at) return 0;
        g->attr_area = at;
        for (int k = 0; k < GMPI_KEY_COUNT; k++) {
            int64_t v;
            int flag;
            if (gmpi_comm_get_attr(c->r, GMPI_COMM_WORLD, k, &v, &flag) == GMPI_SUCCESS)
                gw_put_i32(c, at + 4u * (uint32_t)k, (int32_t)v);
        }
    }
    return g->attr_area + 4u * (uint32_t)key;
}

/* ---- User operations ---- */

static bool op_signature_ok(const rt_funcref *f) {
    const wasm_functype *t = rt_funcref_type(f);
    if (!t || t->nparams != 4 || t->nresults != 0) return false;
    for (int i = 0; i < 4; i++)
        if (t->params[i] != WASM_I32) return false;
    return true;
}

/* Host pointer p as a guest address when [p + lo, p + hi) lies in the instance's memory. */
static bool in_memory(rt_instance *in, const void *p, int64_t lo, int64_t hi, uint32_t *addr) {
    const uint8_t *base = in->memory->base;
    intptr_t off = (const uint8_t *)p - base;
    if (off < 0 || (uint64_t)off > 0xFFFFFFFFull) return false;
    if (off + lo < 0 || off + hi > (int64_t)in->memory->size) return false;
    *addr = (uint32_t)off;
    return true;
}

int gw_user_op(void *ud, uint64_t fn, void *invec, void *inoutvec, int len, int datatype) {
    gmpi_guest *g = ud;
    rt_instance *in = g->inst;
    if (g->op_trapped || !in || !in->memory) return GMPI_ERR_OTHER;
    const rt_descriptor *d = rt_module_descriptor(rt_instance_module(in));
    if (!d || d->ntables == 0 || !in->tables) return GMPI_ERR_OP;
    rt_table *t = in->tables[0];
    if (fn >= t->size || !t->elems[fn]) return GMPI_ERR_OP;
    rt_funcref *f = t->elems[fn];
    if (!op_signature_ok(f)) return GMPI_ERR_OP;
    int64_t lo, hi;
    if (!gmpi_type_span(g->rank, datatype, len, &lo, &hi)) return GMPI_ERR_TYPE;
    if (hi < lo) hi = lo;
    uint64_t bytes = (uint64_t)(hi - lo);
    uint32_t in_addr, io_addr;
    bool in_direct = in_memory(in, invec, lo, hi, &in_addr);
    bool io_direct = in_memory(in, inoutvec, lo, hi, &io_addr);
    uint64_t need = 16 + (in_direct ? 0 : bytes + 16) + (io_direct ? 0 : bytes + 16);
    if (need > 0x7fffffff) return GMPI_ERR_NO_MEM;
    uint32_t s = guest_scratch(g, (uint32_t)need);
    if (!s) return GMPI_ERR_NO_MEM;
    uint8_t *base = in->memory->base;
    uint32_t next = s + 16;
    if (!in_direct) {
        if ((int64_t)next < lo) return GMPI_ERR_BUFFER;
        memcpy(base + next, (const uint8_t *)invec + lo, bytes);
        in_addr = (uint32_t)((int64_t)next - lo);
        next += (uint32_t)((bytes + 15) & ~15ull);
    }
    if (!io_direct) {
        if ((int64_t)next < lo) return GMPI_ERR_BUFFER;
        memcpy(base + next, (const uint8_t *)inoutvec + lo, bytes);
        io_addr = (uint32_t)((int64_t)next - lo);
    }
    int32_t args[2] = {len, datatype};
    memcpy(base + s, args, sizeof args);
    rt_value io[4];
    io[0].i32 = in_addr;
    io[1].i32 = io_addr;
    io[2].i32 = s;
    io[3].i32 = s + 4;
    if (!rt_invoke(in, f, io, &g->op_trap)) {
        g->op_trapped = true;
        return GMPI_ERR_OTHER;
    }
    base = in->memory->base; /* never moves, but the function may have grown memory */
    if (!io_direct) memcpy((uint8_t *)inoutvec + lo, base + io_addr + lo, bytes);
    return GMPI_SUCCESS;
}

/* ---- Environment ---- */

static void w_MPI_Init(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Init");
    gw_end(&c, GMPI_COMM_WORLD, gmpi_init(c.r, GMPI_THREAD_SINGLE, NULL));
}

static void w_MPI_Init_thread(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Init_thread");
    int err = gw_check_out(&c, ADDR(3), 4), provided = 0;
    if (!err) err = gmpi_init(c.r, ARG(2), &provided);
    if (!err) gw_put_i32(&c, ADDR(3), provided);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Finalize(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Finalize");
    gw_end(&c, GMPI_COMM_WORLD, gmpi_finalize(c.r));
}

static void flag_result(rt_instance *in, rt_value *io, const char *fn, bool value) {
    gw_call c;
    gw_begin(&c, in, io, fn);
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) gw_put_i32(&c, ADDR(0), value);
    gw_end(&c, GMPI_COMM_NULL, err);
}

static void w_MPI_Initialized(rt_instance *in, void *data, rt_value *io) {
    gmpi_cell_view *v = in ? in->user : NULL;
    flag_result(in, io, "MPI_Initialized", v && v->mpi && gmpi_initialized(v->mpi->rank));
}

static void w_MPI_Finalized(rt_instance *in, void *data, rt_value *io) {
    gmpi_cell_view *v = in ? in->user : NULL;
    flag_result(in, io, "MPI_Finalized", v && v->mpi && gmpi_finalized(v->mpi->rank));
}

static void w_MPI_Is_thread_main(rt_instance *in, void *data, rt_value *io) {
    flag_result(in, io, "MPI_Is_thread_main", true);
}

static void w_MPI_Query_thread(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Query_thread");
    int err = gw_check_out(&c, ADDR(0), 4), p = 0;
    if (!err) err = gmpi_query_thread(c.r, &p);
    if (!err) gw_put_i32(&c, ADDR(0), p);
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Abort(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Abort");
    gw_end(&c, ARG(0), gmpi_abort(c.r, ARG(0), ARG(1)));
}

static void w_MPI_Wtime(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Wtime");
    io[0].f64 = gmpi_wtime(c.r);
}

static void w_MPI_Wtick(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Wtick");
    io[0].f64 = gmpi_wtick();
}

static void w_MPI_Get_processor_name(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Get_processor_name");
    int err = gw_check_out(&c, ADDR(0), GMPI_MAX_PROCESSOR_NAME);
    if (!err) err = gw_check_out(&c, ADDR(1), 4);
    char name[GMPI_MAX_PROCESSOR_NAME];
    int len = 0;
    if (!err) err = gmpi_get_processor_name(c.r, name, &len);
    if (!err) {
        memcpy(gw_host(&c, ADDR(0)), name, (size_t)len + 1);
        gw_put_i32(&c, ADDR(1), len);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Get_version(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Get_version");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) err = gw_check_out(&c, ADDR(1), 4);
    if (!err) {
        gw_put_i32(&c, ADDR(0), GMPI_VERSION);
        gw_put_i32(&c, ADDR(1), GMPI_SUBVERSION);
    }
    gw_end(&c, GMPI_COMM_NULL, err);
}

static void put_text(gw_call *c, uint32_t out, uint32_t lenp, size_t cap, const char *text,
                     int *err) {
    if (!*err) *err = gw_check_out(c, out, cap);
    if (!*err) *err = gw_check_out(c, lenp, 4);
    if (*err) return;
    size_t n = strlen(text);
    if (n > cap - 1) n = cap - 1;
    memcpy(gw_host(c, out), text, n);
    ((char *)gw_host(c, out))[n] = 0;
    gw_put_i32(c, lenp, (int32_t)n);
}

static void w_MPI_Get_library_version(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Get_library_version");
    int err = GMPI_SUCCESS;
    put_text(&c, ADDR(0), ADDR(1), GMPI_MAX_LIBRARY_VERSION_STRING, gmpi_library_version(), &err);
    gw_end(&c, GMPI_COMM_NULL, err);
}

static void w_MPI_Error_string(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Error_string");
    char text[GMPI_MAX_ERROR_STRING];
    int len;
    int err = gmpi_error_string(ARG(0), text, &len);
    int werr = GMPI_SUCCESS;
    put_text(&c, ADDR(1), ADDR(2), GMPI_MAX_ERROR_STRING, text, &werr);
    gw_end(&c, GMPI_COMM_NULL, werr ? werr : err);
}

static void w_MPI_Error_class(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Error_class");
    int cls = 0, err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = gmpi_error_class(ARG(0), &cls);
    if (!err) gw_put_i32(&c, ADDR(1), cls);
    gw_end(&c, GMPI_COMM_NULL, err);
}

static void w_MPI_Comm_set_errhandler(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_set_errhandler");
    gw_end(&c, ARG(0), gmpi_comm_set_errhandler(c.r, ARG(0), ARG(1)));
}

static void w_MPI_Comm_get_errhandler(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_get_errhandler");
    int eh = 0, err = gw_check_out(&c, ADDR(1), 4);
    if (!err) err = gmpi_comm_get_errhandler(c.r, ARG(0), &eh);
    if (!err) gw_put_i32(&c, ADDR(1), eh);
    gw_end(&c, ARG(0), err);
}

static void w_MPI_Errhandler_free(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Errhandler_free");
    int err = gw_check_out(&c, ADDR(0), 4);
    if (!err) {
        int eh = gw_get_i32(&c, ADDR(0));
        if (eh != GMPI_ERRORS_ARE_FATAL && eh != GMPI_ERRORS_RETURN)
            err = GMPI_ERR_ARG;
        else
            gw_put_i32(&c, ADDR(0), GMPI_ERRHANDLER_NULL);
    }
    gw_end(&c, GMPI_COMM_WORLD, err);
}

static void w_MPI_Comm_call_errhandler(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Comm_call_errhandler");
    if (!gmpi_comm_size_or_zero(c.r, ARG(0))) {
        gw_end(&c, GMPI_COMM_WORLD, GMPI_ERR_COMM);
        return;
    }
    gw_end(&c, ARG(0), ARG(1)); /* the handler runs on the given code */
    io[0].i32 = GMPI_SUCCESS;
}

/* attribute_val receives a pointer to the value (an int in the binding's guest memory). */
static void comm_get_attr(rt_instance *in, rt_value *io, const char *fn) {
    gw_call c;
    gw_begin(&c, in, io, fn);
    int err = gw_check_out(&c, ADDR(2), 4);
    if (!err) err = gw_check_out(&c, ADDR(3), 4);
    int64_t v;
    int flag = 0;
    if (!err) {
        err = gmpi_comm_get_attr(c.r, ARG(0), ARG(1), &v, &flag);
        if (err == GMPI_ERR_KEYVAL) err = GMPI_SUCCESS, flag = 0; /* unknown key: flag false */
    }
    if (!err && flag) {
        uint32_t slot = gw_attr_slot(&c, ARG(1));
        if (!slot)
            err = GMPI_ERR_NO_MEM;
        else
            gw_put_i32(&c, ADDR(2), (int32_t)slot);
    }
    if (!err) gw_put_i32(&c, ADDR(3), flag);
    gw_end(&c, ARG(0), err);
}

static void w_MPI_Comm_get_attr(rt_instance *in, void *data, rt_value *io) {
    comm_get_attr(in, io, "MPI_Comm_get_attr");
}

static void w_MPI_Attr_get(rt_instance *in, void *data, rt_value *io) {
    comm_get_attr(in, io, "MPI_Attr_get");
}

static void w_MPI_Pcontrol(rt_instance *in, void *data, rt_value *io) {
    gw_call c;
    gw_begin(&c, in, io, "MPI_Pcontrol");
    gw_end(&c, GMPI_COMM_NULL, GMPI_SUCCESS); /* profiling control: no effect, as MPI allows */
}

const gw_fn gw_env_fns[] = {
    {"MPI_Init", "ii:i", w_MPI_Init},
    {"MPI_Init_thread", "iiii:i", w_MPI_Init_thread},
    {"MPI_Finalize", ":i", w_MPI_Finalize},
    {"MPI_Initialized", "i:i", w_MPI_Initialized},
    {"MPI_Finalized", "i:i", w_MPI_Finalized},
    {"MPI_Query_thread", "i:i", w_MPI_Query_thread},
    {"MPI_Is_thread_main", "i:i", w_MPI_Is_thread_main},
    {"MPI_Abort", "ii:i", w_MPI_Abort},
    {"MPI_Wtime", ":F", w_MPI_Wtime},
    {"MPI_Wtick", ":F", w_MPI_Wtick},
    {"MPI_Get_processor_name", "ii:i", w_MPI_Get_processor_name},
    {"MPI_Get_version", "ii:i", w_MPI_Get_version},
    {"MPI_Get_library_version", "ii:i", w_MPI_Get_library_version},
    {"MPI_Error_string", "iii:i", w_MPI_Error_string},
    {"MPI_Error_class", "ii:i", w_MPI_Error_class},
    {"MPI_Comm_set_errhandler", "ii:i", w_MPI_Comm_set_errhandler},
    {"MPI_Comm_get_errhandler", "ii:i", w_MPI_Comm_get_errhandler},
    {"MPI_Errhandler_free", "i:i", w_MPI_Errhandler_free},
    {"MPI_Comm_call_errhandler", "ii:i", w_MPI_Comm_call_errhandler},
    {"MPI_Comm_get_attr", "iiii:i", w_MPI_Comm_get_attr},
    {"MPI_Attr_get", "iiii:i", w_MPI_Attr_get},
    {"MPI_Pcontrol", "ii:i", w_MPI_Pcontrol},
    {NULL, NULL, NULL},
};

/* ---- Functions not built: log the name, return MPI_ERR_OTHER ---- */

static void w_unsupported(rt_instance *in, void *data, rt_value *io) {
    const char *name = data;
    gw_call c;
    gw_begin(&c, in, io, name);
    gmpi_rank_log(c.r, "%s is not supported by Granny's MPI (returns MPI_ERR_OTHER)", name);
    gw_end(&c, GMPI_COMM_WORLD, GMPI_ERR_OTHER);
}

/* Signatures follow the wasm32 C ABI: pointers, ints, handles and MPI_Aint are i32. */
const gw_fn gw_unsupported_fns[] = {
    {"MPI_Alltoallw", "iiiiiiiii:i", NULL},
    {"MPI_Ibarrier", "ii:i", NULL},
    {"MPI_Ibcast", "iiiiii:i", NULL},
    {"MPI_Ireduce", "iiiiiiii:i", NULL},
    {"MPI_Iallreduce", "iiiiiii:i", NULL},
    {"MPI_Igather", "iiiiiiiii:i", NULL},
    {"MPI_Iscatter", "iiiiiiiii:i", NULL},
    {"MPI_Iallgather", "iiiiiiii:i", NULL},
    {"MPI_Ialltoall", "iiiiiiii:i", NULL},
    {"MPI_Imrecv", "iiiii:i", NULL},
    {"MPI_Comm_create_errhandler", "ii:i", NULL},
    {"MPI_Comm_create_keyval", "iiii:i", NULL},
    {"MPI_Comm_free_keyval", "i:i", NULL},
    {"MPI_Comm_set_attr", "iii:i", NULL},
    {"MPI_Comm_delete_attr", "ii:i", NULL},
    {"MPI_Info_create", "i:i", NULL},
    {"MPI_Info_set", "iii:i", NULL},
    {"MPI_Info_get", "iiiii:i", NULL},
    {"MPI_Info_free", "i:i", NULL},
    {"MPI_Alloc_mem", "iii:i", NULL},
    {"MPI_Free_mem", "i:i", NULL},
    {"MPI_Intercomm_create", "iiiiii:i", NULL},
    {"MPI_Intercomm_merge", "iii:i", NULL},
    {"MPI_Comm_spawn", "iiiiiiii:i", NULL},
    {"MPI_Comm_get_parent", "i:i", NULL},
    {"MPI_Comm_disconnect", "i:i", NULL},
    {"MPI_Comm_remote_size", "ii:i", NULL},
    {"MPI_Graph_create", "iiiiii:i", NULL},
    {"MPI_Dist_graph_create_adjacent", "iiiiiiiiii:i", NULL},
    {"MPI_Cart_map", "iiiii:i", NULL},
    {"MPI_Type_get_contents", "iiiiiii:i", NULL},
    {"MPI_Win_create", "iiiiii:i", NULL},
    {"MPI_Win_free", "i:i", NULL},
    {"MPI_Win_fence", "ii:i", NULL},
    {"MPI_Put", "iiiiiiii:i", NULL},
    {"MPI_Get", "iiiiiiii:i", NULL},
    {"MPI_Accumulate", "iiiiiiiii:i", NULL},
    {"MPI_File_open", "iiiii:i", NULL},
    {"MPI_File_close", "i:i", NULL},
    {NULL, NULL, NULL},
};

/* ---- Registration ---- */

static bool register_table(rt_host_registry *r, const gw_fn *t, bool unsupported, rt_error *err) {
    for (; t->name; t++) {
        rt_host_fn fn = unsupported ? w_unsupported : t->fn;
        void *data = unsupported ? (void *)(uintptr_t)t->name : NULL;
        if (!rt_host_register(r, "env", t->name, t->sig, fn, data)) {
            snprintf(err->msg, sizeof err->msg, "cannot register env.%s", t->name);
            return false;
        }
    }
    return true;
}

bool gmpi_wasm_register(rt_host_registry *r, rt_error *err) {
    return register_table(r, gw_env_fns, false, err) && register_table(r, gw_p2p_fns, false, err) &&
           register_table(r, gw_coll_fns, false, err) &&
           register_table(r, gw_misc_fns, false, err) &&
           register_table(r, gw_unsupported_fns, true, err);
}

static bool imports_mpi(uint32_t n, const wasm_import *imports) {
    for (uint32_t i = 0; i < n; i++) {
        const wasm_import *imp = &imports[i];
        if (imp->kind == WASM_EXTERN_FUNC && imp->module.len == 3 &&
            !memcmp(imp->module.bytes, "env", 3) && imp->name.len > 4 &&
            !memcmp(imp->name.bytes, "MPI_", 4))
            return true;
    }
    return false;
}

bool gmpi_wasm_bytes_use_mpi(const uint8_t *bytes, size_t len) {
    wasm_module m;
    char err[256];
    memset(&m, 0, sizeof m);
    if (!wasm_decode(bytes, len, &m, err, sizeof err)) return false; /* the loader will say why */
    bool uses = imports_mpi(m.nimports, m.imports);
    wasm_module_free(&m);
    return uses;
}

bool gmpi_module_uses_mpi(const rt_module *m) {
    const rt_descriptor *d = rt_module_descriptor(m);
    return d && imports_mpi(d->nimports, d->imports);
}

/*
 * gmpi_wasm_internal.h — what the files of the wasm glue share: the per-rank binding state, the
 * call context every host function opens and closes, and the checked accessors of guest memory.
 *
 * A host function is written as
 *
 *     static void w_MPI_Send(rt_instance *in, void *data, rt_value *io) {
 *         gw_call c;
 *         gw_begin(&c, in, io, "MPI_Send");
 *         void *buf;
 *         int err = gw_buf(&c, ARG(0), ARG(1), ARG(2), false, &buf);
 *         if (!err) err = gmpi_send(c.r, buf, ARG(1), ARG(2), ARG(3), ARG(4), ARG(5));
 *         gw_end(&c, ARG(5), err);
 *     }
 *
 * gw_end applies the communicator's error handler and writes the result; when the world is
 * aborted it ends the cell with the abort code, and when a user operation trapped during the call
 * it re-raises that trap — both after the core has returned, so no lock or buffer is ever leaked
 * by a longjmp out of the core.
 */
#ifndef GRANNY_MPI_GMPI_WASM_INTERNAL_H
#define GRANNY_MPI_GMPI_WASM_INTERNAL_H

#include <assert.h>
#include <string.h>

#include "mpi/gmpi_wasm.h"

struct gmpi_guest {
    gmpi_rank *rank;
    rt_instance *inst;
    bool is_cell;
    uint64_t calls;
    uint32_t attr_area; /* guest address of the attribute values (0: not yet made) */
    uint32_t scratch;   /* guest address of the user-op scratch region (0: none) */
    uint32_t scratch_size;
    bool op_trapped; /* a user operation trapped during the current call */
    rt_trap_info op_trap;
};

typedef struct gw_call {
    rt_instance *in;
    rt_value *io;
    gmpi_guest *g;
    gmpi_rank *r;
    const char *fn;
} gw_call;

/* Argument k as a signed 32-bit value, and as a guest address. */
#define ARG(k)  ((int32_t)c.io[(k)].i32)
#define ADDR(k) (c.io[(k)].i32)

enum { GW_IN_PLACE_ADDR = 0xFFFFFFFFu };

void gw_begin(gw_call *c, rt_instance *in, rt_value *io, const char *fn);
/* Error handler, abort and pending user-op trap handling; writes the i32 result. */
void gw_end(gw_call *c, int comm, int err);

/* Guest memory. All return MPI error codes (0 on success). A NULL guest address (0) for an
 * optional output is allowed by gw_out* (nothing is written) only where noted. */
/* The accessors every host function uses are inline: they sit on the per-message path. */
static inline bool gw_range(const gw_call *c, uint32_t addr, uint64_t len) {
    return (uint64_t)addr + len <= c->in->memory->size;
}
static inline void *gw_host(const gw_call *c, uint32_t addr) { /* base + addr, no check */
    return c->in->memory->base + addr;
}
/* (addr, count, type) as a host buffer; in_place_ok: 0xFFFFFFFF means MPI_IN_PLACE. */
int gw_buf(gw_call *c, uint32_t addr, int count, int type, bool in_place_ok, void **out);
int gw_buf64(gw_call *c, uint32_t addr, int64_t count, int type, bool in_place_ok, void **out);
/* A buffer addressed by n (counts[i], displs[i]) blocks of `type` (gatherv, alltoallv ...). */
int gw_vbuf(gw_call *c, uint32_t addr, int n, const int *counts, const int *displs, int type,
            bool in_place_ok, void **out);
/* Reads n guest ints into a malloc'ed host array (*out; free it). n may be 0. */
int gw_ints_in(gw_call *c, uint32_t addr, int n, int **out);
/* Reads n guest MPI_Aints (32-bit) as int64. */
int gw_aints_in(gw_call *c, uint32_t addr, int n, int64_t **out);
/* Writes ints to guest memory (checked before the call with gw_check_out). */
static inline int gw_check_out(gw_call *c, uint32_t addr, uint64_t bytes) {
    return gw_range(c, addr, bytes) ? GMPI_SUCCESS : GMPI_ERR_ARG;
}
static inline void gw_put_i32(gw_call *c, uint32_t addr, int32_t v) {
    assert(gw_range(c, addr, 4));
    memcpy(gw_host(c, addr), &v, 4);
}
void gw_put_i64(gw_call *c, uint32_t addr, int64_t v);
static inline int32_t gw_get_i32(gw_call *c, uint32_t addr) {
    int32_t v;
    assert(gw_range(c, addr, 4));
    memcpy(&v, gw_host(c, addr), 4);
    return v;
}
/* A NUL-terminated guest string of at most max bytes (without the NUL). */
int gw_string(gw_call *c, uint32_t addr, size_t max, const char **out);
/* Writes a status (guest address 0 = MPI_STATUS_IGNORE). */
static inline void gw_put_status(gw_call *c, uint32_t addr, const gmpi_status *st) {
    if (addr == 0 || !gw_range(c, addr, sizeof *st)) return;
    memcpy(gw_host(c, addr), st, sizeof *st);
}
/* The number of entries of a communicator (0 if invalid), for sizing arrays. */
int gw_comm_size(gw_call *c, int comm);

/* Guest memory owned by the binding (attribute values, user-op arguments): a region grown at the
 * end of linear memory on first use. Returns a guest address or 0 when memory cannot grow. */
uint32_t gw_scratch(gw_call *c, uint32_t bytes);
uint32_t gw_attr_slot(gw_call *c, int key);

/* The user-operation callback the core calls (gmpi_user_op_call). */
int gw_user_op(void *ud, uint64_t fn, void *invec, void *inoutvec, int len, int datatype);

/* Registration tables of each file: {name, signature, function}, ended by a NULL name. */
typedef struct gw_fn {
    const char *name;
    const char *sig;
    rt_host_fn fn;
} gw_fn;
extern const gw_fn gw_env_fns[];
extern const gw_fn gw_p2p_fns[];
extern const gw_fn gw_coll_fns[];
extern const gw_fn gw_misc_fns[];
extern const gw_fn gw_unsupported_fns[];

#endif

/*
 * gmpi.h — Granny's MPI core: a world of ranks that exchange messages through in-memory queues,
 * independent of the wasm engine. The bindings (gmpi_wasm.c for C-Cells, the native shim of the
 * tests) translate the MPI C API onto these functions; everything MPI means lives here.
 *
 * Model
 * - A world has N ranks. Each rank is driven by exactly one thread at a time
 * (MPI_THREAD_SERIALIZED) and is addressed logically as (world, rank): never a thread or a socket,
 * so a rank can move.
 * - A placement table maps every rank to a worker. Ranks on this worker exchange messages through
 *   per-pair rings (gmpi_match.c); a remote transport will plug in for other workers. Collectives
 *   are built on point-to-point messages with one leader per worker (gmpi_coll.c).
 * - Handles are small integers with the same values as the guest's mpi.h (the ABI, documented in
 *   docs/mpi.md): communicators, groups, datatypes, ops, requests and messages are per-rank tables.
 * - Every function returns an MPI error code (GMPI_SUCCESS = MPI_SUCCESS). Error handlers are
 * applied by the binding through gmpi_error(), which knows the communicator's handler.
 * - Buffers are host pointers. The binding has already checked them (for wasm: inside the caller's
 *   linear memory); GMPI_IN_PLACE and GMPI_BOTTOM are the host spellings of
 * MPI_IN_PLACE/MPI_BOTTOM.
 *
 * The predefined datatypes depend on the guest's C ABI (long is 4 bytes in wasm32, 8 natively;
 * long double is binary128 in wasm32, x87 natively): a world is created for one ABI.
 */
#ifndef GRANNY_MPI_GMPI_H
#define GRANNY_MPI_GMPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Error classes (values of the MPI standard's list, as OpenMPI numbers them) ---- */
enum {
    GMPI_SUCCESS = 0,
    GMPI_ERR_BUFFER = 1,
    GMPI_ERR_COUNT = 2,
    GMPI_ERR_TYPE = 3,
    GMPI_ERR_TAG = 4,
    GMPI_ERR_COMM = 5,
    GMPI_ERR_RANK = 6,
    GMPI_ERR_REQUEST = 7,
    GMPI_ERR_ROOT = 8,
    GMPI_ERR_GROUP = 9,
    GMPI_ERR_OP = 10,
    GMPI_ERR_TOPOLOGY = 11,
    GMPI_ERR_DIMS = 12,
    GMPI_ERR_ARG = 13,
    GMPI_ERR_UNKNOWN = 14,
    GMPI_ERR_TRUNCATE = 15,
    GMPI_ERR_OTHER = 16,
    GMPI_ERR_INTERN = 17,
    GMPI_ERR_IN_STATUS = 18,
    GMPI_ERR_PENDING = 19,
    GMPI_ERR_KEYVAL = 36,
    GMPI_ERR_NO_MEM = 39,
    GMPI_ERR_LASTCODE = 92,
    /* Not an MPI class: the world was aborted (MPI_Abort or a fatal error); the binding must end
     * the rank with the world's abort code. Never returned to a guest. */
    GMPI_ABORTED = -1000,
};

/* ---- Special values ---- */
enum {
    GMPI_ANY_SOURCE = -1,
    GMPI_PROC_NULL = -2,
    GMPI_ROOT = -4,
    GMPI_ANY_TAG = -1,
    GMPI_UNDEFINED = -32766,
    GMPI_TAG_UB = 2147483647,
    GMPI_MAX_PROCESSOR_NAME = 256,
    GMPI_MAX_ERROR_STRING = 256,
    GMPI_MAX_OBJECT_NAME = 64,
    GMPI_MAX_LIBRARY_VERSION_STRING = 256,
    GMPI_BSEND_OVERHEAD = 128,
    GMPI_IDENT = 0,
    GMPI_CONGRUENT = 1,
    GMPI_SIMILAR = 2,
    GMPI_UNEQUAL = 3,
    GMPI_THREAD_SINGLE = 0,
    GMPI_THREAD_FUNNELED = 1,
    GMPI_THREAD_SERIALIZED = 2,
    GMPI_THREAD_MULTIPLE = 3,
    GMPI_TOPO_CART = 1,
    GMPI_TOPO_GRAPH = 2,
    GMPI_TOPO_DIST_GRAPH = 3,
    GMPI_ORDER_C = 0,
    GMPI_ORDER_FORTRAN = 1,
    GMPI_VERSION = 3,
    GMPI_SUBVERSION = 1,
};

/* Predefined attribute keys (MPI_Comm_get_attr). */
enum {
    GMPI_KEY_TAG_UB = 0,
    GMPI_KEY_HOST,
    GMPI_KEY_IO,
    GMPI_KEY_WTIME_IS_GLOBAL,
    GMPI_KEY_UNIVERSE_SIZE,
    GMPI_KEY_APPNUM,
    GMPI_KEY_COUNT
};

/* ---- Handles (identical values in guest/include/mpi.h) ---- */
enum { GMPI_COMM_NULL = 0, GMPI_COMM_WORLD = 1, GMPI_COMM_SELF = 2, GMPI_COMM_FIRST_USER = 3 };
enum { GMPI_GROUP_NULL = 0, GMPI_GROUP_EMPTY = 1, GMPI_GROUP_FIRST_USER = 2 };
enum { GMPI_REQUEST_NULL = 0 };
enum { GMPI_MESSAGE_NULL = 0, GMPI_MESSAGE_NO_PROC = 1 };
enum { GMPI_ERRHANDLER_NULL = 0, GMPI_ERRORS_ARE_FATAL = 1, GMPI_ERRORS_RETURN = 2 };
enum { GMPI_INFO_NULL = 0 };

enum {
    GMPI_OP_NULL = 0,
    GMPI_MAX = 1,
    GMPI_MIN = 2,
    GMPI_SUM = 3,
    GMPI_PROD = 4,
    GMPI_LAND = 5,
    GMPI_BAND = 6,
    GMPI_LOR = 7,
    GMPI_BOR = 8,
    GMPI_LXOR = 9,
    GMPI_BXOR = 10,
    GMPI_MINLOC = 11,
    GMPI_MAXLOC = 12,
    GMPI_REPLACE = 13,
    GMPI_NO_OP = 14,
    GMPI_OP_PREDEF_COUNT = 15,
    GMPI_OP_FIRST_USER = 16,
};

enum {
    GMPI_DATATYPE_NULL = 0,
    GMPI_CHAR = 1,
    GMPI_SIGNED_CHAR = 2,
    GMPI_UNSIGNED_CHAR = 3,
    GMPI_BYTE = 4,
    GMPI_WCHAR = 5,
    GMPI_SHORT = 6,
    GMPI_UNSIGNED_SHORT = 7,
    GMPI_INT = 8,
    GMPI_UNSIGNED = 9,
    GMPI_LONG = 10,
    GMPI_UNSIGNED_LONG = 11,
    GMPI_LONG_LONG = 12,
    GMPI_UNSIGNED_LONG_LONG = 13,
    GMPI_FLOAT = 14,
    GMPI_DOUBLE = 15,
    GMPI_LONG_DOUBLE = 16,
    GMPI_C_BOOL = 17,
    GMPI_INT8_T = 18,
    GMPI_INT16_T = 19,
    GMPI_INT32_T = 20,
    GMPI_INT64_T = 21,
    GMPI_UINT8_T = 22,
    GMPI_UINT16_T = 23,
    GMPI_UINT32_T = 24,
    GMPI_UINT64_T = 25,
    GMPI_AINT = 26,
    GMPI_COUNT = 27,
    GMPI_OFFSET = 28,
    GMPI_C_FLOAT_COMPLEX = 29,
    GMPI_C_DOUBLE_COMPLEX = 30,
    GMPI_C_LONG_DOUBLE_COMPLEX = 31,
    GMPI_PACKED = 32,
    GMPI_FLOAT_INT = 33,
    GMPI_DOUBLE_INT = 34,
    GMPI_LONG_INT = 35,
    GMPI_2INT = 36,
    GMPI_SHORT_INT = 37,
    GMPI_LONG_DOUBLE_INT = 38,
    GMPI_TYPE_PREDEF_COUNT = 39,
    GMPI_TYPE_FIRST_USER = 64,
};

/* Type combiners (MPI_Type_get_envelope), in the standard's order. */
enum {
    GMPI_COMBINER_NAMED = 0,
    GMPI_COMBINER_DUP,
    GMPI_COMBINER_CONTIGUOUS,
    GMPI_COMBINER_VECTOR,
    GMPI_COMBINER_HVECTOR_INTEGER,
    GMPI_COMBINER_HVECTOR,
    GMPI_COMBINER_INDEXED,
    GMPI_COMBINER_HINDEXED_INTEGER,
    GMPI_COMBINER_HINDEXED,
    GMPI_COMBINER_INDEXED_BLOCK,
    GMPI_COMBINER_STRUCT_INTEGER,
    GMPI_COMBINER_STRUCT,
    GMPI_COMBINER_SUBARRAY,
    GMPI_COMBINER_DARRAY,
    GMPI_COMBINER_F90_REAL,
    GMPI_COMBINER_F90_COMPLEX,
    GMPI_COMBINER_F90_INTEGER,
    GMPI_COMBINER_RESIZED,
    GMPI_COMBINER_HINDEXED_BLOCK
};

/* The host spellings of MPI_IN_PLACE and MPI_BOTTOM. */
#define GMPI_IN_PLACE ((void *)(intptr_t)-1)
#define GMPI_BOTTOM   ((void *)0)

/* MPI_Status, laid out exactly as the guest's (five 32-bit ints); the count is in bytes. */
typedef struct gmpi_status {
    int32_t source;
    int32_t tag;
    int32_t error;
    int32_t count_lo;
    int32_t count_hi_and_cancelled; /* bit 0: cancelled; bits 1..31: count >> 32 */
} gmpi_status;

typedef enum gmpi_abi {
    GMPI_ABI_LP64,   /* native x86-64 Linux: long 8 bytes, long double x87 */
    GMPI_ABI_WASM32, /* wasm32-wasi: long 4 bytes, long double binary128 */
} gmpi_abi;

typedef struct gmpi_world gmpi_world;
typedef struct gmpi_rank gmpi_rank;

/* ---- World: creation, placement, abort, quiescence ---- */

gmpi_world *gmpi_world_new(int nranks, gmpi_abi abi);
void gmpi_world_free(gmpi_world *w);
int gmpi_world_size(const gmpi_world *w);
gmpi_rank *gmpi_world_rank(gmpi_world *w, int rank);
gmpi_world *gmpi_rank_world(const gmpi_rank *r);
int gmpi_rank_id(const gmpi_rank *r);

/* Placement: the worker that hosts each rank (all on worker 0 by default). Only the planner
 * changes it, at a barrier control point. Collectives elect one leader per worker. */
int gmpi_world_set_worker(gmpi_world *w, int rank, int worker);
int gmpi_world_worker_of(const gmpi_world *w, int rank);

/* Abort: every rank's next (or current, blocked) MPI call returns GMPI_ABORTED. */
void gmpi_world_abort(gmpi_world *w, int code);
bool gmpi_world_aborted(const gmpi_world *w, int *code);

/* Barrier control point: called by the leader of an MPI_Barrier over all ranks of the world while
 * every rank is held in it; `in_flight` is the number of user messages sent and not yet received
 * (0 means the world is quiesced). The hook may inspect or change the world (placement). */
typedef void (*gmpi_quiesce_fn)(gmpi_world *w, void *ud, long in_flight);
void gmpi_world_set_quiesce_hook(gmpi_world *w, gmpi_quiesce_fn fn, void *ud);
/* Number of world barriers completed and user messages in flight now (for tests and reports). */
uint64_t gmpi_world_barriers(const gmpi_world *w);
long gmpi_world_in_flight(const gmpi_world *w);

/* Tuning (tests use it to force paths): messages up to eager_limit bytes are copied into a buffer
 * when no receive is posted; larger ones wait for the receiver, who copies from the sender. */
void gmpi_world_set_eager_limit(gmpi_world *w, size_t bytes);
/* Tuning (tests use it to force wrap-around): the number of 32-byte cells of each ring between two
 * ranks, a power of two from 256 to 4096, for rings made from now on; 0 (the default, and what
 * any other value means) sizes them by the world's size. */
void gmpi_world_set_ring_cells(gmpi_world *w, unsigned cells);

/* Deadlock detection (on by default): when every rank that has not exited sleeps in an MPI wait
 * and no wake-up is pending, twice in a row 100 ms apart, the world is aborted with code 1 and a
 * message listing where each rank is blocked. The binding tells which ranks have exited and which
 * MPI function each rank is in. */
void gmpi_world_set_deadlock_detection(gmpi_world *w, bool on);
void gmpi_rank_exited(gmpi_rank *r);
void gmpi_rank_set_call(gmpi_rank *r, const char *fn);

/* ---- Per-rank hooks set by the binding ---- */

/* Calls a user reduction function (MPI_Op_create) on host buffers; `fn` is the token given to
 * gmpi_op_create (a native function pointer, or a wasm table index). Returns 0, or an MPI error. */
typedef int (*gmpi_user_op_call)(void *ud, uint64_t fn, void *invec, void *inoutvec, int len,
                                 int datatype);
void gmpi_rank_set_user_op_call(gmpi_rank *r, gmpi_user_op_call call, void *ud);
/* Log sink for messages (unsupported functions, fatal errors); default stderr. */
void gmpi_rank_log(gmpi_rank *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- Environment ---- */

int gmpi_init(gmpi_rank *r, int required, int *provided);
int gmpi_finalize(gmpi_rank *r);
bool gmpi_initialized(const gmpi_rank *r);
bool gmpi_finalized(const gmpi_rank *r);
int gmpi_query_thread(gmpi_rank *r, int *provided);
double gmpi_wtime(gmpi_rank *r);
double gmpi_wtick(void);
int gmpi_get_processor_name(gmpi_rank *r, char *name, int *len); /* name: GMPI_MAX_PROCESSOR_NAME */
const char *gmpi_library_version(void);
/* Error handler dispatch: returns `code` when the communicator's handler is MPI_ERRORS_RETURN (or
 * code is success); for MPI_ERRORS_ARE_FATAL logs "MPI error in FN: ..." , aborts the world and
 * returns GMPI_ABORTED. comm may be GMPI_COMM_NULL (world's handler). */
int gmpi_error(gmpi_rank *r, int comm, int code, const char *fn);
/* The same for functions not built: logs "FN is not supported by Granny" and dispatches
 * GMPI_ERR_OTHER. */
int gmpi_unsupported(gmpi_rank *r, const char *fn);
int gmpi_error_string(int code, char *out, int *len); /* out: GMPI_MAX_ERROR_STRING */
int gmpi_error_class(int code, int *cls);
int gmpi_abort(gmpi_rank *r, int comm, int code);
int gmpi_comm_set_errhandler(gmpi_rank *r, int comm, int eh);
int gmpi_comm_get_errhandler(gmpi_rank *r, int comm, int *eh);
int gmpi_comm_get_attr(gmpi_rank *r, int comm, int key, int64_t *value, int *flag);

/* ---- Point to point ---- */

int gmpi_send(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm);
int gmpi_ssend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm);
int gmpi_bsend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm);
int gmpi_recv(gmpi_rank *r, void *buf, int count, int type, int source, int tag, int comm,
              gmpi_status *status);
int gmpi_isend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
               int *req);
int gmpi_issend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                int *req);
int gmpi_irecv(gmpi_rank *r, void *buf, int count, int type, int source, int tag, int comm,
               int *req);
int gmpi_ibsend(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                int *req);
int gmpi_bsend_init(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                    int *req);
int gmpi_send_init(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                   int *req);
int gmpi_ssend_init(gmpi_rank *r, const void *buf, int count, int type, int dest, int tag, int comm,
                    int *req);
int gmpi_recv_init(gmpi_rank *r, void *buf, int count, int type, int source, int tag, int comm,
                   int *req);
int gmpi_start(gmpi_rank *r, int *req);
int gmpi_sendrecv(gmpi_rank *r, const void *sbuf, int scount, int stype, int dest, int stag,
                  void *rbuf, int rcount, int rtype, int source, int rtag, int comm,
                  gmpi_status *status);
int gmpi_sendrecv_replace(gmpi_rank *r, void *buf, int count, int type, int dest, int stag,
                          int source, int rtag, int comm, gmpi_status *status);
int gmpi_probe(gmpi_rank *r, int source, int tag, int comm, gmpi_status *status);
int gmpi_iprobe(gmpi_rank *r, int source, int tag, int comm, int *flag, gmpi_status *status);
int gmpi_mprobe(gmpi_rank *r, int source, int tag, int comm, int *msg, gmpi_status *status);
int gmpi_improbe(gmpi_rank *r, int source, int tag, int comm, int *flag, int *msg,
                 gmpi_status *status);
int gmpi_mrecv(gmpi_rank *r, void *buf, int count, int type, int *msg, gmpi_status *status);
int gmpi_buffer_attach(gmpi_rank *r, void *buf, int size);
int gmpi_buffer_detach(gmpi_rank *r, void **buf, int *size);

/* Requests. Arrays of handles are updated in place (completed non-persistent ones become
 * GMPI_REQUEST_NULL). `statuses` may be NULL (MPI_STATUSES_IGNORE). */
int gmpi_wait(gmpi_rank *r, int *req, gmpi_status *status);
int gmpi_test(gmpi_rank *r, int *req, int *flag, gmpi_status *status);
int gmpi_waitall(gmpi_rank *r, int n, int *reqs, gmpi_status *statuses);
int gmpi_testall(gmpi_rank *r, int n, int *reqs, int *flag, gmpi_status *statuses);
int gmpi_waitany(gmpi_rank *r, int n, int *reqs, int *index, gmpi_status *status);
int gmpi_testany(gmpi_rank *r, int n, int *reqs, int *index, int *flag, gmpi_status *status);
int gmpi_waitsome(gmpi_rank *r, int n, int *reqs, int *outcount, int *indices,
                  gmpi_status *statuses);
int gmpi_testsome(gmpi_rank *r, int n, int *reqs, int *outcount, int *indices,
                  gmpi_status *statuses);
int gmpi_request_free(gmpi_rank *r, int *req);
int gmpi_request_get_status(gmpi_rank *r, int req, int *flag, gmpi_status *status);
int gmpi_cancel(gmpi_rank *r, int *req);

/* Status helpers. */
void gmpi_status_set_bytes(gmpi_status *s, int64_t bytes);
int64_t gmpi_status_bytes(const gmpi_status *s);
int gmpi_get_count(gmpi_rank *r, const gmpi_status *s, int type, int *count);
int gmpi_get_elements(gmpi_rank *r, const gmpi_status *s, int type, int64_t *count);
int gmpi_test_cancelled(const gmpi_status *s, int *flag);

/* ---- Datatypes ---- */

int gmpi_type_contiguous(gmpi_rank *r, int count, int old, int *out);
int gmpi_type_vector(gmpi_rank *r, int count, int blocklen, int stride, int old, int *out);
int gmpi_type_hvector(gmpi_rank *r, int count, int blocklen, int64_t stride, int old, int *out);
int gmpi_type_indexed(gmpi_rank *r, int count, const int *blocklens, const int *displs, int old,
                      int *out);
int gmpi_type_hindexed(gmpi_rank *r, int count, const int *blocklens, const int64_t *displs,
                       int old, int *out);
int gmpi_type_indexed_block(gmpi_rank *r, int count, int blocklen, const int *displs, int old,
                            int *out);
int gmpi_type_hindexed_block(gmpi_rank *r, int count, int blocklen, const int64_t *displs, int old,
                             int *out);
int gmpi_type_struct(gmpi_rank *r, int count, const int *blocklens, const int64_t *displs,
                     const int *types, int *out);
int gmpi_type_resized(gmpi_rank *r, int old, int64_t lb, int64_t extent, int *out);
int gmpi_type_subarray(gmpi_rank *r, int ndims, const int *sizes, const int *subsizes,
                       const int *starts, int order, int old, int *out);
int gmpi_type_dup(gmpi_rank *r, int old, int *out);
int gmpi_type_commit(gmpi_rank *r, int *type);
int gmpi_type_free(gmpi_rank *r, int *type);
int gmpi_type_size(gmpi_rank *r, int type, int64_t *size);
int gmpi_type_get_extent(gmpi_rank *r, int type, int64_t *lb, int64_t *extent);
int gmpi_type_get_true_extent(gmpi_rank *r, int type, int64_t *lb, int64_t *extent);
int gmpi_type_get_envelope(gmpi_rank *r, int type, int *nints, int *naddrs, int *ntypes,
                           int *combiner);
int gmpi_type_set_name(gmpi_rank *r, int type, const char *name);
int gmpi_type_get_name(gmpi_rank *r, int type, char *name, int *len);
int gmpi_pack(gmpi_rank *r, const void *in, int count, int type, void *out, int outsize,
              int *position, int comm);
int gmpi_unpack(gmpi_rank *r, const void *in, int insize, int *position, void *out, int count,
                int type, int comm);
int gmpi_pack_size(gmpi_rank *r, int count, int type, int comm, int *size);
/* The bytes [lo, hi) relative to buf that (count, type) touches; false for an invalid type. The
 * binding checks them against the guest's memory before any call. */
bool gmpi_type_span(gmpi_rank *r, int type, int64_t count, int64_t *lo, int64_t *hi);

/* ---- Reduction operations ---- */

int gmpi_op_create(gmpi_rank *r, uint64_t fn, int commute, int *op);
int gmpi_op_free(gmpi_rank *r, int *op);
int gmpi_op_commutative(gmpi_rank *r, int op, int *commute);
int gmpi_reduce_local(gmpi_rank *r, const void *in, void *inout, int count, int type, int op);

/* ---- Groups and communicators ---- */

int gmpi_comm_size(gmpi_rank *r, int comm, int *size);
int gmpi_comm_rank(gmpi_rank *r, int comm, int *rank);
int gmpi_comm_dup(gmpi_rank *r, int comm, int *out);
int gmpi_comm_split(gmpi_rank *r, int comm, int color, int key, int *out);
int gmpi_comm_split_type(gmpi_rank *r, int comm, int split_type, int key, int *out);
int gmpi_comm_create(gmpi_rank *r, int comm, int group, int *out);
int gmpi_comm_free(gmpi_rank *r, int *comm);
int gmpi_comm_compare(gmpi_rank *r, int a, int b, int *result);
int gmpi_comm_group(gmpi_rank *r, int comm, int *group);
int gmpi_comm_test_inter(gmpi_rank *r, int comm, int *flag);
int gmpi_comm_set_name(gmpi_rank *r, int comm, const char *name);
int gmpi_comm_get_name(gmpi_rank *r, int comm, char *name, int *len);
int gmpi_group_size(gmpi_rank *r, int group, int *size);
int gmpi_group_rank(gmpi_rank *r, int group, int *rank);
int gmpi_group_translate_ranks(gmpi_rank *r, int g1, int n, const int *ranks1, int g2, int *ranks2);
int gmpi_group_compare(gmpi_rank *r, int g1, int g2, int *result);
int gmpi_group_incl(gmpi_rank *r, int group, int n, const int *ranks, int *out);
int gmpi_group_excl(gmpi_rank *r, int group, int n, const int *ranks, int *out);
int gmpi_group_range_incl(gmpi_rank *r, int group, int n, const int (*ranges)[3], int *out);
int gmpi_group_range_excl(gmpi_rank *r, int group, int n, const int (*ranges)[3], int *out);
int gmpi_group_union(gmpi_rank *r, int g1, int g2, int *out);
int gmpi_group_intersection(gmpi_rank *r, int g1, int g2, int *out);
int gmpi_group_difference(gmpi_rank *r, int g1, int g2, int *out);
int gmpi_group_free(gmpi_rank *r, int *group);

/* ---- Cartesian topologies ---- */

int gmpi_dims_create(int nnodes, int ndims, int *dims);
int gmpi_cart_create(gmpi_rank *r, int comm, int ndims, const int *dims, const int *periods,
                     int reorder, int *out);
int gmpi_cart_coords(gmpi_rank *r, int comm, int rank, int maxdims, int *coords);
int gmpi_cart_rank(gmpi_rank *r, int comm, const int *coords, int *rank);
int gmpi_cart_shift(gmpi_rank *r, int comm, int direction, int disp, int *source, int *dest);
int gmpi_cart_sub(gmpi_rank *r, int comm, const int *remain, int *out);
int gmpi_cartdim_get(gmpi_rank *r, int comm, int *ndims);
int gmpi_cart_get(gmpi_rank *r, int comm, int maxdims, int *dims, int *periods, int *coords);
int gmpi_topo_test(gmpi_rank *r, int comm, int *status);

/* ---- Collectives (blocking; buffers may be GMPI_IN_PLACE where MPI allows) ---- */

int gmpi_barrier(gmpi_rank *r, int comm);
int gmpi_bcast(gmpi_rank *r, void *buf, int count, int type, int root, int comm);
int gmpi_reduce(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op, int root,
                int comm);
int gmpi_allreduce(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op,
                   int comm);
int gmpi_scan(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op, int comm);
int gmpi_exscan(gmpi_rank *r, const void *sbuf, void *rbuf, int count, int type, int op, int comm);
int gmpi_reduce_scatter(gmpi_rank *r, const void *sbuf, void *rbuf, const int *rcounts, int type,
                        int op, int comm);
int gmpi_reduce_scatter_block(gmpi_rank *r, const void *sbuf, void *rbuf, int rcount, int type,
                              int op, int comm);
int gmpi_gather(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                int rtype, int root, int comm);
int gmpi_gatherv(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf,
                 const int *rcounts, const int *displs, int rtype, int root, int comm);
int gmpi_scatter(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                 int rtype, int root, int comm);
int gmpi_scatterv(gmpi_rank *r, const void *sbuf, const int *scounts, const int *displs, int stype,
                  void *rbuf, int rcount, int rtype, int root, int comm);
int gmpi_allgather(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                   int rtype, int comm);
int gmpi_allgatherv(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf,
                    const int *rcounts, const int *displs, int rtype, int comm);
int gmpi_alltoall(gmpi_rank *r, const void *sbuf, int scount, int stype, void *rbuf, int rcount,
                  int rtype, int comm);
int gmpi_alltoallv(gmpi_rank *r, const void *sbuf, const int *scounts, const int *sdispls,
                   int stype, void *rbuf, const int *rcounts, const int *rdispls, int rtype,
                   int comm);

/* ---- Introspection for bindings ---- */

/* Number of entries of each handle table in use (tests check that nothing leaks). */
int gmpi_rank_live_requests(const gmpi_rank *r);
int gmpi_rank_live_comms(const gmpi_rank *r);
/* Size of a communicator's group / of a group (0 when invalid), for bindings sizing arrays. */
int gmpi_comm_size_or_zero(gmpi_rank *r, int comm);
int gmpi_group_size_or_zero(gmpi_rank *r, int group);
/* Number of dimensions of a Cartesian communicator, or 0. */
int gmpi_cart_ndims_or_zero(gmpi_rank *r, int comm);

#endif

/*
 * gmpi_internal.h — the data structures shared by the files of the MPI core (not a public API).
 *
 * Ownership and threads
 * - A gmpi_rank is driven by one thread at a time. Its handle tables (communicators, groups,
 *   datatypes, ops, requests, messages) are touched only by that thread.
 * - Other ranks touch a rank only through the slots of the rings they send it (gmpi_chan: one
 *   writer, one reader), the list those rings hang on, its doorbell (gmpi_doorbell: a futex word
 *   rung whenever something the rank may be waiting for happened), and by completing send
 *   requests it posted (req->done, a release store after every other field is set; the completer
 *   never touches the request after that store). Its matching lists are its own: no locks.
 * - Requests are owned by their rank: freed only by it, after completion. Rendezvous messages point
 *   at the sender's request, which stays alive until the receiver has copied the data (or the
 *   sender withdrew the message).
 *
 * Contexts: each communicator has an even context id for user point-to-point messages; id + 1 is
 * its collective context, so collectives never match user receives (even MPI_ANY_SOURCE ones).
 */
#ifndef GRANNY_MPI_GMPI_INTERNAL_H
#define GRANNY_MPI_GMPI_INTERNAL_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "mpi/gmpi.h"

/* ---- Datatypes ---- */

/* The basic element kinds reductions operate on (the predefined C types of both ABIs). */
typedef enum gmpi_kind {
    GMPI_K_NONE = 0, /* MPI_PACKED, or a derived type of mixed basic types */
    GMPI_K_I8,
    GMPI_K_I16,
    GMPI_K_I32,
    GMPI_K_I64,
    GMPI_K_U8,
    GMPI_K_U16,
    GMPI_K_U32,
    GMPI_K_U64,
    GMPI_K_F32,
    GMPI_K_F64,
    GMPI_K_F80,  /* x87 long double (native ABI), 16 bytes of storage */
    GMPI_K_F128, /* binary128 long double (wasm32 ABI) */
    GMPI_K_C32,  /* float _Complex */
    GMPI_K_C64,
    GMPI_K_C80,
    GMPI_K_C128,
    GMPI_K_BOOL, /* C _Bool, one byte */
    GMPI_K_BYTE,
    GMPI_K_CHAR, /* MPI_CHAR: text, but reductions accept it as a signed byte integer */
    /* MINLOC/MAXLOC pairs, packed as value then int (no padding) */
    GMPI_K_FLOAT_INT,
    GMPI_K_DOUBLE_INT,
    GMPI_K_I32_INT, /* MPI_2INT, and MPI_LONG_INT in wasm32 */
    GMPI_K_I64_INT, /* MPI_LONG_INT natively */
    GMPI_K_SHORT_INT,
    GMPI_K_F80_INT,
    GMPI_K_F128_INT,
    GMPI_K_COUNT
} gmpi_kind;

/* Packed size in bytes of one element of a kind. */
int gmpi_kind_size(gmpi_kind k);

typedef struct gmpi_block {
    int64_t off; /* byte offset from the buffer */
    int64_t len; /* bytes */
} gmpi_block;

/* A datatype: its type map flattened to blocks in type-map order (adjacent blocks merged). One
 * instance is `size` data bytes; instance i starts at buf + i * extent. */
typedef struct gmpi_type {
    int refs; /* handle + pending requests that use it (owner thread only) */
    bool predefined;
    bool committed;
    bool contiguous; /* one block at offset 0 of `size` bytes and extent == size: memcpy-able */
    int combiner;
    int64_t size;
    int64_t lb, extent;       /* ub = lb + extent (after MPI_Type_create_resized) */
    int64_t true_lb, true_ub; /* the bytes really touched */
    gmpi_kind kind;           /* uniform basic kind of every element, or GMPI_K_NONE */
    int64_t nelems;           /* basic elements per instance */
    int nblocks;
    gmpi_block *blocks;
    gmpi_block inline_blocks[2];
    int env_ints, env_addrs, env_types; /* MPI_Type_get_envelope */
    char name[GMPI_MAX_OBJECT_NAME];
} gmpi_type;

void gmpi_types_init_predefined(gmpi_type *table, gmpi_abi abi);
gmpi_type *gmpi_type_get(gmpi_rank *r, int handle); /* NULL when invalid */
void gmpi_type_retain(gmpi_type *t);
void gmpi_type_release(gmpi_type *t);
/* Copies nbytes of packed data from one typed buffer to another (the one copy of a message).
 * Both sides must hold at least nbytes. */
void gmpi_type_copy(const void *src, int64_t scount, const gmpi_type *st, void *dst, int64_t dcount,
                    const gmpi_type *dt, int64_t nbytes);
/* Pack/unpack a typed buffer to/from contiguous bytes, starting `skip` packed bytes in. */
void gmpi_type_pack(const void *buf, int64_t count, const gmpi_type *t, void *out, int64_t skip,
                    int64_t nbytes);
void gmpi_type_unpack(const void *in, void *buf, int64_t count, const gmpi_type *t, int64_t skip,
                      int64_t nbytes);

/* ---- Reduction operations ---- */

typedef struct gmpi_op {
    bool predefined;
    bool commute;
    int code;    /* GMPI_MAX ... for predefined */
    uint64_t fn; /* user function token */
} gmpi_op;

/* inout[i] = in[i] (op) inout[i] over count packed elements of kind k. */
typedef void (*gmpi_op_fn)(const void *in, void *inout, int64_t count);
gmpi_op_fn gmpi_op_lookup(int op, gmpi_kind k); /* NULL: op not defined on kind */
const gmpi_op *gmpi_op_get(gmpi_rank *r, int handle);
/* Applies op to `count` instances of type, both buffers packed. */
int gmpi_op_apply_packed(gmpi_rank *r, const gmpi_op *op, int op_handle, int type_handle,
                         const gmpi_type *t, const void *in, void *inout, int64_t count);
/* Checks that op can reduce the type (predefined: defined on its kind). */
int gmpi_op_check(gmpi_rank *r, const gmpi_op *op, const gmpi_type *t);

/* ---- Groups and communicators ---- */

typedef struct gmpi_group {
    int refs;
    int size;
    int *world; /* group rank -> world rank */
} gmpi_group;

/* Shared by the ranks of one worker in one communicator: the local phase of the barrier (the
 * ranks of a worker share this process's memory; only leaders exchange messages). Found by
 * (context, world rank of the node's leader, placement epoch) in the world's list — the leader
 * tells apart the communicators of one split, which share a context; lives as long as the
 * world. */
typedef struct gmpi_node_sync {
    uint64_t ctx;
    int leader; /* world rank */
    unsigned epoch;
    int members;
    struct gmpi_node_sync *next;
    _Alignas(64) atomic_int arrived;  /* members other than the leader that arrived */
    _Alignas(64) atomic_uint release; /* the number of the last barrier the leader released */
} gmpi_node_sync;

typedef struct gmpi_comm {
    int refs;     /* the handle, plus collective operations in progress */
    uint64_t ctx; /* even: point-to-point context; ctx + 1: collectives */
    int size;
    int rank;   /* this rank's rank in the communicator */
    int *world; /* [size] comm rank -> world rank */
    int errhandler;
    bool spans_world; /* all world ranks, in any order: barriers are control points */
    int topo;         /* 0 or GMPI_TOPO_CART */
    int ndims;
    int *dims, *periods;
    char name[GMPI_MAX_OBJECT_NAME];
    /* Worker hierarchy for collectives, recomputed when the placement changes. */
    unsigned hier_epoch;
    int nnodes;
    int *node_of;              /* [size] comm rank -> node index (order of first appearance) */
    int *node_leader;          /* [nnodes] lowest comm rank on each node */
    gmpi_node_sync *node_sync; /* of this rank's node, for hier_epoch */
    unsigned barriers;         /* barriers this rank completed on the communicator */
} gmpi_comm;

gmpi_comm *gmpi_comm_get(gmpi_rank *r, int handle); /* NULL when invalid */
gmpi_group *gmpi_group_get(gmpi_rank *r, int handle);
/* Creates a communicator over the given world ranks (this rank among them), with context ctx. */
gmpi_comm *gmpi_comm_make(gmpi_rank *r, int size, const int *world, uint64_t ctx);
void gmpi_comm_release(gmpi_comm *c);
int gmpi_comm_add(gmpi_rank *r, gmpi_comm *c);   /* -> handle */
uint64_t gmpi_ctx_alloc(gmpi_rank *r);           /* a fresh context id unique in the world */
void gmpi_comm_hier(gmpi_rank *r, gmpi_comm *c); /* brings c's node structure up to date */

/* ---- Requests and messages ---- */

typedef enum gmpi_req_kind { GMPI_REQ_SEND, GMPI_REQ_RECV } gmpi_req_kind;

typedef struct gmpi_req gmpi_req;
typedef struct gmpi_msg gmpi_msg;

struct gmpi_req {
    /* First cache line: what a peer reads to match and copy, and what it writes to complete. A
     * message costs as few line transfers as possible when these stay together. */
    _Alignas(64) uint64_t ctx;
    int peer; /* comm rank (destination, or source / GMPI_ANY_SOURCE) */
    int tag;
    void *buf;
    int64_t count;
    gmpi_type *type;
    atomic_int done; /* 1 after completion: status valid, buffers released */
    gmpi_status status;
    /* The rest: the owner's bookkeeping. */
    gmpi_req *next; /* posted-receive queue, or the rank's detached list */
    gmpi_rank *owner;
    gmpi_rank *dest; /* send: the destination rank object, once started */
    gmpi_msg *env;   /* send: its rendezvous envelope (for withdrawing it) */
    gmpi_req_kind kind;
    int comm;      /* handle, for error handlers */
    int my_rank;   /* sender's rank in the communicator */
    bool sync;     /* Ssend: complete only when matched */
    bool buffered; /* Bsend: always eager */
    bool persistent;
    bool active; /* persistent: started and not yet completed by a wait */
    bool cancelled;
    bool internal; /* a collective's request, not in the handle table */
    int64_t bytes; /* send: packed size */
    /* Large contiguous rendezvous sends: the receiver that claimed the message opens the copy to
     * its sender (help_state 1, after help_dst and help_len), and both take chunks of it by
     * help_next; the sender adds what it copied to help_done, and the receiver completes the send
     * once every byte is in. help_link: the sender's list of such sends (gmpi_rank.helping). */
    _Alignas(64) atomic_long help_next;
    atomic_long help_done;
    atomic_int help_state;
    bool helping; /* on the owner's list */
    void *help_dst;
    int64_t help_len;
    gmpi_req *help_link;
};

/* Rendezvous copies of at least this many bytes are shared by the receiver and the sender, in
 * chunks of GMPI_HELP_CHUNK: two cores copying the same message (as copy-in copy-out MPIs do). */
enum { GMPI_HELP_MIN = 256 * 1024, GMPI_HELP_CHUNK = 64 * 1024 };

/* Envelope states of a rendezvous message: a receiver claims it before it reads the sender's
 * buffer; a sender that gives up (cancel, abort) withdraws it. Exactly one of them wins. */
enum { GMPI_ENV_PENDING = 0, GMPI_ENV_CLAIMED = 1, GMPI_ENV_WITHDRAWN = 2 };

/* A message outside a ring slot: an unexpected message kept by its receiver, a mid-size eager
 * payload or a rendezvous announcement the sender allocated, or a send waiting for ring space. */
struct gmpi_msg {
    gmpi_msg *lnext; /* link in the receiver's unexpected list, a pool, or a pending list */
    gmpi_rank *home; /* the rank whose pool it returns to (NULL: malloc'ed, freed) */
    gmpi_rank *dest; /* pending sends: the destination */
    uint64_t ctx;
    int src; /* sender's comm rank */
    int tag;
    int64_t bytes;
    gmpi_req *sreq;   /* rendezvous/synchronous: the sender's request; NULL for eager */
    atomic_int claim; /* rendezvous: GMPI_ENV_* */
    uint32_t cap;     /* payload capacity */
    uint8_t data[];   /* eager: the packed payload */
};

/* A ring is made of 32-byte cells, two to a cache line. A message starts at a cell with a 24-byte
 * header; a small message's payload follows it inline — the head cell's last 8 bytes, then as
 * many following cells as it needs, taken whole (their header bytes too), so the payload is one
 * run of ring memory (two where it wraps) and a message of up to 8 bytes takes half a line: two
 * tiny messages share one cache-line transfer, as in shared-memory MPIs' fast boxes. Any other
 * message takes one cell that points to its envelope (`bytes` is GMPI_CELL_ENV). */
enum { GMPI_CELL_SIZE = 32, GMPI_CELL_HEADER = 24 };
enum { GMPI_CELL_ENV = 0xffffffffu };
typedef struct gmpi_cell {
    atomic_uint seq; /* the producer's cell index + 1 once the message starting here is written */
    int src;
    int tag;
    uint32_t bytes; /* inline payload bytes, or GMPI_CELL_ENV */
    uint64_t ctx;
    union {
        uint8_t data[GMPI_CELL_SIZE - GMPI_CELL_HEADER]; /* the payload's first bytes */
        gmpi_msg *env;
    } u;
} gmpi_cell;
_Static_assert(sizeof(gmpi_cell) == GMPI_CELL_SIZE, "a cell is 32 bytes");
/* The largest message sent inline (the default eager limit): 129 cells. */
enum { GMPI_INLINE_MAX = 4096 };

/* Ring sizes: a power of two of cells, as large as the rings into one rank fit in
 * GMPI_RING_BUDGET bytes (so the rings of a world take at most that much per rank), between
 * GMPI_RING_MIN_CELLS (more than a largest inline message) and GMPI_RING_MAX_CELLS: 4096 cells,
 * 128 KiB, hold a window of 63 messages of 2 KiB (the OSU window is 64) up to 17 ranks. */
enum { GMPI_RING_MIN_CELLS = 256, GMPI_RING_MAX_CELLS = 4096, GMPI_RING_BUDGET = 2 << 20 };
unsigned gmpi_ring_cells(const gmpi_world *w);

/* The messages from one sender to one receiver: a single-producer single-consumer ring (after
 * FastForward: each message's head cell carries its own sequence number, so the consumer polls
 * the cell itself, never a shared index). The consumer hands cells back in batches: it publishes
 * how far it has read (`freed`) once per drain, and the producer reads that line only when its
 * cached copy says the ring is full. Made by the sender at its first message; the receiver finds
 * it in its list of incoming rings. Each side keeps its own copy of the ring's size, on its own
 * line. */
typedef struct gmpi_chan {
    _Alignas(64) unsigned tail; /* producer only: the next cell index */
    unsigned freed_seen;        /* producer only: the last value of `freed` it read */
    unsigned pmask;             /* producer only: cells - 1 */
    gmpi_rank *producer;
    _Alignas(64) unsigned head;     /* consumer only */
    unsigned cmask;                 /* consumer only: cells - 1 */
    struct gmpi_chan *next_in;      /* the receiver's list of incoming rings */
    _Alignas(64) atomic_uint freed; /* written by the consumer: the cells before it are free */
    atomic_int producer_waits;      /* the producer found the ring full: ring it once cells free */
    _Alignas(64) gmpi_cell cells[]; /* pmask + 1 of them */
} gmpi_chan;

static inline void gmpi_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

enum { GMPI_POOL_PAYLOAD = 240, GMPI_POOL_MAX = 512, GMPI_REQ_CACHE = 256 };

/* The mailbox of a rank. Senders write only into their own ring to this rank; the owner drains
 * its incoming rings and does all the matching against its posted receives and unexpected
 * messages, which no other thread touches: no locks. */
typedef struct gmpi_box {
    _Alignas(64) _Atomic(gmpi_chan *) rings; /* incoming rings (pushed by their senders) */
    _Alignas(64) gmpi_chan **out;            /* [world size] this rank's rings to each rank */
    gmpi_msg *pend_head, *pend_tail;         /* sends waiting for ring space, in order */
    int *pend_count;                         /* [world size] pending sends per destination */
    unsigned char *blocked;                  /* [world size] flush_pending's scratch, all 0 */
    gmpi_msg *uq_head, *uq_tail;             /* unexpected messages, arrival order */
    gmpi_req *pq_head, *pq_tail;             /* posted receives, posting order */
    gmpi_msg *pool;                          /* free small envelopes (owner only) */
    int npool;
} gmpi_box;

/* Wakes a rank sleeping in a wait. */
typedef struct gmpi_doorbell {
    atomic_uint seq;
    atomic_int sleepers;
} gmpi_doorbell;

/* A handle table: slot i is handle first + i; free slots are reused (a stack of free indices). */
typedef struct gmpi_table {
    void **slots;
    int cap;
    int first;
    int live;
    int *free_idx;
    int nfree;
} gmpi_table;

int gmpi_table_add(gmpi_table *t, void *p); /* -> handle, or -1 when out of memory */
void *gmpi_table_get(const gmpi_table *t, int handle);
void gmpi_table_del(gmpi_table *t, int handle);
void gmpi_table_free(gmpi_table *t);

/* What a rank is doing, for deadlock detection. */
enum { GMPI_RUNNING = 0, GMPI_SLEEPING = 1, GMPI_EXITED = 2 };

struct gmpi_rank {
    gmpi_world *world;
    int rank;
    /* The mailbox and the doorbell are written by other ranks: each on cache lines of its own,
     * apart from the fields only the owner touches. */
    _Alignas(64) gmpi_box box;
    _Alignas(64) gmpi_doorbell bell;
    _Alignas(64) char owner_fields_start;
    atomic_int state;         /* GMPI_RUNNING, GMPI_SLEEPING (in a doorbell wait), GMPI_EXITED */
    atomic_uint slept_at;     /* the doorbell sequence when it went to sleep */
    atomic_int cpu;           /* the CPU it last waited on: a waiter sharing it yields at once */
    const char *current_call; /* the MPI function being executed (set by the binding) */
    int deadlock_strikes;
    bool initialized, finalized;
    int thread_level;
    gmpi_table comms, groups, types, ops, reqs, msgs;
    gmpi_req *detached; /* freed by the user while pending: reaped when complete */
    /* User messages sent and received (drained, matched or dropped) by this rank: written by
     * the owner only, summed over the world at a barrier control point (in flight = sent -
     * received), so counting costs no shared write. */
    atomic_long user_sent, user_received;
    gmpi_req *req_cache; /* free request objects (owner only) */
    gmpi_req *helping;   /* large rendezvous sends whose copy this rank may help with */
    /* The request behind GMPI_REQ_SENT: every nonblocking standard or buffered send that is
     * complete when it starts (eager) shares it, so the fast path allocates nothing (MPICH does
     * the same with its built-in completed requests). Always done, never freed. */
    gmpi_req sent_req;
    int nreq_cache;
    uint32_t ctx_counter;
    gmpi_user_op_call user_op_call;
    void *user_op_ud;
    void *bsend_buf;
    int bsend_size;
    gmpi_group empty_group; /* MPI_GROUP_EMPTY */
};

struct gmpi_world {
    int size;
    gmpi_abi abi;
    gmpi_rank **ranks;
    int *worker_of;
    atomic_uint placement_epoch;
    gmpi_type predef[GMPI_TYPE_PREDEF_COUNT];
    gmpi_op predef_ops[GMPI_OP_PREDEF_COUNT];
    atomic_int aborted;
    atomic_int abort_code;
    atomic_ulong barriers;
    gmpi_quiesce_fn quiesce;
    void *quiesce_ud;
    size_t eager_limit;
    unsigned ring_cells; /* 0: gmpi_ring_cells decides by the world's size */
    long spin_ns;
    bool oversubscribed; /* more ranks than CPUs: spinning waiters yield their core */
    bool detect_deadlocks;
    double t0;
    pthread_mutex_t log_lock;
    pthread_mutex_t sync_lock; /* guards syncs */
    gmpi_node_sync *syncs;
};

/* The node_sync of (ctx, worker, epoch), created on first use. */
gmpi_node_sync *gmpi_node_sync_get(gmpi_world *w, uint64_t ctx, int leader, unsigned epoch,
                                   int members);

/* ---- The message engine (gmpi_match.c) ---- */

/* Starts a send: pushes an eager envelope (payload copied, the send is done) or a rendezvous
 * envelope (done when the receiver has copied from the send buffer). `dest` is a comm rank. */
int gmpi_send_start(gmpi_rank *r, gmpi_comm *c, gmpi_req *s, int dest);
/* The common small send without a request: a standard eager message on the point-to-point
 * context of c, written straight into the ring when that is possible at once (the ring exists and
 * has room, no earlier send waits). False: nothing was done, take gmpi_send_start. */
bool gmpi_send_inline(gmpi_rank *r, gmpi_comm *c, const void *buf, int64_t count,
                      const gmpi_type *t, int dest, int tag);
/* Starts a receive: takes the first matching message already drained (the unexpected list),
 * copying it, or posts the request for the next drain to match. */
void gmpi_recv_start(gmpi_rank *r, gmpi_req *q);
/* Drains the rank's incoming queue: each envelope completes the first matching posted receive or
 * joins the unexpected messages. Every wait and test calls it: that is all the progress there is.
 * True when a message arrived. */
bool gmpi_progress(gmpi_rank *r);
/* Looks for a matching arrived message; with `take`, removes (and claims) it (matched probe). */
gmpi_msg *gmpi_probe_box(gmpi_rank *r, uint64_t ctx, int src, int tag, bool take, gmpi_status *st);
/* Frees a message the receiving rank r has consumed (envelopes go back to their sender's pool). */
void gmpi_msg_release(gmpi_rank *r, gmpi_msg *m);
/* Receives a message taken by gmpi_probe_box into q (which is then complete). */
void gmpi_recv_msg(gmpi_rank *r, gmpi_req *q, gmpi_msg *m);
/* Cancels a request that has not been matched; true when it was. */
bool gmpi_cancel_req(gmpi_rank *r, gmpi_req *q);
void gmpi_req_complete_proc_null(gmpi_req *q);
/* Takes a send request off its owner's list of copies to help with (before it is freed). */
void gmpi_help_forget(gmpi_rank *r, gmpi_req *q);
/* Marks a request done and rings its owner (the request must not be touched afterwards). */
void gmpi_req_complete(gmpi_req *q);
/* Mailbox set-up and tear-down (gmpi_world.c). */
bool gmpi_box_init(gmpi_rank *r);
void gmpi_box_destroy(gmpi_rank *r);

/* ---- Waiting (gmpi_wait.c) ---- */

typedef bool (*gmpi_cond_fn)(void *arg);
/* Waits until cond(arg) holds: a short spin, then sleeping on the doorbell. GMPI_ABORTED when the
 * world is aborted meanwhile. */
int gmpi_wait_cond(gmpi_rank *r, gmpi_cond_fn cond, void *arg);
int gmpi_wait_req(gmpi_rank *r, gmpi_req *q);
void gmpi_ring(gmpi_rank *r);
double gmpi_now(void);

/* An asymmetric fence pair (membarrier(2)): a thread that publishes progress and then reads a
 * flag set by a thread about to sleep (a Dekker handshake) pays only gmpi_light_barrier, and the
 * rare sleeper pays gmpi_heavy_barrier, which makes every thread of the process pass a full memory
 * barrier. Where the kernel lacks MEMBARRIER_CMD_PRIVATE_EXPEDITED both are full fences.
 * gmpi_barriers_init (idempotent, at world creation) picks the mode. */
extern bool gmpi_membarrier_ok;
void gmpi_barriers_init(void);
void gmpi_heavy_barrier(void);
#if defined(__SANITIZE_THREAD__)
/* ThreadSanitizer does not model fences (and GCC refuses them): a locked RMW is a full barrier
 * on every target TSan runs on, and TSan sees an ordinary atomic. */
extern atomic_int gmpi_fence_word;
#define gmpi_full_fence() atomic_fetch_add(&gmpi_fence_word, 0)
#else
#define gmpi_full_fence() atomic_thread_fence(memory_order_seq_cst)
#endif
static inline void gmpi_light_barrier(void) {
    if (__builtin_expect(gmpi_membarrier_ok, 1))
        atomic_signal_fence(memory_order_seq_cst);
    else
        gmpi_full_fence();
}

/* Requests (gmpi_request.c). GMPI_REQ_SENT is the handle of r->sent_req (above every handle the
 * table gives out). */
enum { GMPI_REQ_SENT = 0x7ffffff0 };
gmpi_req *gmpi_req_new(gmpi_rank *r, gmpi_req_kind kind);
/* Sets every field of a request to its initial value (kind, owner r, the rest zero). */
void gmpi_req_init(gmpi_req *q, gmpi_rank *r, gmpi_req_kind kind);
void gmpi_req_free(gmpi_rank *r, gmpi_req *q);
void gmpi_req_reap_detached(gmpi_rank *r);

/* ---- Point-to-point helpers used by collectives (gmpi_p2p.c) ---- */

/* Internal (collective-context) messages, on an already validated communicator. */
int gmpi_csend(gmpi_rank *r, gmpi_comm *c, const void *buf, int64_t count, gmpi_type *t, int dest,
               int tag);
int gmpi_crecv(gmpi_rank *r, gmpi_comm *c, void *buf, int64_t count, gmpi_type *t, int src,
               int tag);
gmpi_req *gmpi_cisend(gmpi_rank *r, gmpi_comm *c, const void *buf, int64_t count, gmpi_type *t,
                      int dest, int tag);
gmpi_req *gmpi_cirecv(gmpi_rank *r, gmpi_comm *c, void *buf, int64_t count, gmpi_type *t, int src,
                      int tag);
/* Waits for and frees internal requests; returns the first error. */
int gmpi_cwaitall(gmpi_rank *r, int n, gmpi_req **qs);

/* Validation helpers shared by the API files. */
int gmpi_check_buffer(gmpi_rank *r, const void *buf, int count, int type, gmpi_type **t);
bool gmpi_ready(gmpi_rank *r); /* initialized and not finalized */

#endif

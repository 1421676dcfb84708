/*
 * gmpi_coll.h — collectives on validated communicator objects, for the core's own use (creating
 * communicators needs an allgather and a broadcast) and shared by gmpi_coll.c and
 * gmpi_coll_reduce.c. The public gmpi_* collectives validate their handles and call these.
 *
 * Internal tags of the collective context (ctx + 1). Collectives are called in the same order by
 * every member and messages between a pair are non-overtaking, so a fixed tag per algorithm step
 * is enough to keep consecutive collectives apart.
 */
#ifndef GRANNY_MPI_GMPI_COLL_H
#define GRANNY_MPI_GMPI_COLL_H

#include "mpi/gmpi_internal.h"

enum {
    GMPI_TAG_BARRIER_UP = 1,
    GMPI_TAG_BARRIER_DOWN,
    GMPI_TAG_BCAST,
    GMPI_TAG_REDUCE,
    GMPI_TAG_GATHER,
    GMPI_TAG_SCATTER,
    GMPI_TAG_ALLGATHER,
    GMPI_TAG_ALLTOALL,
    GMPI_TAG_SCAN,
    GMPI_TAG_ALLREDUCE,
};

int gmpi_coll_barrier(gmpi_rank *r, gmpi_comm *c);
int gmpi_coll_bcast(gmpi_rank *r, gmpi_comm *c, void *buf, int64_t count, gmpi_type *t, int root);
int gmpi_coll_allgather(gmpi_rank *r, gmpi_comm *c, const void *sbuf, int64_t scount, gmpi_type *st,
                        void *rbuf, int64_t rcount, gmpi_type *rt);
/* The communicator made by a split of `p` (NULL for MPI_UNDEFINED). Collective over p. */
int gmpi_comm_split_internal(gmpi_rank *r, gmpi_comm *p, int color, int key, gmpi_comm **made);

/* The rank that gathers/relays for node n in a rooted collective: the root on its own node,
 * the node's leader elsewhere. */
int gmpi_node_root(const gmpi_comm *c, int node, int root);

#endif

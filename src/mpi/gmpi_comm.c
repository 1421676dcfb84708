/*
 * gmpi_comm.c — communicators and groups: creation (dup, split, split_type, create), comparison,
 * names, groups and their set operations, context-id allocation and the worker hierarchy that
 * collectives use.
 *
 * A communicator is a per-rank object: the ordered list of its members' world ranks, this rank's
 * position, a context id and an error handler. All members of a new communicator agree on its
 * context id because rank 0 of the parent allocates it (gmpi_ctx_alloc: unique in the world
 * without coordination) and broadcasts it on the parent's collective context; communicators made
 * by one MPI_Comm_split share the id, which is safe because their groups are disjoint.
 *
 * Hierarchy: the members are grouped by the worker that hosts them (the world's placement table);
 * nodes are numbered in order of first appearance and each node's leader is its lowest comm rank.
 * It is recomputed lazily whenever the placement epoch moves (placement changes only at barrier
 * control points).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_internal.h"
#include "mpi/gmpi_coll.h"

/* ---- Objects and handles ---- */

gmpi_comm *gmpi_comm_make(gmpi_rank *r, int size, const int *world, uint64_t ctx) {
    gmpi_comm *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->world = malloc((size_t)size * sizeof *c->world);
    if (!c->world) {
        free(c);
        return NULL;
    }
    memcpy(c->world, world, (size_t)size * sizeof *world);
    c->refs = 1;
    c->size = size;
    c->ctx = ctx;
    c->rank = -1;
    for (int i = 0; i < size; i++)
        if (world[i] == r->rank) c->rank = i;
    assert(c->rank >= 0);
    c->errhandler = GMPI_ERRORS_ARE_FATAL;
    c->spans_world = size == r->world->size;
    return c;
}

void gmpi_comm_release(gmpi_comm *c) {
    assert(c->refs > 0);
    if (--c->refs > 0) return;
    free(c->world);
    free(c->dims);
    free(c->periods);
    free(c->node_of);
    free(c->node_leader);
    free(c);
}

int gmpi_comm_add(gmpi_rank *r, gmpi_comm *c) {
    return gmpi_table_add(&r->comms, c);
}

gmpi_comm *gmpi_comm_get(gmpi_rank *r, int handle) {
    if (handle == GMPI_COMM_NULL) return NULL;
    return gmpi_table_get(&r->comms, handle);
}

uint64_t gmpi_ctx_alloc(gmpi_rank *r) {
    uint64_t id = ((uint64_t)(r->rank + 1) << 32) | r->ctx_counter++;
    return id << 1;
}

void gmpi_comm_hier(gmpi_rank *r, gmpi_comm *c) {
    unsigned epoch = atomic_load(&r->world->placement_epoch) + 1;
    if (c->hier_epoch == epoch && c->node_of) return;
    free(c->node_of);
    free(c->node_leader);
    c->node_of = malloc((size_t)c->size * sizeof(int));
    c->node_leader = malloc((size_t)c->size * sizeof(int));
    int *worker = malloc((size_t)c->size * sizeof(int)); /* node index -> worker id */
    assert(c->node_of && c->node_leader && worker);
    c->nnodes = 0;
    for (int i = 0; i < c->size; i++) {
        int wk = r->world->worker_of[c->world[i]];
        int n = 0;
        while (n < c->nnodes && worker[n] != wk)
            n++;
        if (n == c->nnodes) {
            worker[n] = wk;
            c->node_leader[n] = i;
            c->nnodes++;
        }
        c->node_of[i] = n;
    }
    free(worker);
    c->hier_epoch = epoch;
    int members = 0;
    for (int i = 0; i < c->size; i++)
        members += c->node_of[i] == c->node_of[c->rank];
    /* keyed by the leader: communicators made by one split share a context but not members */
    c->node_sync = gmpi_node_sync_get(
        r->world, c->ctx, c->world[c->node_leader[c->node_of[c->rank]]], epoch, members);
}

int gmpi_comm_size_or_zero(gmpi_rank *r, int comm) {
    gmpi_comm *c = gmpi_comm_get(r, comm);
    return c ? c->size : 0;
}

int gmpi_comm_size(gmpi_rank *r, int comm, int *size) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    gmpi_comm *c = gmpi_comm_get(r, comm);
    if (!c) return GMPI_ERR_COMM;
    *size = c->size;
    return GMPI_SUCCESS;
}

int gmpi_comm_rank(gmpi_rank *r, int comm, int *rank) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    gmpi_comm *c = gmpi_comm_get(r, comm);
    if (!c) return GMPI_ERR_COMM;
    *rank = c->rank;
    return GMPI_SUCCESS;
}

static int get_ready_comm(gmpi_rank *r, int comm, gmpi_comm **c) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    *c = gmpi_comm_get(r, comm);
    return *c ? GMPI_SUCCESS : GMPI_ERR_COMM;
}

/* Parent's rank 0 allocates a context id; everyone gets it. */
static int agree_ctx(gmpi_rank *r, gmpi_comm *parent, uint64_t *ctx) {
    uint64_t id = parent->rank == 0 ? gmpi_ctx_alloc(r) : 0;
    int err = gmpi_coll_bcast(r, parent, &id, 1, &r->world->predef[GMPI_UINT64_T], 0);
    *ctx = id;
    return err;
}

/* Registers a new communicator (NULL -> GMPI_COMM_NULL) in the handle table. */
static int publish(gmpi_rank *r, gmpi_comm *c, int *out) {
    if (!c) {
        *out = GMPI_COMM_NULL;
        return GMPI_SUCCESS;
    }
    int h = gmpi_comm_add(r, c);
    if (h < 0) {
        gmpi_comm_release(c);
        return GMPI_ERR_NO_MEM;
    }
    *out = h;
    return GMPI_SUCCESS;
}

static int copy_topology(gmpi_comm *dst, const gmpi_comm *src) {
    dst->topo = src->topo;
    dst->ndims = src->ndims;
    if (!src->topo) return GMPI_SUCCESS;
    dst->dims = malloc((size_t)(src->ndims + 1) * sizeof(int));
    dst->periods = malloc((size_t)(src->ndims + 1) * sizeof(int));
    if (!dst->dims || !dst->periods) return GMPI_ERR_NO_MEM;
    memcpy(dst->dims, src->dims, (size_t)src->ndims * sizeof(int));
    memcpy(dst->periods, src->periods, (size_t)src->ndims * sizeof(int));
    return GMPI_SUCCESS;
}

int gmpi_comm_dup(gmpi_rank *r, int comm, int *out) {
    gmpi_comm *p;
    int err = get_ready_comm(r, comm, &p);
    if (err) return err;
    uint64_t ctx;
    if ((err = agree_ctx(r, p, &ctx))) return err;
    gmpi_comm *c = gmpi_comm_make(r, p->size, p->world, ctx);
    if (!c) return GMPI_ERR_NO_MEM;
    c->errhandler = p->errhandler;
    if ((err = copy_topology(c, p))) {
        gmpi_comm_release(c);
        return err;
    }
    return publish(r, c, out);
}

typedef struct split_entry {
    int color, key, rank;
} split_entry;

static int split_cmp(const void *a, const void *b) {
    const split_entry *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Split helper on a validated parent; *made is the new comm or NULL (color undefined). */
int gmpi_comm_split_internal(gmpi_rank *r, gmpi_comm *p, int color, int key, gmpi_comm **made) {
    *made = NULL;
    if (color < 0 && color != GMPI_UNDEFINED) return GMPI_ERR_ARG;
    int mine[2] = {color, key};
    int *all = malloc((size_t)p->size * 2 * sizeof(int));
    split_entry *members = malloc((size_t)p->size * sizeof *members);
    if (!all || !members) {
        free(all);
        free(members);
        return GMPI_ERR_NO_MEM;
    }
    gmpi_type *ti = &r->world->predef[GMPI_INT];
    int err = gmpi_coll_allgather(r, p, mine, 2, ti, all, 2, ti);
    uint64_t ctx = 0;
    if (!err) err = agree_ctx(r, p, &ctx);
    if (err || color == GMPI_UNDEFINED) {
        free(all);
        free(members);
        return err;
    }
    int n = 0;
    for (int i = 0; i < p->size; i++)
        if (all[2 * i] == color) members[n++] = (split_entry){color, all[2 * i + 1], i};
    qsort(members, (size_t)n, sizeof *members, split_cmp);
    int *world = all; /* reuse: n <= size */
    for (int i = 0; i < n; i++)
        world[i] = p->world[members[i].rank];
    *made = gmpi_comm_make(r, n, world, ctx);
    free(all);
    free(members);
    if (!*made) return GMPI_ERR_NO_MEM;
    (*made)->errhandler = p->errhandler;
    return GMPI_SUCCESS;
}

int gmpi_comm_split(gmpi_rank *r, int comm, int color, int key, int *out) {
    gmpi_comm *p, *c;
    int err = get_ready_comm(r, comm, &p);
    if (err) return err;
    if ((err = gmpi_comm_split_internal(r, p, color, key, &c))) return err;
    return publish(r, c, out);
}

int gmpi_comm_split_type(gmpi_rank *r, int comm, int split_type, int key, int *out) {
    /* MPI_COMM_TYPE_SHARED (1): the ranks of one worker share memory (one process). */
    if (split_type == GMPI_UNDEFINED) return gmpi_comm_split(r, comm, GMPI_UNDEFINED, key, out);
    if (split_type != 1) return GMPI_ERR_ARG;
    return gmpi_comm_split(r, comm, r->world->worker_of[r->rank], key, out);
}

int gmpi_comm_create(gmpi_rank *r, int comm, int group, int *out) {
    gmpi_comm *p;
    int err = get_ready_comm(r, comm, &p);
    if (err) return err;
    gmpi_group *g = gmpi_group_get(r, group);
    if (!g) return GMPI_ERR_GROUP;
    uint64_t ctx;
    if ((err = agree_ctx(r, p, &ctx))) return err;
    bool member = false;
    for (int i = 0; i < g->size; i++) {
        bool in_parent = false;
        for (int j = 0; j < p->size && !in_parent; j++)
            in_parent = p->world[j] == g->world[i];
        if (!in_parent) return GMPI_ERR_GROUP;
        member |= g->world[i] == r->rank;
    }
    if (!member) {
        *out = GMPI_COMM_NULL;
        return GMPI_SUCCESS;
    }
    gmpi_comm *c = gmpi_comm_make(r, g->size, g->world, ctx);
    if (!c) return GMPI_ERR_NO_MEM;
    c->errhandler = p->errhandler;
    return publish(r, c, out);
}

int gmpi_comm_free(gmpi_rank *r, int *comm) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    if (*comm == GMPI_COMM_WORLD || *comm == GMPI_COMM_SELF) return GMPI_ERR_COMM;
    gmpi_comm *c = gmpi_comm_get(r, *comm);
    if (!c) return GMPI_ERR_COMM;
    gmpi_table_del(&r->comms, *comm);
    gmpi_comm_release(c);
    *comm = GMPI_COMM_NULL;
    return GMPI_SUCCESS;
}

/* IDENT / SIMILAR / UNEQUAL of two ordered member lists (IDENT meaning same order). */
static int compare_members(int n1, const int *a, int n2, const int *b) {
    if (n1 != n2) return GMPI_UNEQUAL;
    bool same_order = true;
    for (int i = 0; i < n1; i++)
        same_order &= a[i] == b[i];
    if (same_order) return GMPI_IDENT;
    for (int i = 0; i < n1; i++) {
        bool found = false;
        for (int j = 0; j < n2 && !found; j++)
            found = a[i] == b[j];
        if (!found) return GMPI_UNEQUAL;
    }
    return GMPI_SIMILAR;
}

int gmpi_comm_compare(gmpi_rank *r, int a, int b, int *result) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    gmpi_comm *x = gmpi_comm_get(r, a), *y = gmpi_comm_get(r, b);
    if (!x || !y) return GMPI_ERR_COMM;
    if (x == y) {
        *result = GMPI_IDENT;
        return GMPI_SUCCESS;
    }
    int m = compare_members(x->size, x->world, y->size, y->world);
    *result = m == GMPI_IDENT ? GMPI_CONGRUENT : m;
    return GMPI_SUCCESS;
}

int gmpi_comm_test_inter(gmpi_rank *r, int comm, int *flag) {
    if (!gmpi_comm_get(r, comm)) return GMPI_ERR_COMM;
    *flag = 0; /* intercommunicators are not built */
    return GMPI_SUCCESS;
}

int gmpi_comm_set_name(gmpi_rank *r, int comm, const char *name) {
    gmpi_comm *c = gmpi_comm_get(r, comm);
    if (!c) return GMPI_ERR_COMM;
    snprintf(c->name, sizeof c->name, "%s", name);
    return GMPI_SUCCESS;
}

int gmpi_comm_get_name(gmpi_rank *r, int comm, char *name, int *len) {
    gmpi_comm *c = gmpi_comm_get(r, comm);
    if (!c) return GMPI_ERR_COMM;
    snprintf(name, GMPI_MAX_OBJECT_NAME, "%s", c->name);
    *len = (int)strlen(name);
    return GMPI_SUCCESS;
}

/* ---- Groups ---- */

gmpi_group *gmpi_group_get(gmpi_rank *r, int handle) {
    if (handle == GMPI_GROUP_EMPTY) return &r->empty_group;
    if (handle < GMPI_GROUP_FIRST_USER) return NULL;
    return gmpi_table_get(&r->groups, handle);
}

int gmpi_group_size_or_zero(gmpi_rank *r, int group) {
    gmpi_group *g = gmpi_group_get(r, group);
    return g ? g->size : 0;
}

/* Takes ownership of `world` (malloc'ed, n entries). */
static int group_new(gmpi_rank *r, int n, int *world, int *out) {
    if (n == 0) {
        free(world);
        *out = GMPI_GROUP_EMPTY;
        return GMPI_SUCCESS;
    }
    gmpi_group *g = malloc(sizeof *g);
    if (!g) {
        free(world);
        return GMPI_ERR_NO_MEM;
    }
    g->refs = 1;
    g->size = n;
    g->world = world;
    int h = gmpi_table_add(&r->groups, g);
    if (h < 0) {
        free(world);
        free(g);
        return GMPI_ERR_NO_MEM;
    }
    *out = h;
    return GMPI_SUCCESS;
}

static int *int_array(int n) {
    return malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
}

int gmpi_comm_group(gmpi_rank *r, int comm, int *group) {
    gmpi_comm *c;
    int err = get_ready_comm(r, comm, &c);
    if (err) return err;
    int *w = int_array(c->size);
    if (!w) return GMPI_ERR_NO_MEM;
    memcpy(w, c->world, (size_t)c->size * sizeof(int));
    return group_new(r, c->size, w, group);
}

int gmpi_group_size(gmpi_rank *r, int group, int *size) {
    gmpi_group *g = gmpi_group_get(r, group);
    if (!g) return GMPI_ERR_GROUP;
    *size = g->size;
    return GMPI_SUCCESS;
}

static int index_of(const gmpi_group *g, int world_rank) {
    for (int i = 0; i < g->size; i++)
        if (g->world[i] == world_rank) return i;
    return GMPI_UNDEFINED;
}

int gmpi_group_rank(gmpi_rank *r, int group, int *rank) {
    gmpi_group *g = gmpi_group_get(r, group);
    if (!g) return GMPI_ERR_GROUP;
    *rank = index_of(g, r->rank);
    return GMPI_SUCCESS;
}

int gmpi_group_translate_ranks(gmpi_rank *r, int g1, int n, const int *ranks1, int g2,
                               int *ranks2) {
    gmpi_group *a = gmpi_group_get(r, g1), *b = gmpi_group_get(r, g2);
    if (!a || !b) return GMPI_ERR_GROUP;
    if (n < 0) return GMPI_ERR_ARG;
    for (int i = 0; i < n; i++) {
        if (ranks1[i] == GMPI_PROC_NULL)
            ranks2[i] = GMPI_PROC_NULL;
        else if (ranks1[i] < 0 || ranks1[i] >= a->size)
            return GMPI_ERR_RANK;
        else
            ranks2[i] = index_of(b, a->world[ranks1[i]]);
    }
    return GMPI_SUCCESS;
}

int gmpi_group_compare(gmpi_rank *r, int g1, int g2, int *result) {
    gmpi_group *a = gmpi_group_get(r, g1), *b = gmpi_group_get(r, g2);
    if (!a || !b) return GMPI_ERR_GROUP;
    *result = compare_members(a->size, a->world, b->size, b->world);
    return GMPI_SUCCESS;
}

int gmpi_group_incl(gmpi_rank *r, int group, int n, const int *ranks, int *out) {
    gmpi_group *g = gmpi_group_get(r, group);
    if (!g) return GMPI_ERR_GROUP;
    if (n < 0 || n > g->size) return GMPI_ERR_ARG;
    int *w = int_array(n);
    if (!w) return GMPI_ERR_NO_MEM;
    for (int i = 0; i < n; i++) {
        bool dup = false;
        for (int j = 0; j < i; j++)
            dup |= ranks[j] == ranks[i];
        if (ranks[i] < 0 || ranks[i] >= g->size || dup) {
            free(w);
            return GMPI_ERR_RANK;
        }
        w[i] = g->world[ranks[i]];
    }
    return group_new(r, n, w, out);
}

int gmpi_group_excl(gmpi_rank *r, int group, int n, const int *ranks, int *out) {
    gmpi_group *g = gmpi_group_get(r, group);
    if (!g) return GMPI_ERR_GROUP;
    if (n < 0 || n > g->size) return GMPI_ERR_ARG;
    bool *drop = calloc((size_t)g->size + 1, 1);
    int *w = int_array(g->size);
    if (!drop || !w) {
        free(drop);
        free(w);
        return GMPI_ERR_NO_MEM;
    }
    for (int i = 0; i < n; i++) {
        if (ranks[i] < 0 || ranks[i] >= g->size || drop[ranks[i]]) {
            free(drop);
            free(w);
            return GMPI_ERR_RANK;
        }
        drop[ranks[i]] = true;
    }
    int k = 0;
    for (int i = 0; i < g->size; i++)
        if (!drop[i]) w[k++] = g->world[i];
    free(drop);
    return group_new(r, k, w, out);
}

/* Expands (first, last, stride) triplets into a rank list; -1 on invalid ranges. */
static int expand_ranges(const gmpi_group *g, int n, const int (*ranges)[3], int **out) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        int first = ranges[i][0], last = ranges[i][1], stride = ranges[i][2];
        if (stride == 0 || first < 0 || first >= g->size || last < 0 || last >= g->size) return -1;
        if ((stride > 0 && first > last) || (stride < 0 && first < last)) continue;
        total += (last - first) / stride + 1;
        if (total > g->size) return -1;
    }
    int *list = int_array(total);
    if (!list) return -1;
    int k = 0;
    for (int i = 0; i < n; i++) {
        int first = ranges[i][0], last = ranges[i][1], stride = ranges[i][2];
        for (int v = first; stride > 0 ? v <= last : v >= last; v += stride)
            list[k++] = v;
    }
    *out = list;
    return total;
}

int gmpi_group_range_incl(gmpi_rank *r, int group, int n, const int (*ranges)[3], int *out) {
    gmpi_group *g = gmpi_group_get(r, group);
    if (!g) return GMPI_ERR_GROUP;
    int *list;
    int k = n < 0 ? -1 : expand_ranges(g, n, ranges, &list);
    if (k < 0) return GMPI_ERR_RANK;
    int err = gmpi_group_incl(r, group, k, list, out);
    free(list);
    return err;
}

int gmpi_group_range_excl(gmpi_rank *r, int group, int n, const int (*ranges)[3], int *out) {
    gmpi_group *g = gmpi_group_get(r, group);
    if (!g) return GMPI_ERR_GROUP;
    int *list;
    int k = n < 0 ? -1 : expand_ranges(g, n, ranges, &list);
    if (k < 0) return GMPI_ERR_RANK;
    int err = gmpi_group_excl(r, group, k, list, out);
    free(list);
    return err;
}

typedef enum set_op { SET_UNION, SET_INTERSECTION, SET_DIFFERENCE } set_op;

static int group_set(gmpi_rank *r, int g1, int g2, set_op op, int *out) {
    gmpi_group *a = gmpi_group_get(r, g1), *b = gmpi_group_get(r, g2);
    if (!a || !b) return GMPI_ERR_GROUP;
    int *w = int_array(a->size + b->size);
    if (!w) return GMPI_ERR_NO_MEM;
    int k = 0;
    for (int i = 0; i < a->size; i++) {
        bool in_b = index_of(b, a->world[i]) != GMPI_UNDEFINED;
        if (op == SET_UNION || (op == SET_INTERSECTION && in_b) || (op == SET_DIFFERENCE && !in_b))
            w[k++] = a->world[i];
    }
    if (op == SET_UNION)
        for (int i = 0; i < b->size; i++)
            if (index_of(a, b->world[i]) == GMPI_UNDEFINED) w[k++] = b->world[i];
    return group_new(r, k, w, out);
}

int gmpi_group_union(gmpi_rank *r, int g1, int g2, int *out) {
    return group_set(r, g1, g2, SET_UNION, out);
}
int gmpi_group_intersection(gmpi_rank *r, int g1, int g2, int *out) {
    return group_set(r, g1, g2, SET_INTERSECTION, out);
}
int gmpi_group_difference(gmpi_rank *r, int g1, int g2, int *out) {
    return group_set(r, g1, g2, SET_DIFFERENCE, out);
}

int gmpi_group_free(gmpi_rank *r, int *group) {
    if (*group == GMPI_GROUP_EMPTY) {
        *group = GMPI_GROUP_NULL;
        return GMPI_SUCCESS;
    }
    gmpi_group *g = gmpi_group_get(r, *group);
    if (!g) return GMPI_ERR_GROUP;
    gmpi_table_del(&r->groups, *group);
    free(g->world);
    free(g);
    *group = GMPI_GROUP_NULL;
    return GMPI_SUCCESS;
}

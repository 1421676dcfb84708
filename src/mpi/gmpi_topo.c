/*
 * gmpi_topo.c — Cartesian process topologies: Dims_create, Cart_create in any number of
 * dimensions (periodic or not), Cart_coords, Cart_rank, Cart_shift, Cart_sub, Cart_get,
 * Cartdim_get and Topo_test.
 *
 * A Cartesian communicator is an ordinary communicator (made by a split of the old one, so it has
 * its own context) plus dims/periods; ranks are laid out in row-major order (the last dimension
 * varies fastest), as MPI specifies. `reorder` is accepted and ignored: every rank of a worker is
 * equally close to every other, and placement is the planner's business.
 *
 * Dims_create spreads the prime factors of the free part over the free dimensions, largest factor
 * to the currently smallest dimension, then sorts them in non-increasing order: the most balanced
 * grid for the inputs programs use (checked against OpenMPI in tests/mpi).
 */
#include <stdlib.h>
#include <string.h>

#include "mpi/gmpi_coll.h"

int gmpi_dims_create(int nnodes, int ndims, int *dims) {
    if (nnodes < 1 || ndims < 0) return GMPI_ERR_ARG;
    if (ndims == 0) return nnodes == 1 ? GMPI_SUCCESS : GMPI_ERR_DIMS;
    int fixed = 1, nfree = 0;
    for (int i = 0; i < ndims; i++) {
        if (dims[i] < 0) return GMPI_ERR_DIMS;
        if (dims[i] > 0)
            fixed *= dims[i];
        else
            nfree++;
    }
    if (nnodes % fixed != 0) return GMPI_ERR_DIMS;
    int rest = nnodes / fixed;
    if (nfree == 0) return rest == 1 ? GMPI_SUCCESS : GMPI_ERR_DIMS;
    /* prime factors, largest first */
    int factors[32], nf = 0;
    for (int p = 2, n = rest; n > 1;) {
        if ((long)p * p > n) {
            factors[nf++] = n;
            break;
        }
        if (n % p == 0) {
            factors[nf++] = p;
            n /= p;
        } else {
            p++;
        }
    }
    for (int i = 0; i < nf / 2; i++) {
        int t = factors[i];
        factors[i] = factors[nf - 1 - i];
        factors[nf - 1 - i] = t;
    }
    int *free_dims = calloc((size_t)nfree, sizeof(int));
    if (!free_dims) return GMPI_ERR_NO_MEM;
    for (int i = 0; i < nfree; i++)
        free_dims[i] = 1;
    for (int f = 0; f < nf; f++) {
        int smallest = 0;
        for (int i = 1; i < nfree; i++)
            if (free_dims[i] < free_dims[smallest]) smallest = i;
        free_dims[smallest] *= factors[f];
    }
    /* non-increasing order */
    for (int i = 0; i < nfree; i++)
        for (int j = i + 1; j < nfree; j++)
            if (free_dims[j] > free_dims[i]) {
                int t = free_dims[i];
                free_dims[i] = free_dims[j];
                free_dims[j] = t;
            }
    for (int i = 0, k = 0; i < ndims; i++)
        if (dims[i] == 0) dims[i] = free_dims[k++];
    free(free_dims);
    return GMPI_SUCCESS;
}

static int get_cart(gmpi_rank *r, int comm, gmpi_comm **c) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    *c = gmpi_comm_get(r, comm);
    if (!*c) return GMPI_ERR_COMM;
    return (*c)->topo == GMPI_TOPO_CART ? GMPI_SUCCESS : GMPI_ERR_TOPOLOGY;
}

static int set_cart(gmpi_comm *c, int ndims, const int *dims, const int *periods) {
    c->topo = GMPI_TOPO_CART;
    c->ndims = ndims;
    c->dims = malloc((size_t)(ndims + 1) * sizeof(int));
    c->periods = malloc((size_t)(ndims + 1) * sizeof(int));
    if (!c->dims || !c->periods) return GMPI_ERR_NO_MEM;
    for (int i = 0; i < ndims; i++) {
        c->dims[i] = dims[i];
        c->periods[i] = periods[i] != 0;
    }
    return GMPI_SUCCESS;
}

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

int gmpi_cart_create(gmpi_rank *r, int comm, int ndims, const int *dims, const int *periods,
                     int reorder, int *out) {
    (void)reorder;
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    gmpi_comm *p = gmpi_comm_get(r, comm);
    if (!p) return GMPI_ERR_COMM;
    if (ndims < 0) return GMPI_ERR_DIMS;
    long prod = 1;
    for (int i = 0; i < ndims; i++) {
        if (dims[i] <= 0) return GMPI_ERR_DIMS;
        prod *= dims[i];
        if (prod > p->size) return GMPI_ERR_DIMS;
    }
    gmpi_comm *c;
    int color = p->rank < prod ? 0 : GMPI_UNDEFINED;
    int err = gmpi_comm_split_internal(r, p, color, p->rank, &c);
    if (err) return err;
    if (c && (err = set_cart(c, ndims, dims, periods))) {
        gmpi_comm_release(c);
        return err;
    }
    return publish(r, c, out);
}

static void coords_of(const gmpi_comm *c, int rank, int *coords) {
    for (int i = c->ndims - 1; i >= 0; i--) {
        coords[i] = rank % c->dims[i];
        rank /= c->dims[i];
    }
}

int gmpi_cart_coords(gmpi_rank *r, int comm, int rank, int maxdims, int *coords) {
    gmpi_comm *c;
    int err = get_cart(r, comm, &c);
    if (err) return err;
    if (rank < 0 || rank >= c->size) return GMPI_ERR_RANK;
    if (maxdims < c->ndims) return GMPI_ERR_ARG;
    coords_of(c, rank, coords);
    return GMPI_SUCCESS;
}

int gmpi_cart_rank(gmpi_rank *r, int comm, const int *coords, int *rank) {
    gmpi_comm *c;
    int err = get_cart(r, comm, &c);
    if (err) return err;
    int k = 0;
    for (int i = 0; i < c->ndims; i++) {
        int x = coords[i], d = c->dims[i];
        if (c->periods[i])
            x = ((x % d) + d) % d;
        else if (x < 0 || x >= d)
            return GMPI_ERR_ARG;
        k = k * d + x;
    }
    *rank = k;
    return GMPI_SUCCESS;
}

int gmpi_cart_shift(gmpi_rank *r, int comm, int direction, int disp, int *source, int *dest) {
    gmpi_comm *c;
    int err = get_cart(r, comm, &c);
    if (err) return err;
    if (direction < 0 || direction >= c->ndims) return GMPI_ERR_ARG;
    int coords[64];
    if (c->ndims > 64) return GMPI_ERR_DIMS;
    coords_of(c, c->rank, coords);
    int here = coords[direction], d = c->dims[direction];
    int ends[2] = {here - disp, here + disp}, out[2];
    for (int k = 0; k < 2; k++) {
        int x = ends[k];
        if (c->periods[direction])
            x = ((x % d) + d) % d;
        else if (x < 0 || x >= d) {
            out[k] = GMPI_PROC_NULL;
            continue;
        }
        coords[direction] = x;
        gmpi_cart_rank(r, comm, coords, &out[k]);
        coords[direction] = here;
    }
    *source = out[0];
    *dest = out[1];
    return GMPI_SUCCESS;
}

int gmpi_cart_sub(gmpi_rank *r, int comm, const int *remain, int *out) {
    gmpi_comm *c;
    int err = get_cart(r, comm, &c);
    if (err) return err;
    int coords[64], dims[64], periods[64], nd = 0;
    if (c->ndims > 64) return GMPI_ERR_DIMS;
    coords_of(c, c->rank, coords);
    int color = 0;
    for (int i = 0; i < c->ndims; i++) {
        if (remain[i]) {
            dims[nd] = c->dims[i];
            periods[nd] = c->periods[i];
            nd++;
        } else {
            color = color * c->dims[i] + coords[i];
        }
    }
    gmpi_comm *sub;
    if ((err = gmpi_comm_split_internal(r, c, color, c->rank, &sub))) return err;
    if ((err = set_cart(sub, nd, dims, periods))) {
        gmpi_comm_release(sub);
        return err;
    }
    return publish(r, sub, out);
}

int gmpi_cartdim_get(gmpi_rank *r, int comm, int *ndims) {
    gmpi_comm *c;
    int err = get_cart(r, comm, &c);
    if (err) return err;
    *ndims = c->ndims;
    return GMPI_SUCCESS;
}

int gmpi_cart_ndims_or_zero(gmpi_rank *r, int comm) {
    gmpi_comm *c = gmpi_comm_get(r, comm);
    return c && c->topo == GMPI_TOPO_CART ? c->ndims : 0;
}

int gmpi_cart_get(gmpi_rank *r, int comm, int maxdims, int *dims, int *periods, int *coords) {
    gmpi_comm *c;
    int err = get_cart(r, comm, &c);
    if (err) return err;
    if (maxdims < c->ndims) return GMPI_ERR_ARG;
    for (int i = 0; i < c->ndims; i++) {
        dims[i] = c->dims[i];
        periods[i] = c->periods[i];
    }
    coords_of(c, c->rank, coords);
    return GMPI_SUCCESS;
}

int gmpi_topo_test(gmpi_rank *r, int comm, int *status) {
    if (!gmpi_ready(r)) return GMPI_ERR_OTHER;
    gmpi_comm *c = gmpi_comm_get(r, comm);
    if (!c) return GMPI_ERR_COMM;
    *status = c->topo ? c->topo : GMPI_UNDEFINED;
    return GMPI_SUCCESS;
}

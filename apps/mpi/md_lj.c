/*
 * md_lj — a Lennard-Jones molecular-dynamics mini-app standing in for LAMMPS' LJ benchmark (our own
 * code, written from the physics): atoms on an fcc lattice at reduced density 0.8442, cut-off
 * 2.5 sigma, initial temperature 1.44, velocity Verlet with dt = 0.005, thermodynamic output
 * (temperature, potential and total energy per atom) every `thermo` steps.
 *
 * Parallelisation: 3D spatial decomposition (MPI_Dims_create + MPI_Cart_create). Every step:
 *   1. integrate; atoms that left the sub-domain move to the neighbour (one dimension after the
 *      other, periodic wrap at the box edges): counts then coordinates with MPI_Sendrecv;
 *   2. ghost atoms: for each dimension in turn, owned and already received ghost atoms within the
 *      cut-off of a face are sent to the neighbour across it (so edges and corners arrive in
 *      two or three hops); a dimension with a single rank sends to itself with a shifted copy;
 *   3. cell lists (cells at least one cut-off wide) over owned + ghost atoms; forces on owned atoms
 *      from the 27 surrounding cells (both members of a pair computed, no Newton across ranks).
 * Checks: the number of atoms is conserved, total momentum stays ~0, and the total energy drifts
 * by less than 0.5% over the run.
 *
 * Arguments: cells=N (unit cells per side, default 12: 6912 atoms) steps=S (default 100)
 * thermo=T (default 20).
 */
#include <math.h>

#include "kernel.h"

enum { MAX_NEIGH_HOPS = 3 };

typedef struct atoms {
    int n, nghost, cap;
    double *x, *v, *f; /* 3 per atom; ghosts follow the owned atoms in x */
    int *id;
} atoms;

typedef struct domain {
    MPI_Comm comm;
    int dims[3], coords[3];
    int lo_rank[3], hi_rank[3];
    double L; /* box side */
    double lo[3], hi[3];
} domain;

static const double rc = 2.5, dt = 0.005;

static void grow(atoms *a, int need) {
    if (need <= a->cap) return;
    int cap = a->cap ? a->cap : 1024;
    while (cap < need)
        cap *= 2;
    a->x = realloc(a->x, sizeof(double) * 3 * cap);
    a->v = realloc(a->v, sizeof(double) * 3 * cap);
    a->f = realloc(a->f, sizeof(double) * 3 * cap);
    a->id = realloc(a->id, sizeof(int) * cap);
    a->cap = cap;
}

/* A deterministic pseudo-random number in [-0.5, 0.5) from an atom id and a component. */
static double noise(int id, int k) {
    unsigned long long s = (unsigned long long)id * 6364136223846793005ull +
                           (unsigned long long)k * 1442695040888963407ull + 12345;
    s ^= s >> 33;
    s *= 0xff51afd7ed558ccdull;
    s ^= s >> 33;
    return (double)(s >> 11) / 9007199254740992.0 - 0.5;
}

static void create_lattice(atoms *a, const domain *d, int cells) {
    double lat = d->L / cells;
    static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int i = 0; i < cells; i++)
        for (int j = 0; j < cells; j++)
            for (int k = 0; k < cells; k++)
                for (int b = 0; b < 4; b++) {
                    double p[3] = {(i + basis[b][0]) * lat, (j + basis[b][1]) * lat,
                                   (k + basis[b][2]) * lat};
                    int mine = 1;
                    for (int dd = 0; dd < 3; dd++)
                        mine &= p[dd] >= d->lo[dd] && p[dd] < d->hi[dd];
                    if (!mine) continue;
                    grow(a, a->n + 1);
                    int id = ((i * cells + j) * cells + k) * 4 + b;
                    for (int dd = 0; dd < 3; dd++) {
                        a->x[3 * a->n + dd] = p[dd];
                        a->v[3 * a->n + dd] = noise(id, dd);
                    }
                    a->id[a->n++] = id;
                }
}

/* Zero total momentum and scale to temperature t0 (dof 3N - 3). */
static void init_velocities(atoms *a, const domain *d, long natoms, double t0) {
    double p[4] = {0, 0, 0, 0}, P[4];
    for (int i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++)
            p[k] += a->v[3 * i + k];
    MPI_Allreduce(p, P, 3, MPI_DOUBLE, MPI_SUM, d->comm);
    double ke = 0, KE;
    for (int i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++) {
            a->v[3 * i + k] -= P[k] / natoms;
            ke += a->v[3 * i + k] * a->v[3 * i + k];
        }
    MPI_Allreduce(&ke, &KE, 1, MPI_DOUBLE, MPI_SUM, d->comm);
    double t = KE / (3.0 * natoms - 3.0), scale = sqrt(t0 / t);
    for (int i = 0; i < 3 * a->n; i++)
        a->v[i] *= scale;
}

/* Sends the atoms selected by `pick` across dimension dim (to the low or high neighbour) and
 * appends what arrives. Owned atoms that leave (migrate) are removed; ghosts are copies. */
static double *sendbuf, *recvbuf;
static int sendcap, recvcap;

static void reserve(double **buf, int *cap, int need) {
    if (need <= *cap) return;
    *cap = need * 2;
    *buf = realloc(*buf, sizeof(double) * (size_t)*cap);
}

static void migrate(atoms *a, const domain *d) {
    for (int dim = 0; dim < 3; dim++) {
        for (int dir = 0; dir < 2; dir++) { /* 0: to low neighbour, 1: to high */
            int dest = dir ? d->hi_rank[dim] : d->lo_rank[dim];
            int src = dir ? d->lo_rank[dim] : d->hi_rank[dim];
            int nsend = 0;
            reserve(&sendbuf, &sendcap, 7 * (a->n + 1));
            for (int i = 0; i < a->n;) {
                double xi = a->x[3 * i + dim];
                int leaves = dir ? xi >= d->hi[dim] : xi < d->lo[dim];
                if (!leaves || d->dims[dim] == 1) {
                    i++;
                    continue;
                }
                double *s = sendbuf + 7 * nsend++;
                for (int k = 0; k < 3; k++)
                    s[k] = a->x[3 * i + k], s[3 + k] = a->v[3 * i + k];
                s[6] = a->id[i];
                /* remove i: move the last owned atom here */
                int last = --a->n;
                memcpy(&a->x[3 * i], &a->x[3 * last], 3 * sizeof(double));
                memcpy(&a->v[3 * i], &a->v[3 * last], 3 * sizeof(double));
                a->id[i] = a->id[last];
            }
            int nrecv = 0;
            MPI_Sendrecv(&nsend, 1, MPI_INT, dest, 10, &nrecv, 1, MPI_INT, src, 10, d->comm,
                         MPI_STATUS_IGNORE);
            reserve(&recvbuf, &recvcap, 7 * (nrecv + 1));
            MPI_Sendrecv(sendbuf, 7 * nsend, MPI_DOUBLE, dest, 11, recvbuf, 7 * nrecv, MPI_DOUBLE,
                         src, 11, d->comm, MPI_STATUS_IGNORE);
            grow(a, a->n + nrecv);
            for (int r = 0; r < nrecv; r++) {
                double *s = recvbuf + 7 * r;
                int i = a->n++;
                for (int k = 0; k < 3; k++)
                    a->x[3 * i + k] = s[k], a->v[3 * i + k] = s[3 + k];
                a->id[i] = (int)s[6];
            }
        }
        /* periodic wrap of coordinates (also for a single rank in this dimension) */
        for (int i = 0; i < a->n; i++) {
            double *xi = &a->x[3 * i + dim];
            if (*xi >= d->L) *xi -= d->L;
            if (*xi < 0) *xi += d->L;
        }
    }
}

static void exchange_ghosts(atoms *a, const domain *d) {
    a->nghost = 0;
    for (int dim = 0; dim < 3; dim++) {
        int have = a->n + a->nghost; /* atoms eligible in this dimension (owned + earlier ghosts) */
        for (int dir = 0; dir < 2; dir++) {
            int dest = dir ? d->hi_rank[dim] : d->lo_rank[dim];
            int src = dir ? d->lo_rank[dim] : d->hi_rank[dim];
            /* crossing the box edge shifts the copy by one box length */
            int at_edge = dir ? d->coords[dim] == d->dims[dim] - 1 : d->coords[dim] == 0;
            double shift = at_edge ? (dir ? -d->L : d->L) : 0;
            int nsend = 0;
            reserve(&sendbuf, &sendcap, 3 * (have + 1));
            for (int i = 0; i < have; i++) {
                double xi = a->x[3 * i + dim];
                int near = dir ? xi >= d->hi[dim] - rc : xi < d->lo[dim] + rc;
                if (!near) continue;
                double *s = sendbuf + 3 * nsend++;
                for (int k = 0; k < 3; k++)
                    s[k] = a->x[3 * i + k];
                s[dim] += shift;
            }
            int nrecv = 0;
            MPI_Sendrecv(&nsend, 1, MPI_INT, dest, 20, &nrecv, 1, MPI_INT, src, 20, d->comm,
                         MPI_STATUS_IGNORE);
            grow(a, a->n + a->nghost + nrecv);
            MPI_Sendrecv(sendbuf, 3 * nsend, MPI_DOUBLE, dest, 21, &a->x[3 * (a->n + a->nghost)],
                         3 * nrecv, MPI_DOUBLE, src, 21, d->comm, MPI_STATUS_IGNORE);
            a->nghost += nrecv;
        }
    }
}

/* Forces on owned atoms from owned + ghost atoms through cell lists; returns the potential
 * energy of the owned atoms (half of each pair). */
static int *cell_head, *cell_next, ncell_alloc, next_alloc;

static double forces(atoms *a, const domain *d) {
    int total = a->n + a->nghost;
    int nc[3];
    double origin[3], width[3];
    for (int k = 0; k < 3; k++) {
        origin[k] = d->lo[k] - rc;
        double ext = d->hi[k] - d->lo[k] + 2 * rc;
        nc[k] = (int)(ext / rc);
        if (nc[k] < 1) nc[k] = 1;
        width[k] = ext / nc[k];
    }
    int ncells = nc[0] * nc[1] * nc[2];
    if (ncells > ncell_alloc) cell_head = realloc(cell_head, sizeof(int) * (ncell_alloc = ncells));
    if (total > next_alloc) cell_next = realloc(cell_next, sizeof(int) * (next_alloc = total * 2));
    for (int c = 0; c < ncells; c++)
        cell_head[c] = -1;
    int *cell_of = malloc(sizeof(int) * (total + 1));
    for (int i = 0; i < total; i++) {
        int c3[3];
        for (int k = 0; k < 3; k++) {
            int ci = (int)((a->x[3 * i + k] - origin[k]) / width[k]);
            c3[k] = ci < 0 ? 0 : ci >= nc[k] ? nc[k] - 1 : ci;
        }
        int c = (c3[0] * nc[1] + c3[1]) * nc[2] + c3[2];
        cell_of[i] = c;
        cell_next[i] = cell_head[c];
        cell_head[c] = i;
    }
    double pe = 0, rc2 = rc * rc;
    for (int i = 0; i < a->n; i++) {
        double fx = 0, fy = 0, fz = 0;
        double xi = a->x[3 * i], yi = a->x[3 * i + 1], zi = a->x[3 * i + 2];
        int c = cell_of[i];
        int cz = c % nc[2], cy = (c / nc[2]) % nc[1], cx = c / (nc[1] * nc[2]);
        for (int dx = -1; dx <= 1; dx++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dz = -1; dz <= 1; dz++) {
                    int x = cx + dx, y = cy + dy, z = cz + dz;
                    if (x < 0 || y < 0 || z < 0 || x >= nc[0] || y >= nc[1] || z >= nc[2]) continue;
                    for (int j = cell_head[(x * nc[1] + y) * nc[2] + z]; j >= 0; j = cell_next[j]) {
                        if (j == i) continue;
                        double rx = xi - a->x[3 * j], ry = yi - a->x[3 * j + 1],
                               rz = zi - a->x[3 * j + 2];
                        double r2 = rx * rx + ry * ry + rz * rz;
                        if (r2 >= rc2) continue;
                        double s2 = 1.0 / r2, s6 = s2 * s2 * s2;
                        double ff = 48.0 * s6 * (s6 - 0.5) * s2;
                        fx += ff * rx, fy += ff * ry, fz += ff * rz;
                        pe += 2.0 * s6 * (s6 - 1.0); /* half of 4 (s12 - s6) */
                    }
                }
        a->f[3 * i] = fx, a->f[3 * i + 1] = fy, a->f[3 * i + 2] = fz;
    }
    free(cell_of);
    return pe;
}

typedef struct thermo {
    double temp, pe, etotal, pmax;
    long natoms;
} thermo;

static thermo measure(atoms *a, const domain *d, double pe_local) {
    double loc[5] = {0, pe_local, 0, 0, 0}, glob[5];
    for (int i = 0; i < a->n; i++)
        for (int k = 0; k < 3; k++) {
            loc[0] += a->v[3 * i + k] * a->v[3 * i + k];
            loc[2 + k] += a->v[3 * i + k];
        }
    MPI_Allreduce(loc, glob, 5, MPI_DOUBLE, MPI_SUM, d->comm);
    long n = a->n, N;
    MPI_Allreduce(&n, &N, 1, MPI_LONG, MPI_SUM, d->comm);
    thermo t;
    t.natoms = N;
    t.temp = glob[0] / (3.0 * N - 3.0);
    t.pe = glob[1] / N;
    t.etotal = t.pe + 0.5 * glob[0] / N;
    t.pmax = fmax(fabs(glob[2]), fmax(fabs(glob[3]), fabs(glob[4])));
    return t;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int cells = (int)kernel_arg(argc, argv, "cells", 12);
    int steps = (int)kernel_arg(argc, argv, "steps", 100),
        every = (int)kernel_arg(argc, argv, "thermo", 20);
    domain d;
    memset(&d, 0, sizeof d);
    int periods[3] = {1, 1, 1};
    MPI_Dims_create(size, 3, d.dims);
    MPI_Cart_create(MPI_COMM_WORLD, 3, d.dims, periods, 0, &d.comm);
    int me;
    MPI_Comm_rank(d.comm, &me);
    MPI_Cart_coords(d.comm, me, 3, d.coords);
    d.L = cells * pow(4.0 / 0.8442, 1.0 / 3.0);
    for (int k = 0; k < 3; k++) {
        MPI_Cart_shift(d.comm, k, 1, &d.lo_rank[k], &d.hi_rank[k]);
        d.lo[k] = d.L * d.coords[k] / d.dims[k];
        d.hi[k] = d.L * (d.coords[k] + 1) / d.dims[k];
        if (d.hi[k] - d.lo[k] < rc) {
            if (rank == 0) printf("md_lj: sub-domains narrower than the cut-off; use more cells\n");
            MPI_Finalize();
            return 1;
        }
    }
    long natoms = 4L * cells * cells * cells;
    atoms a;
    memset(&a, 0, sizeof a);
    create_lattice(&a, &d, cells);
    init_velocities(&a, &d, natoms, 1.44);
    exchange_ghosts(&a, &d);
    double pe = forces(&a, &d);
    thermo t0 = measure(&a, &d, pe), t = t0;
    if (rank == 0) {
        printf("md_lj: %ld atoms, box %.4f, %d x %d x %d ranks, %d steps\n", natoms, d.L, d.dims[0],
               d.dims[1], d.dims[2], steps);
        printf("%6s %12s %12s %12s\n", "step", "temp", "pe/atom", "etotal/atom");
        printf("%6d %12.6f %12.6f %12.6f\n", 0, t.temp, t.pe, t.etotal);
    }
    MPI_Barrier(d.comm);
    double start = MPI_Wtime(), in_thermo = 0;
    for (int step = 1; step <= steps; step++) {
        for (int i = 0; i < 3 * a.n; i++) {
            a.v[i] += 0.5 * dt * a.f[i];
            a.x[i] += dt * a.v[i];
        }
        migrate(&a, &d);
        exchange_ghosts(&a, &d);
        pe = forces(&a, &d);
        for (int i = 0; i < 3 * a.n; i++)
            a.v[i] += 0.5 * dt * a.f[i];
        if (step % every == 0 || step == steps) {
            double m0 = MPI_Wtime();
            t = measure(&a, &d, pe);
            if (rank == 0) printf("%6d %12.6f %12.6f %12.6f\n", step, t.temp, t.pe, t.etotal);
            in_thermo += MPI_Wtime() - m0;
        }
    }
    MPI_Barrier(d.comm);
    double elapsed = MPI_Wtime() - start;
    double drift = fabs(t.etotal - t0.etotal) / fabs(t0.etotal);
    int ok = t.natoms == natoms && drift < 5e-3 && t.pmax < 1e-6 * natoms;
    char details[160];
    snprintf(details, sizeof details, "atoms %ld energy drift %.2e momentum %.1e", t.natoms, drift,
             t.pmax);
    (void)in_thermo;
    int rc_ = kernel_result("md_lj", elapsed, ok, details);
    free(a.x), free(a.v), free(a.f), free(a.id);
    MPI_Comm_free(&d.comm);
    MPI_Finalize();
    return rc_;
}

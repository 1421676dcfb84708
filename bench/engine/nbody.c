/*
 * nbody.c — gravitational n-body simulation: `bodies` point masses, all pairs interacting each
 * step (softened Newtonian gravity), advanced with the leapfrog (kick-drift-kick) integrator.
 *
 * Floating-point heavy with a square root and a division per pair and a small working set that
 * stays in the L1 cache: it measures an engine's scalar floating-point code and register use.
 * Initial positions and masses come from a fixed seed; the net momentum is removed.
 *
 * Check: the total momentum stays zero up to rounding (pairwise forces cancel) and the total
 * energy drifts by less than 0.1 % (leapfrog is symplectic). The checksum hashes the final state.
 */
#include <math.h>

#include "bench.h"

static const bench_param params[] = {
    {"bodies", 100, 16, 2, 10000},
    {"steps", 25000, 20, 1, 10000000},
};
enum { NPARAMS = sizeof params / sizeof params[0] };

static const double dt = 1e-3;
static const double softening2 = 1e-2; /* squared softening length (0.1) */

typedef struct body {
    double x, y, z;
    double vx, vy, vz;
    double ax, ay, az;
    double mass;
} body;

static void accelerations(body *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        b[i].ax = b[i].ay = b[i].az = 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            double dx = b[j].x - b[i].x, dy = b[j].y - b[i].y, dz = b[j].z - b[i].z;
            double r2 = dx * dx + dy * dy + dz * dz + softening2;
            double inv_r3 = 1.0 / (r2 * sqrt(r2));
            double fi = b[j].mass * inv_r3, fj = b[i].mass * inv_r3;
            b[i].ax += fi * dx;
            b[i].ay += fi * dy;
            b[i].az += fi * dz;
            b[j].ax -= fj * dx;
            b[j].ay -= fj * dy;
            b[j].az -= fj * dz;
        }
    }
}

static void kick(body *b, size_t n, double h) {
    for (size_t i = 0; i < n; i++) {
        b[i].vx += h * b[i].ax;
        b[i].vy += h * b[i].ay;
        b[i].vz += h * b[i].az;
    }
}

static void drift(body *b, size_t n, double h) {
    for (size_t i = 0; i < n; i++) {
        b[i].x += h * b[i].vx;
        b[i].y += h * b[i].vy;
        b[i].z += h * b[i].vz;
    }
}

static double energy(const body *b, size_t n) {
    double e = 0.0;
    for (size_t i = 0; i < n; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (size_t j = i + 1; j < n; j++) {
            double dx = b[j].x - b[i].x, dy = b[j].y - b[i].y, dz = b[j].z - b[i].z;
            e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz + softening2);
        }
    }
    return e;
}

/* The largest component of the total momentum, relative to the sum of |m v|. */
static double momentum_error(const body *b, size_t n) {
    double p[3] = {0, 0, 0}, scale = 0.0;
    for (size_t i = 0; i < n; i++) {
        p[0] += b[i].mass * b[i].vx;
        p[1] += b[i].mass * b[i].vy;
        p[2] += b[i].mass * b[i].vz;
        scale += b[i].mass * (fabs(b[i].vx) + fabs(b[i].vy) + fabs(b[i].vz));
    }
    double worst = fmax(fabs(p[0]), fmax(fabs(p[1]), fabs(p[2])));
    return scale > 0 ? worst / scale : worst;
}

/* Bodies in a unit ball with small random velocities and masses summing to 1. */
static void setup(body *b, size_t n) {
    bench_rng rng = {2024};
    double p[3] = {0, 0, 0}, total = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x, y, z;
        do {
            x = bench_rand_signed(&rng);
            y = bench_rand_signed(&rng);
            z = bench_rand_signed(&rng);
        } while (x * x + y * y + z * z > 1.0);
        b[i] = (body){.x = x, .y = y, .z = z, .mass = 1.0 + 0.5 * bench_rand_signed(&rng)};
        b[i].vx = 0.1 * bench_rand_signed(&rng);
        b[i].vy = 0.1 * bench_rand_signed(&rng);
        b[i].vz = 0.1 * bench_rand_signed(&rng);
        total += b[i].mass;
    }
    for (size_t i = 0; i < n; i++) {
        b[i].mass /= total;
        p[0] += b[i].mass * b[i].vx;
        p[1] += b[i].mass * b[i].vy;
        p[2] += b[i].mass * b[i].vz;
    }
    for (size_t i = 0; i < n; i++) { /* total mass is 1, so subtracting p zeroes the momentum */
        b[i].vx -= p[0];
        b[i].vy -= p[1];
        b[i].vz -= p[2];
    }
}

int main(int argc, char **argv) {
    long v[NPARAMS];
    bench_parse_args("nbody", argc, argv, params, NPARAMS, v);
    size_t n = (size_t)v[0];
    long steps = v[1];

    body *b = bench_alloc("nbody", n, sizeof *b);
    setup(b, n);
    double e0 = energy(b, n);

    double start = bench_now();
    accelerations(b, n);
    for (long s = 0; s < steps; s++) {
        kick(b, n, 0.5 * dt);
        drift(b, n, dt);
        accelerations(b, n);
        kick(b, n, 0.5 * dt);
    }
    double seconds = bench_now() - start;

    double e1 = energy(b, n), drift_rel = fabs((e1 - e0) / e0), p_err = momentum_error(b, n);
    int ok = drift_rel < 1e-3 && p_err < 1e-10;
    bench_print("nbody: energy %.9f -> %.9f (relative drift %.2g), momentum error %.2g\n", e0, e1,
                drift_rel, p_err);
    uint64_t sum = BENCH_FNV_INIT;
    for (size_t i = 0; i < n; i++) {
        sum = bench_fnv_double(sum, b[i].x);
        sum = bench_fnv_double(sum, b[i].y);
        sum = bench_fnv_double(sum, b[i].z);
        sum = bench_fnv_double(sum, b[i].vx);
        sum = bench_fnv_double(sum, b[i].vy);
        sum = bench_fnv_double(sum, b[i].vz);
    }
    free(b);
    return bench_report("nbody", params, NPARAMS, v, seconds, sum, ok);
}

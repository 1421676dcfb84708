/* N-body (Computer Language Benchmarks Game style) with sqrt, 5 bodies, many steps. */
#include <math.h>
#include "kernels.h"
#define NB 5
typedef struct {
    double x, y, z, vx, vy, vz, m;
} body;
static body bodies[NB];
static void advance(double dt) {
    for (int i = 0; i < NB; i++)
        for (int j = i + 1; j < NB; j++) {
            double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y,
                   dz = bodies[i].z - bodies[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            bodies[i].vx -= dx * bodies[j].m * mag;
            bodies[i].vy -= dy * bodies[j].m * mag;
            bodies[i].vz -= dz * bodies[j].m * mag;
            bodies[j].vx += dx * bodies[i].m * mag;
            bodies[j].vy += dy * bodies[i].m * mag;
            bodies[j].vz += dz * bodies[i].m * mag;
        }
    for (int i = 0; i < NB; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}
KERNEL {
    for (int i = 0; i < NB; i++) {
        bodies[i].x = i * 1.1;
        bodies[i].y = i * 0.7 - 1;
        bodies[i].z = i * 0.3;
        bodies[i].vx = 0.01 * i;
        bodies[i].vy = -0.02 * i;
        bodies[i].vz = 0.005;
        bodies[i].m = 1.0 + i * 0.1;
    }
    for (int s = 0; s < 5000000; s++)
        advance(0.001);
    double e = 0;
    for (int i = 0; i < NB; i++)
        e += bodies[i].x + bodies[i].y + bodies[i].z;
    return e;
}

/*
 * test_gmpi_world.c — the world: MPI_Abort and fatal errors wake every blocked rank (no hang),
 * MPI_ERRORS_RETURN, unsupported functions, the barrier control point (quiesce hook, in-flight
 * message count, barrier count), placement changes between barriers, calls before MPI_Init,
 * thread levels, Wtime.
 */
#include <unistd.h>

#include "mpi_test.h"

#define W GMPI_COMM_WORLD

/* Rank 0 aborts while everyone else is blocked in receives that will never be matched. */
static void abort_wakes(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 0) {
        usleep(20000);
        CHECK_EQ(gmpi_abort(r, W, 7), GMPI_ABORTED);
    } else {
        int v;
        CHECK_EQ(gmpi_recv(r, &v, 1, GMPI_INT, 0, 0, W, NULL), GMPI_ABORTED);
        /* every later call fails the same way */
        CHECK_EQ(gmpi_barrier(r, W), GMPI_ABORTED);
    }
    int code;
    CHECK(gmpi_world_aborted(gmpi_rank_world(r), &code));
    CHECK_EQ(code, 7);
}

/* A fatal error (default handler) aborts the world; blocked senders are withdrawn. */
static void fatal_error(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 1) {
        usleep(20000);
        int v = 0;
        int err = gmpi_send(r, &v, 1, GMPI_INT, 99, 0, W);
        CHECK_EQ(err, GMPI_ERR_RANK);
        CHECK_EQ(gmpi_error(r, W, err, "MPI_Send"), GMPI_ABORTED);
    } else {
        /* a large send nobody receives: rendezvous, blocked until the abort */
        static double big[1 << 16];
        CHECK_EQ(gmpi_send(r, big, 1 << 16, GMPI_DOUBLE, 1, 5, W), GMPI_ABORTED);
    }
    int code;
    CHECK(gmpi_world_aborted(gmpi_rank_world(r), &code));
    CHECK_EQ(code, GMPI_ERR_RANK);
}

/* Both ranks receive first: the deadlock detector aborts the world (code 1). */
static void deadlock(gmpi_rank *r, int rank, int size) {
    (void)size;
    int v;
    gmpi_rank_set_call(r, "MPI_Recv");
    CHECK_EQ(gmpi_recv(r, &v, 1, GMPI_INT, 1 - rank, 0, W, NULL), GMPI_ABORTED);
    int code;
    CHECK(gmpi_world_aborted(gmpi_rank_world(r), &code));
    CHECK_EQ(code, 1);
}

/* Rank 1 leaves the world; rank 0 waits for it forever: detected too. */
static void deadlock_exited(gmpi_rank *r, int rank, int size) {
    (void)size;
    if (rank == 1) {
        gmpi_rank_exited(r); /* as if its thread had ended: it waits outside MPI */
        while (!gmpi_world_aborted(gmpi_rank_world(r), NULL))
            usleep(1000);
        return;
    }
    int v;
    CHECK_EQ(gmpi_recv(r, &v, 1, GMPI_INT, 1, 0, W, NULL), GMPI_ABORTED);
}

/* A slow rank is not a deadlock: rank 1 computes for 400 ms before sending. */
static void slow_is_not_deadlock(gmpi_rank *r, int rank, int size) {
    (void)size;
    int v = 7;
    if (rank == 1) {
        usleep(400000);
        CHECK_OK(gmpi_send(r, &v, 1, GMPI_INT, 0, 0, W));
    } else {
        CHECK_OK(gmpi_recv(r, &v, 1, GMPI_INT, 1, 0, W, NULL));
    }
    CHECK(!gmpi_world_aborted(gmpi_rank_world(r), NULL));
}

static void unsupported(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    CHECK_OK(gmpi_comm_set_errhandler(r, W, GMPI_ERRORS_RETURN));
    CHECK_EQ(gmpi_unsupported(r, "MPI_Win_create"), GMPI_ERR_OTHER);
    int eh;
    CHECK_OK(gmpi_comm_get_errhandler(r, W, &eh));
    CHECK_EQ(eh, GMPI_ERRORS_RETURN);
    CHECK_EQ(gmpi_comm_set_errhandler(r, W, 42), GMPI_ERR_ARG);
    CHECK(!gmpi_world_aborted(gmpi_rank_world(r), NULL));
}

typedef struct hook_log {
    atomic_int calls;
    atomic_long last_in_flight;
    atomic_int moved;
} hook_log;
static hook_log hooks;

static void quiesce_hook(gmpi_world *w, void *ud, long in_flight) {
    hook_log *h = ud;
    atomic_fetch_add(&h->calls, 1);
    atomic_store(&h->last_in_flight, in_flight);
    /* move every rank to another worker: the next collectives must use the new structure */
    if (atomic_load(&h->calls) == 2) {
        for (int i = 0; i < gmpi_world_size(w); i++)
            gmpi_world_set_worker(w, i, (i * 7) % 3);
        atomic_store(&h->moved, 1);
    }
}

static void set_hook(gmpi_world *w) {
    memset(&hooks, 0, sizeof hooks);
    gmpi_world_set_quiesce_hook(w, quiesce_hook, &hooks);
}

static void control_points(gmpi_rank *r, int rank, int size) {
    gmpi_world *w = gmpi_rank_world(r);
    CHECK_OK(gmpi_barrier(r, W));
    CHECK_EQ(atomic_load(&hooks.calls), 1);
    CHECK_EQ(atomic_load(&hooks.last_in_flight), 0);
    /* a message in flight across the barrier is counted */
    int v = 5, req = GMPI_REQUEST_NULL;
    if (rank == 0) CHECK_OK(gmpi_isend(r, &v, 1, GMPI_INT, size - 1, 3, W, &req));
    CHECK_OK(gmpi_barrier(r, W));
    CHECK_EQ(atomic_load(&hooks.calls), 2);
    CHECK_EQ(atomic_load(&hooks.last_in_flight), 1);
    CHECK_EQ(atomic_load(&hooks.moved), 1);
    if (rank == size - 1) {
        int got;
        CHECK_OK(gmpi_recv(r, &got, 1, GMPI_INT, 0, 3, W, NULL));
        CHECK_EQ(got, 5);
    }
    CHECK_OK(gmpi_wait(r, &req, NULL));
    /* collectives keep working with the new placement */
    int sum;
    CHECK_OK(gmpi_allreduce(r, &rank, &sum, 1, GMPI_INT, GMPI_SUM, W));
    CHECK_EQ(sum, size * (size - 1) / 2);
    int b = rank == 1 ? 77 : 0;
    if (size > 1) {
        CHECK_OK(gmpi_bcast(r, &b, 1, GMPI_INT, 1, W));
        CHECK_EQ(b, 77);
    }
    CHECK_OK(gmpi_barrier(r, W));
    CHECK_EQ(atomic_load(&hooks.last_in_flight), 0);
    CHECK(gmpi_world_barriers(w) >= 3);
    /* a barrier on a sub-communicator is not a world control point */
    int half, before = atomic_load(&hooks.calls);
    CHECK_OK(gmpi_comm_split(r, W, rank % 2, 0, &half));
    CHECK_OK(gmpi_barrier(r, half));
    CHECK_OK(gmpi_barrier(r, W)); /* makes the count stable */
    CHECK_EQ(atomic_load(&hooks.calls), before + 1 + (size == 1 ? 1 : 0));
    CHECK_OK(gmpi_comm_free(r, &half));
}

static void environment(gmpi_rank *r, int rank, int size) {
    (void)rank, (void)size;
    int provided;
    CHECK_EQ(gmpi_init(r, GMPI_THREAD_MULTIPLE, &provided), GMPI_ERR_OTHER); /* twice */
    CHECK_OK(gmpi_query_thread(r, &provided));
    CHECK_EQ(provided, GMPI_THREAD_SINGLE);
    CHECK(gmpi_initialized(r));
    CHECK(!gmpi_finalized(r));
    double t0 = gmpi_wtime(r);
    usleep(1000);
    CHECK(gmpi_wtime(r) - t0 >= 0.0009);
    CHECK(gmpi_wtick() > 0 && gmpi_wtick() < 1e-3);
    char name[GMPI_MAX_PROCESSOR_NAME];
    int len;
    CHECK_OK(gmpi_get_processor_name(r, name, &len));
    CHECK(len > 0 && (int)strlen(name) == len);
    CHECK(strstr(gmpi_library_version(), "Granny") != NULL);
    int cls;
    CHECK_OK(gmpi_error_class(GMPI_ERR_TAG, &cls));
    CHECK_EQ(cls, GMPI_ERR_TAG);
    CHECK_EQ(gmpi_error_class(-3, &cls), GMPI_ERR_ARG);
}

/* Not initialized: calls fail cleanly. */
static int before_init(void) {
    gmpi_world *w = gmpi_world_new(2, GMPI_ABI_LP64);
    gmpi_rank *r = gmpi_world_rank(w, 0);
    int v = 0, size;
    int f = 0;
    f += gmpi_send(r, &v, 1, GMPI_INT, 1, 0, W) != GMPI_ERR_OTHER;
    f += gmpi_comm_size(r, W, &size) != GMPI_ERR_OTHER;
    f += gmpi_barrier(r, W) != GMPI_ERR_OTHER;
    f += gmpi_finalize(r) != GMPI_ERR_OTHER;
    f += gmpi_world_rank(w, 2) != NULL;
    f += gmpi_world_new(0, GMPI_ABI_LP64) != NULL;
    f += gmpi_world_set_worker(w, 5, 0) != GMPI_ERR_ARG;
    gmpi_world_free(w);
    return f;
}

static const mt_test tests[] = {
    {"abort_wakes", 4, abort_wakes, NULL},
    {"fatal_error", 3, fatal_error, NULL},
    {"unsupported", 2, unsupported, NULL},
    {"deadlock", 2, deadlock, NULL},
    {"deadlock_exited", 2, deadlock_exited, NULL},
    {"slow_is_not_deadlock", 2, slow_is_not_deadlock, NULL},
    {"control_points_1", 1, control_points, set_hook},
    {"control_points_5", 5, control_points, set_hook},
    {"control_points_8", 8, control_points, set_hook},
    {"environment", 2, environment, NULL},
};

int main(int argc, char **argv) {
    int rc = mt_main(argc, argv, tests, (int)(sizeof tests / sizeof tests[0]));
    int f = before_init();
    printf("%-40s %s\n", "before_init", f ? "FAILED" : "ok");
    return rc | (f != 0);
}

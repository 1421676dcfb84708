/*
 * planner.h - the Planner core: cluster state and events in, decisions out.
 *
 * The Planner decides where every cell of every job runs, and changes it at runtime. This core is a
 * pure, deterministic library: it does no I/O, reads no clock and draws no random numbers. Time is
 * whatever the caller says it is (the simulator's virtual clock, the daemon's wall clock), so the
 * same sequence of events always yields the same sequence of decisions. A real planner daemon and
 * the simulator wrap the same core, so simulated and real clusters take the same decisions.
 *
 * The model:
 *   - a cluster of VMs, each with a number of vCPU slots, a spot flag and maybe an eviction notice;
 *   - jobs in a FIFO queue: MPI jobs of N ranks (process cells, which may span VMs) and OpenMP jobs
 *     of N threads (thread cells, which share one VM's memory and so never span VMs);
 *   - a cell is addressed logically as (job id, rank); one cell occupies one slot.
 *
 * The API is driven by events (plain structs, ids not pointers, so they serialise as they are):
 *   JOB_SUBMIT   a job enters the tail of the queue
 *   JOB_FINISH   a running job completed; its slots are free
 *   BARRIER      all cells of a running job reached a barrier control point (MPI_Barrier, an
 *                OpenMP fork): the only moment a job may be migrated, scaled or frozen
 *   VM_ADD       a VM joins the cluster
 *   VM_NOTICE    a VM will be evicted at `deadline` (spot VMs): place nothing new on it
 *   VM_REMOVE    a VM left the cluster; cells still on it are lost
 * and answers each with a list of decisions:
 *   PLACE        start cell (job, rank) on a VM (from the job's snapshot when `restore` is set)
 *   MIGRATE      move cell (job, rank) from one VM to another (snapshot, transfer, restore)
 *   SCALE        an OpenMP job's next team has `size` threads (thread cells rank..size-1 are
 *                spawned on its VM, or the top ones retire)
 *   FREEZE       snapshot every cell of the job, stop them, and requeue the job at the head
 *   REQUEUE      the job lost cells with a removed VM: stop it, requeue it at the head, restart it
 *   WAIT         nothing changes for this job (it continues past its barrier, or stays queued)
 * The core applies its own decisions to its state at once: the caller executes them.
 *
 * Policies (batch, slurm, granny) are separate files behind one small interface (planner_policy.h);
 * the state and its invariant checker, and the metrics, are separate modules too.
 */
#ifndef GRANNY_PLANNER_H
#define GRANNY_PLANNER_H

#include <stddef.h>
#include <stdint.h>

typedef struct planner planner;

/* Ids are chosen by the caller; this one value is reserved. */
#define PLANNER_ID_NONE UINT32_MAX
/* Largest job size (ranks or threads) and largest VM (slots) the core accepts. */
#define PLANNER_MAX_SIZE 65536u

typedef enum { PLANNER_JOB_MPI = 0, PLANNER_JOB_OMP = 1 } planner_job_kind;

typedef enum {
    PLANNER_EV_JOB_SUBMIT = 0,
    PLANNER_EV_JOB_FINISH,
    PLANNER_EV_BARRIER,
    PLANNER_EV_VM_ADD,
    PLANNER_EV_VM_NOTICE,
    PLANNER_EV_VM_REMOVE,
} planner_event_kind;

typedef struct planner_event {
    planner_event_kind kind;
    double time;               /* seconds on the caller's clock; never decreases */
    uint32_t job;              /* JOB_SUBMIT, JOB_FINISH, BARRIER */
    planner_job_kind job_kind; /* JOB_SUBMIT */
    uint32_t size;             /* JOB_SUBMIT: ranks (MPI) or threads (OpenMP) */
    uint32_t vm;               /* VM_ADD, VM_NOTICE, VM_REMOVE */
    uint32_t slots;            /* VM_ADD: vCPUs */
    uint8_t spot;              /* VM_ADD: a spot VM (discounted, may be evicted) */
    double deadline;           /* VM_NOTICE: when the VM will be removed */
} planner_event;

typedef enum {
    PLANNER_DO_PLACE = 0,
    PLANNER_DO_MIGRATE,
    PLANNER_DO_SCALE,
    PLANNER_DO_FREEZE,
    PLANNER_DO_REQUEUE,
    PLANNER_DO_WAIT,
} planner_decision_kind;

typedef struct planner_decision {
    planner_decision_kind kind;
    uint32_t job;
    uint32_t rank;    /* PLACE, MIGRATE: the cell */
    uint32_t from_vm; /* MIGRATE: source; SCALE: the job's VM; else PLANNER_ID_NONE */
    uint32_t to_vm;   /* PLACE, MIGRATE: destination; else PLANNER_ID_NONE */
    uint32_t size;    /* SCALE: new team size; FREEZE, REQUEUE: cells stopped */
    uint8_t restore;  /* PLACE: resume from the snapshot taken by FREEZE */
} planner_decision;

/* A growable list of decisions owned by the caller; planner_handle() clears it first. */
typedef struct planner_decisions {
    planner_decision *v;
    size_t n, cap;
} planner_decisions;

typedef struct planner_config {
    const char *policy;        /* "batch", "slurm" or "granny" */
    double target_utilisation; /* granny: new placements fill at most this fraction of vCPUs */
    int compaction;            /* granny: migrate MPI ranks at barriers to lower cross-VM links */
    int elastic;               /* granny: grow OpenMP teams to idle cores of their VM at forks */
    int spot_aware;            /* granny: move cells off VMs with an eviction notice, or freeze */
    uint32_t max_team;         /* elastic: largest team size (0: all vCPUs of the VM) */
    int record_series;         /* metrics: keep a time series (one sample per changing event) */
} planner_config;

typedef enum { PLANNER_QUEUED = 0, PLANNER_RUNNING, PLANNER_FINISHED } planner_job_state;

typedef struct planner_job_info {
    uint32_t id;
    planner_job_kind kind;
    planner_job_state state;
    uint32_t size;   /* requested ranks or threads */
    uint32_t team;   /* cells running now (0 unless running) */
    uint32_t links;  /* cross-VM links of the current placement */
    uint32_t vms;    /* VMs the job spans now */
    uint8_t frozen;  /* queued with a snapshot to resume from */
    double submit_t; /* time of JOB_SUBMIT */
    double start_t;  /* first start; negative if never started */
    double end_t;    /* time of JOB_FINISH; negative if not finished */
    uint32_t migrations, freezes, requeues, evictions_survived, scale_changes;
} planner_job_info;

typedef struct planner_vm_info {
    uint32_t id;
    uint32_t slots, used;
    uint8_t spot, noticed;
    double deadline; /* eviction deadline when noticed */
} planner_vm_info;

/* Configuration: defaults for a policy name ("batch", "slurm", "granny"); 0, or -1 if unknown. */
int planner_config_default(planner_config *c, const char *policy);

/* Creation: 0, or -1 with a message in err for a bad configuration. */
int planner_create(planner **out, const planner_config *c, char *err, size_t errlen);
void planner_destroy(planner *p);

/* Handles one event: 0 and the decisions in out, or -1 (state unchanged) and planner_error(). */
int planner_handle(planner *p, const planner_event *ev, planner_decisions *out);
const char *planner_error(const planner *p);
void planner_decisions_free(planner_decisions *d);

/* Queries (0, or -1 for an unknown id). */
int planner_job_get(const planner *p, uint32_t job, planner_job_info *out);
int planner_cell_vm(const planner *p, uint32_t job, uint32_t rank, uint32_t *vm);
int planner_vm_get(const planner *p, uint32_t vm, planner_vm_info *out);
size_t planner_queue_length(const planner *p);
uint32_t planner_queue_at(const planner *p, size_t i); /* job id of the i-th queued job */
size_t planner_running_count(const planner *p);
size_t planner_job_count(const planner *p);
const char *planner_policy_name(const planner *p);

/* Checks every invariant of the state: 0, or -1 with the first violation in err. */
int planner_check(const planner *p, char *err, size_t errlen);

/* Names and one-line text forms, for logs, journals and tests. */
const char *planner_event_kind_name(planner_event_kind k);
const char *planner_decision_kind_name(planner_decision_kind k);
int planner_event_format(const planner_event *ev, char *buf, size_t n);
int planner_decision_format(const planner_decision *d, char *buf, size_t n);
/* Reads the text form planner_event_format() writes (times to the microsecond); 0, or -1 with a
   message in err. For journals and replaying recorded streams. */
int planner_event_parse(const char *text, planner_event *ev, char *err, size_t errlen);

#endif

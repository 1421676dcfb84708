/*
 * planner_core.c - the event entry point of the Planner core (see planner.h).
 *
 * One call, planner_handle(), takes one event: it validates it completely before touching anything
 * (so a bad event leaves the state as it was and says why), integrates the metrics up to the
 * event's time, applies the event (through the policy for barriers), then lets the queue advance:
 * the head of the FIFO queue starts as soon as the policy can place it, and blocks everything
 * behind it until then. Cells left on a removed VM are lost, whatever the policy: their jobs are
 * requeued at the head to restart from the beginning.
 */
#include "planner/planner.h"
#include "planner/planner_policy.h"
#include "planner/planner_state.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const planner_policy *const policy_table[] = {
    &planner_policy_batch,
    &planner_policy_slurm,
    &planner_policy_granny,
};

static const planner_policy *policy_find(const char *name) {
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof policy_table / sizeof policy_table[0]; i++)
        if (strcmp(policy_table[i]->name, name) == 0) return policy_table[i];
    return NULL;
}

int planner_config_default(planner_config *c, const char *policy) {
    const planner_policy *pol = policy_find(policy);
    memset(c, 0, sizeof *c);
    if (!pol) return -1;
    c->policy = pol->name;
    int granny = pol == &planner_policy_granny;
    c->target_utilisation = granny ? 0.95 : 1.0;
    c->compaction = granny;
    c->elastic = granny;
    c->spot_aware = granny;
    return 0;
}

int planner_create(planner **out, const planner_config *c, char *err, size_t errlen) {
    *out = NULL;
    const planner_policy *pol = policy_find(c->policy);
    if (!pol) {
        snprintf(err, errlen, "unknown policy '%s' (expected batch, slurm or granny)",
                 c->policy ? c->policy : "(null)");
        return -1;
    }
    if (!(c->target_utilisation > 0.0 && c->target_utilisation <= 1.0)) {
        snprintf(err, errlen, "target utilisation %g is not in (0, 1]", c->target_utilisation);
        return -1;
    }
    if (c->max_team > PLANNER_MAX_SIZE) {
        snprintf(err, errlen, "max team %u is above %u", c->max_team, PLANNER_MAX_SIZE);
        return -1;
    }
    planner *p = planner_xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->cfg = *c;
    p->cfg.policy = pol->name;
    p->policy = pol;
    p->vm_free = PLANNER_ID_NONE;
    planner_metrics_init(&p->metrics, c->record_series);
    *out = p;
    return 0;
}

void planner_destroy(planner *p) {
    if (!p) return;
    for (size_t j = 0; j < p->n_jobs; j++)
        free(planner_job_at(p, (uint32_t)j)->cell_vm);
    for (size_t b = 0; b * PLANNER_JOB_BLOCK < p->n_jobs; b++)
        free(p->job_blocks[b]);
    free(p->job_blocks);
    free(p->vms);
    free(p->vm_count);
    free(p->vm_target);
    free(p->vm_list);
    free(p->cand);
    free(p->plan.vm);
    free(p->plan.count);
    free(p->queue);
    free(p->running);
    planner_idmap_free(&p->vm_ids);
    planner_idmap_free(&p->job_ids);
    planner_metrics_free(&p->metrics);
    free(p);
}

void planner_decisions_free(planner_decisions *d) {
    free(d->v);
    d->v = NULL;
    d->n = d->cap = 0;
}

const char *planner_error(const planner *p) {
    return p->err;
}

const char *planner_policy_name(const planner *p) {
    return p->policy->name;
}

static int fail(planner *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof p->err, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *state_name(planner_job_state s) {
    switch (s) {
    case PLANNER_QUEUED: return "queued";
    case PLANNER_RUNNING: return "running";
    case PLANNER_FINISHED: return "finished";
    }
    return "?";
}

static int validate_running_job(planner *p, const planner_event *ev) {
    uint32_t j = planner_find_job(p, ev->job);
    if (j == PLANNER_ID_NONE)
        return fail(p, "%s: unknown job %u", planner_event_kind_name(ev->kind), ev->job);
    if (planner_job_at(p, j)->state != PLANNER_RUNNING)
        return fail(p, "%s: job %u is %s, not running", planner_event_kind_name(ev->kind), ev->job,
                    state_name(planner_job_at(p, j)->state));
    return 0;
}

static int validate_present_vm(planner *p, const planner_event *ev) {
    if (planner_find_vm(p, ev->vm) == PLANNER_ID_NONE)
        return fail(p, "%s: unknown VM %u", planner_event_kind_name(ev->kind), ev->vm);
    return 0;
}

static int validate(planner *p, const planner_event *ev) {
    if (!isfinite(ev->time)) return fail(p, "event time is not a finite number");
    if (p->metrics.started && ev->time < p->now)
        return fail(p, "event time %.9g is before the previous event (%.9g)", ev->time, p->now);
    switch (ev->kind) {
    case PLANNER_EV_JOB_SUBMIT:
        if (ev->job == PLANNER_ID_NONE)
            return fail(p, "job_submit: job id %u is reserved", ev->job);
        if (planner_find_job(p, ev->job) != PLANNER_ID_NONE)
            return fail(p, "job_submit: job %u was already submitted", ev->job);
        if (ev->job_kind != PLANNER_JOB_MPI && ev->job_kind != PLANNER_JOB_OMP)
            return fail(p, "job_submit: job %u has an unknown kind %d", ev->job, (int)ev->job_kind);
        if (ev->size < 1 || ev->size > PLANNER_MAX_SIZE)
            return fail(p, "job_submit: job %u size %u is not in 1..%u", ev->job, ev->size,
                        PLANNER_MAX_SIZE);
        return 0;
    case PLANNER_EV_JOB_FINISH:
    case PLANNER_EV_BARRIER: return validate_running_job(p, ev);
    case PLANNER_EV_VM_ADD:
        if (ev->vm == PLANNER_ID_NONE) return fail(p, "vm_add: VM id %u is reserved", ev->vm);
        if (planner_find_vm(p, ev->vm) != PLANNER_ID_NONE)
            return fail(p, "vm_add: VM %u is already in the cluster", ev->vm);
        if (ev->slots < 1 || ev->slots > PLANNER_MAX_SIZE)
            return fail(p, "vm_add: VM %u slots %u is not in 1..%u", ev->vm, ev->slots,
                        PLANNER_MAX_SIZE);
        return 0;
    case PLANNER_EV_VM_NOTICE:
        if (!isfinite(ev->deadline)) return fail(p, "vm_notice: deadline is not a finite number");
        return validate_present_vm(p, ev);
    case PLANNER_EV_VM_REMOVE: return validate_present_vm(p, ev);
    }
    return fail(p, "unknown event kind %d", (int)ev->kind);
}

/* Jobs with a cell on VM v lose it: requeue them at the head. Walking the running list backwards
   is safe under its swap-with-last removal. */
static void requeue_lost(planner *p, uint32_t v) {
    for (size_t i = p->n_running; i-- > 0;) {
        uint32_t j = p->running[i];
        const planner_job *job = planner_job_at(p, j);
        for (uint32_t r = 0; r < job->team; r++) {
            if (job->cell_vm[r] == v) {
                planner_stop_job(p, j, PLANNER_DO_REQUEUE);
                break;
            }
        }
    }
}

static void schedule(planner *p) {
    for (;;) {
        uint32_t j = planner_queue_head(p);
        if (j == PLANNER_ID_NONE || !p->policy->place(p, j, 0)) break;
        assert(planner_job_at(p, j)->state == PLANNER_RUNNING);
    }
}

static void update_metrics(planner *p) {
    planner_sample s;
    s.t = p->now;
    s.total = (uint32_t)p->slots_total;
    s.idle = (uint32_t)(p->slots_total - p->slots_used);
    s.links = (uint32_t)p->links_total;
    s.queued = (uint32_t)p->q_len;
    s.running = (uint32_t)p->n_running;
    planner_metrics_set(&p->metrics, &s, p->vms_spot, p->vms_present - p->vms_spot);
}

int planner_handle(planner *p, const planner_event *ev, planner_decisions *out) {
    assert(p && ev && out);
    out->n = 0;
    if (validate(p, ev) != 0) return -1;
    p->err[0] = '\0';
    p->out = out;
    planner_metrics_advance(&p->metrics, ev->time);
    p->now = ev->time;
    uint32_t submitted = PLANNER_ID_NONE;
    switch (ev->kind) {
    case PLANNER_EV_JOB_SUBMIT:
        submitted = planner_add_job(p, ev->job, ev->job_kind, ev->size, ev->time);
        planner_queue_push_back(p, submitted);
        p->metrics.submitted++;
        if (p->metrics.first_submit < 0) p->metrics.first_submit = ev->time;
        break;
    case PLANNER_EV_JOB_FINISH: planner_finish_job(p, planner_find_job(p, ev->job)); break;
    case PLANNER_EV_BARRIER: p->policy->barrier(p, planner_find_job(p, ev->job)); break;
    case PLANNER_EV_VM_ADD: planner_add_vm(p, ev->vm, ev->slots, ev->spot); break;
    case PLANNER_EV_VM_NOTICE:
        planner_notice_vm(p, planner_find_vm(p, ev->vm), ev->deadline);
        break;
    case PLANNER_EV_VM_REMOVE: {
        uint32_t v = planner_find_vm(p, ev->vm);
        requeue_lost(p, v);
        planner_remove_vm(p, v);
        break;
    }
    }
    schedule(p);
    if (submitted != PLANNER_ID_NONE && planner_job_at(p, submitted)->state == PLANNER_QUEUED)
        planner_emit_wait(p, submitted);
    update_metrics(p);
    p->out = NULL;
    return 0;
}

/* ---- queries ---- */

int planner_job_get(const planner *p, uint32_t id, planner_job_info *out) {
    uint32_t j = planner_find_job(p, id);
    if (j == PLANNER_ID_NONE) return -1;
    const planner_job *job = planner_job_at(p, j);
    memset(out, 0, sizeof *out);
    out->id = job->id;
    out->kind = job->kind;
    out->state = job->state;
    out->size = job->size;
    out->team = job->team;
    out->links = job->links;
    out->vms = job->vms;
    out->frozen = job->frozen;
    out->submit_t = job->submit_t;
    out->start_t = job->start_t;
    out->end_t = job->end_t;
    out->migrations = job->migrations;
    out->freezes = job->freezes;
    out->requeues = job->requeues;
    out->evictions_survived = job->evictions_survived;
    out->scale_changes = job->scale_changes;
    return 0;
}

int planner_cell_vm(const planner *p, uint32_t id, uint32_t rank, uint32_t *vm) {
    uint32_t j = planner_find_job(p, id);
    if (j == PLANNER_ID_NONE || rank >= planner_job_at(p, j)->team) return -1;
    *vm = p->vms[planner_job_at(p, j)->cell_vm[rank]].id;
    return 0;
}

int planner_vm_get(const planner *p, uint32_t id, planner_vm_info *out) {
    uint32_t v = planner_find_vm(p, id);
    if (v == PLANNER_ID_NONE) return -1;
    const planner_vm *vm = &p->vms[v];
    out->id = vm->id;
    out->slots = vm->slots;
    out->used = vm->used;
    out->spot = vm->spot;
    out->noticed = vm->noticed;
    out->deadline = vm->deadline;
    return 0;
}

size_t planner_queue_length(const planner *p) {
    return p->q_len;
}

uint32_t planner_queue_at(const planner *p, size_t i) {
    if (i >= p->q_len) return PLANNER_ID_NONE;
    return planner_job_at(p, p->queue[(p->q_head + i) % p->q_cap])->id;
}

size_t planner_running_count(const planner *p) {
    return p->n_running;
}
size_t planner_job_count(const planner *p) {
    return p->n_jobs;
}
const planner_metrics *planner_get_metrics(const planner *p) {
    return &p->metrics;
}

/* ---- names and text forms ---- */

const char *planner_event_kind_name(planner_event_kind k) {
    switch (k) {
    case PLANNER_EV_JOB_SUBMIT: return "job_submit";
    case PLANNER_EV_JOB_FINISH: return "job_finish";
    case PLANNER_EV_BARRIER: return "barrier";
    case PLANNER_EV_VM_ADD: return "vm_add";
    case PLANNER_EV_VM_NOTICE: return "vm_notice";
    case PLANNER_EV_VM_REMOVE: return "vm_remove";
    }
    return "unknown";
}

const char *planner_decision_kind_name(planner_decision_kind k) {
    switch (k) {
    case PLANNER_DO_PLACE: return "place";
    case PLANNER_DO_MIGRATE: return "migrate";
    case PLANNER_DO_SCALE: return "scale";
    case PLANNER_DO_FREEZE: return "freeze";
    case PLANNER_DO_REQUEUE: return "requeue";
    case PLANNER_DO_WAIT: return "wait";
    }
    return "unknown";
}

int planner_event_format(const planner_event *ev, char *buf, size_t n) {
    const char *name = planner_event_kind_name(ev->kind);
    switch (ev->kind) {
    case PLANNER_EV_JOB_SUBMIT:
        return snprintf(buf, n, "%.6f %s job=%u kind=%s size=%u", ev->time, name, ev->job,
                        ev->job_kind == PLANNER_JOB_OMP ? "omp" : "mpi", ev->size);
    case PLANNER_EV_JOB_FINISH:
    case PLANNER_EV_BARRIER: return snprintf(buf, n, "%.6f %s job=%u", ev->time, name, ev->job);
    case PLANNER_EV_VM_ADD:
        return snprintf(buf, n, "%.6f %s vm=%u slots=%u spot=%d", ev->time, name, ev->vm, ev->slots,
                        ev->spot);
    case PLANNER_EV_VM_NOTICE:
        return snprintf(buf, n, "%.6f %s vm=%u deadline=%.6f", ev->time, name, ev->vm,
                        ev->deadline);
    case PLANNER_EV_VM_REMOVE: return snprintf(buf, n, "%.6f %s vm=%u", ev->time, name, ev->vm);
    }
    return snprintf(buf, n, "%.6f unknown(%d)", ev->time, (int)ev->kind);
}

int planner_decision_format(const planner_decision *d, char *buf, size_t n) {
    const char *name = planner_decision_kind_name(d->kind);
    switch (d->kind) {
    case PLANNER_DO_PLACE:
        return snprintf(buf, n, "%s job=%u rank=%u vm=%u%s", name, d->job, d->rank, d->to_vm,
                        d->restore ? " restore" : "");
    case PLANNER_DO_MIGRATE:
        return snprintf(buf, n, "%s job=%u rank=%u from=%u to=%u", name, d->job, d->rank,
                        d->from_vm, d->to_vm);
    case PLANNER_DO_SCALE:
        return snprintf(buf, n, "%s job=%u vm=%u team=%u", name, d->job, d->from_vm, d->size);
    case PLANNER_DO_FREEZE:
    case PLANNER_DO_REQUEUE: return snprintf(buf, n, "%s job=%u cells=%u", name, d->job, d->size);
    case PLANNER_DO_WAIT: return snprintf(buf, n, "%s job=%u", name, d->job);
    }
    return snprintf(buf, n, "unknown(%d)", (int)d->kind);
}

/* ---- reading the text form of events ---- */

static int parse_fail(char *err, size_t errlen, const char *what, const char *text) {
    snprintf(err, errlen, "%s in event '%.80s'", what, text);
    return -1;
}

static int parse_u32_field(const char *s, size_t len, uint32_t *out) {
    uint64_t v = 0;
    if (len == 0 || len > 10) return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > UINT32_MAX) return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_double_field(const char *s, size_t len, double *out) {
    char buf[64];
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* Which keys each event kind needs, as a bit set over the key table below. */
enum {
    KEY_JOB = 1,
    KEY_KIND = 2,
    KEY_SIZE = 4,
    KEY_VM = 8,
    KEY_SLOTS = 16,
    KEY_SPOT = 32,
    KEY_DEADLINE = 64
};

static const unsigned event_keys[] = {
    [PLANNER_EV_JOB_SUBMIT] = KEY_JOB | KEY_KIND | KEY_SIZE,
    [PLANNER_EV_JOB_FINISH] = KEY_JOB,
    [PLANNER_EV_BARRIER] = KEY_JOB,
    [PLANNER_EV_VM_ADD] = KEY_VM | KEY_SLOTS | KEY_SPOT,
    [PLANNER_EV_VM_NOTICE] = KEY_VM | KEY_DEADLINE,
    [PLANNER_EV_VM_REMOVE] = KEY_VM,
};

static int parse_key(planner_event *ev, const char *key, size_t klen, const char *val, size_t vlen,
                     unsigned *seen) {
    static const struct {
        const char *name;
        unsigned bit;
    } keys[] = {{"job", KEY_JOB},     {"kind", KEY_KIND}, {"size", KEY_SIZE},        {"vm", KEY_VM},
                {"slots", KEY_SLOTS}, {"spot", KEY_SPOT}, {"deadline", KEY_DEADLINE}};
    unsigned bit = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i].name) == klen && memcmp(keys[i].name, key, klen) == 0) bit = keys[i].bit;
    if (!bit || (*seen & bit)) return -1;
    *seen |= bit;
    uint32_t u;
    switch (bit) {
    case KEY_JOB: return parse_u32_field(val, vlen, &ev->job);
    case KEY_SIZE: return parse_u32_field(val, vlen, &ev->size);
    case KEY_VM: return parse_u32_field(val, vlen, &ev->vm);
    case KEY_SLOTS: return parse_u32_field(val, vlen, &ev->slots);
    case KEY_SPOT:
        if (parse_u32_field(val, vlen, &u) || u > 1) return -1;
        ev->spot = (uint8_t)u;
        return 0;
    case KEY_DEADLINE: return parse_double_field(val, vlen, &ev->deadline);
    case KEY_KIND:
        if (vlen == 3 && memcmp(val, "mpi", 3) == 0)
            ev->job_kind = PLANNER_JOB_MPI;
        else if (vlen == 3 && memcmp(val, "omp", 3) == 0)
            ev->job_kind = PLANNER_JOB_OMP;
        else
            return -1;
        return 0;
    }
    return -1;
}

int planner_event_parse(const char *text, planner_event *ev, char *err, size_t errlen) {
    memset(ev, 0, sizeof *ev);
    const char *s = text;
    size_t len;
    s += strspn(s, " \t");
    len = strcspn(s, " \t\r\n");
    if (parse_double_field(s, len, &ev->time)) return parse_fail(err, errlen, "bad time", text);
    s += len;
    s += strspn(s, " \t");
    len = strcspn(s, " \t\r\n");
    int kind = -1;
    for (int k = PLANNER_EV_JOB_SUBMIT; k <= PLANNER_EV_VM_REMOVE; k++) {
        const char *name = planner_event_kind_name((planner_event_kind)k);
        if (strlen(name) == len && memcmp(name, s, len) == 0) kind = k;
    }
    if (kind < 0) return parse_fail(err, errlen, "unknown event kind", text);
    ev->kind = (planner_event_kind)kind;
    s += len;
    unsigned seen = 0;
    for (;;) {
        s += strspn(s, " \t\r\n");
        if (!*s) break;
        len = strcspn(s, " \t\r\n");
        const char *eq = memchr(s, '=', len);
        if (!eq || parse_key(ev, s, (size_t)(eq - s), eq + 1, len - (size_t)(eq - s) - 1, &seen))
            return parse_fail(err, errlen, "bad or repeated key=value", text);
        s += len;
    }
    if (seen != event_keys[kind]) return parse_fail(err, errlen, "missing or extra keys", text);
    return 0;
}

/*
 * tp.h - a small harness for the planner tests: a planner, a clock, and helpers that send one
 * event, check every invariant afterwards (planner_check), and replay the decisions onto a shadow
 * copy of the placement, as a worker would, and compare it with the planner's own view. A test
 * fails loudly (file:line and the message) and the process exits non-zero.
 */
#ifndef GRANNY_TESTS_TP_H
#define GRANNY_TESTS_TP_H

#include "planner/planner.h"
#include "planner/planner_metrics.h"

#include <stddef.h>
#include <stdint.h>

#define TP_MAX_JOBS 4096
#define TP_MAX_TEAM 64

typedef struct tp_shadow_job {
    uint32_t team;
    uint32_t vm[TP_MAX_TEAM];
} tp_shadow_job;

typedef struct tp {
    planner *p;
    planner_decisions d;
    double now;
    tp_shadow_job *shadow; /* indexed by job id (< TP_MAX_JOBS) */
    uint32_t id_limit;     /* one past the largest job id submitted */
} tp;

extern int tp_failures;

#define EXPECT(cond) tp_expect((cond), #cond, __FILE__, __LINE__)
void tp_expect(int ok, const char *what, const char *file, int line);

void tp_init(tp *t, const char *policy);
void tp_init_config(tp *t, const planner_config *c);
void tp_free(tp *t);

/* Each sends one event at the current time (advance it with t->now) and must succeed. */
void tp_vm(tp *t, uint32_t id, uint32_t slots, int spot);
void tp_submit(tp *t, uint32_t id, planner_job_kind kind, uint32_t size);
void tp_finish(tp *t, uint32_t id);
void tp_barrier(tp *t, uint32_t id);
void tp_notice(tp *t, uint32_t vm, double deadline);
void tp_remove(tp *t, uint32_t vm);
/* Sends an event; returns planner_handle's result (checks state either way). */
int tp_send(tp *t, const planner_event *ev);

/* Looking at the last decisions and the state. */
size_t tp_count(const tp *t, planner_decision_kind kind, uint32_t job);
uint32_t tp_cell(const tp *t, uint32_t job, uint32_t rank); /* PLANNER_ID_NONE if not running */
planner_job_info tp_job(const tp *t, uint32_t job);
void tp_print_decisions(const tp *t);

#endif

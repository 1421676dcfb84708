/*
 * planner_metrics.c - integrals, counters and the time series of the core (see planner_metrics.h).
 *
 * The core calls planner_metrics_advance() with the event's time before it changes any state, and
 * planner_metrics_set() after; counters are bumped by the state functions as decisions are taken.
 * A sample is appended only when a value changed; two changes at the same instant keep one sample
 * (the later state), so the series is a clean step function.
 */
#include "planner/planner_metrics.h"
#include "planner/planner_state.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void planner_metrics_init(planner_metrics *m, int record_series) {
    memset(m, 0, sizeof *m);
    m->first_submit = -1.0;
    m->last_finish = -1.0;
    m->record_series = record_series;
}

void planner_metrics_free(planner_metrics *m) {
    for (size_t b = 0; b * PLANNER_SERIES_BLOCK < m->n_series; b++)
        free(m->series_blocks[b]);
    free(m->series_blocks);
    m->series_blocks = NULL;
    m->n_series = m->cap_blocks = 0;
}

void planner_metrics_advance(planner_metrics *m, double t) {
    if (!m->started) {
        m->started = 1;
        m->t_first = m->t_last = t;
        return;
    }
    assert(t >= m->t_last);
    double dt = t - m->t_last;
    m->idle_integral += dt * m->now.idle;
    m->total_integral += dt * m->now.total;
    m->links_integral += dt * m->now.links;
    if (m->now.queued > 0) {
        m->idle_queued_integral += dt * m->now.idle;
        m->total_queued_integral += dt * m->now.total;
    }
    m->spot_vm_seconds += dt * m->spot_vms;
    m->ondemand_vm_seconds += dt * m->ondemand_vms;
    m->t_last = t;
}

static planner_sample *sample_at(planner_metrics *m, size_t i) {
    return &m->series_blocks[i / PLANNER_SERIES_BLOCK][i % PLANNER_SERIES_BLOCK];
}

static int sample_same_values(const planner_sample *a, const planner_sample *b) {
    return a->idle == b->idle && a->total == b->total && a->links == b->links &&
           a->queued == b->queued && a->running == b->running;
}

void planner_metrics_set(planner_metrics *m, const planner_sample *s, uint32_t spot_vms,
                         uint32_t ondemand_vms) {
    m->now = *s;
    m->spot_vms = spot_vms;
    m->ondemand_vms = ondemand_vms;
    if (!m->record_series) return;
    if (m->n_series > 0) {
        planner_sample *last = sample_at(m, m->n_series - 1);
        if (last->t == s->t) {
            *last = *s;
            /* Drop it again if the instant ended where the previous sample already was. */
            if (m->n_series > 1 && sample_same_values(sample_at(m, m->n_series - 2), s))
                m->n_series--;
            return;
        }
        if (sample_same_values(last, s)) return;
    }
    size_t block = m->n_series / PLANNER_SERIES_BLOCK;
    if (m->n_series % PLANNER_SERIES_BLOCK == 0) {
        if (block == m->cap_blocks) {
            m->cap_blocks = m->cap_blocks ? m->cap_blocks * 2 : 16;
            m->series_blocks =
                planner_xrealloc(m->series_blocks, m->cap_blocks * sizeof *m->series_blocks);
        }
        m->series_blocks[block] = planner_xmalloc(PLANNER_SERIES_BLOCK * sizeof(planner_sample));
    }
    *sample_at(m, m->n_series++) = *s;
}

double planner_metrics_makespan(const planner_metrics *m) {
    if (m->first_submit < 0 || m->last_finish < 0) return 0.0;
    return m->last_finish - m->first_submit;
}

double planner_metrics_idle_fraction(const planner_metrics *m) {
    return m->total_integral > 0 ? m->idle_integral / m->total_integral : 0.0;
}

double planner_metrics_idle_fraction_queued(const planner_metrics *m) {
    return m->total_queued_integral > 0 ? m->idle_queued_integral / m->total_queued_integral : 0.0;
}

double planner_metrics_mean_links(const planner_metrics *m) {
    double span = m->t_last - m->t_first;
    return span > 0 ? m->links_integral / span : 0.0;
}

double planner_metrics_cost(const planner_metrics *m, double price, double spot_discount) {
    double hours_spot = m->spot_vm_seconds / 3600.0;
    double hours_ondemand = m->ondemand_vm_seconds / 3600.0;
    return price * (hours_ondemand + hours_spot * (1.0 - spot_discount));
}

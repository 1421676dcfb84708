/*
 * sim_model.c - reading, merging, validating and writing the simulator's models (see sim_model.h).
 *
 * Each JSON object is read through a table of its fields (key, type, where it goes), so the
 * reader, the unknown-key check and the error messages are the same code for every object. The
 * built-in defaults are themselves JSON text, read by the same code.
 *
 * Calibration of the defaults (the GRANNY evaluation's regime, seed sections 5.1-5.3 and 5.6-5.7):
 *   lammps    compute-bound MPI (LAMMPS LJ): 8 ranks on one VM run 1.7x faster than 4 + 4 on two
 *             (Fig. 12-right); 4 + 4 has 16 of 28 rank pairs crossing, so penalty = 0.7 / (16/28).
 *   alltoall  network-bound MPI: 7.7x (Fig. 12-left), so penalty = 6.7 / (16/28).
 *   p2p       OpenMP ParRes p2p: scaling 1 -> 6 threads at half-time gives 1.6x (Fig. 13), i.e.
 *             S(6) = 4 S(1): Amdahl with p = 0.9.
 *   workloads MPI jobs of 2-15 ranks, OpenMP jobs of 1-7 threads, sizes uniform, VMs of 8 vCPUs.
 *   evictions 25% of the VMs every 60 s with a 60 s grace period (seed 5.3); a replacement VM
 *             boots 30 s after the notice.
 *   snapshots 4 MB takes ~30 ms to migrate (seed 5.6): ~10 Gb/s, plus a small fixed latency.
 */
#include "sim/sim_model.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sim_default_models[] =
    "{\n"
    "  \"cluster\": {\"vm_slots\": 8, \"bandwidth_mb_s\": 1250, \"migrate_latency_s\": 0.03,\n"
    "              \"scale_cost_s\": 0.005, \"price_per_vm_hour\": 1.0,\n"
    "              \"spot_discounts\": [0.3, 0.6, 0.9], \"target_utilisation\": 0.95},\n"
    "  \"evictions\": {\"period_s\": 60, \"fraction\": 0.25, \"grace_s\": 60,\n"
    "                \"replace_after_s\": 30},\n"
    "  \"models\": [\n"
    "    {\"name\": \"lammps\", \"kind\": \"mpi\", \"network_penalty\": 1.225,\n"
    "     \"parallel_fraction\": 0.95, \"control_point_s\": 5, \"snapshot_mb\": 64},\n"
    "    {\"name\": \"alltoall\", \"kind\": \"mpi\", \"network_penalty\": 11.725,\n"
    "     \"parallel_fraction\": 0.95, \"control_point_s\": 1, \"snapshot_mb\": 4},\n"
    "    {\"name\": \"p2p\", \"kind\": \"omp\", \"network_penalty\": 0,\n"
    "     \"parallel_fraction\": 0.9, \"control_point_s\": 5, \"snapshot_mb\": 256}\n"
    "  ],\n"
    "  \"workloads\": [\n"
    "    {\"name\": \"mpi\", \"model\": \"lammps\", \"size\": [2, 15], \"work_s\": [30, 90],\n"
    "     \"arrival_mean_s\": 0, \"evictions\": false},\n"
    "    {\"name\": \"network\", \"model\": \"alltoall\", \"size\": [2, 15], \"work_s\": [30, "
    "90],\n"
    "     \"arrival_mean_s\": 0, \"evictions\": false},\n"
    "    {\"name\": \"omp\", \"model\": \"p2p\", \"size\": [1, 7], \"work_s\": [30, 90],\n"
    "     \"arrival_mean_s\": 0, \"evictions\": false},\n"
    "    {\"name\": \"spot\", \"model\": \"lammps\", \"size\": [2, 15], \"work_s\": [30, 90],\n"
    "     \"arrival_mean_s\": 0, \"evictions\": true}\n"
    "  ]\n"
    "}\n";

/* ---- errors ---- */

typedef struct model_ctx {
    const char *source;
    char *err;
    size_t errlen;
} model_ctx;

static int model_fail(model_ctx *c, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%s: %s", c->source, msg);
    return -1;
}

/* ---- field tables ---- */

typedef enum {
    FIELD_DOUBLE,
    FIELD_U32,
    FIELD_NAME,
    FIELD_BOOL,
    FIELD_KIND,
    FIELD_RANGE_U32,    /* [lo, hi] into offset, offset2 */
    FIELD_RANGE_DOUBLE, /* [lo, hi] into offset, offset2 */
    FIELD_DOUBLES,      /* array into offset (double[]), count at offset2 (size_t) */
} field_type;

typedef struct field {
    const char *key;
    field_type type;
    size_t offset, offset2, max;
} field;

static const field cluster_fields[] = {
    {"vm_slots", FIELD_U32, offsetof(sim_models, vm_slots), 0, 0},
    {"bandwidth_mb_s", FIELD_DOUBLE, offsetof(sim_models, bandwidth_mb_s), 0, 0},
    {"migrate_latency_s", FIELD_DOUBLE, offsetof(sim_models, migrate_latency_s), 0, 0},
    {"scale_cost_s", FIELD_DOUBLE, offsetof(sim_models, scale_cost_s), 0, 0},
    {"price_per_vm_hour", FIELD_DOUBLE, offsetof(sim_models, price_per_vm_hour), 0, 0},
    {"spot_discounts", FIELD_DOUBLES, offsetof(sim_models, spot_discounts),
     offsetof(sim_models, n_discounts), SIM_MAX_DISCOUNTS},
    {"target_utilisation", FIELD_DOUBLE, offsetof(sim_models, target_utilisation), 0, 0},
};

static const field eviction_fields[] = {
    {"period_s", FIELD_DOUBLE, offsetof(sim_evictions, period_s), 0, 0},
    {"fraction", FIELD_DOUBLE, offsetof(sim_evictions, fraction), 0, 0},
    {"grace_s", FIELD_DOUBLE, offsetof(sim_evictions, grace_s), 0, 0},
    {"replace_after_s", FIELD_DOUBLE, offsetof(sim_evictions, replace_after_s), 0, 0},
};

static const field model_fields[] = {
    {"name", FIELD_NAME, offsetof(sim_model, name), 0, 0},
    {"kind", FIELD_KIND, offsetof(sim_model, kind), 0, 0},
    {"network_penalty", FIELD_DOUBLE, offsetof(sim_model, network_penalty), 0, 0},
    {"parallel_fraction", FIELD_DOUBLE, offsetof(sim_model, parallel_fraction), 0, 0},
    {"speedup", FIELD_DOUBLES, offsetof(sim_model, speedup), offsetof(sim_model, n_speedup),
     SIM_MAX_SPEEDUP},
    {"control_point_s", FIELD_DOUBLE, offsetof(sim_model, control_point_s), 0, 0},
    {"snapshot_mb", FIELD_DOUBLE, offsetof(sim_model, snapshot_mb), 0, 0},
};

static const field workload_fields[] = {
    {"name", FIELD_NAME, offsetof(sim_workload, name), 0, 0},
    {"model", FIELD_NAME, offsetof(sim_workload, model), 0, 0},
    {"size", FIELD_RANGE_U32, offsetof(sim_workload, size_min), offsetof(sim_workload, size_max),
     0},
    {"work_s", FIELD_RANGE_DOUBLE, offsetof(sim_workload, work_min_s),
     offsetof(sim_workload, work_max_s), 0},
    {"arrival_mean_s", FIELD_DOUBLE, offsetof(sim_workload, arrival_mean_s), 0, 0},
    {"evictions", FIELD_BOOL, offsetof(sim_workload, evictions), 0, 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int read_number(model_ctx *c, const cJSON *it, const char *where, double *out) {
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
        return model_fail(c, "%s.%s must be a finite number", where, it->string);
    *out = it->valuedouble;
    return 0;
}

static int read_u32(model_ctx *c, const cJSON *it, const char *where, const char *key,
                    uint32_t *out) {
    if (!cJSON_IsNumber(it) || !(it->valuedouble >= 0 && it->valuedouble <= 4294967295.0) ||
        it->valuedouble != floor(it->valuedouble))
        return model_fail(c, "%s.%s must be a whole number >= 0", where, key);
    *out = (uint32_t)it->valuedouble;
    return 0;
}

static int read_field(model_ctx *c, const field *f, const cJSON *it, const char *where,
                      char *base) {
    switch (f->type) {
    case FIELD_DOUBLE: return read_number(c, it, where, (double *)(base + f->offset));
    case FIELD_U32: return read_u32(c, it, where, f->key, (uint32_t *)(base + f->offset));
    case FIELD_NAME:
        if (!cJSON_IsString(it) || !it->valuestring[0] || strlen(it->valuestring) >= SIM_NAME_MAX)
            return model_fail(c, "%s.%s must be a name of 1..%d characters", where, f->key,
                              SIM_NAME_MAX - 1);
        snprintf(base + f->offset, SIM_NAME_MAX, "%s", it->valuestring);
        return 0;
    case FIELD_BOOL:
        if (!cJSON_IsBool(it)) return model_fail(c, "%s.%s must be true or false", where, f->key);
        *(int *)(base + f->offset) = cJSON_IsTrue(it);
        return 0;
    case FIELD_KIND:
        if (cJSON_IsString(it) && strcmp(it->valuestring, "mpi") == 0)
            *(planner_job_kind *)(base + f->offset) = PLANNER_JOB_MPI;
        else if (cJSON_IsString(it) && strcmp(it->valuestring, "omp") == 0)
            *(planner_job_kind *)(base + f->offset) = PLANNER_JOB_OMP;
        else
            return model_fail(c, "%s.%s must be \"mpi\" or \"omp\"", where, f->key);
        return 0;
    case FIELD_RANGE_U32:
    case FIELD_RANGE_DOUBLE: {
        if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != 2)
            return model_fail(c, "%s.%s must be [low, high]", where, f->key);
        const cJSON *lo = cJSON_GetArrayItem(it, 0), *hi = cJSON_GetArrayItem(it, 1);
        if (f->type == FIELD_RANGE_U32)
            return read_u32(c, lo, where, f->key, (uint32_t *)(base + f->offset)) ||
                   read_u32(c, hi, where, f->key, (uint32_t *)(base + f->offset2));
        if (!cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) || !isfinite(lo->valuedouble) ||
            !isfinite(hi->valuedouble))
            return model_fail(c, "%s.%s must be [low, high] numbers", where, f->key);
        *(double *)(base + f->offset) = lo->valuedouble;
        *(double *)(base + f->offset2) = hi->valuedouble;
        return 0;
    }
    case FIELD_DOUBLES: {
        int n = cJSON_IsArray(it) ? cJSON_GetArraySize(it) : -1;
        if (n < 0 || (size_t)n > f->max)
            return model_fail(c, "%s.%s must be an array of at most %zu numbers", where, f->key,
                              f->max);
        double *v = (double *)(base + f->offset);
        int i = 0;
        for (const cJSON *e = it->child; e; e = e->next, i++) {
            if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble))
                return model_fail(c, "%s.%s[%d] must be a finite number", where, f->key, i);
            v[i] = e->valuedouble;
        }
        *(size_t *)(base + f->offset2) = (size_t)n;
        return 0;
    }
    }
    return model_fail(c, "internal: bad field type");
}

static int read_object(model_ctx *c, const cJSON *obj, const field *fields, size_t n,
                       const char *where, void *base) {
    if (!cJSON_IsObject(obj)) return model_fail(c, "%s must be an object", where);
    for (const cJSON *it = obj->child; it; it = it->next) {
        if (strcmp(it->string, "doc") == 0) continue; /* free text, for people */
        const field *f = NULL;
        for (size_t i = 0; i < n; i++)
            if (strcmp(fields[i].key, it->string) == 0) f = &fields[i];
        if (!f) return model_fail(c, "%s: unknown key \"%s\"", where, it->string);
        if (read_field(c, f, it, where, base)) return -1;
    }
    return 0;
}

/* Models and workloads are arrays of objects merged by name. */
static const char *object_name(model_ctx *c, const cJSON *obj, const char *where) {
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (!cJSON_IsObject(obj) || !cJSON_IsString(name) || !name->valuestring[0] ||
        strlen(name->valuestring) >= SIM_NAME_MAX) {
        model_fail(c, "every entry of %s needs a \"name\" of 1..%d characters", where,
                   SIM_NAME_MAX - 1);
        return NULL;
    }
    return name->valuestring;
}

static int merge_models(model_ctx *c, sim_models *m, const cJSON *arr) {
    if (!cJSON_IsArray(arr)) return model_fail(c, "models must be an array");
    for (const cJSON *obj = arr->child; obj; obj = obj->next) {
        const char *name = object_name(c, obj, "models");
        if (!name) return -1;
        sim_model *model = (sim_model *)sim_models_find(m, name);
        if (!model) {
            if (m->n_models == SIM_MAX_MODELS)
                return model_fail(c, "more than %d models", SIM_MAX_MODELS);
            model = &m->models[m->n_models++];
            memset(model, 0, sizeof *model);
            model->parallel_fraction = 1.0;
            model->control_point_s = 5;
        }
        char where[64];
        snprintf(where, sizeof where, "models[%s]", name);
        if (read_object(c, obj, model_fields, COUNT(model_fields), where, model)) return -1;
    }
    return 0;
}

static int merge_workloads(model_ctx *c, sim_models *m, const cJSON *arr) {
    if (!cJSON_IsArray(arr)) return model_fail(c, "workloads must be an array");
    for (const cJSON *obj = arr->child; obj; obj = obj->next) {
        const char *name = object_name(c, obj, "workloads");
        if (!name) return -1;
        sim_workload *w = (sim_workload *)sim_workload_find(m, name);
        if (!w) {
            if (m->n_workloads == SIM_MAX_WORKLOADS)
                return model_fail(c, "more than %d workloads", SIM_MAX_WORKLOADS);
            w = &m->workloads[m->n_workloads++];
            memset(w, 0, sizeof *w);
        }
        char where[64];
        snprintf(where, sizeof where, "workloads[%s]", name);
        if (read_object(c, obj, workload_fields, COUNT(workload_fields), where, w)) return -1;
    }
    return 0;
}

/* ---- validation ---- */

static int validate_model(model_ctx *c, const sim_model *md) {
    if (!(md->network_penalty >= 0))
        return model_fail(c, "models[%s].network_penalty must be >= 0", md->name);
    if (!(md->parallel_fraction >= 0 && md->parallel_fraction <= 1))
        return model_fail(c, "models[%s].parallel_fraction must be in [0, 1]", md->name);
    for (size_t i = 0; i < md->n_speedup; i++)
        if (!(md->speedup[i] > 0))
            return model_fail(c, "models[%s].speedup values must be > 0", md->name);
    if (!(md->control_point_s > 0))
        return model_fail(c, "models[%s].control_point_s must be > 0", md->name);
    if (!(md->snapshot_mb >= 0))
        return model_fail(c, "models[%s].snapshot_mb must be >= 0", md->name);
    return 0;
}

static int validate_workload(model_ctx *c, const sim_models *m, const sim_workload *w) {
    const sim_model *md = sim_models_find(m, w->model);
    if (!md) return model_fail(c, "workloads[%s].model \"%s\" is not a model", w->name, w->model);
    if (w->size_min < 1 || w->size_min > w->size_max || w->size_max > PLANNER_MAX_SIZE)
        return model_fail(c, "workloads[%s].size must be [low, high] with 1 <= low <= high <= %u",
                          w->name, PLANNER_MAX_SIZE);
    if (md->kind == PLANNER_JOB_OMP && w->size_max > m->vm_slots)
        return model_fail(c, "workloads[%s]: OpenMP jobs of %u threads cannot fit VMs of %u vCPUs",
                          w->name, w->size_max, m->vm_slots);
    if (!(w->work_min_s > 0 && w->work_min_s <= w->work_max_s))
        return model_fail(c, "workloads[%s].work_s must be [low, high] with 0 < low <= high",
                          w->name);
    if (!(w->arrival_mean_s >= 0))
        return model_fail(c, "workloads[%s].arrival_mean_s must be >= 0", w->name);
    return 0;
}

static int validate(model_ctx *c, const sim_models *m) {
    if (m->vm_slots < 1 || m->vm_slots > PLANNER_MAX_SIZE)
        return model_fail(c, "cluster.vm_slots must be in 1..%u", PLANNER_MAX_SIZE);
    if (!(m->bandwidth_mb_s > 0)) return model_fail(c, "cluster.bandwidth_mb_s must be > 0");
    if (!(m->migrate_latency_s >= 0) || !(m->scale_cost_s >= 0) || !(m->price_per_vm_hour >= 0))
        return model_fail(c, "cluster costs and latencies must be >= 0");
    for (size_t i = 0; i < m->n_discounts; i++)
        if (!(m->spot_discounts[i] >= 0 && m->spot_discounts[i] < 1))
            return model_fail(c, "cluster.spot_discounts must be in [0, 1)");
    if (!(m->target_utilisation > 0 && m->target_utilisation <= 1))
        return model_fail(c, "cluster.target_utilisation must be in (0, 1]");
    const sim_evictions *e = &m->evictions;
    if (!(e->period_s > 0)) return model_fail(c, "evictions.period_s must be > 0");
    if (!(e->fraction >= 0 && e->fraction <= 1))
        return model_fail(c, "evictions.fraction must be in [0, 1]");
    if (!(e->grace_s >= 0)) return model_fail(c, "evictions.grace_s must be >= 0");
    for (size_t i = 0; i < m->n_models; i++)
        if (validate_model(c, &m->models[i])) return -1;
    for (size_t i = 0; i < m->n_workloads; i++)
        if (validate_workload(c, m, &m->workloads[i])) return -1;
    return 0;
}

/* ---- entry points ---- */

int sim_models_merge_json(sim_models *m, const char *json, const char *source, char *err,
                          size_t errlen) {
    model_ctx c = {source, err, errlen};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &end, 1);
    if (!root) {
        int line = 1, col = 1;
        const char *at = end ? end : json;
        for (const char *s = json; s < at && *s; s++, col++)
            if (*s == '\n') line++, col = 0;
        return model_fail(&c, "invalid JSON near line %d, column %d", line, col);
    }
    sim_models work = *m; /* merge into a copy: a bad file leaves m as it was */
    int rc = 0;
    if (!cJSON_IsObject(root)) rc = model_fail(&c, "the top level must be an object");
    for (const cJSON *it = rc ? NULL : root->child; it && rc == 0; it = it->next) {
        if (strcmp(it->string, "cluster") == 0)
            rc = read_object(&c, it, cluster_fields, COUNT(cluster_fields), "cluster", &work);
        else if (strcmp(it->string, "evictions") == 0)
            rc = read_object(&c, it, eviction_fields, COUNT(eviction_fields), "evictions",
                             &work.evictions);
        else if (strcmp(it->string, "models") == 0)
            rc = merge_models(&c, &work, it);
        else if (strcmp(it->string, "workloads") == 0)
            rc = merge_workloads(&c, &work, it);
        else if (strcmp(it->string, "doc") != 0)
            rc = model_fail(&c, "unknown top-level key \"%s\"", it->string);
    }
    cJSON_Delete(root);
    if (rc == 0) rc = validate(&c, &work);
    if (rc == 0) *m = work;
    return rc;
}

int sim_models_default(sim_models *m, char *err, size_t errlen) {
    memset(m, 0, sizeof *m);
    return sim_models_merge_json(m, sim_default_models, "built-in models", err, errlen);
}

int sim_models_merge_file(sim_models *m, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1 || cap > (16u << 20)) break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad_read = ferror(f);
    fclose(f);
    if (!buf || bad_read || n >= cap - 1) {
        free(buf);
        snprintf(err, errlen, "%s: cannot read it (or larger than 16 MiB)", path);
        return -1;
    }
    buf[n] = '\0';
    if (strlen(buf) != n) {
        free(buf);
        snprintf(err, errlen, "%s: contains a NUL byte; not a JSON text", path);
        return -1;
    }
    int rc = sim_models_merge_json(m, buf, path, err, errlen);
    free(buf);
    return rc;
}

static cJSON *doubles_json(const double *v, size_t n) {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(v[i]));
    return arr;
}

static cJSON *pair_json(double a, double b) {
    double v[2] = {a, b};
    return doubles_json(v, 2);
}

char *sim_models_to_json(const sim_models *m) {
    cJSON *root = cJSON_CreateObject();
    cJSON *cl = cJSON_AddObjectToObject(root, "cluster");
    cJSON_AddNumberToObject(cl, "vm_slots", m->vm_slots);
    cJSON_AddNumberToObject(cl, "bandwidth_mb_s", m->bandwidth_mb_s);
    cJSON_AddNumberToObject(cl, "migrate_latency_s", m->migrate_latency_s);
    cJSON_AddNumberToObject(cl, "scale_cost_s", m->scale_cost_s);
    cJSON_AddNumberToObject(cl, "price_per_vm_hour", m->price_per_vm_hour);
    cJSON_AddItemToObject(cl, "spot_discounts", doubles_json(m->spot_discounts, m->n_discounts));
    cJSON_AddNumberToObject(cl, "target_utilisation", m->target_utilisation);
    cJSON *ev = cJSON_AddObjectToObject(root, "evictions");
    cJSON_AddNumberToObject(ev, "period_s", m->evictions.period_s);
    cJSON_AddNumberToObject(ev, "fraction", m->evictions.fraction);
    cJSON_AddNumberToObject(ev, "grace_s", m->evictions.grace_s);
    cJSON_AddNumberToObject(ev, "replace_after_s", m->evictions.replace_after_s);
    cJSON *models = cJSON_AddArrayToObject(root, "models");
    for (size_t i = 0; i < m->n_models; i++) {
        const sim_model *md = &m->models[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", md->name);
        cJSON_AddStringToObject(o, "kind", md->kind == PLANNER_JOB_OMP ? "omp" : "mpi");
        cJSON_AddNumberToObject(o, "network_penalty", md->network_penalty);
        cJSON_AddNumberToObject(o, "parallel_fraction", md->parallel_fraction);
        if (md->n_speedup)
            cJSON_AddItemToObject(o, "speedup", doubles_json(md->speedup, md->n_speedup));
        cJSON_AddNumberToObject(o, "control_point_s", md->control_point_s);
        cJSON_AddNumberToObject(o, "snapshot_mb", md->snapshot_mb);
        cJSON_AddItemToArray(models, o);
    }
    cJSON *workloads = cJSON_AddArrayToObject(root, "workloads");
    for (size_t i = 0; i < m->n_workloads; i++) {
        const sim_workload *w = &m->workloads[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", w->name);
        cJSON_AddStringToObject(o, "model", w->model);
        cJSON_AddItemToObject(o, "size", pair_json(w->size_min, w->size_max));
        cJSON_AddItemToObject(o, "work_s", pair_json(w->work_min_s, w->work_max_s));
        cJSON_AddNumberToObject(o, "arrival_mean_s", w->arrival_mean_s);
        cJSON_AddBoolToObject(o, "evictions", w->evictions);
        cJSON_AddItemToArray(workloads, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

const sim_model *sim_models_find(const sim_models *m, const char *name) {
    for (size_t i = 0; i < m->n_models; i++)
        if (strcmp(m->models[i].name, name) == 0) return &m->models[i];
    return NULL;
}

const sim_workload *sim_workload_find(const sim_models *m, const char *name) {
    for (size_t i = 0; i < m->n_workloads; i++)
        if (strcmp(m->workloads[i].name, name) == 0) return &m->workloads[i];
    return NULL;
}

double sim_model_speedup(const sim_model *m, uint32_t n) {
    if (n < 1) n = 1;
    if (m->n_speedup > 0) return m->speedup[n <= m->n_speedup ? n - 1 : m->n_speedup - 1];
    double p = m->parallel_fraction;
    return 1.0 / ((1.0 - p) + p / n);
}

double sim_model_rate(const sim_model *m, uint32_t size, uint32_t team, uint32_t links) {
    double rate = sim_model_speedup(m, team) / sim_model_speedup(m, size);
    if (team >= 2) {
        double pairs = (double)team * (team - 1) / 2.0;
        rate /= 1.0 + m->network_penalty * (double)links / pairs;
    }
    return rate;
}

/*
 * module.c — loading modules: decode, validate, obtain the compiled shared object (aot.c, which
 * translates and compiles it or finds it in the cache), dlopen it, find RT_MODULE_SYMBOL and check
 * that it was built for this runtime's ABI and this module.
 *
 * A loaded module is immutable and may be instantiated any number of times from any thread. At
 * load the runtime also prepares what every instantiation needs: the canonical id of each type
 * index (types.c), the module descriptor for snapshots (globals with their slots and export names,
 * memory, tables, imports, exports), and for trap attribution the exact map of the shared object's
 * code ranges to defined functions, read from its ELF symbol table (aot_code_map: every clone gcc
 * makes of a function, f3.isra.0 or f3.constprop.0, keeps its name, so it maps back too). Code
 * that gcc inlined belongs to the function it was inlined into; generated code therefore names
 * its own function when it raises a trap explicitly (rt_trap_in), and only faults (memory, stack)
 * and traps raised inside runtime services are attributed by address.
 *
 * Loaded modules are kept in a process-wide list, so that a code address can be mapped back to a
 * (module, function index) after a trap: dladdr names the shared object (its load address), then a
 * binary search in that module's ranges finds the function. A no_cache object is deleted right
 * after dlopen and the map are done (the mapping stays valid without the file).
 */
#define _GNU_SOURCE /* dladdr, pthread_getattr_np, REG_RIP */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "engine/aot/aot.h"
#include "engine/rt/internal.h"
#include "engine/wasm/decode.h"
#include "engine/wasm/validate.h"

static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;
static rt_module *loaded_modules;

/* ---- Descriptor ---- */

static bool build_descriptor(rt_module *m, rt_error *err) {
    const wasm_module *ir = &m->ir;
    rt_descriptor *d = &m->desc;
    if (ir->nmemories > 0) {
        const wasm_limits *l = &ir->memories[0];
        d->has_memory = true;
        d->memory_imported = ir->nmemories_imported > 0;
        d->memory_shared = l->shared;
        d->memory_min_pages = (uint32_t)l->min;
        d->memory_max_pages = l->has_max ? (uint32_t)l->max : RT_MAX_PAGES;
    }
    d->nglobals = ir->nglobals;
    if (ir->nglobals) {
        m->global_descs = calloc(ir->nglobals, sizeof *m->global_descs);
        if (!m->global_descs) {
            rt_error_set(err, "out of memory");
            return false;
        }
    }
    for (uint32_t g = 0; g < ir->nglobals; g++) {
        rt_global_desc *gd = &m->global_descs[g];
        gd->valtype = ir->global_types[g].valtype;
        gd->mutable_ = ir->global_types[g].mutable_;
        gd->imported = g < ir->nglobals_imported;
        gd->slot = gd->imported ? g : g - ir->nglobals_imported;
    }
    for (uint32_t e = ir->nexports; e-- > 0;) { /* backwards: the first export name wins */
        const wasm_export *x = &ir->exports[e];
        if (x->kind == WASM_EXTERN_GLOBAL && x->index < ir->nglobals)
            m->global_descs[x->index].export_name = x->name.bytes;
    }
    d->globals = m->global_descs;
    d->ntables = ir->ntables;
    d->tables = ir->tables;
    d->nimports = ir->nimports;
    d->imports = ir->imports;
    d->nexports = ir->nexports;
    d->exports = ir->exports;
    return true;
}

const rt_descriptor *rt_module_descriptor(const rt_module *m) {
    return &m->desc;
}

/* ---- Code attribution ---- */

/* Reads the map of code ranges of the object just opened. A missing or unreadable symbol table
 * is no load error: traps are then reported without a function. */
static void build_code_map(rt_module *m, const char *so_path) {
    Dl_info info;
    if (!dladdr(m->code, &info) || !info.dli_fbase) return;
    m->so_base = (uintptr_t)info.dli_fbase;
    char msg[256];
    if (!aot_code_map(so_path, m->so_base, &m->ranges, &m->nranges, msg, sizeof msg)) {
        m->ranges = NULL;
        m->nranges = 0;
    }
}

bool rt_code_lookup(uintptr_t pc, const rt_module *hint, const rt_module **module,
                    uint32_t *func_index) {
    Dl_info info;
    if (!dladdr((void *)pc, &info) || !info.dli_fbase) return false;
    uintptr_t fbase = (uintptr_t)info.dli_fbase;
    const rt_module *found = NULL;
    pthread_mutex_lock(&loaded_lock);
    /* The hint first (its code is running, so it is loaded; the same object loaded twice is
     * shared by two modules), then every loaded module. */
    if (hint && hint->so_base == fbase) found = hint;
    for (const rt_module *m = loaded_modules; m && !found; m = m->next_loaded)
        if (m->so_base == fbase) found = m;
    pthread_mutex_unlock(&loaded_lock);
    if (!found) return false;
    const aot_code_range *r = aot_code_lookup(found->ranges, found->nranges, pc);
    *module = found;
    *func_index =
        r && r->func < found->ir.nfuncs ? found->ir.nfuncs_imported + r->func : UINT32_MAX;
    return true;
}

/* ---- Loading ---- */

static rt_module *module_decode(const uint8_t *bytes, size_t len, rt_load_stats *stats,
                                rt_error *err) {
    rt_module *m = calloc(1, sizeof *m);
    if (!m) {
        rt_error_set(err, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&m->zombie_lock, NULL);
    char msg[sizeof err->msg];
    double t0 = rt_now_ms();
    if (!bytes) bytes = (const uint8_t *)""; /* len is 0 (checked by the callers) */
    if (!wasm_decode(bytes, len, &m->ir, msg, sizeof msg)) {
        rt_error_set(err, "%s", msg);
        pthread_mutex_destroy(&m->zombie_lock);
        free(m);
        return NULL;
    }
    double t1 = rt_now_ms();
    bool valid = wasm_validate(&m->ir, msg, sizeof msg);
    if (stats) {
        stats->decode_ms = t1 - t0;
        stats->validate_ms = rt_now_ms() - t1;
    }
    if (!valid) {
        rt_error_set(err, "%s", msg);
        rt_module_free(m);
        return NULL;
    }
    return m;
}

/* dlopen the shared object and check it against the module; `opts` (NULL for test objects) says
 * whether the object is a no_cache one, deleted as soon as it is mapped. */
static bool module_attach(rt_module *m, const char *so_path, const rt_load_options *opts,
                          rt_load_stats *stats, rt_error *err) {
    double t0 = rt_now_ms();
    m->dl = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
    m->code = m->dl ? dlsym(m->dl, RT_MODULE_SYMBOL) : NULL;
    if (m->code) build_code_map(m, so_path);
    aot_discard(so_path, opts); /* a no_cache object is not needed once mapped */
    if (stats) stats->dlopen_ms = rt_now_ms() - t0;
    if (!m->dl) {
        rt_error_set(err, "cannot load %s: %s", so_path, dlerror());
        return false;
    }
    if (!m->code) {
        rt_error_set(err, "%s does not export %s", so_path, RT_MODULE_SYMBOL);
        return false;
    }
    if (m->code->abi_version != RT_ABI_VERSION) {
        rt_error_set(err, "%s was built for runtime ABI %u, this runtime has ABI %u", so_path,
                     m->code->abi_version, RT_ABI_VERSION);
        m->code = NULL;
        return false;
    }
    if (m->code->nfuncs != m->ir.nfuncs) {
        rt_error_set(err, "%s defines %u functions, the module %u", so_path, m->code->nfuncs,
                     m->ir.nfuncs);
        m->code = NULL;
        return false;
    }
    if (m->ir.ntypes) {
        m->type_ids = calloc(m->ir.ntypes, sizeof *m->type_ids);
        if (!m->type_ids) {
            rt_error_set(err, "out of memory");
            return false;
        }
    }
    for (uint32_t t = 0; t < m->ir.ntypes; t++) {
        m->type_ids[t] = rt_type_intern(&m->ir.types[t]);
        if (!m->type_ids[t]) {
            rt_error_set(err, "out of memory");
            return false;
        }
    }
    if (!build_descriptor(m, err)) return false;
    pthread_mutex_lock(&loaded_lock);
    m->next_loaded = loaded_modules;
    loaded_modules = m;
    pthread_mutex_unlock(&loaded_lock);
    return true;
}

rt_module *rt_module_load(const uint8_t *bytes, size_t len, const rt_load_options *opts,
                          rt_load_stats *stats, rt_error *err) {
    rt_load_stats local_stats;
    if (!stats) stats = &local_stats;
    memset(stats, 0, sizeof *stats);
    rt_load_options defaults;
    memset(&defaults, 0, sizeof defaults);
    if (!opts) opts = &defaults;
    if (!bytes && len) {
        rt_error_set(err, "no module bytes");
        return NULL;
    }
    rt_module *m = module_decode(bytes, len, stats, err);
    if (!m) return NULL;
    bool cache_hit = false;
    if (!aot_obtain(&m->ir, opts, stats->so_path, sizeof stats->so_path, &cache_hit, stats, err)) {
        rt_module_free(m);
        return NULL;
    }
    if (!module_attach(m, stats->so_path, opts, stats, err)) {
        rt_module_free(m);
        return NULL;
    }
    stats->cache_hit = cache_hit;
    aot_cache_key(m->ir.bytes, m->ir.len, opts, m->hash);
    return m;
}

rt_module *rt_module_from_so(const uint8_t *bytes, size_t len, const char *so_path, rt_error *err) {
    rt_module *m = module_decode(bytes, len, NULL, err);
    if (!m) return NULL;
    if (!module_attach(m, so_path, NULL, NULL, err)) {
        rt_module_free(m);
        return NULL;
    }
    rt_load_options defaults;
    memset(&defaults, 0, sizeof defaults);
    aot_cache_key(m->ir.bytes, m->ir.len, &defaults, m->hash);
    return m;
}

bool rt_module_check(const uint8_t *bytes, size_t len, rt_error *err) {
    if (!bytes && len) {
        rt_error_set(err, "no module bytes");
        return false;
    }
    rt_module *m = module_decode(bytes, len, NULL, err);
    if (!m) return false;
    rt_module_free(m);
    return true;
}

void rt_module_free(rt_module *m) {
    if (!m) return;
    pthread_mutex_lock(&m->zombie_lock);
    rt_instance *z = m->zombies;
    m->zombies = NULL;
    pthread_mutex_unlock(&m->zombie_lock);
    while (z) {
        rt_instance *next = rt_instance_private_of(z)->next_zombie;
        rt_instance_destroy(z);
        z = next;
    }
    pthread_mutex_lock(&loaded_lock);
    for (rt_module **p = &loaded_modules; *p; p = &(*p)->next_loaded) {
        if (*p == m) {
            *p = m->next_loaded;
            break;
        }
    }
    pthread_mutex_unlock(&loaded_lock);
    if (m->dl) dlclose(m->dl);
    free(m->ranges);
    free(m->global_descs);
    free(m->type_ids);
    wasm_module_free(&m->ir);
    pthread_mutex_destroy(&m->zombie_lock);
    free(m);
}

const wasm_module *rt_module_ir(const rt_module *m) {
    return &m->ir;
}

void rt_module_hash_hex(const rt_module *m, char out[65]) {
    memcpy(out, m->hash, 65);
}

const char *rt_module_func_name(const rt_module *m, uint32_t func_index) {
    if (!m || !m->ir.func_names || func_index >= m->ir.nfuncs_imported + m->ir.nfuncs) return NULL;
    const wasm_name *n = &m->ir.func_names[func_index];
    return n->len > 0 ? n->bytes : NULL;
}

const char *rt_features(void) {
    return "mutable-globals sign-ext nontrapping-fptoint bulk-memory reference-types multi-value "
           "threads";
}

/*
 * host.c — the registry of host functions.
 *
 * A registry maps (module, name) to a host function with its signature. Each registered function
 * owns an rt_funcref that instances import by pointer: type_id from the parsed signature, typed =
 * NULL (host functions have only the generic entry), generic = host_trampoline, env = the entry
 * itself. The trampoline receives the calling instance (rt_abi.h: generic entries get the caller)
 * and forwards to the rt_host_fn with the registered data. Entries are allocated one by one, so
 * their rt_funcref addresses never change; the registry must outlive the instances linked against
 * it.
 *
 * Lookup is a linear scan: registries hold a few dozen functions (WASI, MPI, OpenMP) and are
 * consulted only while linking.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/rt/internal.h"

typedef struct host_entry {
    rt_funcref ref; /* first: env points to the entry */
    char *module;
    char *name;
    rt_host_fn fn;
    void *data;
} host_entry;

struct rt_host_registry {
    host_entry **entries;
    uint32_t count, capacity;
};

static void host_trampoline(rt_instance *caller, void *env, rt_value *io) {
    const host_entry *e = env;
    e->fn(caller, e->data, io);
}

rt_host_registry *rt_host_registry_new(void) {
    return calloc(1, sizeof(rt_host_registry));
}

void rt_host_registry_free(rt_host_registry *r) {
    if (!r) return;
    for (uint32_t i = 0; i < r->count; i++) {
        free(r->entries[i]->module);
        free(r->entries[i]->name);
        free(r->entries[i]);
    }
    free(r->entries);
    free(r);
}

static bool name_is(const char *s, const wasm_name *n) {
    return strlen(s) == n->len && memcmp(s, n->bytes, n->len) == 0;
}

static host_entry *find(const rt_host_registry *r, const wasm_name *module, const wasm_name *name) {
    for (uint32_t i = 0; i < r->count; i++) {
        host_entry *e = r->entries[i];
        if (name_is(e->module, module) && name_is(e->name, name)) return e;
    }
    return NULL;
}

bool rt_host_register(rt_host_registry *r, const char *module, const char *name, const char *sig,
                      rt_host_fn fn, void *data) {
    if (!r || !module || !name || !fn) return false;
    uint32_t type_id;
    if (!rt_type_parse_signature(sig, &type_id)) return false;
    wasm_name m = {module, (uint32_t)strlen(module)}, n = {name, (uint32_t)strlen(name)};
    if (find(r, &m, &n)) return false; /* duplicate */
    if (r->count == r->capacity) {
        uint32_t capacity = r->capacity ? r->capacity * 2 : 16;
        host_entry **entries = realloc(r->entries, capacity * sizeof *entries);
        if (!entries) return false;
        r->entries = entries;
        r->capacity = capacity;
    }
    host_entry *e = calloc(1, sizeof *e);
    if (!e) return false;
    e->module = strdup(module);
    e->name = strdup(name);
    if (!e->module || !e->name) {
        free(e->module);
        free(e->name);
        free(e);
        return false;
    }
    e->ref.type_id = type_id;
    e->ref.typed = NULL;
    e->ref.generic = host_trampoline;
    e->ref.env = e;
    e->fn = fn;
    e->data = data;
    r->entries[r->count++] = e;
    return true;
}

bool rt_host_resolve(void *registry, const wasm_name *module, const wasm_name *name,
                     wasm_extern_kind kind, rt_extern *out) {
    const rt_host_registry *r = registry;
    if (!r || kind != WASM_EXTERN_FUNC) return false;
    host_entry *e = find(r, module, name);
    if (!e) return false;
    memset(out, 0, sizeof *out);
    out->kind = WASM_EXTERN_FUNC;
    out->u.func = &e->ref;
    return true;
}

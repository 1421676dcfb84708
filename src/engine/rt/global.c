/*
 * global.c — standalone globals (the spectest module's, or a host's): a value cell with its type.
 * Instances keep their own defined globals inline in rt_instance.globals; an instance that imports
 * a global points at the exporter's cell, so mutations are seen by everyone. The cell must outlive
 * every instance that imports it.
 */
#include <stdlib.h>

#include "engine/rt/internal.h"

rt_global *rt_global_new(uint8_t valtype, bool mutable_, rt_value init) {
    rt_global *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->value = init;
    g->valtype = valtype;
    g->mutable_ = mutable_;
    return g;
}

void rt_global_free(rt_global *g) {
    free(g);
}

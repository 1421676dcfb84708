/*
 * cell_host.c — the host functions of granny.h: granny_checkpoint(), a barrier control point a
 * program may call where its state is consistent (and where `granny run --checkpoint-at N`
 * suspends it), and granny_cell_id().
 */
#include <stdio.h>

#include "cell/cell.h"

static void host_checkpoint(rt_instance *caller, void *data, rt_value *io) {
    (void)data, (void)io;
    cell_control_point(caller);
}

static void host_cell_id(rt_instance *caller, void *data, rt_value *io) {
    (void)data;
    cell *c = cell_of(caller);
    io[0].i32 = c ? c->id : 0;
}

bool cell_register_host(rt_host_registry *r, rt_error *err) {
    if (rt_host_register(r, "env", "granny_checkpoint", ":", host_checkpoint, NULL) &&
        rt_host_register(r, "env", "granny_cell_id", ":i", host_cell_id, NULL))
        return true;
    snprintf(err->msg, sizeof err->msg, "cannot register the granny host functions");
    return false;
}

/*
 * table.c — tables of references, and the table instructions of rt_abi.h.
 *
 * A table is an array of `void *` (an rt_funcref * for funcref tables, an opaque host value for
 * externref tables; NULL is ref.null) with a size and an effective maximum. The array is allocated
 * with spare capacity and reallocated on growth; tables are not shared between threads (each
 * thread cell instantiates its own), so growth needs no lock. Every operation checks its whole
 * range before it writes anything and traps RT_TRAP_TABLE_OOB ("out of bounds table access");
 * table.grow never traps but returns -1 beyond the maximum or RT_TABLE_LIMIT.
 *
 * Element segments are evaluated once at instantiation into arrays of references
 * (rt_instance_private.elem_items); table.init copies from there, elem.drop makes the segment
 * empty.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/rt/internal.h"

rt_table *rt_table_new(uint8_t elemtype, uint32_t min, uint32_t max, bool has_max, rt_error *err) {
    if (elemtype != WASM_FUNCREF && elemtype != WASM_EXTERNREF) {
        rt_error_set(err, "invalid table element type 0x%02x", elemtype);
        return NULL;
    }
    if (has_max && max < min) {
        rt_error_set(err, "size minimum must not be greater than maximum");
        return NULL;
    }
    if (min > RT_TABLE_LIMIT) {
        rt_error_set(err, "table of %u elements exceeds the runtime limit of %u", min,
                     RT_TABLE_LIMIT);
        return NULL;
    }
    rt_table_impl *t = calloc(1, sizeof *t);
    uint32_t capacity = min > 0 ? min : 1;
    void **elems = calloc(capacity, sizeof *elems);
    if (!t || !elems) {
        free(t);
        free(elems);
        rt_error_set(err, "out of memory");
        return NULL;
    }
    t->pub.elems = elems;
    t->pub.size = min;
    t->pub.max = has_max ? max : UINT32_MAX;
    t->pub.elemtype = elemtype;
    t->has_max = has_max;
    t->capacity = capacity;
    t->refs = 1;
    return &t->pub;
}

void rt_table_retain(rt_table *table) {
    __atomic_add_fetch(&rt_table_impl_of(table)->refs, 1, __ATOMIC_RELAXED);
}

void rt_table_free(rt_table *table) {
    if (!table) return;
    rt_table_impl *t = rt_table_impl_of(table);
    int left = __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL);
    assert(left >= 0);
    if (left > 0) return;
    free(t->pub.elems);
    free(t);
}

void *rt_table_get(rt_table *t, uint32_t i) {
    if (i >= t->size) rt_trap(RT_TRAP_TABLE_OOB);
    return t->elems[i];
}

void rt_table_set(rt_table *t, uint32_t i, void *ref) {
    if (i >= t->size) rt_trap(RT_TRAP_TABLE_OOB);
    t->elems[i] = ref;
}

uint32_t rt_table_grow(rt_table *table, void *init, uint32_t delta) {
    rt_table_impl *t = rt_table_impl_of(table);
    uint32_t old = table->size;
    uint64_t want = (uint64_t)old + delta;
    if (want > table->max || want > RT_TABLE_LIMIT) return UINT32_MAX;
    if (want > t->capacity) {
        uint64_t capacity = (uint64_t)t->capacity * 2;
        if (capacity < want) capacity = want;
        if (capacity > RT_TABLE_LIMIT) capacity = RT_TABLE_LIMIT;
        void **elems = realloc(table->elems, capacity * sizeof *elems);
        if (!elems) return UINT32_MAX;
        table->elems = elems;
        t->capacity = (uint32_t)capacity;
    }
    for (uint64_t i = old; i < want; i++)
        table->elems[i] = init;
    table->size = (uint32_t)want;
    return old;
}

void rt_table_fill(rt_table *t, uint32_t i, void *ref, uint32_t n) {
    if ((uint64_t)i + n > t->size) rt_trap(RT_TRAP_TABLE_OOB);
    for (uint32_t k = 0; k < n; k++)
        t->elems[i + k] = ref;
}

void rt_table_copy(rt_table *dst, rt_table *src, uint32_t d, uint32_t s, uint32_t n) {
    if ((uint64_t)d + n > dst->size || (uint64_t)s + n > src->size) rt_trap(RT_TRAP_TABLE_OOB);
    if (n) memmove(dst->elems + d, src->elems + s, (size_t)n * sizeof(void *));
}

void rt_table_init(rt_instance *inst, uint32_t table_index, uint32_t elem_index, uint32_t d,
                   uint32_t s, uint32_t n) {
    rt_instance_private *p = rt_instance_private_of(inst);
    const wasm_module *ir = &p->module->ir;
    assert(table_index < ir->ntables && elem_index < ir->nelems);
    rt_table *t = inst->tables[table_index];
    uint64_t seg_len = inst->elem_dropped[elem_index] ? 0 : ir->elems[elem_index].nitems;
    if ((uint64_t)s + n > seg_len || (uint64_t)d + n > t->size) rt_trap(RT_TRAP_TABLE_OOB);
    if (n) memcpy(t->elems + d, p->elem_items[elem_index] + s, (size_t)n * sizeof(void *));
}

void rt_elem_drop(rt_instance *inst, uint32_t elem_index) {
    assert(elem_index < rt_instance_private_of(inst)->module->ir.nelems);
    inst->elem_dropped[elem_index] = 1;
}

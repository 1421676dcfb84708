/*
 * memory.c — linear memories.
 *
 * Each memory is one mapping of RT_MEMORY_MAPPING bytes reserved PROT_NONE with MAP_NORESERVE (so
 * it costs address space, not memory or commit charge): RT_MEMORY_GUARD_BELOW bytes below base,
 * then base. The first `pages * 64 KiB` bytes from base are made readable and writable;
 * everything else, below and above, faults. Because a wasm address is a 32-bit value plus a
 * 32-bit static offset, generated code can access `base + addr + offset` without a bounds check: an
 * access outside the accessible part lands in the reservation, faults, and the signal handler
 * (signals.c) turns the fault into RT_TRAP_MEMORY_OOB. For that, every reservation is entered in
 * the fault registry.
 *
 * Growing never reaches 65536 pages (RT_GROW_MAX_PAGES in rt_abi.h: a memory that starts smaller
 * stays below 4 GiB - 64 KiB, which the translator's address assumptions rely on; the cap is here,
 * under the lock, so it holds for every caller and for concurrent growers of a shared memory). A
 * memory may still be created with 65536 pages; the translator makes no assumption then.
 *
 * Growing mprotects more of the reservation; the base never moves, so pointers into memory held by
 * generated code (the base in a register) and by host code stay valid. Grow takes a per-memory lock
 * (shared memories are grown by several threads) and publishes `pages` and `size` with atomic
 * stores; readers of shared memories load them atomically.
 *
 * A fresh mapping is zero-filled by the kernel, which is exactly wasm's initial state.
 *
 * Bulk operations (fill, copy, init) check their whole range first and trap before writing
 * anything, as the spec requires since bulk memory (no partial writes).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine/rt/internal.h"

rt_memory *rt_memory_new(uint32_t min_pages, uint32_t max_pages, bool has_max, bool shared,
                         rt_error *err) {
    if (min_pages > RT_MAX_PAGES || (has_max && max_pages > RT_MAX_PAGES)) {
        rt_error_set(err, "memory size must be at most 65536 pages (4GiB)");
        return NULL;
    }
    if (has_max && max_pages < min_pages) {
        rt_error_set(err, "size minimum must not be greater than maximum");
        return NULL;
    }
    if (shared && !has_max) {
        rt_error_set(err, "shared memory must have maximum");
        return NULL;
    }
    rt_signals_install();
    rt_memory_impl *m = calloc(1, sizeof *m);
    if (!m) {
        rt_error_set(err, "out of memory");
        return NULL;
    }
    uint8_t *mapping = mmap(NULL, RT_MEMORY_MAPPING, PROT_NONE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        rt_error_set(err, "cannot reserve address space for a linear memory: %s", strerror(errno));
        free(m);
        return NULL;
    }
    uint8_t *base = mapping + RT_MEMORY_GUARD_BELOW;
    uint64_t bytes = (uint64_t)min_pages * RT_PAGE_SIZE;
    if (bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
        rt_error_set(err, "cannot allocate %u pages of linear memory: %s", min_pages,
                     strerror(errno));
        munmap(mapping, RT_MEMORY_MAPPING);
        free(m);
        return NULL;
    }
    m->slot = rt_fault_register(mapping, RT_MEMORY_MAPPING);
    if (m->slot < 0) {
        rt_error_set(err, "too many linear memories");
        munmap(mapping, RT_MEMORY_MAPPING);
        free(m);
        return NULL;
    }
    m->pub.base = base;
    m->pub.size = bytes;
    m->pub.pages = min_pages;
    m->pub.max_pages = has_max ? max_pages : RT_MAX_PAGES;
    m->pub.shared = shared;
    m->has_max = has_max;
    m->cap_pages = RT_MAX_PAGES;
    m->refs = 1;
    pthread_mutex_init(&m->lock, NULL);
    return &m->pub;
}

void rt_memory_retain(rt_memory *mem) {
    __atomic_add_fetch(&rt_memory_impl_of(mem)->refs, 1, __ATOMIC_RELAXED);
}

void rt_memory_free(rt_memory *mem) {
    if (!mem) return;
    rt_memory_impl *m = rt_memory_impl_of(mem);
    int left = __atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL);
    assert(left >= 0);
    if (left > 0) return;
    rt_fault_unregister(m->slot);
    munmap(m->pub.base - RT_MEMORY_GUARD_BELOW, RT_MEMORY_MAPPING);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void rt_memory_set_cap(rt_memory *mem, uint32_t cap_pages) {
    rt_memory_impl *m = rt_memory_impl_of(mem);
    pthread_mutex_lock(&m->lock);
    m->cap_pages = cap_pages < RT_MAX_PAGES ? cap_pages : RT_MAX_PAGES;
    pthread_mutex_unlock(&m->lock);
}

uint32_t rt_memory_pages(rt_memory *mem) {
    return __atomic_load_n(&mem->pages, __ATOMIC_ACQUIRE);
}

uint32_t rt_memory_grow(rt_memory *mem, uint32_t delta_pages) {
    rt_memory_impl *m = rt_memory_impl_of(mem);
    pthread_mutex_lock(&m->lock);
    uint32_t old = m->pub.pages;
    uint64_t want = (uint64_t)old + delta_pages;
    uint32_t result = old;
    if (delta_pages == 0) {
        /* memory.grow 0 is memory.size, whatever the size */
    } else if (want > m->pub.max_pages || want > m->cap_pages || want > RT_GROW_MAX_PAGES) {
        result = UINT32_MAX;
    } else {
        uint64_t from = (uint64_t)old * RT_PAGE_SIZE;
        uint64_t len = (uint64_t)delta_pages * RT_PAGE_SIZE;
        if (mprotect(m->pub.base + from, len, PROT_READ | PROT_WRITE) != 0) {
            result = UINT32_MAX;
        } else {
            __atomic_store_n(&m->pub.size, want * RT_PAGE_SIZE, __ATOMIC_RELEASE);
            __atomic_store_n(&m->pub.pages, (uint32_t)want, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&m->lock);
    return result;
}

/* Traps unless [start, start+n) lies within the accessible bytes. */
static void check_range(rt_memory *mem, uint64_t start, uint64_t n) {
    uint64_t size = __atomic_load_n(&mem->size, __ATOMIC_ACQUIRE);
    if (__builtin_expect(start + n > size, 0)) rt_trap(RT_TRAP_MEMORY_OOB);
}

void rt_memory_fill(rt_memory *mem, uint32_t dst, uint32_t value, uint32_t n) {
    check_range(mem, dst, n);
    memset(mem->base + dst, (int)(value & 0xFF), n);
}

void rt_memory_copy(rt_memory *mem, uint32_t dst, uint32_t src, uint32_t n) {
    check_range(mem, dst, n);
    check_range(mem, src, n);
    memmove(mem->base + dst, mem->base + src, n);
}

void rt_memory_init(rt_instance *inst, uint32_t data_index, uint32_t dst, uint32_t src,
                    uint32_t n) {
    rt_instance_private *p = rt_instance_private_of(inst);
    const wasm_module *ir = &p->module->ir;
    assert(data_index < ir->ndatas);
    const wasm_data *d = &ir->datas[data_index];
    uint64_t seg_len = inst->data_dropped[data_index] ? 0 : d->len;
    if ((uint64_t)src + n > seg_len) rt_trap(RT_TRAP_MEMORY_OOB);
    if (!inst->memory) rt_trap(RT_TRAP_MEMORY_OOB);
    check_range(inst->memory, dst, n);
    if (n) memcpy(inst->memory->base + dst, d->bytes + src, n);
}

void rt_data_drop(rt_instance *inst, uint32_t data_index) {
    assert(data_index < rt_instance_private_of(inst)->module->ir.ndatas);
    inst->data_dropped[data_index] = 1;
}

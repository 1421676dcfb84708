/*
 * test_memory.c — linear memories: creation limits, zero fill, growth (declared maximum, the
 * --mem-max cap, 65536 pages, concurrent growth), faults on the reservation as traps, and the bulk
 * operations' bounds checks (trap before writing anything) and overlap.
 */
#include <pthread.h>

#include "rt_test.h"

static void test_limits(void) {
    rt_error err = {{0}};
    CHECK(!rt_memory_new(65537, 0, false, false, &err));
    CHECK(strstr(err.msg, "65536"));
    CHECK(!rt_memory_new(1, 65537, true, false, &err));
    CHECK(!rt_memory_new(2, 1, true, false, &err));
    CHECK(strstr(err.msg, "minimum"));
    CHECK(!rt_memory_new(1, 0, false, true, &err));
    CHECK(strcmp(err.msg, "shared memory must have maximum") == 0);

    rt_memory *m = rt_memory_new(1, 4, true, false, &err);
    CHECK(m);
    CHECK(m->pages == 1 && m->size == RT_PAGE_SIZE && m->max_pages == 4 && !m->shared);
    CHECK(m->base[0] == 0 && m->base[RT_PAGE_SIZE - 1] == 0);
    CHECK(rt_memory_grow(m, 0) == 1);
    CHECK(rt_memory_grow(m, 2) == 1);
    CHECK(m->pages == 3 && m->size == 3 * RT_PAGE_SIZE && rt_memory_pages(m) == 3);
    CHECK(m->base[3 * RT_PAGE_SIZE - 1] == 0);
    m->base[3 * RT_PAGE_SIZE - 1] = 7;
    CHECK(rt_memory_grow(m, 2) == UINT32_MAX && m->pages == 3);
    CHECK(rt_memory_grow(m, UINT32_MAX) == UINT32_MAX);
    rt_memory_set_cap(m, 3);
    CHECK(rt_memory_grow(m, 1) == UINT32_MAX);
    CHECK(m->base[3 * RT_PAGE_SIZE - 1] == 7);
    rt_memory_free(m);

    m = rt_memory_new(0, 0, false, false, &err);
    CHECK(m && m->size == 0 && m->max_pages == 65536);
    /* Growth stops one page short of 4 GiB (RT_GROW_MAX_PAGES): address space only. */
    CHECK(rt_memory_grow(m, 65536) == UINT32_MAX && m->pages == 0);
    CHECK(rt_memory_grow(m, RT_GROW_MAX_PAGES) == 0);
    CHECK(m->size == ((uint64_t)4 << 30) - RT_PAGE_SIZE);
    m->base[((uint64_t)4 << 30) - RT_PAGE_SIZE - 1] = 1;
    CHECK(rt_memory_grow(m, 1) == UINT32_MAX);
    CHECK(rt_memory_grow(m, 0) == 65535);
    rt_memory_free(m);

    /* A memory may be created with all 65536 pages; it cannot grow further. */
    m = rt_memory_new(65536, 0, false, false, &err);
    CHECK(m && m->pages == 65536 && m->size == (uint64_t)4 << 30);
    m->base[((uint64_t)4 << 30) - 1] = 1;
    CHECK(rt_memory_grow(m, 1) == UINT32_MAX && rt_memory_grow(m, 0) == 65536);
    rt_memory_free(m);

    /* Shared memories too, with a declared maximum of 65536 (test_concurrent_grow: at once). */
    m = rt_memory_new(65530, 65536, true, true, &err);
    CHECK(m && m->shared);
    CHECK(rt_memory_grow(m, 6) == UINT32_MAX && rt_memory_grow(m, 5) == 65530);
    CHECK(rt_memory_grow(m, 1) == UINT32_MAX && rt_memory_pages(m) == 65535);
    rt_memory_free(m);

    m = rt_memory_new(0, 0, true, true, &err);
    CHECK(m && m->shared && m->max_pages == 0);
    CHECK(rt_memory_grow(m, 1) == UINT32_MAX);
    rt_memory_free(m);
}

static void test_refcount(void) {
    rt_error err;
    rt_memory *m = rt_memory_new(1, 1, true, false, &err);
    rt_memory_retain(m);
    rt_memory_free(m);
    m->base[0] = 1; /* still mapped */
    rt_memory_free(m);
}

/* ---- Faults in the reservation ---- */

typedef struct access {
    rt_memory *mem;
    uint64_t offset;
    int write;
} access;

static void do_access(void *arg) {
    access *a = arg;
    volatile uint8_t *p = a->mem->base + a->offset;
    if (a->write)
        *p = 1;
    else
        (void)*p;
}

static void test_faults(void) {
    rt_error err;
    rt_memory *m = rt_memory_new(1, 2, true, false, &err);
    access a = {m, RT_PAGE_SIZE - 1, 1};
    CHECK(test_catch(do_access, &a) == RT_TRAP_NONE);
    a.offset = RT_PAGE_SIZE;
    CHECK(test_catch(do_access, &a) == RT_TRAP_MEMORY_OOB);
    a.write = 0;
    CHECK(test_catch(do_access, &a) == RT_TRAP_MEMORY_OOB);
    /* The largest address + offset + access size still lands in the mapping. */
    a.offset = (uint64_t)UINT32_MAX + UINT32_MAX + 7;
    CHECK(test_catch(do_access, &a) == RT_TRAP_MEMORY_OOB);
    CHECK(rt_memory_grow(m, 1) == 1);
    a.offset = RT_PAGE_SIZE;
    CHECK(test_catch(do_access, &a) == RT_TRAP_NONE);
    /* So does everything in the guard below base (generated code's `p - d` addresses). */
    a.offset = (uint64_t)0 - 1;
    CHECK(test_catch(do_access, &a) == RT_TRAP_MEMORY_OOB);
    a.offset = (uint64_t)0 - RT_MEMORY_GUARD_BELOW;
    CHECK(test_catch(do_access, &a) == RT_TRAP_MEMORY_OOB);
    a.write = 1;
    a.offset = (uint64_t)0 - 65536 - 16;
    CHECK(test_catch(do_access, &a) == RT_TRAP_MEMORY_OOB);
    a.write = 0;
    /* Traps are repeatable (the handler left nothing blocked). */
    for (int i = 0; i < 100; i++) {
        a.offset = 2 * RT_PAGE_SIZE + (uint64_t)i * 4096;
        CHECK(test_catch(do_access, &a) == RT_TRAP_MEMORY_OOB);
    }
    rt_memory_free(m);
}

/* ---- Bulk operations ---- */

typedef struct bulk {
    rt_memory *mem;
    int op; /* 0 fill, 1 copy */
    uint32_t dst, src, n, value;
} bulk;

static void do_bulk(void *arg) {
    bulk *b = arg;
    if (b->op == 0)
        rt_memory_fill(b->mem, b->dst, b->value, b->n);
    else
        rt_memory_copy(b->mem, b->dst, b->src, b->n);
}

static void test_bulk(void) {
    rt_error err;
    rt_memory *m = rt_memory_new(1, 1, true, false, &err);
    uint8_t *mem = m->base;
    bulk b = {m, 0, 10, 0, 5, 0x1AB};
    CHECK(test_catch(do_bulk, &b) == RT_TRAP_NONE);
    CHECK(mem[9] == 0 && mem[10] == 0xAB && mem[14] == 0xAB && mem[15] == 0);
    /* Out of bounds: nothing written. */
    b.dst = RT_PAGE_SIZE - 6;
    b.n = 10;
    CHECK(test_catch(do_bulk, &b) == RT_TRAP_MEMORY_OOB);
    CHECK(mem[RT_PAGE_SIZE - 6] == 0 && mem[RT_PAGE_SIZE - 1] == 0);
    b.dst = RT_PAGE_SIZE;
    b.n = 0;
    CHECK(test_catch(do_bulk, &b) == RT_TRAP_NONE);
    b.dst = RT_PAGE_SIZE + 1;
    CHECK(test_catch(do_bulk, &b) == RT_TRAP_MEMORY_OOB);
    b.dst = UINT32_MAX;
    b.n = UINT32_MAX;
    CHECK(test_catch(do_bulk, &b) == RT_TRAP_MEMORY_OOB);

    /* Copy with overlap, both directions. */
    for (int i = 0; i < 8; i++)
        mem[100 + i] = (uint8_t)(i + 1);
    bulk c = {m, 1, 102, 100, 8, 0};
    CHECK(test_catch(do_bulk, &c) == RT_TRAP_NONE);
    CHECK(mem[102] == 1 && mem[109] == 8 && mem[100] == 1 && mem[101] == 2);
    c.dst = 100;
    c.src = 102;
    CHECK(test_catch(do_bulk, &c) == RT_TRAP_NONE);
    CHECK(mem[100] == 1 && mem[107] == 8);
    /* Source or destination out of bounds: nothing written. */
    c.dst = 0;
    c.src = RT_PAGE_SIZE - 4;
    CHECK(test_catch(do_bulk, &c) == RT_TRAP_MEMORY_OOB);
    CHECK(mem[0] == 0);
    c.dst = RT_PAGE_SIZE - 4;
    c.src = 100;
    CHECK(test_catch(do_bulk, &c) == RT_TRAP_MEMORY_OOB);
    CHECK(mem[RT_PAGE_SIZE - 4] == 0);
    c.dst = RT_PAGE_SIZE;
    c.src = RT_PAGE_SIZE;
    c.n = 0;
    CHECK(test_catch(do_bulk, &c) == RT_TRAP_NONE);
    rt_memory_free(m);
}

/* ---- Concurrent growth of a shared memory ---- */

enum { GROW_THREADS = 4, GROW_EACH = 50 };

typedef struct grower {
    rt_memory *mem;
    uint32_t olds[GROW_EACH];
} grower;

static void *grow_thread(void *arg) {
    grower *g = arg;
    for (int i = 0; i < GROW_EACH; i++) {
        g->olds[i] = rt_memory_grow(g->mem, 1);
        /* The page we got is usable at once, and so is everything below the published size. */
        g->mem->base[(uint64_t)g->olds[i] * RT_PAGE_SIZE] = 1;
        uint64_t size = __atomic_load_n(&g->mem->size, __ATOMIC_ACQUIRE);
        g->mem->base[size - 1] = 1;
    }
    return NULL;
}

static void test_concurrent_grow(void) {
    rt_error err;
    rt_memory *m = rt_memory_new(1, 1000, true, true, &err);
    grower g[GROW_THREADS];
    pthread_t t[GROW_THREADS];
    for (int i = 0; i < GROW_THREADS; i++) {
        g[i].mem = m;
        CHECK(pthread_create(&t[i], NULL, grow_thread, &g[i]) == 0);
    }
    for (int i = 0; i < GROW_THREADS; i++)
        pthread_join(t[i], NULL);
    CHECK(m->pages == 1 + GROW_THREADS * GROW_EACH);
    CHECK(m->size == (uint64_t)m->pages * RT_PAGE_SIZE);
    uint8_t seen[1 + GROW_THREADS * GROW_EACH] = {0};
    for (int i = 0; i < GROW_THREADS; i++) {
        for (int k = 0; k < GROW_EACH; k++) {
            uint32_t old = g[i].olds[k];
            CHECK(old >= 1 && old < m->pages && !seen[old]);
            seen[old] = 1;
        }
    }
    rt_memory_free(m);
}

/* Growers racing at the cap: exactly the pages below 65536 are handed out, no more. */
static void *grow_until_full(void *arg) {
    rt_memory *m = arg;
    uintptr_t got = 0;
    while (rt_memory_grow(m, 1) != UINT32_MAX)
        got++;
    return (void *)got;
}

static void test_concurrent_grow_cap(void) {
    rt_error err;
    rt_memory *m = rt_memory_new(65500, 65536, true, true, &err);
    CHECK(m);
    pthread_t t[GROW_THREADS];
    for (int i = 0; i < GROW_THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, grow_until_full, m) == 0);
    uintptr_t total = 0;
    for (int i = 0; i < GROW_THREADS; i++) {
        void *got;
        pthread_join(t[i], &got);
        total += (uintptr_t)got;
    }
    CHECK(total == 35 && rt_memory_pages(m) == RT_GROW_MAX_PAGES);
    CHECK(m->size == (uint64_t)RT_GROW_MAX_PAGES * RT_PAGE_SIZE);
    rt_memory_free(m);
}

int main(void) {
    RUN(test_limits);
    RUN(test_refcount);
    RUN(test_faults);
    RUN(test_bulk);
    RUN(test_concurrent_grow);
    RUN(test_concurrent_grow_cap);
    return 0;
}

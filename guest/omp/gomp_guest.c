/*
 * gomp_guest.c — the guest half of Granny's OpenMP runtime, linked into every `granny-cc -fopenmp`
 * module (compiled for wasm32 by granny-cc itself, see guest/omp/granny-cc-omp.sh).
 *
 * Thread-safe heap. wasi-libc's allocator (dlmalloc) has no lock, but the threads of an OpenMP
 * cell share one linear memory and one heap. The linker's --wrap redirects every call of the
 * malloc family (in the program and in libc alike) to the __wrap_* functions below, which call
 * the real ones under the cell's heap lock, a host function (__granny_omp_heap_lock: a futex-based
 * lock on the host, so waiting threads sleep instead of spinning; the guest's memory is not
 * declared shared, so wasm's own atomic wait is unavailable).
 *
 * Host services. The runtime allocates task descriptors and threadprivate copies in guest memory
 * through the functions of __granny_omp_hooks, whose address granny-cc exports.
 */
#include <stddef.h>
#include <stdint.h>

#define GOMP_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

GOMP_IMPORT(__granny_omp_heap_lock) void granny_omp_heap_lock(void);
GOMP_IMPORT(__granny_omp_heap_unlock) void granny_omp_heap_unlock(void);

void *__real_malloc(size_t size);
void __real_free(void *p);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
int __real_posix_memalign(void **out, size_t align, size_t size);
size_t __real_malloc_usable_size(void *p);
void *__real___libc_malloc(size_t size);
void *__real___libc_calloc(size_t n, size_t size);
void __real___libc_free(void *p);

void *__wrap_malloc(size_t size) {
    granny_omp_heap_lock();
    void *p = __real_malloc(size);
    granny_omp_heap_unlock();
    return p;
}

void __wrap_free(void *p) {
    if (!p) return;
    granny_omp_heap_lock();
    __real_free(p);
    granny_omp_heap_unlock();
}

void *__wrap_calloc(size_t n, size_t size) {
    granny_omp_heap_lock();
    void *p = __real_calloc(n, size);
    granny_omp_heap_unlock();
    return p;
}

void *__wrap_realloc(void *old, size_t size) {
    granny_omp_heap_lock();
    void *p = __real_realloc(old, size);
    granny_omp_heap_unlock();
    return p;
}

void *__wrap_aligned_alloc(size_t align, size_t size) {
    granny_omp_heap_lock();
    void *p = __real_aligned_alloc(align, size);
    granny_omp_heap_unlock();
    return p;
}

int __wrap_posix_memalign(void **out, size_t align, size_t size) {
    granny_omp_heap_lock();
    int rc = __real_posix_memalign(out, align, size);
    granny_omp_heap_unlock();
    return rc;
}

size_t __wrap_malloc_usable_size(void *p) {
    granny_omp_heap_lock();
    size_t n = __real_malloc_usable_size(p);
    granny_omp_heap_unlock();
    return n;
}

void *__wrap___libc_malloc(size_t size) {
    return __wrap_malloc(size);
}

void *__wrap___libc_calloc(size_t n, size_t size) {
    return __wrap_calloc(n, size);
}

void __wrap___libc_free(void *p) {
    __wrap_free(p);
}

static uint32_t granny_omp_malloc(uint32_t size, uint32_t align) {
    void *p = 0;
    if (align < sizeof(void *)) align = sizeof(void *);
    if (__wrap_posix_memalign(&p, align, size) != 0) return 0;
    return (uint32_t)(uintptr_t)p;
}

static void granny_omp_free(uint32_t p) {
    __wrap_free((void *)(uintptr_t)p);
}

/* What the host runtime finds through the exported address of this table (a data export: an
 * exported *function* of a command module would be wrapped by the linker in a call of the
 * constructors and destructors). Function pointers are table indices. */
struct granny_omp_hooks {
    uint32_t version;
    uint32_t (*malloc)(uint32_t size, uint32_t align);
    void (*free)(uint32_t p);
};
const struct granny_omp_hooks __granny_omp_hooks = {1, granny_omp_malloc, granny_omp_free};

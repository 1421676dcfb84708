/*
 * aot_symbols.c — which wasm function does a code address belong to? (see aot.h, aot_code_map)
 *
 * The translator names the C functions of defined function j `f<j>` (the body), `t<j>` (its
 * typed-entry wrapper) and `g<j>` (its generic entry), and gcc derives clones from them such as
 * `f<j>.isra.0`, `f<j>.part.0` or `f<j>.constprop.0`. These are local symbols, absent from the
 * dynamic symbol table (so dladdr cannot see them) but present in the shared object's ELF
 * `.symtab`, which nothing strips. This file reads that table straight from the file: every
 * function symbol whose name has the form [ftg]<digits>[.anything] becomes one address range.
 * Code that gcc inlined is attributed to the function it was inlined into, as a debugger would.
 *
 * The file is our own output, but it is still parsed defensively: every offset and size is checked
 * against the file before use, and anything unexpected is an error, never a crash.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/aot/aot.h"

static int range_cmp(const void *a, const void *b) {
    const aot_code_range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* "f12", "t3", "g0.isra.0" -> index; false for any other name. */
static bool parse_name(const char *name, size_t maxlen, uint32_t *func) {
    if (maxlen < 2 || (name[0] != 'f' && name[0] != 't' && name[0] != 'g')) return false;
    uint64_t v = 0;
    size_t i = 1;
    for (; i < maxlen && name[i] >= '0' && name[i] <= '9'; i++) {
        v = v * 10 + (uint64_t)(name[i] - '0');
        if (v > UINT32_MAX) return false;
    }
    if (i == 1 || (i < maxlen && name[i] != '\0' && name[i] != '.')) return false;
    *func = (uint32_t)v;
    return true;
}

static bool in_file(size_t size, uint64_t off, uint64_t len) {
    return off <= size && len <= size - off;
}

bool aot_code_map(const char *so_path, uintptr_t load_base, aot_code_range **out, size_t *n,
                  char *err, size_t errlen) {
    *out = NULL;
    *n = 0;
    int fd = open(so_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s", so_path);
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
        close(fd);
        snprintf(err, errlen, "%s: not an ELF file", so_path);
        return false;
    }
    size_t size = (size_t)st.st_size;
    const uint8_t *f = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (f == MAP_FAILED) {
        snprintf(err, errlen, "cannot map %s", so_path);
        return false;
    }
    bool ok = false;
    aot_code_range *ranges = NULL;
    size_t count = 0;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(size, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr))) {
        snprintf(err, errlen, "%s: not a 64-bit ELF file", so_path);
        goto done;
    }
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(f + eh->e_shoff);
    const Elf64_Shdr *symtab = NULL;
    for (unsigned i = 0; i < eh->e_shnum; i++)
        if (sh[i].sh_type == SHT_SYMTAB) symtab = &sh[i];
    if (!symtab || symtab->sh_link >= eh->e_shnum || symtab->sh_entsize != sizeof(Elf64_Sym) ||
        !in_file(size, symtab->sh_offset, symtab->sh_size)) {
        snprintf(err, errlen, "%s: no symbol table", so_path);
        goto done;
    }
    const Elf64_Shdr *strtab = &sh[symtab->sh_link];
    if (!in_file(size, strtab->sh_offset, strtab->sh_size)) {
        snprintf(err, errlen, "%s: bad string table", so_path);
        goto done;
    }
    const Elf64_Sym *syms = (const Elf64_Sym *)(f + symtab->sh_offset);
    size_t nsyms = symtab->sh_size / sizeof(Elf64_Sym);
    const char *strs = (const char *)(f + strtab->sh_offset);
    ranges = malloc((nsyms ? nsyms : 1) * sizeof *ranges);
    if (!ranges) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nsyms; i++) {
        const Elf64_Sym *s = &syms[i];
        uint32_t func;
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_size == 0 ||
            s->st_name >= strtab->sh_size ||
            !parse_name(strs + s->st_name, strtab->sh_size - s->st_name, &func))
            continue;
        ranges[count].start = load_base + (uintptr_t)s->st_value;
        ranges[count].end = ranges[count].start + (uintptr_t)s->st_size;
        ranges[count].func = func;
        count++;
    }
    qsort(ranges, count, sizeof *ranges, range_cmp);
    ok = true;
done:
    munmap((void *)f, size);
    if (!ok) {
        free(ranges);
        return false;
    }
    *out = ranges;
    *n = count;
    return true;
}

const aot_code_range *aot_code_lookup(const aot_code_range *ranges, size_t n, uintptr_t pc) {
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first range with start > pc */
        size_t mid = lo + (hi - lo) / 2;
        if (ranges[mid].start <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return NULL;
    const aot_code_range *r = &ranges[lo - 1];
    return pc < r->end ? r : NULL;
}

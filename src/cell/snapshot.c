/*
 * snapshot.c — building, writing and reading snapshot files; the format is in snapshot.h.
 *
 * Writing lays out the payloads after the section table (MEMORY payloads page-aligned), computes
 * one XXH3-64 checksum per payload and one over header + table. Reading maps the file, then checks
 * in this order: size of the header, magic, version, section count, the header checksum (so a
 * damaged table is reported as such before any offset in it is used), each entry's bounds, and each
 * payload's checksum. All failures are messages; nothing is trusted before it is checked.
 */
#define _GNU_SOURCE
#include "cell/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const uint8_t *p) {
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

const char *cell_section_kind_name(uint32_t kind) {
    switch (kind) {
    case CELL_SEC_MEMORY: return "memory";
    case CELL_SEC_MEMORY_DIFF: return "memory-diff";
    case CELL_SEC_GLOBALS: return "globals";
    case CELL_SEC_TABLES: return "tables";
    case CELL_SEC_CELL: return "cell";
    case CELL_SEC_HOST: return "host";
    case CELL_SEC_MODULE: return "module";
    }
    return "unknown";
}

void cell_snapshot_init(cell_snapshot *s, const uint8_t module_hash[32], uint32_t abi) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    memcpy(s->module_hash, module_hash, 32);
    s->abi = abi;
}

bool cell_snapshot_add(cell_snapshot *s, cell_section_kind kind, const char *name, const void *data,
                       uint64_t len, bool copy) {
    if (s->nsections >= CELL_SNAPSHOT_MAX_SECTIONS) return false;
    if (name && strlen(name) > CELL_SNAPSHOT_NAME) return false;
    cell_section *grown = realloc(s->sections, (s->nsections + 1) * sizeof *grown);
    if (!grown) return false;
    s->sections = grown;
    cell_section *sec = &s->sections[s->nsections];
    memset(sec, 0, sizeof *sec);
    sec->kind = kind;
    if (name) strcpy(sec->name, name);
    sec->len = len;
    if (copy && len) {
        sec->owned = malloc(len);
        if (!sec->owned) return false;
        memcpy(sec->owned, data, len);
        sec->data = sec->owned;
    } else {
        sec->data = data;
    }
    s->nsections++;
    return true;
}

const cell_section *cell_snapshot_find(const cell_snapshot *s, cell_section_kind kind,
                                       const char *name) {
    for (uint32_t i = 0; i < s->nsections; i++)
        if (s->sections[i].kind == kind && (!name || !strcmp(s->sections[i].name, name)))
            return &s->sections[i];
    return NULL;
}

/* Assigns file offsets; returns the total size. */
static uint64_t snapshot_layout(cell_snapshot *s) {
    uint64_t off = CELL_SNAPSHOT_HEADER + (uint64_t)s->nsections * CELL_SNAPSHOT_ENTRY;
    for (uint32_t i = 0; i < s->nsections; i++) {
        uint64_t align = s->sections[i].kind == CELL_SEC_MEMORY ? 4096 : 8;
        off = (off + align - 1) / align * align;
        s->sections[i].file_offset = off;
        off += s->sections[i].len;
    }
    return off;
}

uint64_t cell_snapshot_size(const cell_snapshot *s) {
    return snapshot_layout((cell_snapshot *)s);
}

/* Header + table into `head` (CELL_SNAPSHOT_HEADER + n * ENTRY bytes), checksums included. */
static void snapshot_head(const cell_snapshot *s, uint8_t *head) {
    size_t hlen = CELL_SNAPSHOT_HEADER + (size_t)s->nsections * CELL_SNAPSHOT_ENTRY;
    memset(head, 0, hlen);
    memcpy(head, CELL_SNAPSHOT_MAGIC, 8);
    put32(head + 8, CELL_SNAPSHOT_VERSION);
    put32(head + 12, s->abi);
    memcpy(head + 16, s->module_hash, 32);
    put32(head + 48, s->nsections);
    put32(head + 52, s->flags);
    for (uint32_t i = 0; i < s->nsections; i++) {
        const cell_section *sec = &s->sections[i];
        uint8_t *e = head + CELL_SNAPSHOT_HEADER + (size_t)i * CELL_SNAPSHOT_ENTRY;
        put32(e, sec->kind);
        memcpy(e + 8, sec->name, strlen(sec->name));
        put64(e + 32, sec->file_offset);
        put64(e + 40, sec->len);
        put64(e + 48, sec->len ? XXH3_64bits(sec->data, sec->len) : 0);
    }
    put64(head + 56, XXH3_64bits(head, hlen));
}

bool cell_snapshot_serialize(cell_snapshot *s, uint8_t *buf, uint64_t len) {
    uint64_t total = snapshot_layout(s);
    if (len < total) return false;
    memset(buf, 0, total);
    snapshot_head(s, buf);
    for (uint32_t i = 0; i < s->nsections; i++)
        if (s->sections[i].len)
            memcpy(buf + s->sections[i].file_offset, s->sections[i].data, s->sections[i].len);
    return true;
}

static bool write_all(int fd, const void *p, size_t n) {
    const uint8_t *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

bool cell_snapshot_write_file(cell_snapshot *s, const char *path, char *err, size_t errlen) {
    uint64_t total = snapshot_layout(s);
    size_t hlen = CELL_SNAPSHOT_HEADER + (size_t)s->nsections * CELL_SNAPSHOT_ENTRY;
    uint8_t *head = malloc(hlen);
    char tmp[4096];
    if (!head || snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof tmp) {
        free(head);
        snprintf(err, errlen, "snapshot path too long or out of memory");
        return false;
    }
    snapshot_head(s, head);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        free(head);
        return false;
    }
    bool ok = write_all(fd, head, hlen);
    uint64_t pos = hlen;
    static const uint8_t zeros[4096];
    for (uint32_t i = 0; ok && i < s->nsections; i++) {
        const cell_section *sec = &s->sections[i];
        while (ok && pos < sec->file_offset) {
            size_t n =
                sec->file_offset - pos < sizeof zeros ? sec->file_offset - pos : sizeof zeros;
            ok = write_all(fd, zeros, n);
            pos += n;
        }
        if (ok && sec->len) ok = write_all(fd, sec->data, sec->len);
        pos += sec->len;
    }
    ok = ok && pos == total && fsync(fd) == 0;
    if (close(fd) != 0) ok = false;
    free(head);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "writing %s: %s", path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}

bool cell_snapshot_parse(cell_snapshot *s, uint8_t *buf, size_t len, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if (len < CELL_SNAPSHOT_HEADER) {
        snprintf(err, errlen, "not a snapshot: %zu bytes, shorter than the 64-byte header", len);
        return false;
    }
    if (memcmp(buf, CELL_SNAPSHOT_MAGIC, 8) != 0) {
        snprintf(err, errlen, "not a snapshot: bad magic");
        return false;
    }
    uint32_t version = get32(buf + 8);
    if (version != CELL_SNAPSHOT_VERSION) {
        snprintf(err, errlen, "snapshot format version %u is not supported (this build reads %u)",
                 version, CELL_SNAPSHOT_VERSION);
        return false;
    }
    uint32_t n = get32(buf + 48);
    if (n > CELL_SNAPSHOT_MAX_SECTIONS ||
        (uint64_t)n * CELL_SNAPSHOT_ENTRY > len - CELL_SNAPSHOT_HEADER) {
        snprintf(err, errlen, "snapshot truncated: section table of %u entries does not fit", n);
        return false;
    }
    size_t hlen = CELL_SNAPSHOT_HEADER + (size_t)n * CELL_SNAPSHOT_ENTRY;
    uint64_t want = get64(buf + 56);
    put64(buf + 56, 0);
    uint64_t got = XXH3_64bits(buf, hlen);
    put64(buf + 56, want);
    if (got != want) {
        snprintf(err, errlen, "snapshot header is corrupt (checksum mismatch)");
        return false;
    }
    cell_section *secs = calloc(n ? n : 1, sizeof *secs);
    if (!secs) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = buf + CELL_SNAPSHOT_HEADER + (size_t)i * CELL_SNAPSHOT_ENTRY;
        cell_section *sec = &secs[i];
        sec->kind = get32(e);
        memcpy(sec->name, e + 8, CELL_SNAPSHOT_NAME);
        sec->name[CELL_SNAPSHOT_NAME] = 0;
        sec->file_offset = get64(e + 32);
        sec->len = get64(e + 40);
        if (sec->file_offset < hlen || sec->file_offset > len ||
            sec->len > len - sec->file_offset) {
            snprintf(err, errlen,
                     "snapshot truncated: section %u (%s) [%llu,+%llu) lies past the end "
                     "(%zu bytes)",
                     i, cell_section_kind_name(sec->kind), (unsigned long long)sec->file_offset,
                     (unsigned long long)sec->len, len);
            free(secs);
            return false;
        }
        sec->data = buf + sec->file_offset;
        uint64_t sum = sec->len ? XXH3_64bits(sec->data, sec->len) : 0;
        if (sum != get64(e + 48)) {
            snprintf(err, errlen, "snapshot section %u (%s%s%s) is corrupt (checksum mismatch)", i,
                     cell_section_kind_name(sec->kind), sec->name[0] ? " " : "", sec->name);
            free(secs);
            return false;
        }
    }
    memcpy(s->module_hash, buf + 16, 32);
    s->abi = get32(buf + 12);
    s->flags = get32(buf + 52);
    s->nsections = n;
    s->sections = secs;
    s->buf = buf;
    s->buf_len = len;
    return true;
}

bool cell_snapshot_read_fd(cell_snapshot *s, int fd, const char *name, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", name);
        close(fd);
        return false;
    }
    size_t len = (size_t)st.st_size;
    if (len == 0) {
        snprintf(err, errlen, "%s: empty file, not a snapshot", name);
        close(fd);
        return false;
    }
    /* a private, writable mapping: parse() temporarily zeroes the checksum field */
    uint8_t *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (buf == MAP_FAILED) {
        snprintf(err, errlen, "%s: mmap: %s", name, strerror(errno));
        close(fd);
        return false;
    }
    char msg[400];
    if (!cell_snapshot_parse(s, buf, len, msg, sizeof msg)) {
        snprintf(err, errlen, "%s: %s", name, msg);
        munmap(buf, len);
        close(fd);
        s->fd = -1;
        return false;
    }
    s->buf_mapped = true;
    s->fd = fd;
    return true;
}

bool cell_snapshot_read_file(cell_snapshot *s, const char *path, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    return cell_snapshot_read_fd(s, fd, path, err, errlen);
}

bool cell_snapshot_map_section(const cell_snapshot *s, const cell_section *sec, void *addr) {
    long page = sysconf(_SC_PAGESIZE);
    if (s->fd < 0 || sec->file_offset % (uint64_t)page || (uintptr_t)addr % (uintptr_t)page ||
        sec->len == 0)
        return false;
    void *p = mmap(addr, sec->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, s->fd,
                   (off_t)sec->file_offset);
    return p == addr;
}

bool cell_snapshot_matches(const cell_snapshot *s, const uint8_t module_hash[32], uint32_t abi,
                           char *err, size_t errlen) {
    if (memcmp(s->module_hash, module_hash, 32) != 0) {
        snprintf(err, errlen, "snapshot was taken from another module");
        return false;
    }
    if (s->abi != abi) {
        snprintf(err, errlen, "snapshot was written by engine ABI %u, this engine is ABI %u",
                 s->abi, abi);
        return false;
    }
    return true;
}

void cell_snapshot_free(cell_snapshot *s) {
    for (uint32_t i = 0; i < s->nsections; i++)
        free(s->sections[i].owned);
    free(s->sections);
    if (s->buf) {
        if (s->buf_mapped)
            munmap(s->buf, s->buf_len);
        else
            free(s->buf);
    }
    if (s->fd >= 0) close(s->fd);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

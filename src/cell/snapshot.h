/*
 * snapshot.h — the C-Cell snapshot format (seed §4.3).
 *
 * A snapshot is a header, a section table and the section payloads:
 *
 *   offset 0   "GRNYSNAP"                 magic
 *          8   u32 format version (1)
 *         12   u32 engine ABI (RT_ABI_VERSION of the writer)
 *         16   u8[32] module hash         the cache hash of the module the cell ran
 *         48   u32 nsections, u32 flags
 *         56   u64 checksum               XXH3-64 of the header (this field as 0) + section table
 *         64   nsections × 64-byte entries: u32 kind, u32 reserved, char name[24] (NUL padded),
 *              u64 offset, u64 length, u64 XXH3-64 of the payload, u64 reserved
 *   payloads at their offsets; MEMORY payloads start on a 4096-byte boundary of the file so a
 * restore can map them copy-on-write (MAP_PRIVATE) instead of copying.
 *
 * Sections: MEMORY (the linear memory up to its current size), MEMORY_DIFF (a diff.h diff against a
 * base snapshot named in the CELL section), GLOBALS, TABLES, CELL (cell metadata: kind, ids,
 * suspend state) and HOST sections that other modules (WASI descriptor table, MPI, OpenMP) register
 * by name. Everything is little-endian. Reading never trusts the file: bounds, overlaps, checksums,
 * version and module are checked and reported as messages.
 */
#ifndef GRANNY_CELL_SNAPSHOT_H
#define GRANNY_CELL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CELL_SNAPSHOT_MAGIC        "GRNYSNAP"
#define CELL_SNAPSHOT_VERSION      1u
#define CELL_SNAPSHOT_HEADER       64u
#define CELL_SNAPSHOT_ENTRY        64u
#define CELL_SNAPSHOT_NAME         24u
#define CELL_SNAPSHOT_MAX_SECTIONS 4096u

typedef enum cell_section_kind {
    CELL_SEC_MEMORY = 1,
    CELL_SEC_MEMORY_DIFF = 2,
    CELL_SEC_GLOBALS = 3,
    CELL_SEC_TABLES = 4,
    CELL_SEC_CELL = 5,
    CELL_SEC_HOST = 6,
    CELL_SEC_MODULE = 7, /* the module's bytes, so a snapshot restores without the original file */
} cell_section_kind;

typedef struct cell_section {
    uint32_t kind;
    char name[CELL_SNAPSHOT_NAME + 1];
    const uint8_t *data;
    uint64_t len;
    uint64_t file_offset; /* set by write/parse */
    uint8_t *owned;       /* non-NULL when the snapshot owns the payload */
} cell_section;

typedef struct cell_snapshot {
    uint8_t module_hash[32];
    uint32_t abi;
    uint32_t flags;
    uint32_t nsections;
    cell_section *sections;
    uint8_t *buf; /* parsed file contents (owned), or NULL */
    size_t buf_len;
    bool buf_mapped; /* buf is an mmap of the file */
    int fd;          /* the file, kept open so MEMORY can be mapped copy-on-write; -1 if none */
} cell_snapshot;

void cell_snapshot_init(cell_snapshot *s, const uint8_t module_hash[32], uint32_t abi);
/* Adds a section. copy=false borrows `data` until the snapshot is written or freed. */
bool cell_snapshot_add(cell_snapshot *s, cell_section_kind kind, const char *name, const void *data,
                       uint64_t len, bool copy);
const cell_section *cell_snapshot_find(const cell_snapshot *s, cell_section_kind kind,
                                       const char *name);

/* Total serialised size, and serialisation into a buffer of that size. */
uint64_t cell_snapshot_size(const cell_snapshot *s);
bool cell_snapshot_serialize(cell_snapshot *s, uint8_t *buf, uint64_t len);
/* Writes to a file (created or truncated, written to a temporary name then renamed). */
bool cell_snapshot_write_file(cell_snapshot *s, const char *path, char *err, size_t errlen);

/* Parses an untrusted buffer; on success the snapshot takes ownership of buf (freed with free()).
 */
bool cell_snapshot_parse(cell_snapshot *s, uint8_t *buf, size_t len, char *err, size_t errlen);
/* Reads a file (mapped privately, so MEMORY payloads can be mapped again copy-on-write). */
bool cell_snapshot_read_file(cell_snapshot *s, const char *path, char *err, size_t errlen);
/* The same from an open descriptor (e.g. a memfd holding a snapshot); takes ownership of fd. */
bool cell_snapshot_read_fd(cell_snapshot *s, int fd, const char *name, char *err, size_t errlen);
/* Maps section `sec` (a MEMORY payload of a file-backed snapshot) at `addr` copy-on-write:
 * MAP_PRIVATE | MAP_FIXED over [addr, addr + sec->len). False when the snapshot has no file or the
 * payload is not page-aligned; the caller then copies instead. */
bool cell_snapshot_map_section(const cell_snapshot *s, const cell_section *sec, void *addr);
/* Checks that the snapshot belongs to this module and engine ABI. */
bool cell_snapshot_matches(const cell_snapshot *s, const uint8_t module_hash[32], uint32_t abi,
                           char *err, size_t errlen);
void cell_snapshot_free(cell_snapshot *s);

const char *cell_section_kind_name(uint32_t kind);

#endif

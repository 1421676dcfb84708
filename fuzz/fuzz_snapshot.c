/*
 * fuzz_snapshot.c — libFuzzer target over the parsers of untrusted cell data: the snapshot file
 * format (header, section table, checksums) and byte-wise diffs. A successfully parsed diff is also
 * applied to a zeroed region of its declared size (bounded), so the bounds checks of apply are
 * exercised too. Seeds: see scripts/fuzz-snapshot.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cell/diff.h"
#include "cell/snapshot.h"

static void try_diff(const uint8_t *data, size_t size) {
    cell_diff d;
    char err[256];
    if (!cell_diff_parse(data, size, &d, err, sizeof err)) return;
    if (d.new_len <= (1u << 20)) {
        uint8_t *region = calloc(1, d.new_len ? d.new_len : 1);
        if (region) {
            cell_diff_apply(&d, region, 0, d.new_len);
            free(region);
        }
    }
    cell_diff_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try_diff(data, size);
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    memcpy(buf, data, size);
    cell_snapshot s;
    char err[512];
    if (cell_snapshot_parse(&s, buf, size, err, sizeof err)) {
        for (uint32_t i = 0; i < s.nsections; i++)
            if (s.sections[i].kind == CELL_SEC_MEMORY_DIFF)
                try_diff(s.sections[i].data, s.sections[i].len);
        cell_snapshot_free(&s); /* frees buf */
    } else {
        free(buf);
    }
    return 0;
}

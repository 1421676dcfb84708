/*
 * cmd_snapshot.c — `granny snapshot info FILE`: describes a snapshot file (format, module hash,
 * engine ABI, each section with its size), after verifying every checksum. A damaged or truncated
 * file is reported with the reason and exit status 1.
 */
#include <stdio.h>
#include <string.h>

#include "cell/snapshot.h"
#include "cli/cli.h"

static void info_usage(FILE *out) {
    fprintf(out, "usage: granny snapshot info FILE\n");
}

int snapshot_main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        info_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "info") != 0 || argc != 3) {
        fprintf(stderr, "granny snapshot: unknown or incomplete subcommand\n");
        info_usage(stderr);
        return 2;
    }
    cell_snapshot s;
    char err[512];
    if (!cell_snapshot_read_file(&s, argv[2], err, sizeof err)) {
        fprintf(stderr, "granny: %s\n", err);
        return 1;
    }
    uint64_t total = 0;
    printf("snapshot %s\n", argv[2]);
    printf("  format version %u, engine ABI %u, checksums verified\n", CELL_SNAPSHOT_VERSION,
           s.abi);
    printf("  module hash ");
    for (int i = 0; i < 32; i++)
        printf("%02x", s.module_hash[i]);
    printf("\n  %u sections:\n", s.nsections);
    for (uint32_t i = 0; i < s.nsections; i++) {
        const cell_section *sec = &s.sections[i];
        printf("    %-12s %-24s %12llu bytes at offset %llu\n", cell_section_kind_name(sec->kind),
               sec->name, (unsigned long long)sec->len, (unsigned long long)sec->file_offset);
        total += sec->len;
    }
    printf("  %llu bytes of payload\n", (unsigned long long)total);
    cell_snapshot_free(&s);
    return 0;
}

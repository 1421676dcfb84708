/*
 * kv_main.c — `kvstore DIR`: open (or create) the database in directory DIR, recover it from its
 * log, and run the commands read from standard input (see kv_cmd.c), printing results on standard
 * output. Exit status 0 after `quit` or the end of input, 1 when the database cannot be opened,
 * 2 for a usage error; `crash` and `torn` exit with 3 on purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "--check")) return kv_check(argv[2], stdout) ? 1 : 0;
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: kvstore DIR < commands\n       kvstore --check DIR\n");
        return 2;
    }
    char err[512];
    kv_db *db = kv_db_open(argv[1], err, sizeof err);
    if (!db) {
        fprintf(stderr, "kvstore: %s\n", err);
        printf("ERR cannot open the database\n");
        return 1;
    }
    printf("opened: %u segments, %llu records recovered, %llu bytes dropped\n", db->nsegs,
           (unsigned long long)db->recovered, (unsigned long long)db->dropped_bytes);
    kv_session *s = kv_session_new(db, stdout);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) > 0) {
        if (!kv_session_exec(s, line)) break;
    }
    free(line);
    kv_session_free(s);
    kv_db_close(db);
    return 0;
}

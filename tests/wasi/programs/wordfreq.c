/* wordfreq.c — a small text tool: write a generated text file, read it back, count word
 * frequencies in a hash table, print the top 15 and totals. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

typedef struct entry {
    char *word;
    int count;
    struct entry *next;
} entry;

#define NBUCKETS 4096
static entry *buckets[NBUCKETS];

static void add(const char *w) {
    unsigned h = (unsigned)fnv1a(w, strlen(w), FNV_INIT) % NBUCKETS;
    for (entry *e = buckets[h]; e; e = e->next)
        if (!strcmp(e->word, w)) {
            e->count++;
            return;
        }
    entry *e = malloc(sizeof *e);
    e->word = strdup(w);
    e->count = 1;
    e->next = buckets[h];
    buckets[h] = e;
}

static int by_count(const void *a, const void *b) {
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    if (x->count != y->count) return y->count - x->count;
    return strcmp(x->word, y->word);
}

int main(void) {
    static const char *vocab[] = {"the",      "cell",   "runs",   "wasm",    "granny",
                                  "migrates", "rank",   "thread", "memory",  "snapshot",
                                  "planner",  "worker", "a",      "of",      "and",
                                  "to",       "spot",   "vm",     "elastic", "barrier"};
    FILE *f = fopen("text.txt", "w");
    unsigned x = 99;
    for (int i = 0; i < 60000; i++) {
        x = x * 1664525u + 1013904223u;
        unsigned k = (x >> 8) % 20;
        k = (k * k) % 20; /* skewed */
        fprintf(f, "%s%s", vocab[k], (i % 13 == 12) ? ".\n" : (i % 5 == 4) ? ", " : " ");
    }
    fclose(f);
    f = fopen("text.txt", "r");
    char word[64];
    int n = 0, c, total = 0, lines = 0;
    while ((c = fgetc(f)) != EOF) {
        if (c == '\n') lines++;
        if (isalpha(c)) {
            if (n < 63) word[n++] = (char)c;
        } else if (n) {
            word[n] = '\0';
            add(word);
            total++;
            n = 0;
        }
    }
    fclose(f);
    entry *all[64];
    int m = 0;
    for (int i = 0; i < NBUCKETS; i++)
        for (entry *e = buckets[i]; e; e = e->next)
            all[m++] = e;
    qsort(all, (size_t)m, sizeof all[0], by_count);
    printf("%d words, %d distinct, %d lines\n", total, m, lines);
    for (int i = 0; i < m && i < 15; i++)
        printf("%8d %s\n", all[i]->count, all[i]->word);
    return 0;
}

#!/usr/bin/env bash
# restore.sh — time to restore a suspended cell into a new process, module load excluded: a program
# with a 4 MiB heap is suspended at a control point (`granny run --checkpoint-at 1`), then
# `granny restore -v` is run RUNS times (default 11); each run reports the time to read and verify
# the snapshot and the time to rebuild the cell (instance, memory mapped copy-on-write, globals,
# tables, descriptors). Prints the medians, beside the seed's 30 ms to migrate 4 MB.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-11}
granny=${GRANNY:-$(command -v granny || echo "$root/build/src/cli/granny")}
cc=${GRANNY_CC:-$root/guest/granny-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/mem4.c" <<'C'
#include <granny.h>
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    size_t n = 4u << 20;
    unsigned char *p = malloc(n);
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 7);
    granny_checkpoint();
    unsigned s = 0;
    for (size_t i = 0; i < n; i++) s += p[i];
    printf("%u\n", s);
    return 0;
}
C
"$cc" -O2 "$work/mem4.c" -o "$work/mem4.wasm"
"$granny" run --checkpoint-at 1 --checkpoint-file "$work/mem4.snap" "$work/mem4.wasm"
: >"$work/times"
for _ in $(seq "$runs"); do
    "$granny" restore -v "$work/mem4.snap" 2>&1 >/dev/null |
        sed -n 's/.*verified .* in \([0-9.]*\) ms/read \1/p; s/.*restored the cell in \([0-9.]*\) ms.*/cell \1/p' \
            >>"$work/times"
done
median() { grep "^$1 " "$work/times" | cut -d' ' -f2 | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
echo "snapshot: $(stat -c %s "$work/mem4.snap") bytes (4 MiB heap + stack + data); median of $runs restores"
echo "read + verify checksums:      $(median read) ms"
echo "rebuild the cell (CoW map):   $(median cell) ms"
echo "total, module load excluded:  $(awk "BEGIN{print $(median read) + $(median cell)}") ms  (target <= 5 ms; seed: 30 ms to migrate 4 MB)"

#!/bin/sh
# compare.sh RUNNER NATIVE WASM THREADS — runs an OpenMP test program natively (libomp, with
# OMP_NUM_THREADS=THREADS) and as a cell (RUNNER --threads THREADS; RUNNER may be a command with
# arguments, e.g. "granny run", split at spaces), and fails unless both print
# the same standard output and exit with the same status. Standard error is not compared (libomp
# prints informational messages there) but is shown on failure.
set -u
runner=$1
native=$2
wasm=$3
threads=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/omp-compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
OMP_NUM_THREADS=$threads timeout 120 "$native" >"$tmp/native.out" 2>"$tmp/native.err"
native_rc=$?
# shellcheck disable=SC2086
timeout 300 $runner --threads "$threads" "$wasm" >"$tmp/cell.out" 2>"$tmp/cell.err"
cell_rc=$?
if cmp -s "$tmp/native.out" "$tmp/cell.out" && [ "$native_rc" = "$cell_rc" ]; then
    echo "same output and exit status ($native_rc) natively and as a cell, $threads thread(s)"
    exit 0
fi
echo "MISMATCH with $threads thread(s): native exit $native_rc, cell exit $cell_rc"
diff "$tmp/native.out" "$tmp/cell.out" | head -40
echo "--- cell stderr:"
head -20 "$tmp/cell.err"
exit 1

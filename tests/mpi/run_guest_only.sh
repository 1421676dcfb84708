#!/usr/bin/env bash
# run_guest_only.sh — runs a Granny-only MPI test (tests/mpi/guest_only/NAME.c: programs that
# OpenMPI cannot run as written, such as guests passing invalid pointers) and checks its stdout
# against NAME.out, its exit status against the "exit:" marker and, when there is a "stderr:"
# marker, that stderr contains that text.
#
#   run_guest_only.sh GRANNY WASM_DIR NAME NRANKS
set -u
granny=$1 dir=$2 name=$3 n=$4
src=$(dirname "$0")/guest_only/$name.c
expect_out=$(dirname "$0")/guest_only/$name.out
expect_rc=$(sed -n 's/^ \* exit: \([0-9]*\).*/\1/p' "$src")
expect_err=$(sed -n 's/^ \* stderr: \(.*\)$/\1/p' "$src" | sed 's/ \*\/$//')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timeout 60 "$granny" run -n "$n" "$dir/$name.wasm" > "$work/out" 2> "$work/err" < /dev/null
rc=$?
fail=0
[ "$rc" = "${expect_rc:-0}" ] || { echo "exit status $rc, expected ${expect_rc:-0}"; fail=1; }
cmp -s "$work/out" "$expect_out" || { echo "stdout differs:"; diff "$expect_out" "$work/out" | head -20; fail=1; }
if [ -n "$expect_err" ] && ! grep -qF "$expect_err" "$work/err"; then
    echo "stderr lacks '$expect_err'"; fail=1
fi
if [ $fail = 1 ]; then echo "--- stderr:"; head -20 "$work/err"; exit 1; fi
echo "$name -n $n: ok (exit $rc)"

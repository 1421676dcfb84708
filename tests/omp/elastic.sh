#!/bin/sh
# elastic.sh RUNNER WASM ARGS... — the elastic schedule end to end on a kernel: a run at one thread
# (which records the fork count), then one raised to two threads after half of the forks
# (--elastic-after 0.5) and one after a fork count; both must validate and report a team of two.
set -u
runner=$1
wasm=$2
shift 2
fail() {
    echo "FAILED: $*"
    exit 1
}
out=$("$runner" -v --threads 1 "$wasm" "$@" 2>&1) || fail "1-thread run: $out"
echo "$out"
echo "$out" | grep -q "status=ok" || fail "1-thread run did not validate"
echo "$out" | grep -q "largest team 1" || fail "1-thread run used more threads"
for after in 0.5 3; do
    out=$("$runner" -v --threads 1 --elastic-to 2 --elastic-after $after "$wasm" "$@" 2>&1) ||
        fail "elastic run ($after): $out"
    echo "$out"
    echo "$out" | grep -q "status=ok" || fail "elastic run ($after) did not validate"
    echo "$out" | grep -q "last team 2, largest team 2" || fail "elastic run ($after) stayed at 1"
done

#!/usr/bin/env bash
# Tests the simulator's command line: help, usage errors (exit 2), run errors (exit 1), a full run
# writing CSV/JSON (and SVG plots when gnuplot is installed), a run without gnuplot on PATH, trace
# files written and read back to the same results, and --check on a spot run.
set -u
sim=$1
tmp=$(mktemp -d /tmp/granny-test-sim-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

expect_exit() { # expect_exit CODE NEEDLE ARGS...
    local want=$1 needle=$2
    shift 2
    "$sim" "$@" >"$tmp/out" 2>&1
    local got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, wanted $want: $(head -c 300 "$tmp/out")"
    grep -q -- "$needle" "$tmp/out" || fail "'$*' did not say '$needle': $(head -c 300 "$tmp/out")"
}

expect_exit 0 "usage:" --help
expect_exit 2 "unknown policy 'fifo'" --policy fifo --no-plots
expect_exit 2 "unknown workload 'gpu'" --workload gpu
expect_exit 2 "--vms wants numbers" --vms 0
expect_exit 2 "--vms wants numbers" --vms 8,x
expect_exit 2 "--jobs wants numbers" --jobs -5
expect_exit 2 "--target-util wants" --target-util 1.5
expect_exit 2 "--seed wants" --seed abc
expect_exit 2 "needs a value" --out
expect_exit 2 "unknown option --frobnicate" --frobnicate 3
expect_exit 2 "pair up" --vms 8,16 --jobs 10,20,30
expect_exit 1 "No such file" --models "$tmp/none.json"
echo '{"cluster": {"vm_slots": 0}}' >"$tmp/bad.json"
expect_exit 1 "vm_slots must be in" --models "$tmp/bad.json"
expect_exit 1 "No such file" --trace "$tmp/none.trace"
printf 'granny-trace 1\njob 1 0 mpi 300 10 lammps\n' >"$tmp/big.trace"
expect_exit 1 "cannot fit the cluster" --trace "$tmp/big.trace" --vms 4
expect_exit 0 '"workloads"' --print-models

# A full run with every output.
expect_exit 0 "results in" --policy all --vms 8,16 --jobs 25,50 --workload spot --seed 3 \
    --out "$tmp/spot" --write-trace "$tmp/spot.trace"
for f in summary.csv summary.json spot.csv plots.gp plot_makespan.csv plot_spot_cost.csv \
         jobs_granny_16x50_spot.csv series_slurm_8x25.csv jct_batch_16x50.csv; do
    [ -s "$tmp/spot/$f" ] || fail "missing output $f"
done
[ "$(wc -l <"$tmp/spot/summary.csv")" -eq 13 ] || fail "summary.csv should have 12 runs"
grep -q '"spot_slowdown"' "$tmp/spot/summary.json" || fail "summary.json lacks spot_slowdown"
if command -v gnuplot >/dev/null; then
    for f in makespan.svg idle_fraction.svg jct_cdf.svg idle.svg links.svg spot_slowdown.svg spot_cost.svg; do
        grep -q "<svg" "$tmp/spot/$f" 2>/dev/null || fail "missing plot $f"
    done
fi

# Without gnuplot the data is still written, and the run says so.
mkdir -p "$tmp/bin"
ln -s "$(command -v bash)" "$tmp/bin/bash"
PATH="$tmp/bin" "$sim" --vms 8 --jobs 20 --out "$tmp/nogp" >"$tmp/out" 2>&1 || fail "run without gnuplot failed"
grep -q "plots skipped: gnuplot not found" "$tmp/out" || fail "no 'plots skipped' message"
[ -s "$tmp/nogp/summary.csv" ] && [ -s "$tmp/nogp/plots.gp" ] || fail "no data without gnuplot"

# The written trace reads back to the same results.
"$sim" --policy granny --workload spot --vms 8 --jobs 25 --seed 3 --quiet --no-plots >"$tmp/a" 2>&1 ||
    fail "drawn run failed"
"$sim" --policy granny --workload spot --vms 8 --trace "$tmp/spot.trace" --seed 3 --quiet \
    --no-plots >"$tmp/b" 2>&1 || fail "trace run failed"
cmp -s "$tmp/a" "$tmp/b" || fail "a written trace does not reproduce its run"

# Invariants after every event, with evictions, under every policy.
for p in batch slurm granny granny-no-elastic; do
    "$sim" --policy "$p" --workload spot --vms 6 --jobs 30 --check --quiet >"$tmp/out" 2>&1 ||
        fail "--check $p: $(head -c 300 "$tmp/out")"
done
"$sim" --workload omp --vms 6 --jobs 30 --check --quiet >"$tmp/out" 2>&1 || fail "--check omp"

if [ "$fails" -ne 0 ]; then
    echo "test_sim_cli: $fails failures" >&2
    exit 1
fi
echo "test_sim_cli: ok"

#!/usr/bin/env bash
# bench/omp/run.sh — the OpenMP benchmark in one command: builds the kernels of apps/omp/ natively
# (clang-19 -fopenmp -O2, LLVM's libomp) and as cells (granny-cc -fopenmp -O2), runs each one
# natively and under `granny run` at 1 and 2 threads, and prints one table with the ratio
# cell/native per kernel and thread count and their geometric mean. Then the elastic experiment:
# p2p as a cell at 1 thread, raised to 2 threads half-way (`--elastic-to 2 --elastic-after 0.5`),
# against staying at 1 thread (and at 2 threads throughout, for reference).
#
# Timing: each figure is the best of --runs runs (default 3) of the kernel's own timed region (the
# `time=` it prints: allocation, the untimed warm-up iteration, the check and process start are
# excluded). Runs are interleaved (native 1, cell 1, native 2, cell 2, per round) so that a
# disturbance of the machine hits both alike; `granny run` compiles a module on its first run and
# caches it, so every module gets one untimed warm-up run first. Every run must print status=ok,
# otherwise the cell reads FAILED and the script exits with status 1.
#
# Usage: bench/omp/run.sh [--quick] [--runs N] [--kernels a,b] [--out DIR]
# Environment: GRANNY (the granny binary; default: the newest build*/src/cli/granny),
# BENCH_NATIVE_CC (default clang-19). Builds go to bench/out/omp/ (reused while newer than their
# sources); the table is also written to bench/out/omp/results.txt and each run's output to logs/.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
all_kernels=(dgemm nstream p2p reduce sparse stencil transpose)

usage() {
    cat <<EOF
usage: bench/omp/run.sh [--quick] [--runs N] [--kernels a,b] [--out DIR]
  --quick        small sizes (a smoke test, seconds), not a measurement
  --runs N       timed runs per kernel, engine and thread count; the best counts (default 3)
  --kernels a,b  only these kernels (of: ${all_kernels[*]})
  --out DIR      build and log directory (default bench/out/omp)
EOF
}

die() {
    echo "run.sh: $*" >&2
    exit 2
}

quick=0
runs=3
out=$root/bench/out/omp
kernels=("${all_kernels[@]}")
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --runs)
        [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]?$ ]] || die "--runs needs a number from 1 to 99"
        runs=$2
        shift
        ;;
    --kernels)
        [ $# -ge 2 ] || die "--kernels needs a comma-separated list"
        IFS=, read -r -a kernels <<<"$2"
        shift
        ;;
    --out)
        [ $# -ge 2 ] || die "--out needs a directory"
        out=$2
        shift
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *) die "unknown option '$1' (try --help)" ;;
    esac
    shift
done
for k in "${kernels[@]}"; do
    [[ " ${all_kernels[*]} " == *" $k "* ]] || die "unknown kernel '$k'"
done

# Sizes: the defaults run about a second natively at one thread; --quick is a smoke test.
declare -A args=(
    [dgemm]="4 640" [nstream]="20 4194304" [p2p]="30 3000 3000" [reduce]="40 4000000"
    [sparse]="40 10" [stencil]="20 2000" [transpose]="10 2048")
declare -A quick_args=(
    [dgemm]="2 96" [nstream]="3 100000" [p2p]="4 200 200" [reduce]="3 100000"
    [sparse]="3 6" [stencil]="3 100" [transpose]="3 128")
elastic_args="60 3000 3000"
[ $quick -eq 1 ] && elastic_args="20 300 300"

granny=${GRANNY:-}
if [ -z "$granny" ]; then
    granny=$(ls -t "$root"/build*/src/cli/granny 2>/dev/null | head -n 1 || true)
fi
[ -n "$granny" ] && [ -x "$granny" ] || die "no granny binary: build it (cmake --build BUILD --target granny) or set GRANNY"
native_cc=${BENCH_NATIVE_CC:-clang-19}
guest_cc=$root/guest/granny-cc

mkdir -p "$out/native" "$out/wasm" "$out/logs"
build() { # build KERNEL
    local k=$1 src=$root/apps/omp/$1.c hdr=$root/apps/omp/kernel.h
    if [ ! "$out/native/$k" -nt "$src" ] || [ ! "$out/native/$k" -nt "$hdr" ]; then
        "$native_cc" -fopenmp -O2 "$src" -o "$out/native/$k" -lm
    fi
    if [ ! "$out/wasm/$k.wasm" -nt "$src" ] || [ ! "$out/wasm/$k.wasm" -nt "$hdr" ]; then
        "$guest_cc" -fopenmp -O2 "$src" -o "$out/wasm/$k.wasm"
    fi
}

# run ENGINE THREADS KERNEL ARGS... -> prints the time, or FAILED (the output goes to logs/)
run() {
    local engine=$1 threads=$2 k=$3
    shift 3
    local log=$out/logs/$k.$engine.t$threads.log
    if [ "$engine" = native ]; then
        OMP_NUM_THREADS=$threads "$out/native/$k" "$@" >"$log" 2>&1 || true
    else
        "$granny" run --threads "$threads" "$out/wasm/$k.wasm" "$@" >"$log" 2>&1 || true
    fi
    if grep -q 'status=ok' "$log"; then
        sed -n 's/.* time=\([0-9.]*\) .*/\1/p' "$log" | tail -n 1
    else
        echo FAILED
    fi
}

best() { # best A B: the smaller time, FAILED wins
    if [ "$1" = FAILED ] || [ "$2" = FAILED ]; then echo FAILED; return; fi
    if [ "$1" = - ]; then echo "$2"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'
}

for k in "${kernels[@]}"; do build "$k"; done
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)
{
    echo "machine: ${cpu:-unknown}, nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "native: $("$native_cc" --version | head -n 1) -fopenmp -O2 (libomp); cell: granny-cc -fopenmp -O2, $granny"
    echo "time: the kernel's own timed region, best of $runs after a warm-up run"
    [ $quick -eq 1 ] && echo "sizes: --quick (smoke test; the times mean nothing)"
} >"$out/header.txt"

status=0
declare -A best_t
for k in "${kernels[@]}"; do
    a=${args[$k]}
    [ $quick -eq 1 ] && a=${quick_args[$k]}
    # shellcheck disable=SC2086
    run cell 1 "$k" $a >/dev/null # warm-up: compiles and caches the module
    for t in 1 2; do best_t[$k.native.$t]=-; best_t[$k.cell.$t]=-; done
    for ((r = 0; r < runs; r++)); do
        for t in 1 2; do
            for e in native cell; do
                # shellcheck disable=SC2086
                v=$(run "$e" "$t" "$k" $a)
                best_t[$k.$e.$t]=$(best "${best_t[$k.$e.$t]}" "$v")
            done
        done
    done
done

table() {
    cat "$out/header.txt"
    echo
    printf '%-10s %10s %10s %7s %10s %10s %7s\n' kernel "native 1T" "cell 1T" ratio "native 2T" \
        "cell 2T" ratio
    local logsum=0 n=0 sum1=0 n1=0 sum2=0 n2=0
    for k in "${kernels[@]}"; do
        local line
        line=$(printf '%-10s' "$k")
        for t in 1 2; do
            local tn=${best_t[$k.native.$t]} tc=${best_t[$k.cell.$t]} ratio=FAILED
            if [ "$tn" != FAILED ] && [ "$tc" != FAILED ]; then
                ratio=$(awk -v c="$tc" -v n="$tn" 'BEGIN { printf "%.2f", c / n }')
                local l
                l=$(awk -v r="$ratio" 'BEGIN { printf "%.6f", log(r) }')
                logsum=$(awk -v s="$logsum" -v l="$l" 'BEGIN { printf "%.6f", s + l }')
                n=$((n + 1))
                if [ "$t" = 1 ]; then
                    sum1=$(awk -v s="$sum1" -v l="$l" 'BEGIN { printf "%.6f", s + l }')
                    n1=$((n1 + 1))
                else
                    sum2=$(awk -v s="$sum2" -v l="$l" 'BEGIN { printf "%.6f", s + l }')
                    n2=$((n2 + 1))
                fi
            fi
            line+=$(printf ' %10s %10s %7s' "$tn" "$tc" "$ratio")
        done
        echo "$line"
    done
    if [ $n -gt 0 ]; then
        local g g1 g2
        g=$(awk -v s="$logsum" -v n="$n" 'BEGIN { printf "%.2f", exp(s / n) }')
        g1=$([ $n1 -gt 0 ] && awk -v s="$sum1" -v n="$n1" 'BEGIN { printf "%.2f", exp(s / n) }' || echo -)
        g2=$([ $n2 -gt 0 ] && awk -v s="$sum2" -v n="$n2" 'BEGIN { printf "%.2f", exp(s / n) }' || echo -)
        printf '%-10s %10s %10s %7s %10s %10s %7s\n' geomean "" "" "$g1" "" "" "$g2"
        echo "geomean over all $n ratios: $g   (ratio = cell time / native time; times in seconds)"
    fi
}

for k in "${kernels[@]}"; do
    for t in 1 2; do
        for e in native cell; do
            [ "${best_t[$k.$e.$t]}" = FAILED ] && status=1
        done
    done
done
table | tee "$out/results.txt"

# ---- Elastic scale-up: p2p at 1 thread, raised to 2 half-way ----
if [[ " ${kernels[*]} " == *" p2p "* ]]; then
    best1=-
    beste=-
    best2=-
    for ((r = 0; r < runs; r++)); do
        # the 1-thread run also records the fork count the fraction 0.5 refers to
        # shellcheck disable=SC2086
        "$granny" run --threads 1 "$out/wasm/p2p.wasm" $elastic_args >"$out/logs/elastic.t1.log" 2>&1 || true
        v=$(sed -n 's/.* time=\([0-9.]*\) .*status=ok/\1/p' "$out/logs/elastic.t1.log")
        best1=$(best "$best1" "${v:-FAILED}")
        # shellcheck disable=SC2086
        "$granny" run -v --threads 1 --elastic-to 2 --elastic-after 0.5 "$out/wasm/p2p.wasm" \
            $elastic_args >"$out/logs/elastic.1to2.log" 2>&1 || true
        v=$(sed -n 's/.* time=\([0-9.]*\) .*status=ok/\1/p' "$out/logs/elastic.1to2.log")
        beste=$(best "$beste" "${v:-FAILED}")
        # shellcheck disable=SC2086
        "$granny" run --threads 2 "$out/wasm/p2p.wasm" $elastic_args >"$out/logs/elastic.t2.log" 2>&1 || true
        v=$(sed -n 's/.* time=\([0-9.]*\) .*status=ok/\1/p' "$out/logs/elastic.t2.log")
        best2=$(best "$best2" "${v:-FAILED}")
    done
    {
        echo
        echo "elastic: p2p $elastic_args as a cell (best of $runs; seconds)"
        echo "  1 thread throughout:                 $best1"
        echo "  1 thread, 2 from half of the forks:  $beste"
        echo "  2 threads throughout:                $best2"
        if [ "$best1" != FAILED ] && [ "$beste" != FAILED ]; then
            awk -v a="$best1" -v b="$beste" 'BEGIN { printf "  speedup of the elastic run over 1 thread: %.2fx\n", a / b }'
        else
            status=1
        fi
        grep '^granny: openmp' "$out/logs/elastic.1to2.log" | sed 's/^/  /' || true
    } | tee -a "$out/results.txt"
fi
exit $status

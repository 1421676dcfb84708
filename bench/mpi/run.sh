#!/usr/bin/env bash
# bench/mpi/run.sh — MPI benchmarks, native OpenMPI and Granny cells in one command.
#
#   bench/mpi/run.sh [--reps N] [--quick] [--out DIR] [--osu-only] [--tests LIST]
#
# --osu-only skips the kernels; --tests picks OSU tests (comma-separated among latency, bandwidth,
# allreduce, alltoall, barrier; default all). Without options everything runs.
#
# 1. OSU-style micro-benchmarks (bench/mpi/osu.c): latency and bandwidth between 2 ranks (8 B to
#    4 MiB), allreduce and alltoall at 2 and 4 ranks, barrier at 2, 4 and 8 ranks — `mpirun -n N`
#    of the native build against `granny run -n N` of the wasm build of the same source.
# 2. The kernels of apps/mpi at 1, 2 and 4 ranks: the time of each kernel's timed region (its
#    RESULT line), best of N runs (default 3), the ratio cell/native and the geometric mean.
# Native and cell runs alternate so that machine noise hits both alike; every cell module is run
# once before timing (the engine compiles it then; later runs hit the cache). The tables are also
# written to OUT/results.txt (default bench/out/mpi).
#
# Needs: mpicc and mpirun (OpenMPI; run as root in a container with the flags DESIGN.md gives),
# granny-cc, and granny (GRANNY=path, default: `granny` on PATH, else build/src/cli/granny).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
reps=3
quick=0
out=$root/bench/out/mpi
osu_only=0
tests=latency,bandwidth,allreduce,alltoall,barrier
while [ $# -gt 0 ]; do
    case $1 in
    --reps) reps=$2; shift 2 ;;
    --quick) quick=1; reps=1; shift ;;
    --out) out=$2; shift 2 ;;
    --osu-only) osu_only=1; shift ;;
    --tests) tests=$2; shift 2 ;;
    *) echo "usage: $0 [--reps N] [--quick] [--out DIR] [--osu-only] [--tests LIST]" >&2; exit 2 ;;
    esac
done
granny=${GRANNY:-$(command -v granny || echo "$root/build/src/cli/granny")}
granny_cc=$root/guest/granny-cc
[ -x "$granny" ] || { echo "run.sh: granny not found (set GRANNY=...)" >&2; exit 1; }
command -v mpicc > /dev/null || { echo "run.sh: mpicc not found" >&2; exit 1; }
mkdir -p "$out"
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpirun_=(mpirun --oversubscribe --bind-to none --allow-run-as-root)
kernels=(p2p stencil transpose nstream reduce sparse alltoall md_lj)
[ $quick = 1 ] && quick_args="iterations=5" || quick_args=""

# ---- build ----
build() { # name source
    mpicc -O2 -o "$out/$1" "$2" -lm
    "$granny_cc" -O2 -o "$out/$1.wasm" "$2" -lm
}
[ $osu_only = 1 ] && kernels=()
want() { case ",$tests," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
build osu "$root/bench/mpi/osu.c"
for k in "${kernels[@]}"; do build "$k" "$root/apps/mpi/$k.c"; done
# compile every module once (the engine caches the result)
for k in osu ${kernels[@]+"${kernels[@]}"}; do "$granny" run -n 1 "$out/$k.wasm" ${k/osu/barrier} > /dev/null 2>&1 || true; done

results=$out/results.txt
: > "$results"
say() { echo "$@" | tee -a "$results"; }

say "MPI benchmarks: native OpenMPI ($(mpirun --version | head -1)) vs Granny cells ($("$granny" version 2>/dev/null | head -1))"
say "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
say ""

# ---- 1. OSU ----
# runs one OSU test both ways; prints "size native granny" lines (best of reps per size)
osu_pair() { # test nranks
    local t=$1 n=$2 i
    : > "$out/osu.native" ; : > "$out/osu.granny"
    for i in $(seq "$reps"); do
        "${mpirun_[@]}" -n "$n" "$out/osu" "$t" >> "$out/osu.native"
        "$granny" run -n "$n" "$out/osu.wasm" "$t" >> "$out/osu.granny"
    done
    # best value per size: minimum for times, maximum for bandwidth
    local agg='min'
    [ "$t" = bandwidth ] && agg='max'
    join <(awk -v a=$agg '{k=$3; v=$4; if (!(k in b) || (a=="min" ? v<b[k] : v>b[k])) b[k]=v} END {for (k in b) print k, b[k]}' "$out/osu.native" | sort -n) \
         <(awk -v a=$agg '{k=$3; v=$4; if (!(k in b) || (a=="min" ? v<b[k] : v>b[k])) b[k]=v} END {for (k in b) print k, b[k]}' "$out/osu.granny" | sort -n) | sort -n
}

osu_table() { # test nranks unit
    say "osu $1, $2 ranks ($3; best of $reps)"
    say "$(printf '%10s %12s %12s %8s' bytes native granny ratio)"
    osu_pair "$1" "$2" | while read -r b nat gr; do
        say "$(awk -v b="$b" -v n="$nat" -v g="$gr" 'BEGIN {printf "%10d %12.2f %12.2f %8.2f", b, n, g, (n > 0 ? g / n : 0)}')"
    done
    say ""
}

want latency && osu_table latency 2 "one-way us, lower is better; ratio granny/native"
want bandwidth && osu_table bandwidth 2 "MB/s, higher is better; ratio granny/native"
if want allreduce; then for n in 2 4; do osu_table allreduce $n "us per call"; done; fi
if want alltoall; then for n in 2 4; do osu_table alltoall $n "us per call"; done; fi
if want barrier; then
    say "osu barrier (us per call; best of $reps)"
    say "$(printf '%6s %12s %12s %8s' ranks native granny ratio)"
    for n in 2 4 8; do
        osu_pair barrier $n | while read -r _ nat gr; do
            say "$(awk -v r=$n -v n="$nat" -v g="$gr" 'BEGIN {printf "%6d %12.2f %12.2f %8.2f", r, n, g, g / n}')"
        done
    done
    say ""
fi
[ $osu_only = 1 ] && { echo "results in $results"; exit 0; }

# ---- 2. kernels ----
kernel_time() { # runner... -> seconds from the RESULT line (fails on a failed check)
    local line
    line=$("$@" 2>/dev/null | grep '^RESULT' || true)
    case "$line" in
    *" ok "*) echo "$line" | awk '{print $6}' ;;
    *) echo "FAILED" ;;
    esac
}

say "kernels (seconds of the timed region, best of $reps; ratio granny/native)"
say "$(printf '%-10s %6s %10s %10s %8s' kernel ranks native granny ratio)"
logsum=0
count=0
for k in "${kernels[@]}"; do
    for n in 1 2 4; do
        best_n=""; best_g=""
        for i in $(seq "$reps"); do
            tn=$(kernel_time "${mpirun_[@]}" -n $n "$out/$k" $quick_args)
            tg=$(kernel_time "$granny" run -n $n "$out/$k.wasm" $quick_args)
            [ "$tn" = FAILED ] || [ "$tg" = FAILED ] && { best_n=FAILED; break; }
            best_n=$(awk -v a="$tn" -v b="${best_n:-1e99}" 'BEGIN {print (a < b ? a : b)}')
            best_g=$(awk -v a="$tg" -v b="${best_g:-1e99}" 'BEGIN {print (a < b ? a : b)}')
        done
        if [ "$best_n" = FAILED ]; then
            say "$(printf '%-10s %6d %10s %10s %8s' "$k" $n FAILED - -)"
            continue
        fi
        ratio=$(awk -v n="$best_n" -v g="$best_g" 'BEGIN {printf "%.3f", g / n}')
        logsum=$(awk -v s="$logsum" -v r="$ratio" 'BEGIN {print s + log(r)}')
        count=$((count + 1))
        say "$(printf '%-10s %6d %10.4f %10.4f %8s' "$k" $n "$best_n" "$best_g" "$ratio")"
    done
done
say "$(awk -v s="$logsum" -v c=$count 'BEGIN {printf "geometric mean of granny/native over %d runs: %.3f", c, exp(s / c)}')"
echo "results in $results"

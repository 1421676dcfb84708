#!/usr/bin/env bash
# asyncify_cost.sh — what making a module suspendable costs. For each kernel of bench/engine (built
# by bench/engine/run.sh into bench/out/engine/wasm), runs `granny run` on the module as compiled
# and on the module after Binaryen's asyncify, and prints the kernel's own timed region (best of
# RUNS, default 3) for both and the ratio.
#
# Two transformations are measured:
#   cp    asyncify restricted to Granny's control-point imports (what `granny run` does): a kernel
#         that never reaches a control point is left unchanged, so this shows the cost for programs
#         that do not call one in their hot path (here: none, they are WASI-only);
#   all   asyncify with every import treated as a possible suspension point (no restriction): every
#         function on a path to any import is instrumented — the worst case, close to a program
#         whose hot path calls a control point.
# Usage: bench/cell/asyncify_cost.sh [--quick] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
quick=""
[ "${1:-}" = "--quick" ] && { quick=--quick; shift; }
runs=${1:-3}
granny=${GRANNY:-$(command -v granny || echo "$root/build/src/cli/granny")}
wasm_dir=$root/bench/out/engine/wasm
[ -d "$wasm_dir" ] || "$root/bench/engine/run.sh" --quick >/dev/null
out=$root/bench/out/asyncify
mkdir -p "$out"

best_time() { # module -> best kernel time over $runs
    local best="" t
    for _ in $(seq "$runs"); do
        t=$("$granny" run "$1" $quick | sed -n 's/.* time=\([0-9.]*\) .*/\1/p')
        [ -n "$t" ] || { echo "error"; return; }
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    echo "$best"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
echo "kernel's own timed region, best of $runs; binaryen $(wasm-opt --version | head -1)"
printf "%-8s %10s %10s %7s %10s %7s\n" kernel plain_s cp_s ratio all_s ratio
geo_cp=0 geo_all=0 n=0
for w in "$wasm_dir"/*.wasm; do
    k=$(basename "$w" .wasm)
    wasm-opt "$w" -g --asyncify --pass-arg=asyncify-imports@env.granny_checkpoint,env.MPI_Barrier \
        -O1 -o "$out/$k.cp.wasm"
    wasm-opt "$w" -g --asyncify -O1 -o "$out/$k.all.wasm"
    "$granny" run "$w" $quick >/dev/null; "$granny" run "$out/$k.cp.wasm" $quick >/dev/null
    "$granny" run "$out/$k.all.wasm" $quick >/dev/null # warm the compile cache
    p=$(best_time "$w"); c=$(best_time "$out/$k.cp.wasm"); a=$(best_time "$out/$k.all.wasm")
    rc=$(awk "BEGIN{printf \"%.3f\", $c/$p}"); ra=$(awk "BEGIN{printf \"%.3f\", $a/$p}")
    printf "%-8s %10s %10s %7s %10s %7s\n" "$k" "$p" "$c" "$rc" "$a" "$ra"
    geo_cp=$(awk "BEGIN{print $geo_cp + log($rc)}"); geo_all=$(awk "BEGIN{print $geo_all + log($ra)}")
    n=$((n + 1))
done
printf "%-8s %10s %10s %7.3f %10s %7.3f\n" geomean "" "" "$(awk "BEGIN{print exp($geo_cp/$n)}")" "" \
    "$(awk "BEGIN{print exp($geo_all/$n)}")"

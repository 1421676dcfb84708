#!/usr/bin/env bash
# bench/engine/run.sh — the engine benchmark in one command: builds every kernel of bench/engine/
# natively (gcc -O2), to wasm (granny-cc, or clang-19 for wasm32-wasi until granny-cc exists) and
# through Debian's wasm2c (the peer), then runs each kernel natively, under `granny run` and as
# wasm2c output, and prints one table with the ratios to native and their geometric means.
#
# Timing: each figure is the best of --runs runs (default 3) of the kernel's own timed region (the
# `time=` it prints; setup, checking and process start excluded), or with --wall the whole process's
# wall-clock time. `granny run` compiles a module on its first run and caches it, so every engine
# gets one untimed warm-up run first. Every run must print status=ok, and the wasm runs must print
# the same checksum as the native one (the kernels hash their exact result bits); otherwise the cell
# says FAILED or MISMATCH and the script exits with status 1.
#
# With --cpu the kernels time their region by process CPU time instead (clock_gettime of
# CLOCK_PROCESS_CPUTIME_ID, which all three engines pass through): figures that other load on a
# shared machine disturbs much less, as a waiting process accumulates no CPU time.
#
# Usage: bench/engine/run.sh [--quick] [--kernels a,b] [--runs N] [--wall | --cpu] [--out DIR]
# Environment: GRANNY (the granny binary), BENCH_GUEST_CC (the wasm compiler command),
# BENCH_NATIVE_CC (default gcc). Builds go to bench/out/engine/ (or --out) and are reused while
# newer than their sources.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
all_kernels=(matmul stream jacobi sort hash fib nbody lz)

usage() {
    cat <<EOF
usage: bench/engine/run.sh [--quick] [--kernels a,b] [--runs N] [--wall | --cpu] [--out DIR]
  --quick        small sizes (a CI smoke test, seconds), not a measurement
  --kernels a,b  only these kernels (of: ${all_kernels[*]})
  --runs N       timed runs per kernel and engine, the best counts (default 3)
  --wall         time whole processes instead of the kernels' own timed regions
  --cpu          time the kernels' regions by CPU time (steadier on a loaded machine)
  --out DIR      build and log directory (default bench/out/engine)
EOF
}

die() {
    echo "run.sh: $*" >&2
    exit 2
}

quick=0
wall=0
cpu_time=0
runs=3
out=$root/bench/out/engine
kernels=("${all_kernels[@]}")
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --wall) wall=1 ;;
    --cpu) cpu_time=1 ;;
    --kernels)
        [ $# -ge 2 ] || die "--kernels needs a comma-separated list"
        IFS=, read -r -a kernels <<<"$2"
        shift
        ;;
    --runs)
        [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]?$ ]] || die "--runs needs a number from 1 to 99"
        runs=$2
        shift
        ;;
    --out)
        [ $# -ge 2 ] && [ -n "$2" ] || die "--out needs a directory"
        out=$2
        shift
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        usage >&2
        die "unknown option '$1'"
        ;;
    esac
    shift
done
[ ${#kernels[@]} -gt 0 ] || die "--kernels: empty list"
[ $wall -eq 0 ] || [ $cpu_time -eq 0 ] || die "--wall and --cpu exclude each other"
for k in "${kernels[@]}"; do
    [ -f "$here/$k.c" ] && [[ " ${all_kernels[*]} " == *" $k "* ]] ||
        die "unknown kernel '$k' (kernels: ${all_kernels[*]})"
done

# ---- Tools ----

native_cc=${BENCH_NATIVE_CC:-gcc}
command -v "$native_cc" >/dev/null || die "native compiler '$native_cc' not found"

# The wasm compiler: granny-cc when installed or built, else the equivalent clang-19 line.
if [ -n "${BENCH_GUEST_CC:-}" ]; then
    read -r -a guest_cc <<<"$BENCH_GUEST_CC"
elif command -v granny-cc >/dev/null; then
    guest_cc=(granny-cc)
elif [ -x "$root/guest/granny-cc" ]; then
    guest_cc=("$root/guest/granny-cc")
else
    guest_cc=(clang-19 --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi
        -L/usr/lib/wasm32-wasi -mbulk-memory -mnontrapping-fptoint -msign-ext)
fi
command -v "${guest_cc[0]}" >/dev/null || die "wasm compiler '${guest_cc[0]}' not found"

# The granny binary: $GRANNY, else on PATH, else the default build (scripts/setup.sh).
granny=${GRANNY:-}
if [ -z "$granny" ]; then
    if command -v granny >/dev/null; then
        granny=$(command -v granny)
    elif [ -x "$root/build/src/cli/granny" ]; then
        granny=$root/build/src/cli/granny
    fi
fi
[ -z "$granny" ] || [ -x "$granny" ] || die "GRANNY=$granny is not an executable"

# wasm2c's runtime: Debian ships wasm-rt-impl.c in /usr/share/wabt/wasm2c and the full set
# (with wasm-rt.h) in /usr/src/wasm2c.
w2c_rt=""
if command -v wasm2c >/dev/null; then
    for d in /usr/src/wasm2c /usr/share/wabt/wasm2c; do
        if [ -f "$d/wasm-rt-impl.c" ] && [ -f "$d/wasm-rt.h" ]; then
            w2c_rt=$d
            break
        fi
    done
fi

# ---- Build (in parallel, one job per kernel; up to date artifacts are kept) ----

cflags=(-O2 -Wall -Wextra -Werror)
# A different toolchain than last time invalidates every artifact.
toolchain="$native_cc ${guest_cc[*]} ${cflags[*]} $w2c_rt"
if [ "$(cat "$out/toolchain.txt" 2>/dev/null)" != "$toolchain" ]; then
    rm -rf "$out/native" "$out/wasm" "$out/w2c"
fi
mkdir -p "$out/native" "$out/wasm" "$out/w2c" "$out/logs"
echo "$toolchain" >"$out/toolchain.txt"

# True when $1 is missing or older than any of the following files.
stale() {
    local target=$1
    shift
    [ -e "$target" ] || return 0
    local f
    for f in "$@"; do [ "$f" -nt "$target" ] && return 0; done
    return 1
}

build_kernel() {
    local k=$1 src=$here/$1.c log=$out/logs/build-$1.log
    : >"$log"
    if stale "$out/native/$k" "$src" "$here/bench.h"; then
        "$native_cc" "${cflags[@]}" "$src" -o "$out/native/$k" -lm >>"$log" 2>&1 ||
            rm -f "$out/native/$k"
    fi
    if stale "$out/wasm/$k.wasm" "$src" "$here/bench.h"; then
        "${guest_cc[@]}" "${cflags[@]}" "$src" -o "$out/wasm/$k.wasm" -lm >>"$log" 2>&1 ||
            rm -f "$out/wasm/$k.wasm"
    fi
    [ -n "$w2c_rt" ] && [ -f "$out/wasm/$k.wasm" ] || return 0
    local dir=$out/w2c/$k
    if stale "$dir/$k" "$out/wasm/$k.wasm" "$here/w2c_main.c"; then
        mkdir -p "$dir"
        # The generated code is compiled without -Werror: it is wabt's, not ours.
        { wasm2c -n module "$out/wasm/$k.wasm" -o "$dir/module.c" &&
            "$native_cc" -O2 -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -I"$dir" -I"$w2c_rt" \
                -c "$dir/module.c" -o "$dir/module.o" &&
            "$native_cc" "${cflags[@]}" -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -I"$dir" -I"$w2c_rt" \
                -c "$here/w2c_main.c" -o "$dir/main.o" &&
            "$native_cc" -O2 -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -I"$w2c_rt" \
                -c "$w2c_rt/wasm-rt-impl.c" -o "$dir/wasm-rt-impl.o" &&
            "$native_cc" "$dir/module.o" "$dir/main.o" "$dir/wasm-rt-impl.o" -o "$dir/$k" -lm; } \
            >>"$log" 2>&1 || rm -f "$dir/$k"
    fi
}

jobs=$(nproc 2>/dev/null || echo 2)
echo "building ${kernels[*]} into $out ..." >&2
for k in "${kernels[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    build_kernel "$k" &
done
wait

# ---- Run ----

args=()
[ $quick -eq 1 ] && args+=(--quick)
[ $cpu_time -eq 1 ] && args+=(--cpu)

# Runs kernel $1 once on engine $2, output to the log $3; prints "time checksum", or a word that
# says what went wrong (error: no result line; FAILED: the self-check failed or a bad exit).
run_once() {
    local k=$1 engine=$2 log=$3 start end rc line
    local -a cmd
    case $engine in
    native) cmd=("$out/native/$k") ;;
    wasm2c) cmd=("$out/w2c/$k/$k") ;;
    granny) cmd=("$granny" run "$out/wasm/$k.wasm") ;;
    esac
    start=$EPOCHREALTIME
    rc=0
    "${cmd[@]}" "${args[@]}" >"$log" 2>&1 </dev/null || rc=$?
    end=$EPOCHREALTIME
    line=$(grep '^bench kernel=' "$log" | tail -1 || true)
    if [ -z "$line" ]; then
        echo "error"
        return
    fi
    if [ $rc -ne 0 ] || [[ $line != *" status=ok"* ]]; then
        echo "FAILED"
        return
    fi
    local t c
    t=$(sed -n 's/.* time=\([0-9.]*\) .*/\1/p' <<<"$line")
    c=$(sed -n 's/.* checksum=\([0-9a-f]*\) .*/\1/p' <<<"$line")
    [ $wall -eq 1 ] && t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }')
    echo "$t $c"
}

# Runs kernel $1 on every engine that built, interleaving the engines run by run so that a
# disturbance on the machine hits them alike; run 0 is an untimed warm-up (granny compiles then).
# Fills time_of (best time), sum_of (checksum) and note_of (why there is no time).
measure_kernel() {
    local k=$1 i e r t c
    local -a live=()
    for e in "${engines[@]}"; do [ -n "${note_of[$k.$e]:-}" ] || live+=("$e"); done
    for i in $(seq 0 "$runs"); do
        for e in "${live[@]}"; do
            [ -z "${note_of[$k.$e]:-}" ] || continue
            r=$(run_once "$k" "$e" "$out/logs/$k.$e.$i.log")
            if [[ $r != *" "* ]]; then
                note_of[$k.$e]=$r
                log_of[$k.$e]=$out/logs/$k.$e.$i.log
                unset "time_of[$k.$e]"
                continue
            fi
            read -r t c <<<"$r"
            if [ -n "${sum_of[$k.$e]:-}" ] && [ "$c" != "${sum_of[$k.$e]}" ]; then
                note_of[$k.$e]=unstable # one program, two checksums: not deterministic
                continue
            fi
            sum_of[$k.$e]=$c
            [ "$i" -eq 0 ] && continue
            if [ -z "${time_of[$k.$e]:-}" ] ||
                awk -v a="$t" -v b="${time_of[$k.$e]}" 'BEGIN { exit !(a < b) }'; then
                time_of[$k.$e]=$t
            fi
        done
    done
}

declare -A time_of sum_of note_of log_of
failed=0
engines=(native granny wasm2c)
for k in "${kernels[@]}"; do
    [ -x "$out/native/$k" ] || note_of[$k.native]=build-error
    if [ -z "$granny" ]; then
        note_of[$k.granny]=n/a
    elif [ ! -f "$out/wasm/$k.wasm" ]; then note_of[$k.granny]=build-error; fi
    if [ -z "$w2c_rt" ]; then
        note_of[$k.wasm2c]=n/a
    elif [ ! -x "$out/w2c/$k/$k" ]; then note_of[$k.wasm2c]=build-error; fi
    for e in "${engines[@]}"; do
        [ "${note_of[$k.$e]:-}" != build-error ] || log_of[$k.$e]=$out/logs/build-$k.log
    done
    echo "running $k ..." >&2
    measure_kernel "$k"
    for e in "${engines[@]}"; do
        note=${note_of[$k.$e]:-}
        [ -z "$note" ] || [ "$note" = n/a ] || failed=1
    done
    # A wasm result must be bit-identical to the native one.
    for e in granny wasm2c; do
        if [ -n "${time_of[$k.$e]:-}" ] && [ -n "${time_of[$k.native]:-}" ] &&
            [ "${sum_of[$k.$e]}" != "${sum_of[$k.native]}" ]; then
            note_of[$k.$e]=MISMATCH
            failed=1
        fi
    done
done

# ---- Report ----

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
wasm2c_version=$(wasm2c --version 2>/dev/null || echo none)
{
    echo "machine: ${cpu:-unknown CPU}, nproc $(nproc), $(uname -sr)"
    echo "native: $("$native_cc" --version | head -1) -O2; wasm: ${guest_cc[0]} -O2;" \
        "wasm2c: wabt $wasm2c_version, gcc -O2, guard pages; granny: ${granny:-n/a}"
    if [ $wall -eq 1 ]; then
        echo "time: whole process wall-clock, best of $runs after a warm-up run"
    elif [ $cpu_time -eq 1 ]; then
        echo "time: the kernel's own timed region in process CPU time, best of $runs after a warm-up run"
    else
        echo "time: the kernel's own timed region, best of $runs after a warm-up run"
    fi
    [ $quick -eq 1 ] && echo "sizes: --quick (smoke test; the times mean nothing)"
    echo
    printf '%-8s %10s %10s %8s %10s %8s\n' kernel "native s" "granny s" ratio "wasm2c s" ratio
    for k in "${kernels[@]}"; do
        row=("$k")
        n=${time_of[$k.native]:-}
        row+=("${n:-${note_of[$k.native]}}")
        for e in granny wasm2c; do
            t=${time_of[$k.$e]:-}
            note=${note_of[$k.$e]:-}
            if [ -n "$note" ] && [ "$note" != MISMATCH ]; then
                row+=("$note" "")
            elif [ -n "$t" ] && [ -n "$n" ]; then
                ratio=$(awk -v a="$t" -v b="$n" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
                [ "$note" = MISMATCH ] && ratio=MISMATCH
                row+=("$t" "$ratio")
            else
                row+=("${t:-n/a}" "")
            fi
        done
        printf '%-8s %10s %10s %8s %10s %8s\n' "${row[@]}"
    done
    # Geometric means over the kernels where both times exist.
    geo=()
    for e in granny wasm2c; do
        pairs=""
        for k in "${kernels[@]}"; do
            n=${time_of[$k.native]:-}
            t=${time_of[$k.$e]:-}
            [ -n "$n" ] && [ -n "$t" ] && [ -z "${note_of[$k.$e]:-}" ] && pairs+="$t $n "
        done
        geo+=("$(awk -v p="$pairs" 'BEGIN { m = split(p, v, " "); s = 0; c = 0
            for (i = 1; i < m; i += 2) if (v[i] > 0 && v[i + 1] > 0) { s += log(v[i] / v[i + 1]); c++ }
            if (c) printf "%.2f", exp(s / c); else print "n/a" }')")
    done
    printf '%-8s %10s %10s %8s %10s %8s\n' geomean "" "" "${geo[0]}" "" "${geo[1]}"
    echo "(ratio = engine time / native time; geomean over the kernels with both times)"
    [ -n "$granny" ] || echo "granny: n/a (no granny binary; run scripts/setup.sh or set GRANNY)"
    [ -n "$w2c_rt" ] || echo "wasm2c: n/a (install wabt)"
    for k in "${kernels[@]}"; do
        for e in "${engines[@]}"; do
            log=${log_of[$k.$e]:-}
            [ -n "$log" ] || continue
            echo "$k ($e): ${note_of[$k.$e]}: $(grep -v '^bench kernel=' "$log" | tail -1) [$log]"
        done
    done
    if [ $failed -ne 0 ]; then echo "some runs failed: see $out/logs/"; fi
} | tee "$out/results.txt"
exit $failed

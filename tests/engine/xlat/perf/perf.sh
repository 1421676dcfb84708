#!/bin/sh
# perf.sh BUILD_DIR [kernel...] — builds each kernel natively (gcc -O2) and to wasm (clang-19,
# wasm32-wasi, -O2), runs it natively, through Granny (xlat_perf_run) and through Debian's wasm2c
# (guard-page build, the peer), best of 3 each, and prints the ratios to native and geomeans.
# Not a CTest test (timings need a quiet machine); run it by hand.
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: perf.sh BUILD_DIR [kernel...]}
shift
kernels=${*:-"matmul triad sort stencil fib nbody crc"}
out=${PERF_OUT:-/tmp/granny-xlat-perf}
mkdir -p "$out"
runner="$build/tests/engine/xlat/xlat_perf_run"
[ -x "$runner" ] || { echo "build xlat_perf_run first" >&2; exit 1; }
w2c_rt=/usr/share/wabt/wasm2c
logsum=0
w2csum=0
count=0
printf "%-10s %9s %9s %9s %7s %7s\n" kernel native_s granny_s wasm2c_s granny wasm2c
for k in $kernels; do
    gcc -O2 -o "$out/$k.native" "$here/$k.c" "$here/native_main.c" -lm
    clang-19 --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi \
        -L/usr/lib/wasm32-wasi -O2 -nostartfiles -Wl,--no-entry -o "$out/$k.wasm" "$here/$k.c"
    set -- $("$out/$k.native" 3)
    tn=$1 cn=$2
    set -- $("$runner" "$out/$k.wasm" 3 "$out/cache" 2>/dev/null)
    tw=$1 cw=$2
    [ "$cn" = "$cw" ] || echo "note: $k checksums differ: native $cn wasm $cw" >&2
    mkdir -p "$out/w2c-$k"
    wasm2c -n module "$out/$k.wasm" -o "$out/w2c-$k/module.c"
    gcc -O2 -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -I"$out/w2c-$k" -I"$w2c_rt" -o "$out/w2c-$k/run" \
        "$out/w2c-$k/module.c" "$here/w2c_main.c" "$w2c_rt/wasm-rt-impl.c" -lm
    set -- $("$out/w2c-$k/run" 3)
    t2=$1 c2=$2
    [ "$c2" = "$cw" ] || echo "warning: $k checksums differ: granny $cw wasm2c $c2" >&2
    ratio=$(echo "$tw / $tn" | bc -l)
    r2=$(echo "$t2 / $tn" | bc -l)
    printf "%-10s %9.4f %9.4f %9.4f %7.3f %7.3f\n" "$k" "$tn" "$tw" "$t2" "$ratio" "$r2"
    logsum=$(echo "$logsum + l($ratio)" | bc -l)
    w2csum=$(echo "$w2csum + l($r2)" | bc -l)
    count=$((count + 1))
done
printf "geomean: granny %.3f, wasm2c %.3f (time / native time)\n" \
    "$(echo "e($logsum / $count)" | bc -l)" "$(echo "e($w2csum / $count)" | bc -l)"

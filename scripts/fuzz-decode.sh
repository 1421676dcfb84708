#!/usr/bin/env bash
# Fuzzes the wasm decoder and validator with libFuzzer for SECONDS (default 600).
#   scripts/fuzz-decode.sh [SECONDS]
# Builds fuzz/fuzz_decode.c with clang-19 -fsanitize=fuzzer,address,undefined into
# build/fuzz-decode/, seeds the corpus with every module of the spec tests (converted by wast2json),
# and runs. Crashes land in build/fuzz-decode/artifacts/; copy them into fuzz/regressions/ once fixed.
set -euo pipefail
shopt -s nullglob
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-600}
out=${FUZZ_OUT:-$root/build/fuzz-decode}
suite=${GRANNY_SHARED_DIR:-$root/../shared}/wasm-testsuite
mkdir -p "$out/seeds" "$out/corpus" "$out/artifacts" "$out/wast"

clang-19 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -I"$root/src" \
    "$root/fuzz/fuzz_decode.c" "$root"/src/engine/wasm/*.c -o "$out/fuzz_decode"

if [ -z "$(ls -A "$out/seeds")" ]; then
    for wast in "$suite"/core/*.wast "$suite"/threads/*.wast; do
        name=$(basename "$wast" .wast)
        case $name in simd_*) continue ;; esac
        dir=$out/wast/$(basename "$(dirname "$wast")")_$name
        mkdir -p "$dir"
        flags=""
        case $wast in */threads/*) flags=--enable-threads ;; esac
        wast2json $flags "$wast" -o "$dir/$name.json" >/dev/null 2>&1 || continue
        for f in "$dir"/*.wasm; do cp "$f" "$out/seeds/$(basename "$dir")_$(basename "$f")"; done
    done
fi
echo "fuzz-decode: $(ls "$out/seeds" | wc -l) seeds, running for ${secs}s"
"$out/fuzz_decode" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/" \
    "$out/corpus" "$out/seeds" "$root/fuzz/regressions"

#!/usr/bin/env bash
# Fuzzes the snapshot and diff parsers with libFuzzer for SECONDS (default 600).
#   scripts/fuzz-snapshot.sh [SECONDS]
# Builds fuzz/fuzz_snapshot.c with clang-19 -fsanitize=fuzzer,address,undefined into
# build/fuzz-snapshot/, seeds the corpus with generated snapshots and diffs, and runs. Crashes land
# in build/fuzz-snapshot/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-600}
out=${FUZZ_OUT:-$root/build/fuzz-snapshot}
mkdir -p "$out/seeds" "$out/corpus" "$out/artifacts"
srcs=("$root/src/cell/snapshot.c" "$root/src/cell/diff.c")
flags=(-g -O1 -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -I"$root/src")
clang-19 "${flags[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    "$root/fuzz/fuzz_snapshot.c" "${srcs[@]}" -o "$out/fuzz_snapshot"
clang-19 "${flags[@]}" "$root/fuzz/gen_snapshot_seeds.c" "${srcs[@]}" -o "$out/gen_seeds"
"$out/gen_seeds" "$out/seeds"
echo "fuzz-snapshot: running for ${secs}s"
"$out/fuzz_snapshot" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/corpus" "$out/seeds"

#!/bin/sh
# fuzz-xlat.sh — differential fuzzing of the wasm->C translator against wabt's wasm-interp.
#
#   scripts/fuzz-xlat.sh [COUNT [FIRST_SEED]]        (defaults: 500 seeds from 1)
#
# Runs tests/engine/xlat/diff's xlat_diff on seeds FIRST_SEED..FIRST_SEED+COUNT-1: each seed is a
# random module (xlat_gen) run under wasm-interp and under Granny (at -O0 and at the default -O2)
# and compared. Failing modules (.wat and both outcomes) are kept in $BUILD/fuzz-xlat/failures/.
# BUILD (default: build) is a configured build tree; the tools are built there first.
# Reproduce one: xlat_diff WORKDIR SEED 1, or build/tests/engine/xlat/diff/xlat_gen SEED.
set -eu
count=${1:-500}
first=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case "$count$first" in *[!0-9]*) echo "usage: $0 [COUNT [FIRST_SEED]]" >&2; exit 2 ;; esac
if [ ! -f "$build/CMakeCache.txt" ]; then
    echo "fuzz-xlat: $build is not a configured build tree (set BUILD=...)" >&2
    exit 2
fi
cmake --build "$build" --target xlat_diff xlat_gen_cli >/dev/null
out=$build/fuzz-xlat
mkdir -p "$out/failures"
rm -rf "$out/work"
exec "$build/tests/engine/xlat/diff/xlat_diff" --quiet --failures "$out/failures" "$out/work" \
    "$first" "$count"

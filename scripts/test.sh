#!/usr/bin/env bash
# Sets up Granny and runs every test: the release build's CTest suite (unit tests, spec tests,
# guest programs against native builds), then the same suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (labelled `san`, a subset that keeps the run short).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
jobs=$(nproc)
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

san=$root/build-san
cmake -S "$root" -B "$san" -DCMAKE_BUILD_TYPE=Debug -DGRANNY_SANITIZE=ON \
    -DGRANNY_TEST_CACHE="$root/build/wasm-cache" >/dev/null
cmake --build "$san" -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:handle_segv=0:allow_user_segv_handler=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$san" --output-on-failure -j"$jobs" -L san
echo "test: all passed"

#!/usr/bin/env bash
# demo.sh — runs Granny's main job on one machine (embedded planner and worker), the README's
# second command after scripts/setup.sh. For now the job is apps/hello: compile it to WebAssembly
# with granny-cc and run it with `granny run`; later this becomes an MPI job.
#
# Finds granny and granny-cc on PATH (scripts/setup.sh puts them there), else in build/ and guest/.
# Extra arguments are passed to the application. Exits with the application's status, or 1 with a
# message when a tool is missing or the build fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

find_tool() { # name, fallback path
    if command -v "$1" >/dev/null; then
        command -v "$1"
    elif [ -x "$2" ]; then
        echo "$2"
    else
        echo "demo: $1 not found (run ./scripts/setup.sh first)" >&2
        return 1
    fi
}
granny=$(find_tool granny "$root/build/src/cli/granny") || exit 1
granny_cc=$(find_tool granny-cc "$root/guest/granny-cc") || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/granny-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ $# -gt 0 ] || set -- "from" "one machine"
echo "demo: granny-cc -O2 apps/hello/hello.c -o hello.wasm"
"$granny_cc" -O2 "$root/apps/hello/hello.c" -o "$work/hello.wasm" || {
    echo "demo: compiling apps/hello/hello.c failed" >&2
    exit 1
}
echo "demo: granny run hello.wasm ${*@Q}"
status=0
"$granny" run "$work/hello.wasm" "$@" || status=$?
[ $status -eq 0 ] || echo "demo: granny run exited with status $status" >&2
exit $status

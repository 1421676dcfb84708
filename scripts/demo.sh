#!/usr/bin/env bash
# demo.sh — Granny's main job on one machine (embedded planner and worker), the README's first
# command after scripts/setup.sh:
#   1. an MPI job: the Lennard-Jones molecular-dynamics mini-app (apps/mpi/md_lj.c) as a world of 4
#      process cells, `granny run -n 4`;
#   2. an OpenMP job: the pipelined wavefront kernel (apps/omp/p2p.c) started on 1 thread and grown
#      to 2 threads halfway through (elastic team size);
#   3. a cell suspended at its 25th control point, written to a snapshot, and resumed by
#      `granny restore` in a new process (apps/cells/walk.c).
# Finds granny and granny-cc on PATH (scripts/setup.sh puts them there), else in build/ and guest/.
# Exits non-zero with a message when a step fails.
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
cc=$(find_tool granny-cc "$root/guest/granny-cc") || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/granny-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { echo; echo "== $*"; }

step "MPI: granny-cc apps/mpi/md_lj.c; granny run -n 4 md_lj.wasm"
"$cc" -O2 "$root/apps/mpi/md_lj.c" -o "$work/md_lj.wasm" -lm
"$granny" run -n 4 "$work/md_lj.wasm"

step "OpenMP: granny-cc -fopenmp apps/omp/p2p.c; on 1 thread, then grown to 2 after half the run"
"$cc" -fopenmp -O2 "$root/apps/omp/p2p.c" -o "$work/p2p.wasm"
"$granny" run --threads 1 "$work/p2p.wasm" # also records the run's length for --elastic-after
"$granny" run --threads 1 --elastic-to 2 --elastic-after 0.5 "$work/p2p.wasm"

step "Cells: suspend apps/cells/walk.c at its 25th control point, resume in a new process"
"$cc" -O2 "$root/apps/cells/walk.c" -o "$work/walk.wasm"
"$granny" run --checkpoint-at 25 --checkpoint-file "$work/walk.snap" "$work/walk.wasm" 50
"$granny" snapshot info "$work/walk.snap"
echo "-- granny restore walk.snap"
"$granny" restore "$work/walk.snap"
echo
echo "demo: done"

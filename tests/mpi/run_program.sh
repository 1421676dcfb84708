#!/usr/bin/env bash
# run_program.sh — runs one MPI test program under OpenMPI's mpirun and under `granny run -n`
# and compares their exit status and standard output.
#
#   run_program.sh GRANNY PROGRAM_DIR NAME NRANKS
#
# PROGRAM_DIR holds NAME.native (mpicc) and NAME.wasm (granny-cc). Markers in the program's source
# comments (tests/mpi/programs/NAME.c) change the comparison:
#   "compare: sorted"  compare the lines sorted (ranks print concurrently)
#   "exit: nonzero"    both must fail, with any non-zero status (fatal errors: the codes differ)
# OpenMPI runs as root in a container with the flags DESIGN.md gives.
set -u
granny=$1 dir=$2 name=$3 n=$4
src=$(dirname "$0")/programs/$name.c
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sorted=0; nonzero=0
grep -q "compare: sorted" "$src" && sorted=1
grep -q "exit: nonzero" "$src" && nonzero=1

export OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1
timeout 120 mpirun --oversubscribe --bind-to none --allow-run-as-root -n "$n" \
    "$dir/$name.native" > "$work/native.out" 2> "$work/native.err" < /dev/null
native_rc=$?
timeout 120 "$granny" run -n "$n" "$dir/$name.wasm" > "$work/granny.out" 2> "$work/granny.err" \
    < /dev/null
granny_rc=$?

if [ $sorted = 1 ]; then
    sort "$work/native.out" -o "$work/native.out"
    sort "$work/granny.out" -o "$work/granny.out"
fi
fail=0
if [ $nonzero = 1 ]; then
    if [ $native_rc = 0 ] || [ $granny_rc = 0 ]; then
        echo "exit status: native $native_rc, granny $granny_rc (both must be non-zero)"; fail=1
    fi
elif [ $native_rc != $granny_rc ]; then
    echo "exit status differs: native $native_rc, granny $granny_rc"; fail=1
fi
if ! cmp -s "$work/native.out" "$work/granny.out"; then
    echo "stdout differs (native <, granny >):"
    diff "$work/native.out" "$work/granny.out" | head -40
    fail=1
fi
if [ $fail = 1 ]; then
    echo "--- granny stderr:"; head -20 "$work/granny.err"
    echo "--- native stderr:"; head -20 "$work/native.err"
    exit 1
fi
echo "$name -n $n: same output ($(wc -l < "$work/granny.out") lines), exit $granny_rc"

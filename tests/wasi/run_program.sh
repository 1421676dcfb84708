#!/usr/bin/env bash
# run_program.sh GRANNY NATIVE WASM SOURCE — runs one test program natively and as a cell, each in
# a fresh empty directory, and checks that both print the same standard output and exit with the
# same status (and the status the program's header announces, if any).
#
# The header of SOURCE may hold, one per line:  ARGS: words (shell quoting),  STDIN: file (next
# to SOURCE),  ENV: K=V ... (the whole environment),  EXIT: n,  BASEDIR (argv[1] is "." natively,
# "/sandbox" in the cell, and the directory is preopened as /sandbox instead of ".").
# GRANNY is the `granny` executable (called as `GRANNY run ...`).
set -u
if [ $# -ne 4 ]; then
    echo "usage: $0 GRANNY NATIVE WASM SOURCE" >&2
    exit 2
fi
granny=$1
native=$(readlink -f -- "$2")
wasm=$(readlink -f -- "$3")
src=$4
srcdir=$(dirname -- "$src")

meta() { # the value after "KEY:" on the first header line that has it
    grep -m1 -E "^[[:space:]]*(/\*|\*)?[[:space:]]*$1:" "$src" |
        sed -E "s/^.*$1:[[:space:]]?//; s/[[:space:]]*\*\/[[:space:]]*$//"
}

args=()
argline=$(meta ARGS)
[ -n "$argline" ] && eval "args=($argline)"
envs=()
envline=$(meta ENV)
[ -n "$envline" ] && read -r -a envs <<<"$envline"
stdin=/dev/null
stdin_name=$(meta STDIN)
[ -n "$stdin_name" ] && stdin="$srcdir/$stdin_name"
want_exit=$(meta EXIT)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasi-prog.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
mkdir "$tmp/native" "$tmp/cell"
nbase=()
cbase=()
dir="$tmp/cell:."
if grep -qE "^[[:space:]]*\*?[[:space:]]*BASEDIR[[:space:]]*$" "$src"; then
    nbase=(.)
    cbase=(/sandbox)
    dir="$tmp/cell:/sandbox"
fi
envflags=()
for e in "${envs[@]}"; do envflags+=(--env "$e"); done

(cd "$tmp/native" && exec env -i "${envs[@]}" "$native" "${nbase[@]}" "${args[@]}") \
    <"$stdin" >"$tmp/native.out" 2>"$tmp/native.err"
native_status=$?
(cd "$tmp/cell" && exec "$granny" run --dir "$dir" "${envflags[@]}" "$wasm" "${cbase[@]}" "${args[@]}") \
    <"$stdin" >"$tmp/cell.out" 2>"$tmp/cell.err"
cell_status=$?

fail=0
if [ "$native_status" != "$cell_status" ]; then
    echo "exit status differs: native $native_status, cell $cell_status"
    fail=1
fi
if [ -n "$want_exit" ] && [ "$native_status" != "$want_exit" ]; then
    echo "exit status $native_status, expected $want_exit"
    fail=1
fi
if ! cmp -s "$tmp/native.out" "$tmp/cell.out"; then
    echo "standard output differs (native <, cell >):"
    diff "$tmp/native.out" "$tmp/cell.out" | head -n 40
    fail=1
fi
if [ $fail -ne 0 ]; then
    echo "--- native stderr:"
    head -c 2000 "$tmp/native.err"
    echo "--- cell stderr:"
    head -c 2000 "$tmp/cell.err"
    exit 1
fi
echo "ok: $(basename -- "$src") ($(wc -c <"$tmp/native.out") bytes of output, status $native_status)"

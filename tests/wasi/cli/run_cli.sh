#!/usr/bin/env bash
# run_cli.sh GRANNY WASMDIR — tests of `granny run` itself: usage errors (status 2), unreadable or
# invalid modules and missing imports (status 1, "granny: <message>"), traps (status 134 with
# "granny: trap: <message> in function <name>"), stack exhaustion, exit codes, --env, --dir
# (HOST:GUEST and --opt=value forms), --mem-max, -v statistics, standard input and a
# closed output pipe. WASMDIR holds the programs of tests/wasi/cli built with granny-cc.
set -u
granny=$(readlink -f -- "$1")
w=$(readlink -f -- "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/granny-run-test.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
failures=0

# expect NAME STATUS STDERR-PATTERN -- COMMAND...   (pattern "" = anything)
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local got=$?
    if [ "$got" != "$want" ]; then
        echo "FAILED: $name: status $got, expected $want"
        sed 's/^/  stderr: /' "$tmp/err" | head -n 5
        failures=$((failures + 1))
    elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$tmp/err"; then
        echo "FAILED: $name: stderr does not match '$pattern':"
        sed 's/^/  stderr: /' "$tmp/err" | head -n 5
        failures=$((failures + 1))
    else
        echo "ok: $name"
    fi
}

expect "no arguments" 2 "no module given" -- "$granny" run
expect "--help" 0 "" -- "$granny" run --help
expect "unknown option" 2 "unknown option '--bogus'" -- "$granny" run --bogus "$w/exit_code.wasm"
expect "--dir without a value" 2 "needs a value" -- "$granny" run --dir
expect "--mem-max too small" 2 "--mem-max" -- "$granny" run --mem-max 1K "$w/exit_code.wasm"
expect "--mem-max not a size" 2 "--mem-max" -- "$granny" run --mem-max lots "$w/exit_code.wasm"
expect "--env without =" 2 "KEY=VALUE" -- "$granny" run --env NOVALUE "$w/exit_code.wasm"
expect "-n 0" 2 "-n" -- "$granny" run -n 0 "$w/exit_code.wasm"
expect "-n 1 runs one cell" 0 "" -- "$granny" run -n 1 "$w/exit_code.wasm"
expect "--threads 4 accepted" 0 "" -- "$granny" run --threads 4 "$w/exit_code.wasm"
expect "--threads 0" 2 "--threads" -- "$granny" run --threads=0 "$w/exit_code.wasm"
expect "missing module file" 1 "^granny: cannot read '.*missing.wasm'" -- \
    "$granny" run "$tmp/missing.wasm"
printf 'this is not wasm' >"$tmp/bad.wasm"
expect "not a module" 1 "^granny: " -- "$granny" run "$tmp/bad.wasm"
expect "missing import is named" 1 "^granny: .*granny_test_not_provided" -- \
    "$granny" run "$w/import_missing.wasm"
# A module without _start: src/cell reports it as a trap (134); any failure naming _start is fine.
"$granny" run "$w/reactor.wasm" >/dev/null 2>"$tmp/err"
status=$?
[ $status -ne 0 ] && grep -q "^granny: .*_start" "$tmp/err" && echo "ok: reactor without _start ($status)" ||
    { echo "FAILED: reactor without _start: $status"; cat "$tmp/err"; failures=$((failures + 1)); }
expect "exit code from main" 42 "" -- "$granny" run "$w/exit_code.wasm" 42
expect "exit code 0" 0 "" -- "$granny" run "$w/exit_code.wasm"
expect "exit codes wrap at 256" 1 "" -- "$granny" run "$w/exit_code.wasm" 257
# A trap names the wasm function that raised it (also where gcc inlined it into its caller).
expect "division by zero traps" 134 "^granny: trap: integer divide by zero in function divide$" -- \
    "$granny" run "$w/trap_div.wasm"
grep -q "before the trap" "$tmp/out" && echo "ok: output before the trap is kept" ||
    { echo "FAILED: output before the trap"; failures=$((failures + 1)); }
expect "unreachable traps" 134 "^granny: trap: unreachable in function give_up$" -- \
    "$granny" run "$w/trap_unreachable.wasm"
expect "stack exhaustion is a trap" 134 "^granny: trap: call stack exhausted in function recurse$" -- \
    "$granny" run "$w/stack_overflow.wasm"
expect "allocation without a cap" 0 "" -- "$granny" run "$w/alloc.wasm" 64
expect "--mem-max caps growth" 3 "" -- "$granny" run --mem-max 16M "$w/alloc.wasm" 64
grep -q "allocation of 64 MiB failed" "$tmp/out" && echo "ok: the guest saw malloc fail" ||
    { echo "FAILED: malloc under --mem-max"; failures=$((failures + 1)); }
expect "--mem-max=256M form" 0 "" -- "$granny" run --mem-max=256M "$w/alloc.wasm" 64

mkdir -p "$tmp/data"
echo "line from the host" >"$tmp/data/file.txt"
expect "--env and --dir HOST:GUEST" 0 "" -- "$granny" run --env NAME=cell --dir "$tmp/data:/input" \
    "$w/env_dir.wasm" /input/file.txt
grep -q "NAME=cell" "$tmp/out" && grep -q "line from the host" "$tmp/out" &&
    echo "ok: the guest saw the variable and the file" ||
    { echo "FAILED: --env/--dir output"; cat "$tmp/out"; failures=$((failures + 1)); }
expect "--dir=HOST form, guest name = host path" 0 "" -- "$granny" run "--dir=$tmp/data" \
    "$w/env_dir.wasm" "$tmp/data/file.txt"
expect "no preopen, no files" 1 "" -- "$granny" run "$w/env_dir.wasm" /input/file.txt
expect "--dir of a missing directory" 1 "^granny: --dir" -- \
    "$granny" run --dir "$tmp/nope:/x" "$w/exit_code.wasm"
expect "-v prints load statistics" 0 "granny: .*exit_code.wasm: (compiled|cache hit)" -- \
    "$granny" run -v "$w/exit_code.wasm"
expect "-v second run hits the cache" 0 "cache hit" -- "$granny" run -v "$w/exit_code.wasm"
expect "--no-cache compiles" 0 "compiled" -- "$granny" run -v --no-cache "$w/exit_code.wasm"

# Standard input and output pass through; a closed pipe gives the guest EPIPE, not a crash.
head -c 300000 /dev/urandom >"$tmp/random.bin"
"$granny" run "$w/cat.wasm" <"$tmp/random.bin" >"$tmp/copy.bin" 2>"$tmp/err"
if [ $? -eq 0 ] && cmp -s "$tmp/random.bin" "$tmp/copy.bin"; then
    echo "ok: stdin to stdout, 300000 bytes intact"
else
    echo "FAILED: stdin/stdout passthrough"
    failures=$((failures + 1))
fi
status=$( ("$granny" run "$w/yes.wasm" 2>/dev/null; echo $? >"$tmp/yes.status") | head -n 1 >/dev/null
    cat "$tmp/yes.status")
[ "$status" = 5 ] && echo "ok: a closed pipe is EPIPE for the guest (status 5)" ||
    { echo "FAILED: closed pipe: status $status"; failures=$((failures + 1)); }

echo "$failures failure(s)"
[ $failures -eq 0 ]

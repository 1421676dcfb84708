#!/bin/sh
# check_output.sh PATTERN COMMAND... — runs COMMAND (time-limited) and fails unless its standard
# output and error together contain PATTERN (a fixed string) and it exits with status 0.
set -u
pattern=$1
shift
out=$(timeout 300 "$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -ne 0 ]; then
    echo "exit status $rc"
    exit 1
fi
printf '%s' "$out" | grep -qF -- "$pattern" || {
    echo "missing: $pattern"
    exit 1
}

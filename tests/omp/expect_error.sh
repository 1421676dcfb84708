#!/bin/sh
# expect_error.sh EXPECTED_STATUS EXPECTED_TEXT COMMAND... — runs COMMAND (with a time limit) and
# fails unless it exits with EXPECTED_STATUS and its standard error contains EXPECTED_TEXT.
set -u
status=$1
text=$2
shift 2
err=$(timeout 60 "$@" 2>&1 >/dev/null)
rc=$?
if [ "$rc" = "$status" ] && printf '%s' "$err" | grep -qF -- "$text"; then
    echo "exit $rc with: $err"
    exit 0
fi
echo "expected exit $status with '$text', got exit $rc with:"
printf '%s\n' "$err"
exit 1

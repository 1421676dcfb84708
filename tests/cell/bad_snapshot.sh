#!/usr/bin/env bash
# bad_snapshot.sh GRANNY GRANNY_CC SRC — damaged snapshots are refused with a message and a non-zero
# status, never a crash: truncated, a flipped byte in memory, a flipped byte in the header, a file
# that is not a snapshot, an empty file, a missing file; plus usage errors of the commands.
set -u
granny=$1 cc=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
"$cc" "$src" -o prog.wasm || exit 1
"$granny" run --checkpoint-at 1 --checkpoint-file good.snap prog.wasm >/dev/null || { echo "FAIL: no snapshot"; exit 1; }
fail=0
expect_refused() { # name, expected message part, command...
    local name=$1 want=$2
    shift 2
    "$@" >out 2>err
    local st=$?
    if [ $st -eq 0 ] || [ $st -ge 128 ] || ! grep -q -- "$want" err; then
        echo "FAIL: $name: status $st, stderr: $(cat err)"
        fail=1
    else
        echo "ok: $name -> status $st: $(head -1 err)"
    fi
}
size=$(stat -c %s good.snap)
head -c $((size / 2)) good.snap >truncated.snap
expect_refused "truncated restore" "truncated" "$granny" restore truncated.snap
expect_refused "truncated info" "truncated" "$granny" snapshot info truncated.snap
cp good.snap flipped.snap
printf '\xff' | dd of=flipped.snap bs=1 seek=$((size - 100)) conv=notrunc status=none
expect_refused "corrupt payload" "corrupt" "$granny" restore flipped.snap
cp good.snap header.snap
printf '\x07' | dd of=header.snap bs=1 seek=20 conv=notrunc status=none
expect_refused "corrupt header" "corrupt" "$granny" restore header.snap
echo "hello" >text.snap
expect_refused "not a snapshot" "not a snapshot" "$granny" restore text.snap
: >empty.snap
expect_refused "empty file" "empty" "$granny" snapshot info empty.snap
expect_refused "missing file" "No such file" "$granny" restore missing.snap
expect_refused "restore usage" "usage" "$granny" restore
expect_refused "checkpoint without file" "needs --checkpoint-file" "$granny" run --checkpoint-at 1 prog.wasm
expect_refused "checkpoint-at zero" "positive" "$granny" run --checkpoint-at 0 --checkpoint-file x prog.wasm
exit $fail

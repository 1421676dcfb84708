#!/usr/bin/env bash
# suspend_resume.sh GRANNY GRANNY_CC SRC CHECKPOINTS [ARGS...]
# Builds SRC with granny-cc, runs it once uninterrupted (the reference: stdout and exit status),
# then, for each control point K in CHECKPOINTS (comma-separated), runs it with
# `--checkpoint-at K --checkpoint-file F` (which must stop with status 0 and a snapshot file), checks
# the snapshot with `granny snapshot info`, resumes it with `granny restore F` in a NEW process,
# and requires that the output before the suspension followed by the output after the resume is
# exactly the reference output, and that the resumed run exits with the reference status.
# Every run happens in a fresh directory preopened as the guest's ".", with WHO=cell in the
# environment.
set -u
granny=$1 cc=$2 src=$3 points=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
name=$(basename "$src" .c)
"$cc" -O2 "$src" -o "$work/$name.wasm" || { echo "FAIL: granny-cc $src"; exit 1; }

run_dir() { rm -rf "$work/run" && mkdir "$work/run" && cd "$work/run" || exit 1; }

run_dir
"$granny" run --dir .:. --env WHO=cell "$work/$name.wasm" "$@" >"$work/ref.out" 2>"$work/ref.err"
ref_status=$?
echo "$name: reference exit status $ref_status, $(wc -l <"$work/ref.out") lines"

fail=0
IFS=, read -r -a ks <<<"$points"
for k in "${ks[@]}"; do
    run_dir
    snap="$work/$name.$k.snap"
    "$granny" run --dir .:. --env WHO=cell --checkpoint-at "$k" --checkpoint-file "$snap" \
        "$work/$name.wasm" "$@" >"$work/a.out" 2>"$work/a.err"
    st=$?
    if [ $st -ne 0 ] || [ ! -s "$snap" ]; then
        echo "FAIL: $name: suspend at $k: status $st, snapshot $( [ -s "$snap" ] && echo present || echo missing)"
        cat "$work/a.err"
        fail=1
        continue
    fi
    "$granny" snapshot info "$snap" >"$work/info" 2>&1 || { echo "FAIL: snapshot info"; cat "$work/info"; fail=1; }
    "$granny" restore "$snap" >"$work/b.out" 2>"$work/b.err"
    st=$?
    cat "$work/a.out" "$work/b.out" >"$work/all.out"
    if ! cmp -s "$work/all.out" "$work/ref.out"; then
        echo "FAIL: $name: output differs after suspending at control point $k"
        diff "$work/ref.out" "$work/all.out" | head -20
        cat "$work/b.err"
        fail=1
    elif [ $st -ne $ref_status ]; then
        echo "FAIL: $name: resumed run exited $st, reference $ref_status"
        cat "$work/b.err"
        fail=1
    else
        echo "$name: suspended at control point $k ($(stat -c %s "$snap") byte snapshot), resumed in a new process: identical"
    fi
done
exit $fail

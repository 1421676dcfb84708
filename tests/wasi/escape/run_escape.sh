#!/usr/bin/env bash
# run_escape.sh GRANNY ESCAPE_WASM [walk] — runs the hostile guest escape.wasm in a prepared
# directory and then checks that the world outside its preopen is untouched: the canary file
# beside the preopen keeps its content and mtime, the secret file's content never appears in the
# guest's output, and nothing was created or removed outside. With "walk", the sandbox uses its
# fallback path walk instead of openat2 (GRANNY_WASI_RESOLVE=walk).
set -u
granny=$1
wasm=$(readlink -f -- "$2")
mode=${3:-auto}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/wasi-escape.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT
tmp=$scratch/world # the guest's preopen is $tmp/box; everything else in $tmp must stay as it is
mkdir "$tmp"

secret="SECRET-$$-$RANDOM-$RANDOM-do-not-print"
printf '%s\n' "$secret" >"$tmp/secret.txt"
printf 'canary content\n' >"$tmp/canary.txt"
touch -d @1000000000 "$tmp/canary.txt" "$tmp/secret.txt"
mkdir "$tmp/outside" "$tmp/box" "$tmp/box/sub"
printf 'inside\n' >"$tmp/box/file.txt"
ln -s /etc "$tmp/box/etc_link"
ln -s ../secret.txt "$tmp/box/secret_rel"
ln -s "$tmp/secret.txt" "$tmp/box/secret_abs"
ln -s .. "$tmp/box/parent_link"
ln -s ../../secret.txt "$tmp/box/sub/deep_link"
ln -s /proc/self/root "$tmp/box/proc_link"
ln -s /proc/self/fd "$tmp/box/proc_self_fd"
before=$(cd "$tmp" && find . -path ./box -prune -o -print | sort; stat -c '%n %s %Y' canary.txt secret.txt)
canary_before=$(stat -c '%s %Y %Z' "$tmp/canary.txt")

(cd "$tmp/box" && GRANNY_WASI_RESOLVE=$mode exec "$granny" run --dir "$tmp/box:." "$wasm") \
    >"$scratch/out" 2>"$scratch/err" </dev/null
status=$?

fail=0
if [ $status -ne 0 ]; then
    echo "escape.wasm reported failures (status $status):"
    grep -v ' ok$' "$scratch/out"
    fail=1
fi
if grep -q "$secret" "$scratch/out" "$scratch/err"; then
    echo "the secret appeared in the guest's output"
    fail=1
fi
after=$(cd "$tmp" && find . -path ./box -prune -o -print | sort; stat -c '%n %s %Y' canary.txt secret.txt)
if [ "$before" != "$after" ]; then
    echo "the world outside the preopen changed:"
    diff <(echo "$before") <(echo "$after")
    fail=1
fi
if [ "$(stat -c '%s %Y %Z' "$tmp/canary.txt")" != "$canary_before" ]; then
    echo "the canary's size or times changed"
    fail=1
fi
if [ "$(cat "$tmp/canary.txt")" != "canary content" ]; then
    echo "the canary's content changed"
    fail=1
fi
if [ $fail -ne 0 ]; then
    echo "--- guest stdout:"
    cat "$scratch/out"
    echo "--- guest stderr:"
    head -c 2000 "$scratch/err"
    exit 1
fi
tail -n 1 "$scratch/out"

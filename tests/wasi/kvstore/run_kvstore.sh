#!/usr/bin/env bash
# run_kvstore.sh GRANNY NATIVE WASM — drives apps/kvstore through six sessions (each a fresh
# process: loading, reopening, compaction and a backup, a crash with an open batch, a torn log
# write, recovery, opening the backup) and an offline `--check`, natively and as a cell, and checks
# that both print the same results, exit with the same statuses, and leave byte-identical database
# files behind.
set -u
here=$(cd "$(dirname "$0")" && pwd)
granny=$1
native=$(readlink -f -- "$2")
wasm=$(readlink -f -- "$3")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvstore-test.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

kvstore() { # MODE DIR ARGS... — one kvstore process in DIR, stdin passed through
    local mode=$1 dir=$2
    shift 2
    if [ "$mode" = native ]; then
        (cd "$dir" && exec "$native" "$@")
    else
        (cd "$dir" && exec "$granny" run --dir "$dir:." "$wasm" "$@")
    fi
}

run_all() { # MODE DIR -> transcript on stdout
    local mode=$1 dir=$2 status
    mkdir -p "$dir"
    for step in 1:db 2:db 3:db 4:db check 5:db 6:bak check; do
        if [ "$step" = check ]; then
            kvstore "$mode" "$dir" --check db </dev/null >"$dir/out" 2>&1
            echo "== check: status $?"
            cat "$dir/out"
            continue
        fi
        n=${step%%:*}
        kvstore "$mode" "$dir" "${step#*:}" <"$here/session$n.kv" >"$dir/out" 2>"$dir/err"
        status=$?
        echo "== session $n: status $status"
        cat "$dir/out"
        [ -s "$dir/err" ] && sed 's/^/stderr: /' "$dir/err"
    done
    echo "== files"
    (cd "$dir" && for f in db/* bak/* dump.tsv; do
        echo "$f $(wc -c <"$f") $(sha256sum <"$f" | cut -c1-16)"
    done)
}

run_all native "$tmp/native" >"$tmp/native.txt"
run_all cell "$tmp/cell" >"$tmp/cell.txt"
if ! cmp -s "$tmp/native.txt" "$tmp/cell.txt"; then
    echo "kvstore behaves differently in a cell (native <, cell >):"
    diff "$tmp/native.txt" "$tmp/cell.txt" | head -n 60
    exit 1
fi
# Sanity: the scenario did what it is meant to do.
for want in "^== session 3: status 3$" "^== session 4: status 3$" "^verify ok" "^\\(nil\\)$" \
    "recovered: [1-9][0-9]* records, [1-9][0-9]* bytes dropped" "already holds a database" \
    "^== check: status 0$" "healthy$" "bytes of an unfinished write" \
    "^checksum 3657a0ee9a12f184 over 3005 keys$"; do
    if [ "$(grep -cE -- "$want" "$tmp/native.txt")" -eq 0 ]; then
        echo "transcript lacks /$want/:"
        cat "$tmp/native.txt"
        exit 1
    fi
done
echo "ok: $(grep -c . "$tmp/native.txt") transcript lines identical, files identical"

#!/usr/bin/env bash
# bench/engine/selftest.sh — checks the engine benchmark itself, in well under a minute:
#   1. every kernel, built natively with ASan/UBSan, passes its self-check at --quick sizes and
#      refuses bad arguments with a message and exit status 2;
#   2. run.sh --quick runs every kernel natively and through wasm2c (and granny when present) with
#      matching checksums, and refuses bad options with status 2;
#   3. the wasm2c harness turns a guest's bad arguments into exit status 2 (proc_exit) and a trap
#      into a message and exit status 3.
# Prints "selftest: ok" and exits 0 when all hold; stops at the first failure with exit status 1.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/bench/out/engine-selftest
mkdir -p "$out/san"
kernels=(matmul stream jacobi sort hash fib nbody lz)

fail() {
    echo "selftest: FAILED: $*" >&2
    exit 1
}

# Runs "$@" and checks its exit status ($1) and that its stderr contains a phrase ($2).
expect() {
    local want=$1 phrase=$2 rc=0
    shift 2
    "$@" >"$out/stdout" 2>"$out/stderr" || rc=$?
    [ "$rc" -eq "$want" ] || fail "'$*' exited $rc, expected $want: $(cat "$out/stderr")"
    grep -q -- "$phrase" "$out/stderr" || fail "'$*' did not say '$phrase': $(cat "$out/stderr")"
}

# 1. Kernels under the sanitizers.
for k in "${kernels[@]}"; do
    gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -Wall -Wextra -Werror \
        "$here/$k.c" -o "$out/san/$k" -lm
    "$out/san/$k" --quick >"$out/stdout" 2>&1 || fail "$k --quick: $(cat "$out/stdout")"
    grep -q "^bench kernel=$k .* status=ok$" "$out/stdout" || fail "$k: no ok line"
    expect 2 "bad value 'x'" "$out/san/$k" x
    expect 2 "bad value '-5'" "$out/san/$k" --quick -5
    expect 2 "too many arguments" "$out/san/$k" 1 1 1 1
    expect 2 "unknown option '--fast'" "$out/san/$k" --fast
    "$out/san/$k" --cpu --quick >"$out/stdout" 2>&1 || fail "$k --cpu --quick: $(cat "$out/stdout")"
done
echo "selftest: kernels ok under ASan/UBSan" >&2

# 2. The harness end to end.
"$here/run.sh" --quick --runs 1 --out "$out/run" >"$out/run.txt" 2>&1 ||
    fail "run.sh --quick: $(cat "$out/run.txt")"
grep -q "^geomean" "$out/run.txt" || fail "run.sh printed no table"
if grep -q "wasm2c: n/a" "$out/run.txt"; then fail "wasm2c did not run (is wabt installed?)"; fi
expect 2 "unknown kernel 'nope'" "$here/run.sh" --kernels nope
expect 2 "unknown option" "$here/run.sh" --frobnicate
expect 2 "--runs needs a number" "$here/run.sh" --runs 0
expect 2 "exclude each other" "$here/run.sh" --wall --cpu
expect 2 "is not an executable" env GRANNY=/nonexistent/granny "$here/run.sh"
echo "selftest: run.sh ok" >&2

# 3. The wasm2c harness on a bad argument and on a trap.
expect 2 "bad value" "$out/run/w2c/fib/fib" 1000
w2c_rt=/usr/src/wasm2c
cat >"$out/trap.c" <<'EOF'
int main(int argc, char **argv) {
    if (argc > 0) __builtin_trap(); /* argc keeps the WASI imports that the harness provides */
    return argv[0][0];
}
EOF
clang-19 --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi \
    -L/usr/lib/wasm32-wasi -O2 "$out/trap.c" -o "$out/trap.wasm"
wasm2c -n module "$out/trap.wasm" -o "$out/module.c"
gcc -O2 -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=1 -I"$out" -I"$w2c_rt" "$out/module.c" \
    "$here/w2c_main.c" "$w2c_rt/wasm-rt-impl.c" -o "$out/trap" -lm
expect 3 "wasm trap: Unreachable" "$out/trap"
echo "selftest: ok"

#!/usr/bin/env bash
# test_granny_cc.sh GRANNY_CC — tests of the guest toolchain driver: versions, compile-only and
# link modes, several files, a static library made with llvm-ar-19, the guest headers, OpenMP
# lowering to env imports, the module's exports and features, flags passed through, error
# messages and statuses (missing file, bad flag, compile error, missing clang), and running
# through a symlink as scripts/setup.sh installs it. Uses wasm-objdump (wabt) to inspect modules.
set -u
cc=$(readlink -f -- "$1")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/granny-cc-test.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
cd "$tmp"
failures=0
pass() { echo "ok: $1"; }
fail() {
    echo "FAILED: $1"
    failures=$((failures + 1))
}
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi
}
is_wasm() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' ')" = 0061736d ]; }
dump() { wasm-objdump -x "$1" 2>/dev/null; }

# ---- versions ----
out=$("$cc" --version 2>&1)
status=$?
[ $status -eq 0 ] && grep -q '^granny-cc (Granny) [0-9]' <<<"$out" && grep -qi 'clang version 19' <<<"$out" &&
    pass "--version prints Granny's and clang's versions" || fail "--version: $out"

# ---- a single file, compiled and linked ----
cat >hello.c <<'EOF'
#include <stdio.h>
int main(int argc, char **argv) { printf("hello %d %s\n", argc, argv[0]); return 0; }
EOF
check "compile and link one file" "$cc" hello.c -o hello.wasm
check "the output is a wasm module" is_wasm hello.wasm
check "default output name a.out" "$cc" hello.c
check "a.out is a wasm module" is_wasm a.out
if command -v wasm-objdump >/dev/null; then
    d=$(dump hello.wasm)
    grep -q '"memory"' <<<"$d" && pass "exports memory" || fail "exports memory"
    grep -q '"_start"' <<<"$d" && pass "exports _start" || fail "exports _start"
    grep -q '"__stack_pointer"' <<<"$d" && pass "exports __stack_pointer" || fail "exports __stack_pointer"
    sp=$(grep -o '<__stack_pointer> - init i32=[0-9]*' <<<"$d" | grep -o '[0-9]*$')
    [ -n "$sp" ] && [ "$sp" -ge 1048576 ] && pass "stack of at least 1 MiB (sp=$sp)" ||
        fail "stack size (sp=$sp)"
    h=$(wasm-objdump -h hello.wasm)
    grep -q '"name"' <<<"$h" && pass "keeps the name section (no wasm-opt after the link)" ||
        fail "name section missing"
    grep -q 'debug_info' <<<"$h" && fail "debug sections kept without -g" || pass "strips DWARF without -g"
    "$cc" -g hello.c -o hello-g.wasm && grep -q 'debug_info' <<<"$(wasm-objdump -h hello-g.wasm)" &&
        pass "-g keeps debug sections" || fail "-g keeps debug sections"
    grep -qa 'bulk-memory' hello.wasm && grep -qa 'nontrapping-fptoint' hello.wasm &&
        grep -qa 'sign-ext' hello.wasm && grep -qa 'mutable-globals' hello.wasm &&
        grep -qa 'multivalue' hello.wasm && pass "target features recorded" ||
        fail "target features recorded"
    imports=$(grep -- '<- ' <<<"$d" | sed 's/.*<- //' | cut -d. -f1 | sort -u | tr '\n' ' ')
    [ "$imports" = "wasi_snapshot_preview1 " ] && pass "imports only WASI" || fail "imports: $imports"
else
    echo "skip: wasm-objdump not found, module contents not inspected"
fi

# ---- optimisation level ----
v=$(GRANNY_CC_VERBOSE=1 "$cc" -c hello.c -o h.o 2>&1)
grep -q -- ' -O2 ' <<<"$v" && pass "-O defaults to -O2" || fail "-O default: $v"
v=$(GRANNY_CC_VERBOSE=1 "$cc" -O0 -c hello.c -o h.o 2>&1)
grep -q -- ' -O2 ' <<<"$v" && fail "-O0 still gets -O2" || pass "an explicit -O0 wins"
v=$(GRANNY_CC_VERBOSE=1 "$cc" -O3 hello.c -o h3.wasm 2>&1)
link=$(grep -- '-Wl,--allow-undefined' <<<"$v")
grep -q -- '-O3' <<<"$link" && fail "link step carries -O (wasm-opt would run)" ||
    pass "the link step has no -O"

# ---- -c, several files, objects ----
cat >a.c <<'EOF'
#include "shared.h"
#include <stdio.h>
int main(void) { printf("%d %s\n", add(40, 2), GREETING); return 0; }
EOF
cat >b.c <<'EOF'
#include "shared.h"
int add(int x, int y) { return x + y + OFFSET; }
EOF
mkdir inc
cat >inc/shared.h <<'EOF'
int add(int x, int y);
#ifndef OFFSET
#error OFFSET must be defined with -D
#endif
#define GREETING "hi"
EOF
check "-c with -I and -D" "$cc" -c -Iinc -DOFFSET=0 b.c -o b.o
check "the object is wasm" is_wasm b.o
check "link a source with an object" "$cc" -Iinc -DOFFSET=0 a.c b.o -o ab.wasm
check "two sources at once" "$cc" -Iinc -DOFFSET=0 a.c b.c -o ab2.wasm
check "-c of two sources (a.o b.o)" "$cc" -c -Iinc -DOFFSET=0 a.c b.c
check "link two objects" "$cc" a.o b.o -o ab3.wasm
check "-D reaches the preprocessor (missing -D fails)" bash -c "! '$cc' -c -Iinc b.c -o x.o"

# ---- a static library with llvm-ar-19 ----
cat >lib1.c <<'EOF'
int lib_square(int x) { return x * x; }
EOF
cat >lib2.c <<'EOF'
int lib_square(int x);
int lib_cube(int x) { return lib_square(x) * x; }
EOF
cat >uselib.c <<'EOF'
#include <stdio.h>
int lib_cube(int x);
int main(void) { printf("%d\n", lib_cube(3)); return 0; }
EOF
if command -v llvm-ar-19 >/dev/null; then
    "$cc" -c lib1.c lib2.c && llvm-ar-19 rcs libmine.a lib1.o lib2.o
    check "link with -L. -lmine" "$cc" uselib.c -L. -lmine -o uselib.wasm
    if command -v wasm-objdump >/dev/null; then
        grep -q 'lib_cube' <<<"$(dump uselib.wasm)" && pass "library function linked in" ||
            fail "library function linked in"
    fi
    check "link with the archive path" "$cc" uselib.c libmine.a -o uselib2.wasm
    bash -c "'$cc' uselib.c -o nolib.wasm -Wl,--no-allow-undefined" >/dev/null 2>&1 &&
        fail "missing library not noticed" || pass "a missing symbol fails with --no-allow-undefined"
else
    fail "llvm-ar-19 not found"
fi

# ---- host functions stay imports from env ----
cat >hostfn.c <<'EOF'
void host_thing(int);
int main(void) { host_thing(7); return 0; }
EOF
check "undefined functions link (--allow-undefined)" "$cc" hostfn.c -o hostfn.wasm
if command -v wasm-objdump >/dev/null; then
    grep -q 'env.host_thing' <<<"$(dump hostfn.wasm)" && pass "undefined function is an env import" ||
        fail "env import"
fi

# ---- guest headers ----
cat >headers.c <<'EOF'
#include <granny.h>
#include <mpi.h>
#include <omp.h>
#include <stdio.h>
int main(int argc, char **argv) {
    int rank = 0, size = 1, provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    double v = rank, sum = 0;
    MPI_Allreduce(&v, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    MPI_Request req;
    MPI_Status st;
    int buf[4] = {0};
    MPI_Irecv(buf, 4, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &req);
    MPI_Wait(&req, &st);
    int count;
    MPI_Get_count(&st, MPI_INT, &count);
    MPI_Comm sub;
    MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &sub);
    MPI_Barrier(sub);
    omp_lock_t lock;
    omp_init_lock(&lock);
    omp_set_lock(&lock);
    omp_unset_lock(&lock);
    omp_set_num_threads(4);
    granny_checkpoint();
    printf("%d/%d %f %d %d %f %d\n", rank, size, sum, count, omp_get_max_threads(), omp_get_wtime(),
           granny_cell_id());
    return MPI_Finalize();
}
EOF
check "mpi.h, omp.h and granny.h compile with -Wall -Werror" "$cc" -Wall -Wextra -Werror headers.c -o headers.wasm
if command -v wasm-objdump >/dev/null; then
    d=$(dump headers.wasm)
    for f in MPI_Init_thread MPI_Allreduce MPI_Comm_split omp_set_lock granny_checkpoint granny_cell_id; do
        grep -q "env.$f" <<<"$d" && pass "$f is an env import" || fail "$f is an env import"
    done
fi
check "__GRANNY__ is defined" bash -c "printf '#ifndef __GRANNY__\n#error no\n#endif\nint x;\n' >g.c && '$cc' -c g.c -o g.o"

# ---- OpenMP ----
cat >omp.c <<'EOF'
#include <omp.h>
#include <stdio.h>
int main(void) {
    long sum = 0;
#pragma omp parallel for reduction(+ : sum)
    for (int i = 0; i < 1000; i++) sum += i;
#pragma omp parallel
    {
#pragma omp critical
        sum += omp_get_thread_num();
    }
    printf("%ld\n", sum);
    return 0;
}
EOF
check "-fopenmp compiles and links" "$cc" -fopenmp omp.c -o omp.wasm
v=$(GRANNY_CC_VERBOSE=1 "$cc" -fopenmp -c omp.c -o omp.o 2>&1)
grep -q -- '-matomics' <<<"$v" && pass "-fopenmp adds -matomics" || fail "-fopenmp adds -matomics"
v=$(GRANNY_CC_VERBOSE=1 "$cc" -c hello.c -o h.o 2>&1)
grep -q -- '-matomics' <<<"$v" && fail "-matomics without -fopenmp" || pass "no -matomics without -fopenmp"
if command -v wasm-objdump >/dev/null; then
    d=$(dump omp.wasm)
    grep -q 'env.__kmpc_fork_call' <<<"$d" && pass "OpenMP runtime calls are env imports" ||
        fail "__kmpc_fork_call import"
    grep -qa 'atomics' omp.wasm && pass "the OpenMP module is built with atomics" ||
        fail "atomics feature with -fopenmp"
fi

# ---- errors come from clang, with a non-zero status ----
out=$("$cc" missing.c -o m.wasm 2>&1)
status=$?
[ $status -ne 0 ] && grep -qi 'no such file' <<<"$out" && pass "missing file: clang's message, status $status" ||
    fail "missing file: status $status, '$out'"
out=$("$cc" -c missing.c 2>&1)
status=$?
[ $status -ne 0 ] && grep -qi 'no such file' <<<"$out" && pass "missing file with -c" ||
    fail "missing file with -c: $status '$out'"
out=$("$cc" --bogus-flag hello.c -o x.wasm 2>&1)
status=$?
[ $status -ne 0 ] && grep -qi 'unknown argument' <<<"$out" && pass "bad flag: clang's message, status $status" ||
    fail "bad flag: status $status, '$out'"
printf 'int main(void) { return undefined_variable; }\n' >bad.c
out=$("$cc" bad.c -o bad.wasm 2>&1)
status=$?
[ $status -ne 0 ] && grep -q 'undeclared identifier' <<<"$out" && [ ! -e bad.wasm ] &&
    pass "compile error: clang's message, no output" || fail "compile error: $status '$out'"
out=$("$cc" 2>&1)
status=$?
[ $status -ne 0 ] && pass "no input files: status $status" || fail "no input files"
out=$(GRANNY_CLANG=clang-does-not-exist-19 "$cc" --version 2>&1)
status=$?
[ $status -eq 127 ] && grep -q 'not found' <<<"$out" && pass "missing clang: status 127 and a message" ||
    fail "missing clang: status $status, '$out'"
out=$(GRANNY_CLANG=clang-does-not-exist-19 "$cc" hello.c 2>&1)
[ $? -eq 127 ] && pass "missing clang when compiling: 127" || fail "missing clang when compiling"

# ---- installed as a symlink ----
mkdir bin
ln -s "$cc" bin/granny-cc
check "works through a symlink (finds guest/include)" bin/granny-cc headers.c -o via-link.wasm

# ---- compile-only modes pass through ----
check "-E preprocesses" bash -c "'$cc' -E hello.c | grep -q 'int main'"
check "-S writes assembly" bash -c "'$cc' -S hello.c -o hello.s && grep -q 'main' hello.s"

echo "$failures failure(s)"
[ $failures -eq 0 ]

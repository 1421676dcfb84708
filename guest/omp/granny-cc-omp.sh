# granny-cc-omp.sh — sourced by guest/granny-cc when -fopenmp is given (owned by the OpenMP part).
#
# Adds to the compile flags:
#   -fnoopenmp-use-tls   threadprivate variables through __kmpc_threadprivate_cached: wasm32
#                        without shared memory lowers thread_local to ordinary (shared) globals
# and, when linking, the guest OpenMP runtime (gomp_guest.c, compiled once per source version and
# compiler into the cache, $GRANNY_CACHE or ~/.cache/granny, guest-omp/) with the --wrap flags
# that route the malloc family through it, plus the exports the host runtime calls.
# Expects granny-cc's variables: clang, target, features, wasi_include, wasi_lib, guest_dir, mode,
# cflags, ldflags.

cflags+=(-fnoopenmp-use-tls)

if [ "$mode" = link ]; then
    omp_src="$guest_dir/omp/gomp_guest.c"
    omp_key=$( (cat "$omp_src"; "$clang" --version | head -n 1; echo "${features[*]}") |
        sha256sum | cut -c1-16)
    omp_cache="${GRANNY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/granny}/guest-omp"
    mkdir -p "$omp_cache" 2>/dev/null || omp_cache="${TMPDIR:-/tmp}/granny-guest-omp-$(id -u)"
    mkdir -p "$omp_cache" || exit 1
    omp_obj="$omp_cache/gomp_guest-$omp_key.o"
    if [ ! -s "$omp_obj" ]; then
        "$clang" "${target[@]}" -isystem "$wasi_include" "${features[@]}" -O2 -c "$omp_src" \
            -o "$omp_obj.$$" || exit 1
        mv -f "$omp_obj.$$" "$omp_obj"
    fi
    # wasi-libc's allocator as an object of its own: wasm-ld resolves a wrapped __real_X only to
    # an X already in the link (it does not pull an archive member for it), so the member that
    # defines the malloc family is linked explicitly.
    libc_a="$wasi_lib/libc.a"
    malloc_obj="$omp_cache/dlmalloc-$(stat -c %s-%Y "$libc_a").o"
    if [ ! -s "$malloc_obj" ]; then
        omp_tmp=$(mktemp -d "${TMPDIR:-/tmp}/granny-omp.XXXXXX") || exit 1
        (cd "$omp_tmp" && ar x "$libc_a" dlmalloc.o) && mv -f "$omp_tmp/dlmalloc.o" "$malloc_obj"
        rm -rf "$omp_tmp"
        [ -s "$malloc_obj" ] || { echo "granny-cc: cannot extract dlmalloc.o from $libc_a" >&2; exit 1; }
    fi
    ldflags+=("$omp_obj" "$malloc_obj" -Wl,--export=__granny_omp_hooks)
    for f in malloc free calloc realloc aligned_alloc posix_memalign malloc_usable_size \
        __libc_malloc __libc_calloc __libc_free; do
        ldflags+=("-Wl,--wrap=$f")
    done
fi

#!/usr/bin/env bash
# Sets up Granny on Debian 12: installs the Debian packages it needs (skipped when present), builds
# the release configuration into build/, and puts `granny` and `granny-cc` on PATH (/usr/local/bin).
# Idempotent; a second run only rebuilds what changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(build-essential cmake pkg-config clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
          binaryen wabt libcjson-dev libsodium-dev libzstd-dev libxxhash-dev gnuplot-nox
          openmpi-bin libopenmpi-dev libomp-19-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${GRANNY_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

bindir=${GRANNY_BINDIR:-/usr/local/bin}
if [ -w "$bindir" ] || [ "$(id -u)" -eq 0 ]; then
    ln -sf "$build/src/cli/granny" "$bindir/granny"
    ln -sf "$root/guest/granny-cc" "$bindir/granny-cc"
else
    echo "setup: $bindir is not writable; add $build/src/cli and $root/guest to PATH"
fi
echo "setup: done ($(command -v granny || echo "$build/src/cli/granny"))"

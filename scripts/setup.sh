#!/usr/bin/env bash
# Installs the Debian 12 packages assay needs to build (and, with --test, to
# run its tests), skipping those already present. Works as root or via sudo.
# usage: scripts/setup.sh [--test] [--bench]
#   --bench: also what bench/ needs (Google Benchmark, /usr/bin/time, gnuplot
#   for the plot of docs/PERFORMANCE.md); --test includes it, because the
#   test build runs bench/compare.sh once at a tiny size.
set -euo pipefail

packages=(
  g++ cmake make pkg-config ccache
  libboost-graph-dev libsqlitecpp-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libvalijson-dev
  libcli11-dev libhpdf-dev libssl-dev libsodium-dev libxlsxwriter-dev libzip-dev libexpat1-dev fonts-dejavu-core
  fonts-droid-fallback fonts-wqy-zenhei fonts-symbola
)
bench_packages=(libbenchmark-dev time gnuplot-nox)
for arg in "$@"; do
  if [ "$arg" = "--bench" ]; then packages+=("${bench_packages[@]}"); fi
done
if [ "${1:-}" = "--test" ]; then
  packages+=("${bench_packages[@]}")
  packages+=(libgtest-dev graphviz qpdf poppler-utils minisign unzip python3)
  # tests/install and the progress test: the manual page (man, groff), the
  # zsh completion, the .deb (dpkg-deb, dpkg-shlibdeps) and a pty (script).
  packages+=(man-db groff-base zsh dpkg-dev bsdutils)
  # scripts/sanitize.sh and scripts/fuzz.sh (run by .ci/run): clang with
  # libFuzzer and the sanitizer runtimes.
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run as root, or install sudo, to install them" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"

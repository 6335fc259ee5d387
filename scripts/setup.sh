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
  libcpp-httplib-dev libpqxx-dev
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
  # The browser test of assay serve (tests/browser/): Debian's Chromium,
  # driven by the npm package playwright-core (installed below, pinned by
  # tests/browser/package-lock.json). Node.js and npm from Debian unless an
  # npm is installed already (another Node.js packaging).
  packages+=(chromium)
  # The store suite on PostgreSQL (scripts/pg.sh starts a throwaway cluster).
  packages+=(postgresql)
  if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
fi

# The browser test's node_modules (after the packages, which bring npm).
browser_deps() {
  [ "${1:-}" = "--test" ] || return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  if [ -d "$dir/node_modules/playwright-core" ]; then return 0; fi
  echo "setup: installing the browser test's npm packages (tests/browser)"
  (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  browser_deps "$@"
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
browser_deps "$@"
echo "setup: done"

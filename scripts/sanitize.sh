#!/usr/bin/env bash
# Builds assay with AddressSanitizer + UndefinedBehaviorSanitizer in ./build-asan
# (or $ASSAY_ASAN_BUILD_DIR) and runs the whole ctest suite under them.
# Exits non-zero on a build failure, a failing test, or any sanitizer report
# (the sanitizers abort the process on their first report).
# usage: scripts/sanitize.sh [extra cmake configure arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keys on paths relative to the clone, so clones share one cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
dir=${ASSAY_ASAN_BUILD_DIR:-build-asan}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B "$dir" \
  -DCMAKE_BUILD_TYPE=Debug \
  -DASSAY_SANITIZE=address,undefined \
  -DASSAY_WERROR=ON \
  -DASSAY_BUILD_TESTS=ON \
  "$@" >/dev/null
cmake --build "$dir" -j"$jobs"

# abort_on_error / halt_on_error: the first report fails the test that hit it.
# -fno-sanitize-recover=all (cmake/Warnings.cmake) makes UBSan stop too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
log="$dir/sanitize-ctest.log"
status=0
(cd "$dir" && ctest --output-on-failure -j"$jobs") 2>&1 | tee "$log" || status=$?

# A report that did not fail its test (for example in a child process whose
# exit code a test ignores) must still fail the run.
if grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
  echo "sanitize: sanitizer report(s) found; see $log" >&2
  grep -nE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" | head -20 >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "sanitize: ctest failed (exit $status); see $log" >&2
  exit "$status"
fi
echo "sanitize: all tests passed under address,undefined"

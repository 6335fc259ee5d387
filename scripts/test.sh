#!/usr/bin/env bash
# Quick start, part 2: install what is missing, build with warnings as
# errors, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
ASSAY_BUILD_DIR=build bash scripts/build.sh -DASSAY_WERROR=ON -DASSAY_BUILD_TESTS=ON -DASSAY_BUILD_BENCHMARKS=ON
cd build
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"

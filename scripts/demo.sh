#!/usr/bin/env bash
# Quick start, part 1: install what is missing, build, and run the main job:
# `assay demo` imports the bundled example assessment into a fresh workspace,
# prints its capability profile and checks, and writes its PDF report.
# usage: scripts/demo.sh [DIR]   (default: demo-out/ in the repository, ignored by git)
# Running it again replaces the demo's own files in DIR (--force).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo-out}"
bash scripts/setup.sh
bash scripts/build.sh
./build/cli/assay demo --out "$out" --force

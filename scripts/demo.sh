#!/usr/bin/env bash
# Quick start, part 1: install what is missing, build, and run the main job:
# check the bundled model packs and show the IT service management model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/cli/assay model check models/*.json
./build/cli/assay model show itsm-20000

#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything, runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure

#!/usr/bin/env bash
# The README's main command: installs what is missing (the main job's packages only), builds the main job and runs
# it: examples/fashion_transfer, transfer learning on Fashion-MNIST (docs/examples.md). Arguments go to it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh main
TL_BUILD_TARGETS=fashion_transfer bash scripts/build.sh -DTL_BUILD_TESTS=OFF -DTL_BUILD_BENCH=OFF
./build/examples/fashion_transfer "$@"

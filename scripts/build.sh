#!/usr/bin/env bash
# Configures and builds tl (tests, examples, benchmarks) into build/ with Ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${TL_BUILD_TYPE:-Release}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "$@"
cmake --build build -j "$(nproc)"

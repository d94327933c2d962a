#!/usr/bin/env bash
# Configures and builds tl (tests, examples, benchmarks) with Ninja into build/ (or $TL_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${TL_BUILD_TYPE:-Release}
build_dir=${TL_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "$@"
cmake --build "$build_dir" -j "$(nproc)"

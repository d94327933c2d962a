#!/usr/bin/env bash
# Configures and builds tl with Ninja into build/ (or $TL_BUILD_DIR): the library (compiled mode), examples,
# benchmarks and, unless -DTL_BUILD_TESTS=OFF is given, the tests. Extra arguments go to CMake's configure step.
# TL_BUILD_TYPE (default Release) and TL_BUILD_TARGETS (default: everything) choose what and how.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${TL_BUILD_TYPE:-Release}
build_dir=${TL_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "$@"
targets=()
[[ -z ${TL_BUILD_TARGETS:-} ]] || targets=(--target ${TL_BUILD_TARGETS})
cmake --build "$build_dir" -j "$(nproc)" "${targets[@]}"

#!/usr/bin/env bash
# Installs tl from BUILD_DIR into a temporary prefix and builds + runs the consumer against it with
# find_package(tl); then builds the consumer again with add_subdirectory(SOURCE_DIR).
set -euo pipefail
source_dir=$1 build_dir=$2 work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" > /dev/null
cmake -S "$source_dir/tests/package/consumer" -B "$work/installed" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" > /dev/null
cmake --build "$work/installed" > /dev/null
"$work/installed/consumer"
cmake -S "$source_dir/tests/package/consumer" -B "$work/subdir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTL_SOURCE_DIR="$source_dir" > /dev/null
cmake --build "$work/subdir" > /dev/null
"$work/subdir/consumer"

#!/usr/bin/env bash
# Installs tl from BUILD_DIR into a temporary prefix and builds + runs the consumer against it with
# find_package(tl), and builds + runs it again with add_subdirectory(SOURCE_DIR). The two builds run side by
# side, unoptimised: what is tested is the packaging, and each compiles all of tl and LibTorch's headers.
set -euo pipefail
source_dir=$1 build_dir=$2 work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" > /dev/null
consume() {  # NAME CMAKE_ARGS...: configure, build, run
  local name=$1
  shift
  cmake -S "$source_dir/tests/package/consumer" -B "$work/$name" -G Ninja -DCMAKE_BUILD_TYPE= "$@" > "$work/$name.log" 2>&1 &&
    cmake --build "$work/$name" >> "$work/$name.log" 2>&1 && "$work/$name/consumer" > "$work/$name.out" ||
    { cat "$work/$name.log" >&2; return 1; }
}
consume installed -DCMAKE_PREFIX_PATH="$work/prefix" & installed=$!
consume subdir -DTL_SOURCE_DIR="$source_dir" & subdir=$!
status=0
wait "$installed" || status=1
wait "$subdir" || status=1
cat "$work/installed.out" "$work/subdir.out" 2>/dev/null
exit "$status"

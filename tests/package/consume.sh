#!/usr/bin/env bash
# Builds and runs tests/package/consumer against tl brought in one way, in both modes (header-only tl::tl and
# compiled tl::tl_compiled), unoptimised: what is tested is the packaging.
#   consume.sh METHOD SOURCE_DIR BUILD_DIR [MODES]
#   METHOD: find_package      installs BUILD_DIR (cmake --install) into a temporary prefix, find_package(tl)
#           add_subdirectory  add_subdirectory(SOURCE_DIR)
#           fetchcontent      FetchContent from file://SOURCE_DIR at its HEAD commit (committed files only)
#   MODES: "header_only;compiled" (default), or one of them.
# The header-only program's object must define no strong symbol but main(): a function of tl's headers that is
# not inline (TL_INLINE forgotten in an impl/*-inl.hpp) would be defined once per user translation unit.
# Nor code of classes the program never builds (a virtual member not declared TL_INLINE in its class).
# Exit status 77 (a skip for CTest): fetchcontent of a source tree that is not a git checkout.
set -euo pipefail
method=$1 source_dir=$2 build_dir=$3 modes=${4:-header_only;compiled}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(-DTL_CONSUMER_METHOD="$method" -DTL_CONSUMER_MODES="$modes")
case $method in
  find_package)
    cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log" 2>&1 ||
      { cat "$work/install.log" >&2; exit 1; }
    args+=(-DCMAKE_PREFIX_PATH="$work/prefix") ;;
  add_subdirectory)
    args+=(-DTL_SOURCE_DIR="$source_dir") ;;
  fetchcontent)
    if ! commit=$(git -C "$source_dir" rev-parse HEAD 2> /dev/null); then
      echo "$source_dir is not a git checkout: FetchContent has nothing to fetch"
      exit 77
    fi
    if [[ -n $(git -C "$source_dir" status --porcelain --untracked-files=no 2> /dev/null) ]]; then
      echo "note: FetchContent builds the commit $commit; the source tree's uncommitted changes are not in it"
    fi
    args+=(-DTL_GIT_URL="file://$source_dir" -DTL_GIT_TAG="$commit") ;;
  *)
    echo "consume.sh: unknown method $method" >&2
    exit 2 ;;
esac
log=$work/consumer.log
step() {  # NAME COMMAND...: runs a step, timing it; on failure shows the log
  local start=$SECONDS
  "${@:2}" >> "$log" 2>&1 || { cat "$log" >&2; echo "consume.sh $method: $1 failed" >&2; exit 1; }
  echo "$method: $1 ($((SECONDS - start)) s)"
}
step configure cmake -S "$source_dir/tests/package/consumer" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE= "${args[@]}"
step build cmake --build "$work/build"
IFS=';' read -r -a mode_list <<< "$modes"
for mode in "${mode_list[@]}"; do
  out=$("$work/build/consumer_$mode") || { echo "consumer_$mode failed: $out" >&2; exit 1; }
  echo "$method: $out"
  expected="consumer ok 3x2 ${mode/_/-}"
  [[ $out == "$expected" ]] || { echo "expected: $expected" >&2; exit 1; }
  if [[ $mode == header_only ]]; then
    object=$(find "$work/build" -path '*consumer_header_only.dir/main.cpp.o')
    strong=$(nm -C --defined-only "$object" | awk '$2 ~ /^[TDBRG]$/' | grep -v ' main$' || true)
    if [[ -n $strong ]]; then
      echo "header-only: tl's headers define symbols that are not inline (missing TL_INLINE?):" >&2
      echo "$strong" | head -30 >&2
      exit 1
    fi
    echo "$method: header-only object defines no strong symbol but main()"
    # Nor the code of a class it never builds: a virtual member declared without TL_INLINE in its class makes
    # GCC emit that class's vtable and every virtual function in every unit that includes the header.
    unused=$(nm -C --defined-only "$object" | grep -E 'vtable for tl::layers::(Conv2D|RandomRotation)Impl$|tl::layers::RandomRotationImpl::' || true)
    if [[ -n $unused ]]; then
      echo "header-only: the object holds classes it never uses (a virtual member without TL_INLINE?):" >&2
      echo "$unused" | head -30 >&2
      exit 1
    fi
    echo "$method: header-only object holds no code of unused classes (Conv2D, RandomRotation)"
  fi
done

#!/usr/bin/env bash
# Builds tl's libFuzzer targets with clang (build-fuzz/) and runs each on its corpus in tests/fuzz/corpus/.
# Usage: bash scripts/fuzz.sh [RUNS=100000] [TARGET...]   (targets: load_img hdf5_weights directory_scan
#        jpeg_decoder png_decoder bmp_decoder gif_decoder pnm_decoder)
# TL_FUZZ_SEED=N fixes libFuzzer's random seed (the CI smoke run uses 1, so that it repeats a run checked here).
# New interesting inputs go to build-fuzz/corpus/<target>/, findings to build-fuzz/artifacts/ and the full log to
# build-fuzz/<target>.log; the exit status is non-zero on any finding (crash, uncaught exception, leak, timeout,
# out-of-memory).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100000}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
((${#targets[@]})) || targets=(load_img hdf5_weights directory_scan jpeg_decoder png_decoder bmp_decoder gif_decoder pnm_decoder)
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DTL_BUILD_FUZZERS=ON -DTL_BUILD_TESTS=OFF -DTL_BUILD_EXAMPLES=OFF -DTL_BUILD_BENCH=OFF -DTL_INSTALL=OFF > /dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/%/_fuzzer}"
mkdir -p build-fuzz/artifacts
for target in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$target"
  log="build-fuzz/$target.log"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a multi-GB allocation is a finding.
  status=0
  # allocator_may_return_null: an impossible size read from a damaged file makes malloc fail as in production
  # (the reader then reports an error) instead of stopping ASan.
  ASAN_OPTIONS=allocator_may_return_null=1 \
  "./build-fuzz/tests/fuzz/${target}_fuzzer" "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" \
    -runs="$runs" -seed="${TL_FUZZ_SEED:-0}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$target-" > "$log" 2>&1 || status=$?
  echo "fuzz $target: $(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0) runs," \
       "peak RSS $(grep -oE 'stat::peak_rss_mb: +[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?') MB, exit $status"
  if ((status)); then
    grep -E '==[0-9]+==|SUMMARY|Test unit written|deadly signal|uncaught' "$log" | head -20 >&2
    exit "$status"
  fi
done

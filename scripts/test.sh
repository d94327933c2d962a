#!/usr/bin/env bash
# The README's test command, and the second half of the full check.
#
#   bash scripts/test.sh [CMAKE_ARGS...]
#     Installs what is missing, builds tl (compiled mode: the library at -O2, the tests at -O1) into build-test/ and
#     runs the whole suite with `ctest -j`: unit and parity tests against the Python oracles, the examples end to
#     end, the docs' snippets (compiled), the find_package consumer in both modes. Minutes on 2 cores.
#
#   bash scripts/test.sh --sanitize [CMAKE_ARGS...]
#     The same suite built with AddressSanitizer + UndefinedBehaviorSanitizer into build-sanitize/ (every finding
#     fails its test), plus the consumers that compile tl from source (add_subdirectory and FetchContent, both
#     modes; CTest label "full"), then a fuzzing smoke run (scripts/fuzz.sh). .ci/run runs both commands.
#
# Ends with the wall time and the CPU time (user + sys of everything it ran). Nothing is reused from an earlier run
# but what is already in the build folder; CMAKE_ARGS such as -DCMAKE_CXX_COMPILER_LAUNCHER=ccache are passed on.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s.%N)
mode=fast
if [[ ${1:-} == --sanitize ]]; then
  mode=sanitize
  shift
fi
report() {
  local status=$? cpu times_file
  # `times`' second line: user and sys time of every child this script waited for (the build, the tests). Run in
  # this shell (a $(...) subshell would count its own children only).
  times_file=$(mktemp)
  times > "$times_file"
  cpu=$(tail -1 "$times_file" | awk '{ n = 0; for (i = 1; i <= 2; ++i) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } printf "%.0f", n }')
  rm -f "$times_file"
  echo "scripts/test.sh$label: $( ((status)) && echo FAILED || echo passed) in" \
       "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }') s wall, ${cpu} s CPU" \
       "($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
}
label=""
[[ $mode == fast ]] || label=" --sanitize"
trap report EXIT
echo "scripts/test.sh: load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

if [[ $mode == fast ]]; then
  bash scripts/install_deps.sh test
  # -O2 for the library (CMake's Release is -O3: slower to compile, no faster here); -O1 for the tests.
  TL_BUILD_DIR=build-test TL_BUILD_TYPE=Release bash scripts/build.sh -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DTL_COMPILED=ON -DTL_TEST_CXX_FLAGS=-O1 -DTL_BUILD_BENCH=OFF "$@"
  ctest --test-dir build-test -j "$(nproc)" --output-on-failure --label-exclude full
else
  bash scripts/install_deps.sh full
  # -O1 -g1: sanitizer builds compile faster there and still run the pixel loops at a useful speed; line tables
  # for the reports' stacks. Without OpenSSL: tl's own MD5/SHA-256 (used where libcrypto is missing) is tested
  # here, under the sanitizers; the fast suite tests the OpenSSL path.
  TL_BUILD_DIR=build-sanitize TL_BUILD_TYPE=RelWithDebInfo bash scripts/build.sh \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DTL_SANITIZE=address,undefined -DTL_COMPILED=ON -DTL_BUILD_BENCH=OFF \
    -DTL_WITH_OPENSSL=OFF "$@"
  ctest --test-dir build-sanitize -j "$(nproc)" --output-on-failure
  # Fuzzing smoke test, with a fixed seed: 3,000 new inputs each for the image decoder, the folder scan and the
  # HDF5 reader (see docs/reliability.md).
  TL_FUZZ_SEED=1 bash scripts/fuzz.sh 3000 load_img directory_scan hdf5_weights
fi

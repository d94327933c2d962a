#!/usr/bin/env bash
# The README's test command: installs what is missing, builds the whole test suite (examples included) with
# AddressSanitizer + UndefinedBehaviorSanitizer into build-test/, runs it, then a fuzzing smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
# -O1: sanitizer builds compile faster there and still run the pixel loops at a useful speed.
TL_BUILD_DIR=build-test TL_BUILD_TYPE=RelWithDebInfo bash scripts/build.sh \
  -DTL_SANITIZE=address,undefined -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DTL_BUILD_BENCH=OFF
ctest --test-dir build-test --output-on-failure
# Fuzzing smoke test, with a fixed seed: 3,000 new inputs for each target (load_img, each image decoder, the folder
# scan, the HDF5 reader; see docs/reliability.md).
TL_FUZZ_SEED=1 bash scripts/fuzz.sh 3000

#!/usr/bin/env bash
# Forward passes of VGG16, DenseNet121 and InceptionV3 without their tops (random weights, default input size):
# tl beside torchvision's same architectures, in the same run, as ratios tl / PyTorch (above 1: tl is faster).
# Usage: bench/applications.sh [BUILD_DIR=build-bench]   Knobs: ITERS=5 BATCH=8 MODELS="VGG16 DenseNet121 InceptionV3"
# Check `uptime` first: other processes on the cores make every figure noise.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-bench}
ITERS=${ITERS:-5}
BATCH=${BATCH:-8}
MODELS=${MODELS:-VGG16 DenseNet121 InceptionV3}
PY=/usr/bin/python3  # Debian's, with torch and torchvision
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTL_BUILD_TESTS=OFF -DTL_BUILD_EXAMPLES=OFF \
    -DTL_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$BUILD_DIR" --target applications_bench -j2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp)
for model in $MODELS; do
  "$BUILD_DIR/bench/applications_bench" "$model" "$ITERS" "$BATCH" | tee -a "$out"
  for mode in channels_last jit; do
    (cd bench && $PY applications_peer.py "$model" "$mode" "$ITERS" "$BATCH") | tee -a "$out"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# model | tl img/s | torch channels_last | ratio | torch jit.freeze | ratio
awk -F, '/^RESULT,forward_/ { m = substr($2, 9); v[m "," $3] = $4; if (!(m in seen)) { seen[m] = 1; order[++n] = m } }
  END {
    printf "%-12s %10s %14s %7s %14s %7s\n", "model", "tl img/s", "torch cl", "ratio", "torch jit", "ratio"
    for (i = 1; i <= n; i++) { m = order[i]; t = v[m ",tl"]; c = v[m ",torch_channels_last"]; j = v[m ",torch_jit"]
      printf "%-12s %10.2f %14.2f %7.2f %14.2f %7.2f\n", m, t, c, t / c, j, t / j } }' "$out"
rm -f "$out"

#!/usr/bin/env bash
# MobileNetV2 and EfficientNetB0 forward (include_top=false, pooling="avg", batch 16 at 224, random weights): tl
# beside torchvision's mobilenet_v2 / efficientnet_b0 in the same run, as ratios tl / peer (above 1: tl faster).
# Usage: bench/applications_mobile.sh [BUILD_DIR]   (default build-bench; ITERS=10; OMP_NUM_THREADS: both sides
# threads, default every core). On a loaded machine OpenMP's spinning threads dominate at 2 threads: compare
# with OMP_NUM_THREADS=1 too.
# Same arithmetic: both sides print their multiply-accumulates per image. tl's EfficientNetB0 also runs Keras's
# Rescaling + Normalization stem (two elementwise passes over the input) that torchvision leaves to the caller.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-bench}
ITERS=${ITERS:-10}
PY=/usr/bin/python3
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
[ -f "$BUILD_DIR/CMakeCache.txt" ] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTL_BUILD_TESTS=OFF -DTL_BUILD_EXAMPLES=OFF -DTL_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target tl_bench_mobile -j2 >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp)
for model in mobilenet_v2 efficientnet_b0; do
  "$BUILD_DIR/bench/tl_bench_mobile" "$model" "$ITERS" | grep '^RESULT,' >>"$out"
  for mode in channels_last jit; do
    $PY bench/applications_mobile_peer.py "$model" "$mode" "$ITERS" | grep '^RESULT,' >>"$out"
  done
done
cat "$out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
$PY - "$out" <<'PY'
import csv, sys
rows = {(r[1], r[2]): float(r[3]) for r in csv.reader(open(sys.argv[1]))}
for model in ("mobilenet_v2", "efficientnet_b0"):
    tl = rows[(model, "tl")]
    for peer in ("torch_channels_last", "torch_jit"):
        print(f"{model}: tl {tl:.1f} img/s / {peer} {rows[(model, peer)]:.1f} img/s = {tl / rows[(model, peer)]:.2f}x")
PY
rm -f "$out"

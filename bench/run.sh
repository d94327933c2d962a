#!/usr/bin/env bash
# Builds tl's benchmarks and runs each one beside its PyTorch peer, in the same run on the same machine.
# Writes bench/results.csv and prints a table of ratios tl / peer. Usage: bench/run.sh   (see bench/README.md)
# Knobs (environment): FORWARD_ITERS=10 MIXED_ITERS=3 FINETUNE_ITERS=5 SEED_IMAGES=500 SEED_EPOCHS=5 LARGE_IMAGES=48
#   BUILD_DIR=build-bench
#   ONLY="forward mixed seed finetune loader augment dataset" (a subset; with APPEND=1 its rows are added to the existing CSV)
#   AUGMENT_ITERS=5 DATASET_ROUNDS=3
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-bench}
FORWARD_ITERS=${FORWARD_ITERS:-10}
MIXED_ITERS=${MIXED_ITERS:-3}  # bf16 without native CPU support is slow: few, long iterations
FINETUNE_ITERS=${FINETUNE_ITERS:-5}
SEED_IMAGES=${SEED_IMAGES:-500}
SEED_EPOCHS=${SEED_EPOCHS:-5}
LARGE_IMAGES=${LARGE_IMAGES:-48}  # photos of 1024x768 to 4032x3024 for the fast JPEG decode
ONLY=${ONLY:-forward mixed seed finetune loader augment dataset}
AUGMENT_ITERS=${AUGMENT_ITERS:-5}
DATASET_ROUNDS=${DATASET_ROUNDS:-3}
PY=/usr/bin/python3  # Debian's, with torch, torchvision and keras_preprocessing
CSV=bench/results.csv
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}

# A fresh BUILD_DIR gets the benchmark alone; an existing one (a developer's build) keeps its tests and examples.
if [ -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DTL_BUILD_BENCH=ON >/dev/null
else
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTL_BUILD_TESTS=OFF -DTL_BUILD_EXAMPLES=OFF \
    -DTL_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$BUILD_DIR" --target tl_bench -j2
TL="$BUILD_DIR/bench/tl_bench"

DATA="$BUILD_DIR/bench_data/seed_$SEED_IMAGES"  # generated once, reused by later runs
if [ ! -d "$DATA/test" ]; then
  echo "Generating $SEED_IMAGES JPEGs (512x384) in $DATA"
  rm -rf "$DATA" && $PY bench/peer.py gen "$DATA" "$SEED_IMAGES"
fi

[ "${APPEND:-0}" = 1 ] && [ -f "$CSV" ] || echo "benchmark,impl,value,unit,note" >"$CSV"
wants() { [[ " $ONLY " == *" $1 "* ]]; }
run() {  # runs one side, echoes what it does, appends its RESULT lines to the CSV
  echo "== $*" >&2
  "$@" | tee -a /dev/stderr | grep '^RESULT,' | cut -d, -f2- >>"$CSV"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)

# 1. ResNet50 forward, batch 16 at 224
if wants forward; then
  run "$TL" forward "$FORWARD_ITERS"
  for mode in nchw channels_last jit; do run $PY bench/peer.py forward "$mode" "$FORWARD_ITERS"; done
fi
# 1b. The same forward under the mixed_bfloat16 policy (CPU bf16 autocast), beside PyTorch's bf16 autocast
if wants mixed; then
  run env TL_CPU_BFLOAT16=1 "$TL" forward "$MIXED_ITERS" mixed_bfloat16  # forced: tl uses it on native-bf16 CPUs only
  run $PY bench/peer.py forward bf16 "$MIXED_ITERS"
fi
# 2. The seed job: frozen base + GAP + Dense(2), validated every epoch
if wants seed; then
  run "$TL" seed "$DATA" "$SEED_EPOCHS" 1
  run "$TL" seed "$DATA" "$SEED_EPOCHS" 0
  run $PY bench/peer.py seed "$DATA" "$SEED_EPOCHS"
fi
# 3. Fine-tuning step, conv5 unfrozen
if wants finetune; then
  run "$TL" finetune "$FINETUNE_ITERS"
  for mode in nchw channels_last; do run $PY bench/peer.py finetune "$mode" "$FINETUNE_ITERS"; done
fi
# 4. Loader: decode + resize (+ augment)
for aug in 0 1; do
  wants loader || break
  run "$TL" loader "$DATA" 1 "$aug"
  run "$TL" loader "$DATA" 2 "$aug"
  run $PY bench/peer.py loader "$DATA" "$aug"
done
# 4b. Loader: where one thread's time goes (tl and Keras, stage by stage), and the opt-in fast JPEG decode: on the
# 512x384 set (PIL's draft rule keeps full size for a 224 target) and on larger photos, where it scales by 1/2-1/8.
if wants loader; then
  run "$TL" loader_stages "$DATA" 3
  run $PY bench/peer.py loader_stages "$DATA" 3
  run "$TL" loader "$DATA" 1 0 1
  LARGE="$BUILD_DIR/bench_data/large_$LARGE_IMAGES"
  if [ ! -d "$LARGE/train" ]; then
    echo "Generating $LARGE_IMAGES JPEGs (1024x768 to 4032x3024) in $LARGE"
    rm -rf "$LARGE" && $PY bench/peer.py gen_large "$LARGE" "$LARGE_IMAGES"
  fi
  run env BENCH_NAME=loader_large "$TL" loader "$LARGE" 1 0 0
  run env BENCH_NAME=loader_large "$TL" loader "$LARGE" 1 0 1
  run env BENCH_NAME=loader_large $PY bench/peer.py loader "$LARGE" 0
fi
# 5. Augmentation layers (training mode) as a share of a frozen ResNet50's forward, batch 32 at 224 (tl only)
if wants augment; then
  run "$TL" augment "$AUGMENT_ITERS"
fi
# 6. image_dataset_from_directory vs flow_from_directory on the same folder, alternated in one process (tl only)
if wants dataset; then
  run "$TL" dataset "$DATA" "$(nproc)" "$DATASET_ROUNDS"
fi

echo "load_before,${load_before// /\/},,,load average 1/5/15 min ($ONLY)" >>"$CSV"
echo "load_after,$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /),,,load average 1/5/15 min" >>"$CSV"
echo "wall,all,$(($(date +%s) - start)),s,whole benchmark run" >>"$CSV"
$PY bench/table.py "$CSV"

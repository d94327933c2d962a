#!/usr/bin/env bash
# tl::distribute on one machine: the seed job (frozen ResNet50 + GAP + Dense(2), validated every epoch, global batch
# BATCH) as 2 workers x 1 thread vs 1 process x 2 threads on the same cores, interleaved REPEATS times. Prints medians of
# wall time, the workers' CPU time, the load, the ratio (1-process time / 2-worker time: >= 1 means the workers are
# faster) and the bytes all-reduced per step. Its peer in the same run (PEER=1): the same job in PyTorch with
# DistributedDataParallel on Gloo (bench/peer.py seed_ddp, Debian's python3-torch: the same LibTorch 1.13), 2
# processes x 1 thread vs 1 process x 2 threads, interleaved with tl's runs. Not a test; see docs/distributed.md.
# BATCH=32 gives each worker 16 rows: on one thread LibTorch 1.13 runs 1x1 convolutions of fewer than 16 images on
# its slower non-oneDNN path (2.2x the time per image), which would measure that, not the all-reduce.
# Knobs: SEED_IMAGES=200 SEED_EPOCHS=3 REPEATS=3 SIZE=224 BATCH=32 PEER=1 BUILD_DIR=build-bench OMP_WAIT_POLICY=PASSIVE
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-bench}
SEED_IMAGES=${SEED_IMAGES:-200}
SEED_EPOCHS=${SEED_EPOCHS:-3}
REPEATS=${REPEATS:-3}
SIZE=${SIZE:-224}
PEER=${PEER:-1}
BATCH=${BATCH:-32}
PY=/usr/bin/python3
# OpenMP threads that spin while waiting take the core another process needs: with 2 processes on 2 cores the
# default (active) policy measures contention, not tl. PASSIVE for both configurations.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTL_BUILD_TESTS=OFF -DTL_BUILD_EXAMPLES=OFF \
    -DTL_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$BUILD_DIR" --target tl_bench_distributed -j2
BIN="$BUILD_DIR/bench/tl_bench_distributed"
DATA="$BUILD_DIR/bench_data/seed_$SEED_IMAGES"
if [ ! -d "$DATA/test" ]; then
  echo "Generating $SEED_IMAGES JPEGs (512x384) in $DATA"
  rm -rf "$DATA" && $PY bench/peer.py gen "$DATA" "$SEED_IMAGES"
fi
OUT=$(mktemp)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   cores: $(nproc)   OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
for i in $(seq "$REPEATS"); do
  for config in "1 2" "2 1"; do
    set -- $config
    "$BIN" "$DATA" "$SEED_EPOCHS" "$1" "$2" "$SIZE" "$BATCH" | tee -a "$OUT" | grep '^RESULT,'
    if [ "$PEER" = 1 ]; then
      $PY bench/peer.py seed_ddp "$DATA" "$SEED_EPOCHS" "$1" "$2" "$SIZE" "$BATCH" | tee -a "$OUT" | grep '^RESULT,'
    fi
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
$PY - "$OUT" <<'PY'
import statistics, sys
rows = [l.strip().split(",", 5) for l in open(sys.argv[1]) if l.startswith("RESULT,")]
def med(bench, impl, field=3):
    v = [float(r[field]) for r in rows if r[1] == bench and r[2] == impl]
    return statistics.median(v) if v else float("nan"), len(v)
def cpu(impl, bench="seed_dist"):
    v = [float(r[5].split()[1]) for r in rows if r[1] == bench and r[2] == impl]
    return statistics.median(v) if v else float("nan")
one, n1 = med("seed_dist", "1x2")
two, n2 = med("seed_dist", "2x1")
print(f"tl, 1 process x 2 threads: median {one:.1f} s wall, {cpu('1x2'):.1f} s CPU ({n1} runs)")
print(f"tl, 2 workers x 1 thread:  median {two:.1f} s wall, {cpu('2x1'):.1f} s CPU ({n2} runs)")
print(f"tl ratio (1-process time / 2-worker time): {one / two:.2f}, CPU time {cpu('1x2') / cpu('2x1'):.2f}")
peer_one, p1 = med("seed_ddp", "1x2")
peer_two, p2 = med("seed_ddp", "2x1")
if p1 and p2:
    print(f"torch DDP, 1 process x 2 threads: median {peer_one:.1f} s wall, {cpu('1x2', 'seed_ddp'):.1f} s CPU ({p1} runs)")
    print(f"torch DDP, 2 processes x 1 thread: median {peer_two:.1f} s wall, {cpu('2x1', 'seed_ddp'):.1f} s CPU ({p2} runs)")
    print(f"torch DDP ratio (1-process time / 2-process time): {peer_one / peer_two:.2f}, "
          f"CPU time {cpu('1x2', 'seed_ddp') / cpu('2x1', 'seed_ddp'):.2f}")
for r in rows:
    if r[1] == "seed_dist_bytes_per_step":
        print(f"all-reduced per step: {r[3]} B ({r[5]})")
        break
PY
rm -f "$OUT"

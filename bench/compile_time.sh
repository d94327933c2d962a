#!/usr/bin/env bash
# What a user's translation unit costs to compile, in CPU seconds (user + sys of the compiler alone), all at -O2:
#   seed, header-only   the seed program's model (Input, ResNet50 without top, GAP, Dense(2), compile, summary)
#                       against tl::tl: every definition of tl compiled in the user's unit;
#   seed, compiled      the same unit against tl::tl_compiled (TL_COMPILED: declarations only);
#   seed, own includes  header-only again, including the four headers it uses instead of <tl/tl.hpp>;
#   torch only          a <torch/torch.h> unit (torch::nn::Linear + torch::randn): the yardstick.
# Prints each figure and its ratio to the torch-only unit. Targets: compiled <= 1.25x, header-only <= 1.8x.
# Not part of the tests. Usage: bash bench/compile_time.sh [REPEAT=1]   (REPEAT > 1 keeps each unit's fastest run)
# The units are bench/compile_time/*.cpp; the commands are CMake's own (compile_commands.json of build-compile-time/),
# so they carry exactly the flags a CMake user linking tl::tl or tl::tl_compiled gets. ccache is never used.
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-1}
build=${BUILD_DIR:-build-compile-time}
mkdir -p "$build"  # its configure log lives inside it, with the other build outputs
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DCMAKE_CXX_COMPILER_LAUNCHER= -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DTL_BUILD_TESTS=OFF -DTL_BUILD_EXAMPLES=OFF \
  -DTL_BUILD_BENCH=ON -DTL_INSTALL=OFF > "$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }

# The directory, compile command and object file of SOURCE in TARGET, from compile_commands.json.
command_of() {
  /usr/bin/python3 - "$build/compile_commands.json" "$1" "$2" <<'PY'
import json, shlex, sys
entries, target, source = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for e in entries:
    if e["file"].endswith(source) and f"/{target}.dir/" in e.get("output", e["command"]):
        args = shlex.split(e["command"])  # CMake before 3.20 writes no "output": the object is the -o argument
        print(e["directory"]); print(e["command"]); print(e.get("output") or args[args.index("-o") + 1]); break
else:
    sys.exit(f"no compile command for {target} {source}")
PY
}

# cpu_seconds TARGET SOURCE: the fastest of $repeat compilations, user + sys.
cpu_seconds() {
  local info dir cmd object best="" out
  info=$(command_of "$1" "$2")
  dir=$(sed -n 1p <<< "$info") cmd=$(sed -n 2p <<< "$info") object=$(sed -n 3p <<< "$info")
  out=$(mktemp -d)
  (cd "$dir" && mkdir -p "$(dirname "$object")")
  for ((i = 0; i < repeat; ++i)); do
    (cd "$dir" && CCACHE_DISABLE=1 /usr/bin/time -f "%U %S %e" -o "$out/time" bash -c "$cmd" > "$out/log" 2>&1) ||
      { cat "$out/log" >&2; exit 1; }
    read -r user sys wall < "$out/time"
    local cpu
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    echo "  $1: ${cpu} s CPU, ${wall} s wall" >&2
    if [[ -z $best ]] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$cpu; fi
  done
  rm -rf "$out"
  echo "$best"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $(c++ --version | head -1); -O2"
torch=$(cpu_seconds tl_compile_time_torch_only torch_only.cpp)
compiled=$(cpu_seconds tl_compile_time_seed_compiled seed.cpp)
header_only=$(cpu_seconds tl_compile_time_seed_header_only seed.cpp)
own_includes=$(cpu_seconds tl_compile_time_seed_includes seed_includes.cpp)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v t="$torch" -v c="$compiled" -v h="$header_only" -v i="$own_includes" 'BEGIN {
  printf "%-22s %8s %8s %8s\n", "unit", "CPU s", "ratio", "target"
  printf "%-22s %8.1f %8s %8s\n", "torch only", t, "1.00x", ""
  printf "%-22s %8.1f %7.2fx %8s  %s\n", "seed, compiled", c, c / t, "1.25x", (c / t <= 1.25 ? "ok" : "OVER")
  printf "%-22s %8.1f %7.2fx %8s  %s\n", "seed, header-only", h, h / t, "1.80x", (h / t <= 1.80 ? "ok" : "OVER")
  printf "%-22s %8.1f %7.2fx %8s  %s\n", "  its own includes", i, i / t, "", "(header-only, without <tl/tl.hpp>)"
}'

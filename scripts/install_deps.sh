#!/usr/bin/env bash
# Installs what tl needs from Debian 12's packages, skipping what is already there.
# Usage: bash scripts/install_deps.sh [main|test|full]   (default: main)
#   main  building tl and running the main job (scripts/main.sh): compiler, CMake, LibTorch, tl's libraries, the
#         Fashion-MNIST data set;
#   test  main + the test suite's needs (scripts/test.sh): Catch2, the Python oracles (Keras's own
#         keras_preprocessing/keras_applications, torchvision, h5py, PIL, scipy), git for the FetchContent consumer;
#   full  test + clang and its libFuzzer/sanitizer runtimes for the fuzzing smoke (scripts/test.sh --sanitize).
set -euo pipefail
level=${1:-main}
main=(
  cmake ninja-build g++ pkg-config
  libtorch-dev libopenblas0-pthread
  nlohmann-json3-dev libhdf5-dev libstb-dev libcurl4-openssl-dev zlib1g-dev
  # Used by parts of tl being written now: hashing (OpenSSL), JPEG (libjpeg-turbo), distributed training (Gloo).
  libssl-dev libjpeg62-turbo-dev libgloo-dev
  dataset-fashion-mnist
)
test=(
  catch2 git binutils
  python3-keras-preprocessing python3-keras-applications python3-torchvision python3-h5py python3-pil python3-scipy
)
full=(clang libclang-rt-14-dev)
case $level in
  main) packages=("${main[@]}") ;;
  test) packages=("${main[@]}" "${test[@]}") ;;
  full) packages=("${main[@]}" "${test[@]}" "${full[@]}") ;;
  *) echo "usage: install_deps.sh [main|test|full]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "tl: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

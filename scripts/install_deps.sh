#!/usr/bin/env bash
# Installs what tl needs from Debian 12's packages, skipping what is already there.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config clang libclang-rt-14-dev
  libtorch-dev libstb-dev catch2 libhdf5-dev libopenblas0-pthread libcurl4-openssl-dev
  libjpeg62-turbo-dev zlib1g-dev libturbojpeg0
  python3-keras-preprocessing python3-keras-applications python3-torchvision python3-h5py python3-pil
  python3-scipy dataset-fashion-mnist
)
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

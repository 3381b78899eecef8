#!/usr/bin/env bash
# Installs the Debian 12 packages matchfund needs, only those that are missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build
  libboost-dev libboost-program-options-dev
  libeigen3-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  libcpp-httplib-dev wrk
  python3-dev python3-pybind11 python3-numpy python3-pandas  # the Python module
  chromium zlib1g-dev  # the report test: headless rendering, PNG decoding
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

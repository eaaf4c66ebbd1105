#!/usr/bin/env bash
# Installs everything PHI Guard needs on a fresh Debian 12 machine, from Debian's archive
# and the npm registry only. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config python3
  libhyperscan-dev libre2-dev nlohmann-json3-dev libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsodium-dev libcurl4-openssl-dev
  openssl rpm dpkg-dev file
  clang libclang-rt-14-dev    # the asan preset (clang) and its libFuzzer targets (scripts/fuzz.sh)
  clang-format                # scripts/check-format.sh (Debian 12: clang-format 14)
  clang-tidy                  # scripts/tidy.sh
  ripgrep                     # the engine comparison (scripts/bench.sh compare)
)
if [[ "${1:-}" == "--with-browser" || "${PHIGUARD_WITH_BROWSER:-}" == 1 ]]; then
  packages+=(chromium)
  # A machine may already have Node from elsewhere (Debian's npm conflicts with it):
  # only install Debian's when there is no node or npm at all.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

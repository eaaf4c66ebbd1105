#!/usr/bin/env bash
# Every test: install dependencies (with the browser for the extension tests), build the
# release preset with warnings as errors, and run the whole CTest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-browser
cmake --preset release
cmake --build --preset release -j"$(nproc)"
ctest --preset release -j"$(nproc)" "$@"
